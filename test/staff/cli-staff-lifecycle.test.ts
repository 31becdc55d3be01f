import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { StaffRepository } from '../../controller/src/store/staff/users.ts';
import { newBearerToken, secretHash } from '../../controller/src/server/staff/credentials.ts';
import { rigInProcess } from '../support/rig.ts';
import { addUser, tempData, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
/** tokens as issued: `first` by the helper (label "test"), `second` with label "pull" */
const token = { first: '', second: '' };

beforeAll(async () => {
  // The CLI opens its own connection to the same SQLite file, as a second process on the mini-PC would.
  vi.stubEnv('RIG_CONFIG', '');
  data = await tempData();
  token.first = await addUser(data.db, 'li.office', 'staff', 'correct horse');
  await addUser(data.db, 'wang.admin', 'admin');
  const repo = new StaffRepository(data.db);
  const user = await repo.findByName('li.office');
  token.second = newBearerToken();
  await repo.createToken(user!.id, secretHash(token.second), 'pull', new Date());
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]) });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await staff.app.close();
  await data.cleanup();
});

const rig = (...args: string[]) => rigInProcess([...args, '--data', data.dir]);

async function withBearer(value: string): Promise<number> {
  return (await staff.app.inject({ url: '/api/session', headers: { authorization: `Bearer ${value}` } })).statusCode;
}
async function withCookie(cookie: string): Promise<number> {
  return (await staff.app.inject({ url: '/api/session', headers: { cookie } })).statusCode;
}
async function login(): Promise<{ status: number; cookie: string }> {
  const res = await staff.app.inject({ method: 'POST', url: '/api/session', payload: { name: 'li.office', password: 'correct horse' } });
  return { status: res.statusCode, cookie: String([res.headers['set-cookie']].flat()[0]).split(';')[0]! };
}
interface ListedToken { id: number; label: string | null; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
async function tokens(): Promise<ListedToken[]> {
  const r = await rig('staff', 'tokens', 'li.office', '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ListedToken[];
}
async function actions(prefix: string): Promise<string[]> {
  return (await listAudit(data.db, { action: prefix, limit: 50 })).map((a) => `${a.action} ${a.target ?? ''}`);
}

describe('rig staff tokens / revoke', () => {
  it('lists the account\'s tokens with when they were last used, never the secret', async () => {
    const before = await tokens();
    expect(before.map((t) => [t.label, t.lastUsedAt, t.revokedAt])).toEqual([['test', null, null], ['pull', null, null]]);
    expect(await withBearer(token.first)).toBe(200);
    const after = await tokens();
    expect(after[0]!.lastUsedAt).not.toBeNull();
    expect(after[1]!.lastUsedAt).toBeNull();
    const table = await rig('staff', 'tokens', 'li.office');
    expect(table.stdout).toMatch(/^id\s+label/);
    expect(table.stdout).toContain('pull');
    expect(table.stdout).not.toContain(token.second.slice(5, 20));
    expect(await actions('staff.token_list')).toContain('staff.token_list li.office');
    expect((await rig('staff', 'tokens', 'nobody')).code).toBe(1);
  });

  it('a revoked token answers 401 on the next request while the account\'s other token still works', async () => {
    const [first] = await tokens();
    const r = await rig('staff', 'revoke', String(first!.id));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`已撤销令牌 ${first!.id}`);
    expect(await withBearer(token.first)).toBe(401);
    expect(await withBearer(token.second)).toBe(200);
    expect((await tokens())[0]!.revokedAt).not.toBeNull();

    const again = await rig('staff', 'revoke', String(first!.id));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already revoked');
    expect((await actions('staff.token_revoke'))).toEqual(['staff.token_revoke li.office']);
    expect((await rig('staff', 'revoke', '99999')).code).toBe(1);
    expect((await rig('staff', 'revoke', 'rigt_abc')).code).toBe(64);
  });
});

describe('rig staff disable / enable', () => {
  it('disabling ends sessions and tokens at once and refuses sign-in; enabling restores tokens, not old sessions', async () => {
    const session = await login();
    expect(session.status).toBe(200);
    expect(await withCookie(session.cookie)).toBe(200);

    const off = await rig('staff', 'disable', 'li.office');
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('disabled');
    expect(await withCookie(session.cookie)).toBe(401);
    expect(await withBearer(token.second)).toBe(401);
    expect((await login()).status).toBe(401);
    expect(await withBearer(await addUser(data.db, 'zhao.staff', 'staff'))).toBe(200);
    expect((await rig('staff', 'list', '--json')).stdout).toContain('"name":"li.office","role":"staff","disabled":true');
    expect((await rig('staff', 'disable', 'li.office')).stdout).toContain('already disabled');

    expect((await rig('staff', 'enable', 'li.office')).code).toBe(0);
    expect(await withBearer(token.second)).toBe(200);
    expect(await withBearer(token.first)).toBe(401);
    expect(await withCookie(session.cookie)).toBe(401);
    const fresh = await login();
    expect(fresh.status).toBe(200);
    expect(await withCookie(fresh.cookie)).toBe(200);

    expect(await actions('staff.user_disable')).toEqual(['staff.user_disable li.office']);
    expect(await actions('staff.user_enable')).toEqual(['staff.user_enable li.office']);
    expect((await rig('staff', 'disable', 'nobody')).code).toBe(1);
  });
});
