/**
 * Both listeners of a real `rig serve` (kiosk on loopback, staff on the LAN side) answer with one
 * header policy, on pages, API answers and refusals alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../support/rig-serve.ts';

const strictCsp = "default-src 'none';script-src 'self';style-src 'self';img-src 'self' blob: data:;font-src 'self';"
  + "connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none'";

let dir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-headers-'));
  serve = await startServe({ dataDir: dir });
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const policy = (res: Response) => ({
  csp: res.headers.get('content-security-policy'),
  nosniff: res.headers.get('x-content-type-options'),
  frames: res.headers.get('x-frame-options'),
  referrer: res.headers.get('referrer-policy'),
  permissions: res.headers.get('permissions-policy'),
  opener: res.headers.get('cross-origin-opener-policy'),
  resources: res.headers.get('cross-origin-resource-policy'),
  hsts: res.headers.get('strict-transport-security'),
});

const expected = {
  csp: strictCsp,
  nosniff: 'nosniff',
  frames: 'DENY',
  referrer: 'no-referrer',
  permissions: 'camera=(), microphone=(), geolocation=(), payment=()',
  opener: 'same-origin',
  resources: 'same-origin',
  hsts: null, // plain HTTP here: HSTS only where the listener speaks TLS (test/staff/listener.test.ts)
};

describe('one header policy on both listeners', () => {
  it('the kiosk listener sends it on its state, a refusal and a missing page', async () => {
    const answers = [
      await fetch(`${serve.kioskUrl}/api/kiosk/state`),
      await fetch(`${serve.kioskUrl}/api/kiosk/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":5}' }),
      await fetch(`${serve.kioskUrl}/no/such/page`),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 404]);
    for (const res of answers) expect(policy(res), res.url).toEqual(expected);
  });

  it('the staff listener sends the same on a refusal, a missing page and its login answer', async () => {
    const answers = [
      await fetch(`${serve.staffUrl}/api/session`),
      await fetch(`${serve.staffUrl}/no/such/page`),
      await fetch(`${serve.staffUrl}/api/session`, {
        method: 'POST', headers: { 'content-type': 'application/json', origin: serve.staffUrl },
        body: JSON.stringify({ name: 'nobody', password: 'wrong-password' }),
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 404, 401]);
    for (const res of answers) expect(policy(res), res.url).toEqual(expected);
  });
});
