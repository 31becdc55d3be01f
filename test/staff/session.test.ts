import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { hashPassword, verifyPassword } from '../../controller/src/server/staff/credentials.ts';
import { addUser, tempData, testScrypt, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
let clock = new Date('2026-11-28T02:00:00Z');

beforeEach(async () => {
  data = await tempData();
  await addUser(data.db, 'lin', 'staff', 'secret-password');
  clock = new Date('2026-11-28T02:00:00Z');
  staff = await buildStaffApp({
    db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), now: () => clock,
    loginLimits: { windowMs: 15 * 60_000, maxPerOrigin: 20, maxPerOriginAndName: 3, maxPerName: 50 },
  });
});
afterEach(async () => {
  await staff.app.close();
  await data.cleanup();
});

function login(name: string, password: string, headers: Record<string, string> = {}) {
  return staff.app.inject({ method: 'POST', url: '/api/session', payload: { name, password }, headers });
}

function cookieOf(setCookie: string | string[] | undefined): string {
  return String([setCookie].flat()[0]).split(';')[0]!;
}

describe('staff sign-in', () => {
  it('stores scrypt hashes that verify only the right password', async () => {
    const hash = await hashPassword('密码 with spaces', testScrypt);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('密码 with spaces', hash)).toBe(true);
    expect(await verifyPassword('密码 with space', hash)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });

  it('opens an HttpOnly, SameSite=Strict session that works until logout', async () => {
    const res = await login('lin', 'secret-password');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toEqual({ name: 'lin', role: 'staff' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^rig_staff=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = cookieOf(res.headers['set-cookie']);
    expect((await staff.app.inject({ url: '/api/session', headers: { cookie } })).json().user.name).toBe('lin');
    const out = await staff.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: 'http://localhost:80' } });
    expect(out.statusCode).toBe(200);
    expect((await staff.app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('expires sessions', async () => {
    const cookie = cookieOf((await login('lin', 'secret-password')).headers['set-cookie']);
    clock = new Date(clock.getTime() + 13 * 3600_000);
    expect((await staff.app.inject({ url: '/api/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const cookie = cookieOf((await login('lin', 'secret-password')).headers['set-cookie']);
    const res = await staff.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, origin: 'http://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('staff.origin_rejected');
  });

  it('says the same for an unknown account and a wrong password', async () => {
    const a = await login('lin', 'wrong');
    const b = await login('nobody', 'wrong');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.headers['set-cookie']).toBeUndefined();
  });

  it('trips the login rate limit after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login('lin', `guess-${i}`)).statusCode).toBe(401);
    const blocked = await login('lin', 'secret-password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('staff.login_throttled');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await login('lin', 'secret-password')).statusCode).toBe(200);
  });

  it('writes audit rows for sign-ins, failures and throttling with the origin', async () => {
    await login('lin', 'secret-password');
    for (let i = 0; i < 4; i++) await login('lin', 'nope');
    const rows = await listAudit(data.db, { limit: 20 });
    const actions = rows.map((r) => r.action).reverse();
    expect(actions).toEqual(['staff.login', 'staff.login_failed', 'staff.login_failed', 'staff.login_failed', 'staff.login_throttled']);
    expect(rows.every((r) => r.actor === 'lin' && r.origin === '127.0.0.1' && r.at === clock.toISOString())).toBe(true);
  });

  it('limits requests per address on the whole API', async () => {
    const limited = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), now: () => clock, requestsPerMinute: 50 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await limited.app.inject({ url: '/api/session' })).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const res = await limited.app.inject({ url: '/api/session' });
      expect(res.json().error.code).toBe('staff.rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      clock = new Date(clock.getTime() + 60_000);
      expect((await limited.app.inject({ url: '/api/session' })).statusCode).toBe(401);
    } finally {
      await limited.app.close();
    }
  });

  it('rejects a malformed sign-in body with the error shape', async () => {
    const res = await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('staff.bad_request');
  });
});
