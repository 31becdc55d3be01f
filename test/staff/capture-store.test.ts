import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { buildProgram } from '../../controller/src/cli/program.ts';
import { recordCaptures } from './capture-tables.ts';
import { addUser, insertStudents, makePhotos, student, tempData, type TempData } from './helpers.ts';

const outDir = mkdtempSync(join(tmpdir(), 'rig-export-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const date = '2026-11-28';
const school = '10999';
let data: TempData;
let staff: StaffApp;
let token: string;

beforeAll(async () => {
  data = await tempData();
  token = await addUser(data.db, 'office', 'staff');
  await insertStudents(data.db, Array.from({ length: 6 }, (_, i) => student(i + 1)));
  const photos = await makePhotos(data.dir, date, 4);
  await recordCaptures(data.db, photos, school, 2);
  staff = await buildStaffApp({
    db: data.db, dataDir: data.dir, photos: new SqlPhotoSource(data.db, school), now: () => new Date(`${date}T08:00:00Z`),
  });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

const auth = { authorization: '' };
beforeAll(() => { auth.authorization = `Bearer ${token}`; });

describe('staff service over the capture tables', () => {
  it('lists a day in sequence order with roster fields, filtered by department and after a sequence', async () => {
    const source = new SqlPhotoSource(data.db, school);
    const all = await source.list({ date });
    expect(all.map((p) => p.sequence)).toEqual([1, 2, 3, 4]);
    expect(all[0]!.student).toMatchObject({ idNumber: student(1).idNumber, className: student(1).className });
    expect((await source.list({ date, department: '信息学院' })).map((p) => p.sequence)).toEqual([1, 3]);
    expect((await source.list({ date, afterSequence: 2, limit: 1 })).map((p) => p.sequence)).toEqual([3]);
    expect(await new SqlPhotoSource(data.db, '10001').list({ date })).toEqual([]);
    expect((await source.get(date, 2))?.student.idNumber).toBe(student(2).idNumber);
  });

  it('counts failed attempts per class in the progress view', async () => {
    const res = await staff.app.inject({ url: `/api/progress?date=${date}`, headers: auth });
    const classes = res.json().classes as Array<{ className: string; captured: number; failedAttempts: number }>;
    const cs = classes.find((c) => c.className === student(1).className)!;
    expect(cs).toMatchObject({ captured: 2, failedAttempts: 4 });
  });

  it('an override supersedes the accepted photo, drops it from the batch, and is audited with its reason', async () => {
    const s = student(2);
    const res = await staff.app.inject({ method: 'POST', url: '/api/overrides', headers: auth, payload: { idNumber: s.idNumber, reason: '闭眼，同意重拍' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ superseded: 1 });
    const listed = await staff.app.inject({ url: `/api/photos?date=${date}`, headers: auth });
    expect(listed.json().photos.map((p: { sequence: number }) => p.sequence)).toEqual([1, 3, 4]);
    const again = await staff.app.inject({ method: 'POST', url: '/api/overrides', headers: auth, payload: { idNumber: s.idNumber, reason: '再次' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('staff.override_not_needed');
    const audit = await listAudit(data.db, { action: 'capture.override', limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'office', details: { reason: '闭眼，同意重拍', superseded: 1 } });
    expect(audit[0]!.target).toBe(`${s.idNumber.slice(0, 6)}********${s.idNumber.slice(-4)}`);
  });

  it('rig export writes the day from the store to a ZIP that unzip accepts', async () => {
    // Outside the data folder: rig export refuses to write into it.
    const out = join(outDir, 'day.zip');
    const prev = process.env.RIG_CONFIG;
    process.env.RIG_CONFIG = '';
    process.env.RIG_SCHOOL_CODE = school;
    try {
      await buildProgram().parseAsync(['node', 'rig', 'export', '--date', date, '--out', out, '--naming', 'code', '--data', data.dir]);
    } finally {
      if (prev === undefined) delete process.env.RIG_CONFIG; else process.env.RIG_CONFIG = prev;
      delete process.env.RIG_SCHOOL_CODE;
    }
    const test = spawnSync('unzip', ['-t', out], { encoding: 'utf8' });
    expect(test.status, test.stdout).toBe(0);
    const names = spawnSync('unzip', ['-Z1', out], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(names.filter((n) => n.startsWith('photos/'))).toEqual([1, 3, 4].map((n) => `photos/${student(n).collectionCode}.jpg`));
    expect((await listAudit(data.db, { action: 'batch.export', limit: 1 }))[0]?.actor).toMatch(/^cli:/);
  });
});
