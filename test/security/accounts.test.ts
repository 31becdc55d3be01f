/**
 * Accounts and audit: a new password ends every session and token; re-enabling is its own audited
 * command; control characters in names reach people written out; sign-in is throttled per address
 * and account, with a path for the right password from a known address and one audit row per
 * throttled window; the origin check compares scheme, host and port; HTTPS in one command.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../controller/src/config/load.ts';
import { visibleText } from '../../controller/src/domain/visible-text.ts';
import { kioskRequestRefusal } from '../../controller/src/server/kiosk-guard.ts';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { startStaffListener } from '../../controller/src/server/staff/listener.ts';
import { lanWithoutTls } from '../../controller/src/server/staff/tls-files.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { Database } from '../../controller/src/store/database.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import type { AcceptedPhoto } from '../../controller/src/app/ports/accepted-photos.ts';
import { manifestCsv } from '../../controller/src/formats/export/manifest.ts';
import { addUser, student, tempData } from '../staff/helpers.ts';
import { projectRoot } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-accounts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rig(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'rig.js'), '--data', dir, ...args], { input, encoding: 'utf8', env: { ...process.env, RIG_CONFIG: '' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cookieOf = (h: string | string[] | undefined) => String([h].flat()[0]).split(';')[0]!;

async function withApp<T>(fn: (staff: StaffApp, db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(join(dir, 'rig.db'));
  const staff = await buildStaffApp({ db, dataDir: dir, photos: new ListPhotoSource([]) });
  try {
    return await fn(staff, db);
  } finally {
    await staff.app.close();
    await db.close();
  }
}

describe('accounts', () => {
  it('a new password ends every session and token; re-adding a disabled account leaves it disabled until `enable`', { timeout: 120_000 }, async () => {
    expect(rig(['staff', 'add', 'lin', '--role', 'staff', '--password-stdin'], 'first long password\n').code).toBe(0);
    const token = rig(['staff', 'token', 'lin']).stdout.trim();
    await withApp(async (staff, db) => {
      const login = (password: string) => staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: 'lin', password } });
      const cookie = cookieOf((await login('first long password')).headers['set-cookie']);
      const me = (headers: Record<string, string>) => staff.app.inject({ url: '/api/session', headers }).then((r) => r.statusCode);
      expect(await me({ cookie })).toBe(200);
      expect(await me({ authorization: `Bearer ${token}` })).toBe(200);

      const reset = rig(['staff', 'add', 'lin', '--role', 'staff', '--password-stdin'], 'second long password\n');
      expect(reset.code).toBe(0);
      expect(reset.stdout).toContain('1 sessions under the old password ended, 1 tokens revoked');
      expect(await me({ cookie })).toBe(401);
      expect(await me({ authorization: `Bearer ${token}` })).toBe(401);
      expect((await login('second long password')).statusCode).toBe(200);

      expect(rig(['staff', 'disable', 'lin']).code).toBe(0);
      const readd = rig(['staff', 'add', 'lin', '--role', 'staff', '--password-stdin'], 'third long password\n');
      expect(readd.stdout).toContain('still disabled');
      expect((await login('third long password')).statusCode).toBe(401);
      expect(rig(['staff', 'enable', 'lin']).code).toBe(0);
      expect((await login('third long password')).statusCode).toBe(200);
      const actions = (await listAudit(db, { limit: 50 })).map((r) => r.action).filter((a) => a.startsWith('staff.user_')).reverse();
      expect(actions).toEqual(['staff.user_add', 'staff.user_reset', 'staff.user_disable', 'staff.user_reset', 'staff.user_enable']);
    });
  });

  it('stores a hostile failed-login name as sent but prints it written out in `rig audit`, and CSV cells cannot break rows', { timeout: 60_000 }, async () => {
    const hostile = 'x\u001b[2J\u0007evil\r\n#9 forged\u202e';
    await withApp(async (staff, db) => {
      await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: hostile, password: 'nope' } });
      expect((await listAudit(db, { action: 'staff.login_failed', limit: 1 }))[0]?.actor).toBe(hostile);
    });
    const out = rig(['audit', '--action', 'staff.login_failed', '--limit', '1']).stdout;
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(out.trimEnd().split('\n')).toHaveLength(2);
    expect(out).toContain('x\\x1b[2J\\x07evil\\r\\n#9 forged\\u202e');
    expect(visibleText(hostile)).toBe('x\\x1b[2J\\x07evil\\r\\n#9 forged\\u202e');
    const photo = { sequence: 1, sha256: 'f', acceptedAt: '2026-06-10T01:00:00Z', codeText: null, student: student(1, { name: hostile }) } as unknown as AcceptedPhoto;
    const csv = manifestCsv([{ photo, fileName: 'photos/a.jpg' }]).toString('utf8');
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);
    expect(csv).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('throttles per address and account: a guesser locks only itself out, a known address keeps the right password, one row per window', async () => {
    const data = await tempData();
    try {
      await addUser(data.db, 'wang', 'staff', 'right password');
      const staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
      const login = (password: string, from: string) => staff.app.inject({ method: 'POST', url: '/api/session', remoteAddress: from, payload: { name: 'wang', password } }).then((r) => r.statusCode);
      expect(await login('right password', '10.0.0.2')).toBe(200); // wang's own desk, now a known address
      const codes: number[] = [];
      for (let i = 0; i < 100; i++) codes.push(await login(`guess ${i}`, '10.0.0.9'));
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(codes.slice(5))).toEqual(new Set([429]));
      expect(await login('right password', '10.0.0.9')).toBe(429);
      expect(await login('right password', '10.0.0.2')).toBe(200);
      // A distributed guess: ten more addresses, five tries each, past the account-wide limit.
      for (let a = 10; a < 20; a++) for (let i = 0; i < 5; i++) await login(`guess ${a}.${i}`, `10.0.1.${a}`);
      expect(await login('right password', '10.0.2.1')).toBe(429); // an address wang never used
      expect(await login('right password', '10.0.0.2')).toBe(200); // his desk still works
      const rows = await listAudit(data.db, { limit: 500 });
      const fromGuesser = rows.filter((r) => r.origin === '10.0.0.9');
      expect(fromGuesser.filter((r) => r.action === 'staff.login_failed')).toHaveLength(5);
      expect(fromGuesser.filter((r) => r.action === 'staff.login_throttled')).toHaveLength(1);
      expect(fromGuesser.find((r) => r.action === 'staff.login_throttled')?.details).toMatchObject({ failuresFromOrigin: 5 });
      await staff.app.close();
    } finally {
      await data.cleanup();
    }
  });

  it('compares scheme, host and port for cookie-authenticated writes', async () => {
    const data = await tempData();
    try {
      await addUser(data.db, 'zhao', 'staff', 'right password');
      const staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
      const cookie = cookieOf((await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: 'zhao', password: 'right password' } })).headers['set-cookie']);
      const del = (origin: string) => staff.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, host: '127.0.0.1:8443', origin } }).then((r) => r.statusCode);
      expect(await del('https://127.0.0.1:8443')).toBe(403);
      expect(await del('http://127.0.0.1:8444')).toBe(403);
      expect(await del('http://127.0.0.1:8443')).toBe(200);
      await staff.app.close();
    } finally {
      await data.cleanup();
    }
  });

  it('`rig staff tls --self-signed` writes a certificate and key into the data folder, shows the fingerprint, and rig serve uses them', { timeout: 60_000 }, async () => {
    const made = rig(['staff', 'tls', '--self-signed']);
    expect(made.code, made.stderr).toBe(0);
    const certPem = readFileSync(join(dir, 'tls', 'staff-cert.pem'));
    const fingerprint = new X509Certificate(certPem).fingerprint256;
    expect(made.stdout).toContain(fingerprint);
    expect(statSync(join(dir, 'tls', 'staff-key.pem')).mode & 0o077).toBe(0);
    expect(rig(['staff', 'tls', '--self-signed']).code).toBe(73);

    const db = await Database.open(join(dir, 'rig.db'));
    const { config } = loadConfig({ file: null, env: {} });
    const listener = await startStaffListener({ config: { ...config, staff: { host: '127.0.0.1', port: 0, tls: { cert: null, key: null } } }, db, dataDir: dir });
    try {
      expect(listener.url).toMatch(/^https:/);
      expect(listener.fingerprint).toBe(fingerprint);
      expect(listener.warnings).toEqual([]);
      // The office PC trusts exactly this certificate (pinned): the connection verifies.
      const status = await new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: new URL(listener.url).port, path: '/api/session', ca: certPem }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject).end();
      });
      expect(status).toBe(401);
    } finally {
      await listener.close();
      await db.close();
    }
    expect(lanWithoutTls('0.0.0.0', false)).toBe(true);
    expect(lanWithoutTls('10.0.0.5', true)).toBe(false);
    expect(lanWithoutTls('127.0.0.1', false)).toBe(false);
  });

  it('does not take a missing peer address for loopback', () => {
    const req = { raw: { socket: { remoteAddress: undefined, localPort: 8080, localAddress: '127.0.0.1' } }, headers: { host: '127.0.0.1:8080' }, method: 'GET' } as unknown as FastifyRequest;
    expect(kioskRequestRefusal(req)).toBe('kiosk.forbidden');
  });
});
