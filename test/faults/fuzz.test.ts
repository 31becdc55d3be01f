/**
 * Fuzz suite: 10,000 malformed requests (bad JSON, wrong types, huge and slow bodies, odd methods and
 * headers, bad UTF-8, path tricks) against both listeners of a real `rig serve`. Nothing answers
 * 5xx, the process never dies, and its memory stays flat (measured after a warm-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../support/rig-serve.ts';
import { seededRandom } from '../../controller/src/domain/seeded-random.ts';

const kioskPaths = ['/api/kiosk/state', '/api/kiosk/scan', '/api/kiosk/confirm', '/api/kiosk/capture', '/api/kiosk/accept', '/api/kiosk/retake',
  '/api/kiosk/cancel', '/api/kiosk/demo', '/api/kiosk/review/deliverable', '/api/kiosk/review/original', '/api/kiosk/events', '/api/kiosk/preview',
  '/api/rig', '/api/rig/simulated', '/', '/index.html', '/assets/x.js'];
const staffPaths = ['/api/session', '/api/students', '/api/progress', '/api/photos', '/api/photos/2026-06-10/1/file', '/api/photos/2026-06-10/1/thumbnail',
  '/api/slots', '/api/slots/1', '/api/makeup-windows', '/api/makeup-windows/1', '/api/makeups', '/api/makeups/1', '/api/overrides', '/api/rosters',
  '/api/audit', '/api/batches/2026-06-10.zip', '/staff.html', '/assets/staff.js', '/'];
const tricks = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2frig.db', '/assets/%c0%ae%c0%ae/rig.db', '/api/kiosk/state%00.js',
  '//api//kiosk//state', '/api/photos/%ff%fe/1/file', '/api/slots/-1', '/api/slots/1e999', '/api/slots/0x10', '/api/makeups/NaN',
  `/${'a'.repeat(9000)}`, '/api/students?q=%E4%B8', '/api/students?q=' + '%25'.repeat(3000), '/api/kiosk/review/..%5c..%5crig.db', '/\u5f20\u4f1f'];
const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get', 'G\u00c9T'];
const contentTypes = ['application/json', 'application/json; charset=gbk', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'multipart/form-data', 'application/xml', 'application/json; charset=utf-16', '', '\u0000', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

function bodyFor(random: () => number): Buffer {
  const pick = Math.floor(random() * 14);
  switch (pick) {
    case 0: return Buffer.from('{"code":');
    case 1: return Buffer.from('{"code": 12345}');
    case 2: return Buffer.from('{"code": ["a", {"b": null}]}');
    case 3: return Buffer.from('[1,2,3]');
    case 4: return Buffer.from('null');
    case 5: return Buffer.from([0x7b, 0x22, 0x63, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]); // {"c":"<bad UTF-8>"}
    case 6: return Buffer.from(`{"name":"${'\u5f20'.repeat(2000)}","password":1}`);
    case 7: return Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}');
    case 8: return Buffer.alloc(1_200_000, 0x61); // over the body limit
    case 9: return Buffer.from(JSON.stringify({ room: 'A', date: '2026-02-30', start: '25:00', end: '-1', department: 7 }));
    case 10: return Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="../../r.csv"\r\n\r\n\u8eab\u4efd\u8bc1\u53f7\n1,2\r\n--x--\r\n');
    case 11: return Buffer.from(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    case 12: return Buffer.from('\uFEFF{"code":"123"}');
    default: return Buffer.alloc(0);
  }
}

interface Outcome { status: number | null; error?: string }

/** Sends raw bytes (optionally trickled) and reads the status line; never waits for a whole stream. */
function raw(url: string, bytes: Buffer, trickle: boolean): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let got = '';
    let done = false;
    const finish = (o: Outcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ status: null, error: 'no answer in 5 s' }), 5_000);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const line = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      if (line) finish({ status: Number(line[1]) });
    });
    socket.on('error', (e: Error) => finish({ status: null, error: e.message }));
    socket.on('close', () => finish({ status: null, error: 'closed without an answer' }));
    socket.on('connect', () => {
      if (!trickle) return void socket.write(bytes);
      // A slow client: a few bytes every 20 ms, then it stops halfway.
      let at = 0;
      const drip = setInterval(() => {
        if (done || at >= bytes.length / 2) return clearInterval(drip);
        socket.write(bytes.subarray(at, at + 7));
        at += 7;
      }, 20);
    });
  });
}

