import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaffRepository } from '../../controller/src/store/staff/users.ts';
import { secretHash } from '../../controller/src/server/staff/credentials.ts';
import { addUser, tempData, type TempData } from './helpers.ts';

let data: TempData;
beforeEach(async () => { data = await tempData(); });
afterEach(async () => { await data.cleanup(); });

describe("a bearer token's last use", () => {
  it('is kept to the minute: a pull of many photos does not write once per request', async () => {
    const token = await addUser(data.db, 'sync', 'staff');
    const users = new StaffRepository(data.db);
    const lastUsed = async () => (await data.db.get<{ last_used_at: string | null }>('SELECT last_used_at FROM staff_tokens'))!.last_used_at;
    const t0 = new Date('2026-11-28T02:00:00.000Z');
    expect((await users.userForToken(secretHash(token), t0))?.name).toBe('sync');
    expect(await lastUsed()).toBe(t0.toISOString());
    await users.userForToken(secretHash(token), new Date(t0.getTime() + 59_000));
    expect(await lastUsed()).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + 61_000);
    await users.userForToken(secretHash(token), later);
    expect(await lastUsed()).toBe(later.toISOString());
  });
});
