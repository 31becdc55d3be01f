import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { staffErrorStatus } from '../../controller/src/server/staff/errors.ts';
import { isMessageCode } from '../../controller/src/domain/messages/index.ts';
import { staffRoles, type StaffRole } from '../../controller/src/domain/staff.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { addUser, makePhotos, sampleUrl, tempData, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
const tokens = {} as Record<StaffRole, string>;
const date = '2026-11-28';

beforeAll(async () => {
  data = await tempData();
  for (const role of staffRoles) tokens[role] = await addUser(data.db, `${role}1`, role);
  const photos = await makePhotos(data.dir, date, 3);
  // A UI folder that does not exist: its routes are registered (and must be covered), files 404.
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource(photos), uiDir: join(data.dir, 'no-ui') });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

function as(role: StaffRole | null, opts: InjectOptions): InjectOptions {
  return role ? { ...opts, headers: { ...opts.headers, authorization: `Bearer ${tokens[role]}` } } : opts;
}

describe('staff API access', () => {
  it('every route declares its access, and only sign-in and the dashboard files are public', () => {
    expect(staff.routes.length).toBeGreaterThan(5);
    const publicRoutes = staff.routes.filter((r) => 'public' in r.access && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual(['GET /', 'GET /assets/:file', 'GET /staff.html', 'POST /api/session']);
    // The 401/403 walks below go over this table: the deleting routes must be in it, office-only.
    const office = staff.routes.filter((r) => r.method === 'DELETE' && /^\/api\/(slots|makeup-windows)\/:id$/.test(r.url));
    expect(office.map((r) => ('roles' in r.access ? [...r.access.roles].sort() : []))).toEqual([['admin', 'staff'], ['admin', 'staff']]);
  });

  it('refuses to start with a route that declares no access', async () => {
    const unguarded = async (app: import('fastify').FastifyInstance) => { app.get('/api/unguarded', async () => 'x'); };
    await expect(buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), plugins: [unguarded] }))
      .rejects.toThrow(/declares no access/);
  });

  it('serves no file outside the dashboard build', async () => {
    for (const url of ['/assets/..%2F..%2Frig.db', '/assets/rig.db', '/staff.html/../rig.db', '/rig.db']) {
      const res = await staff.app.inject({ url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('SQLite');
    }
  });

  it('answers 401 without credentials on every protected route', async () => {
    for (const route of staff.routes.filter((r) => !('public' in r.access))) {
      const res = await staff.app.inject({ method: route.method as 'GET', url: sampleUrl(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== 'HEAD') expect(res.json().error.code).toBe('staff.unauthenticated');
    }
  });

  it('answers 403 to every role a route does not allow', async () => {
    let checked = 0;
    for (const route of staff.routes) {
      if ('public' in route.access) continue;
      const allowed = route.access.roles;
      for (const role of staffRoles.filter((r) => !allowed.includes(r))) {
        const res = await staff.app.inject(as(role, { method: route.method as 'GET', url: sampleUrl(route.url) }));
        expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
        if (route.method !== 'HEAD') expect(res.json().error.code).toBe('staff.forbidden');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses a bad or unknown bearer token', async () => {
    for (const authorization of ['Bearer rigt_nonsense', 'Bearer x', `Basic ${tokens.admin}`]) {
      const res = await staff.app.inject({ url: '/api/session', headers: { authorization } });
      expect(res.statusCode).toBe(401);
    }
  });

  it('never serves the kiosk API', async () => {
    for (const url of ['/api/kiosk/state', '/api/kiosk/scan', '/api/kiosk/capture', '/api/kiosk/events']) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await staff.app.inject(as('admin', { method, url, payload: method === 'POST' ? { code: 'x' } : undefined }));
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    }
    expect(staff.routes.some((r) => r.url.startsWith('/api/kiosk'))).toBe(false);
  });

  it('rejects path traversal in any parameter with 400', async () => {
    const urls = [
      '/api/batches/..%2F..%2Fetc%2Fpasswd.zip',
      '/api/batches/%2e%2e%2f%2e%2e%2fsecret.zip',
      '/api/batches/..%252F..%252Fsecret.zip',
      `/api/batches/${date}.zip?department=../../etc`,
      `/api/batches/${date}.zip?class=%2Fetc%2Fpasswd`,
      `/api/batches/${date}.zip?department=..%5C..%5Cwindows`,
      `/api/batches/${date}.zip?class=C:%5Cboot.ini`,
      `/api/photos?date=${date}&department=%252e%252e%252fetc`,
      `/api/photos/..%2F..%2F/1/file`,
    ];
    for (const url of urls) {
      const res = await staff.app.inject(as('admin', { url }));
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toMatch(/^staff\.(path_rejected|bad_request)$/);
    }
  });

  it('rejects raw dot-dot request paths on a real listener (no client-side normalisation)', async () => {
    const address = await staff.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const raw = (path: string) => new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${tokens.admin}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    for (const path of [`/api/photos/${date}/1/file/../../../../etc/passwd`, '/api/../../etc/passwd', '/api/%2e%2e/%2e%2e/etc/passwd', '/api/batches/..\\..\\x.zip']) {
      expect(await raw(path), path).toBe(400);
    }
  });

  it('sends a strict CSP and the usual security headers, on errors too', async () => {
    for (const res of [await staff.app.inject({ url: '/api/session' }), await staff.app.inject({ url: '/nowhere' })]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('error codes come from one table with a message in both languages', async () => {
    for (const code of Object.keys(staffErrorStatus)) {
      expect(isMessageCode(code), code).toBe(true);
    }
    const res = await staff.app.inject({ url: '/nowhere', headers: { 'accept-language': 'en-GB' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'staff.not_found', message: 'Not found', details: null } });
  });

  it('validation failures answer 400 with the error shape', async () => {
    const res = await staff.app.inject(as('staff', { url: `/api/photos?date=yesterday` }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('staff.bad_request');
  });

  it('the audit view lists recent actions to administrators', async () => {
    await staff.app.inject(as('staff', { url: `/api/photos?date=${date}` }));
    const res = await staff.app.inject(as('admin', { url: '/api/audit?limit=5' }));
    expect(res.statusCode).toBe(200);
    const entries = res.json().entries as Array<{ action: string; actor: string }>;
    expect(entries.some((e) => e.action === 'photos.sync' && e.actor === 'staff1')).toBe(true);
    expect((await listAudit(data.db, { limit: 10, action: 'photos.sync' })).length).toBeGreaterThan(0);
  });
});
