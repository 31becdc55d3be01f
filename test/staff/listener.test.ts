import { execFileSync } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../controller/src/config/load.ts';
import { startStaffListener, type StaffListener } from '../../controller/src/server/staff/listener.ts';
import { addUser, tempData, type TempData } from './helpers.ts';

let data: TempData;
let listener: StaffListener;
let token: string;

beforeAll(async () => {
  data = await tempData();
  token = await addUser(data.db, 'tls', 'staff');
  const cert = join(data.dir, 'cert.pem');
  const key = join(data.dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  const { config } = loadConfig({ file: null, env: {} });
  listener = await startStaffListener({
    config: { ...config, staff: { host: '127.0.0.1', port: 0, tls: { cert, key } } },
    db: data.db, dataDir: data.dir,
  });
});
afterAll(async () => {
  await listener.close();
  await data.cleanup();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = new URL(listener.url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

describe('staff listener from configuration', () => {
  it('speaks HTTPS with HSTS when a certificate and key are configured', async () => {
    expect(listener.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await get('/api/session', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).user.name).toBe('tls');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('has no kiosk API and an empty day before any capture', async () => {
    expect((await get('/api/kiosk/state', { authorization: `Bearer ${token}` })).status).toBe(404);
    const photos = await get('/api/photos?date=2026-11-28', { authorization: `Bearer ${token}` });
    expect(JSON.parse(photos.body).photos).toEqual([]);
  });
});

describe('staff request log', () => {
  it('logs each request through the given pino logger with ID numbers masked', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const { config } = loadConfig({ file: null, env: {} });
    const local = await startStaffListener({ config: { ...config, staff: { host: '127.0.0.1', port: 0, tls: { cert: null, key: null } } }, db: data.db, dataDir: data.dir, loggerInstance: logger });
    try {
      const id = '11010119900307002X';
      const res = await fetch(`${local.url}api/students?q=${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const entry = lines.map((l) => JSON.parse(l) as { msg: string; url?: string; user?: string; listener?: string }).find((l) => l.msg === 'request');
      expect(entry).toMatchObject({ listener: 'staff', user: 'tls', url: '/api/students?q=110101********002X' });
      expect(lines.join('')).not.toContain(id);
    } finally {
      await local.close();
    }
  });
});