function request(random: () => number, base: string, paths: string[], auth: string | null): { bytes: Buffer; trickle: boolean } {
  const all = [...paths, ...tricks];
  const path = all[Math.floor(random() * all.length)]!;
  const method = random() < 0.6 ? (random() < 0.5 ? 'GET' : 'POST') : methods[Math.floor(random() * methods.length)]!;
  const body = method === 'GET' && random() < 0.8 ? Buffer.alloc(0) : bodyFor(random);
  const host = new URL(base).host;
  const headers = [`${method} ${path} HTTP/1.1`, `Host: ${random() < 0.9 ? host : random() < 0.5 ? 'attacker.example' : ''}`, 'Connection: close'];
  if (body.length > 0 || random() < 0.2) headers.push(`Content-Type: ${contentTypes[Math.floor(random() * contentTypes.length)]}`);
  const lengthMode = random();
  if (lengthMode < 0.8) headers.push(`Content-Length: ${body.length}`);
  else if (lengthMode < 0.85) headers.push('Content-Length: -5');
  else if (lengthMode < 0.9) headers.push(`Content-Length: ${body.length + 100}`);
  else if (lengthMode < 0.95) headers.push('Transfer-Encoding: chunked');
  else headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
  if (auth && random() < 0.7) headers.push(auth);
  if (random() < 0.1) headers.push(`Cookie: sid=${'\u00ff'.repeat(20)}; csrf=${'x'.repeat(5000)}`);
  if (random() < 0.1) headers.push('Origin: null');
  if (random() < 0.05) headers.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==');
  if (random() < 0.05) headers.push(`X-Big: ${'h'.repeat(20_000)}`);
  if (random() < 0.03) headers.push('Bad Header Name: x', '\u00e9: \u00e9');
  const head = Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'latin1');
  const chunked = headers.includes('Transfer-Encoding: chunked');
  const payload = chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(random() < 0.5 ? '\r\n0\r\n\r\n' : '\r\nzz\r\n')]) : body;
  return { bytes: Buffer.concat([head, payload]), trickle: random() < 0.004 };
}

describe('fuzzing both listeners of rig serve', () => {
  let dataDir: string;
  let serve: ServeProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rig-fuzz-'));
    serve = await startServe({ dataDir, heapProbe: true });
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 10,000 malformed requests without a 5xx, a crash or growing memory', { timeout: 900_000 }, async () => {
    const random = seededRandom(4242);
    const statuses = new Map<string, number>();
    const serverErrors: string[] = [];
    let sent = 0;
    const total = 10_000;
    const warmUp = 3_000;
    const run = async (until: number): Promise<void> => {
      const worker = async (): Promise<void> => {
        while (sent < until) {
          const n = sent++;
          const onKiosk = n % 2 === 0;
          const base = onKiosk ? serve.kioskUrl : serve.staffUrl;
          const { bytes, trickle } = request(random, base, onKiosk ? kioskPaths : staffPaths, null);
          const o = await raw(base, bytes, trickle);
          const key = o.status === null ? `none (${o.error})` : String(o.status);
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (o.status !== null && o.status >= 500) serverErrors.push(`${o.status}: ${bytes.subarray(0, 200).toString('latin1').split('\r\n')[0]}`);
        }
      };
      await Promise.all(Array.from({ length: 12 }, () => worker()));
    };
    // Memory is read as the live heap after full collections, between two quiet phases: the resident
    // set drifts with the allocator and the machine's load, the collected heap only with what is kept.
    await run(warmUp);
    const early = await serve.heap();
    const rssEarly = serve.rss();
    await run(total);
    const late = await serve.heap();
    const rssLate = serve.rss();
    const mb = (x: number): string => (x / 1e6).toFixed(1);
    console.log(`fuzz: ${total} requests; answers ${JSON.stringify(Object.fromEntries(statuses))}; live heap after ${warmUp} requests ${mb(early)} MB, after ${total} ${mb(late)} MB; RSS ${mb(rssEarly)} -> ${mb(rssLate)} MB`);

    expect(serverErrors.slice(0, 20)).toEqual([]);
    expect(serve.alive()).toBe(true);
    const state = await fetch(`${serve.kioskUrl}/api/kiosk/state`);
    expect(state.status).toBe(200);
    // Flat: a leak of even 1 KB a request would keep 7 MB more over the last 7,000 requests.
    expect(late - early).toBeLessThan(4 * 1024 * 1024);
    expect(serve.stderr()).not.toMatch(/escaped its handler/);
  });
});
