import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKiosk, type TestKiosk } from '../support/kiosk-server.ts';
import { rigInProcess } from '../support/rig.ts';

interface DoctorJson {
  ok: boolean;
  checks: Array<{ part: string; status: string; code: string; message: { zh: string; en: string }; fix: { zh: string; en: string } | null }>;
}

let dir: string;
let kiosk: TestKiosk;
let squatter: Server;
let squatterPort: number;

/** A configuration file for this test: real ports, a certificate with a day left, a camera required. */
function config(name: string, kioskPort: number, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [
    `data: ${join(dir, 'data')}`,
    'camera: { driver: gphoto2 }',
    'rig: { driver: simulated }',
    `kiosk: { host: 127.0.0.1, port: ${kioskPort} }`,
    `staff: { host: 127.0.0.1, port: ${squatterPort}, tls: { cert: ${join(dir, 'cert.pem')}, key: ${join(dir, 'key.pem')} } }`,
    extra,
  ].join('\n'));
  return file;
}

async function doctor(file: string, wait = '60'): Promise<{ code: number; report: DoctorJson }> {
  // The kiosk answers from this very process, which the rest of the suite may keep busy: the test is
  // about what answers, not how fast, so the doctor waits as long as a loaded machine needs.
  const run = await rigInProcess(['--config', file, 'doctor', '--json', '--wait', wait]);
  return { code: run.code, report: JSON.parse(run.stdout) as DoctorJson };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-doctor-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=rig.test',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  squatter = createServer((_req, res) => res.end('not ours'));
  await new Promise<void>((ok) => squatter.listen(0, '127.0.0.1', ok));
  squatterPort = (squatter.address() as { port: number }).port;
  kiosk = await startTestKiosk({});
}, 120_000);
afterAll(async () => {
  await kiosk?.close();
  await new Promise((ok) => squatter?.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

describe('rig doctor on this machine', { timeout: 180_000 }, () => {
  it('finds the running kiosk, Chromium and the disk, and warns of a certificate expiring tomorrow', async () => {
    const { report } = await doctor(config('running', Number(new URL(kiosk.url).port)));
    const by = (part: string) => report.checks.find((c) => c.part === part);
    expect(by('kiosk-listener')).toMatchObject({ status: 'ok', code: 'doctor.listener.serving' });
    expect(by('chromium')?.status).toBe('ok');
    expect(by('disk')?.status).toBe('ok');
    expect(by('tls')).toMatchObject({ status: 'warn', code: 'doctor.tls.expiring' });
    expect(by('tls')?.fix?.zh).toMatch(/证书/);
    expect(by('tls')?.fix?.en).toMatch(/certificate/);
  });

  it('exits non-zero when something blocks: no camera though one is required, a kiosk port taken by another program', async () => {
    const { code, report } = await doctor(config('blocked', squatterPort));
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    const failing = report.checks.filter((c) => c.status === 'fail').map((c) => c.code);
    expect(failing).toEqual(expect.arrayContaining(['doctor.camera.none', 'doctor.listener.taken']));
    for (const c of report.checks.filter((x) => x.status !== 'ok')) expect(c.fix, c.code).not.toBeNull();
  });

  it('says it cannot tell when a listener takes connections but never answers within --wait, and refuses a wait of nothing', async () => {
    const mute = createServer(() => undefined);
    await new Promise<void>((ok) => mute.listen(0, '127.0.0.1', ok));
    try {
      const { report } = await doctor(config('mute', (mute.address() as { port: number }).port), '1');
      expect(report.checks.find((c) => c.part === 'kiosk-listener')).toMatchObject({ status: 'warn', code: 'doctor.listener.unknown' });
    } finally {
      mute.closeAllConnections();
      await new Promise((ok) => mute.close(ok));
    }
    expect((await rigInProcess(['--config', config('nowait', squatterPort), 'doctor', '--wait', '0'])).code).toBe(64);
  });

  it('prints each problem with its fix, Chinese first', async () => {
    const run = await rigInProcess(['--config', config('text', squatterPort), 'doctor']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ 相机：.* \/ camera: /);
    expect(run.stdout.indexOf('处理：')).toBeLessThan(run.stdout.indexOf('fix: '));
  });
});
