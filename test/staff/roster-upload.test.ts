import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { rosterImporter, uploadFileName } from '../../controller/src/server/staff/roster-upload.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { encodeGbk, makeStudents, toCsv, toRows } from '../support/roster-fixtures.ts';
import { addUser, tempData, type TempData } from './helpers.ts';

let data: TempData;
let staff: StaffApp;
let token: string;
const now = () => new Date('2026-11-28T02:00:00Z');

beforeAll(async () => {
  data = await tempData();
  token = await addUser(data.db, 'wang', 'staff');
  staff = await buildStaffApp({
    db: data.db, dataDir: data.dir, photos: new ListPhotoSource([]), now,
    importRoster: rosterImporter(data.db, data.dir, 'Asia/Shanghai', now),
  });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

function upload(name: string, body: Buffer, dryRun = false) {
  return staff.app.inject({
    method: 'POST', url: `/api/rosters?name=${encodeURIComponent(name)}&dryRun=${dryRun}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, payload: body,
  });
}

describe('roster upload through the real importer', () => {
  it('imports a GBK CSV with Chinese headers, audited under the staff account', async () => {
    const students = makeStudents(25);
    const res = await upload('名单.csv', encodeGbk(toCsv(toRows(students))));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: 25, updated: 0, unchanged: 0, errors: [] });
    expect((await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n).toBe(25);
    const audit = (await listAudit(data.db, { limit: 1, action: 'roster.import' }))[0]!;
    expect(audit).toMatchObject({ actor: 'wang', origin: '127.0.0.1', target: '名单.csv' });
    expect(existsSync(join(data.dir, 'tmp')) ? readdirSync(join(data.dir, 'tmp')) : []).toEqual([]);
  });

  it('refuses a file with a bad row, imports nothing and reports row, column and reason', async () => {
    const students = makeStudents(5, 7);
    const rows = toRows(students);
    rows[3]![0] = rows[3]![0]!.slice(0, 17) + (rows[3]![0]!.endsWith('1') ? '2' : '1'); // wrong check character
    const before = (await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n;
    const res = await upload('bad.csv', Buffer.from(toCsv(rows)));
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('staff.roster_rejected');
    expect(body.error.details.errors.length).toBeGreaterThan(0);
    expect(body.error.details.errors[0]).toMatchObject({ row: 4, column: '身份证号' });
    expect((await data.db.get<{ n: number }>('SELECT count(*) AS n FROM students'))?.n).toBe(before);
    expect((await listAudit(data.db, { limit: 1 }))[0]).toMatchObject({ action: 'roster.rejected', actor: 'wang' });
  });

  it('keeps uploaded names from becoming paths', () => {
    expect(uploadFileName('../../etc/passwd')).toBe('passwd');
    expect(uploadFileName('..\\..\\名单 2026.xlsx')).toBe('名单_2026.xlsx');
    expect(uploadFileName('...')).toBe('_');
  });
});
