import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { insertCertificate } from '../../controller/src/store/certificate-repository.ts';
import { insertMakeupWindow, insertSlot } from '../../controller/src/store/schedule-repository.ts';
import { insertStudents, student } from '../staff/helpers.ts';

const run = promisify(execFile);
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RIG_')));
const root = new URL('../../', import.meta.url).pathname;
let dir = '';

async function rig(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/rig.js', ...args, '--data', dir], { cwd: root, env: { ...cleanEnv, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Student 1 is a regular graduate of 信息学院 (slot 2026-06-10 08:30-11:30 in 图书馆 101);
// student 2 an adult graduate holding a certificate, who comes in the regular make-up week.
const regular = student(1);
const adult = student(2);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-check-in-'));
  const db = await Database.open(join(dir, 'rig.db'));
  try {
    await insertStudents(db, [regular, adult]);
    await db.run(`UPDATE students SET education_category = 'adult' WHERE id_number = ?`, [adult.idNumber]);
    await insertSlot(db, { room: '图书馆 101', department: '信息学院', className: null, date: '2026-06-10', start: '08:30', end: '11:30' });
    await insertMakeupWindow(db, { startDate: '2026-04-13', endDate: '2026-04-21', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }], room: '行政楼 203', category: 'regular' });
    await insertMakeupWindow(db, { startDate: '2026-09-04', endDate: '2026-09-14', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }], room: '行政楼 203', category: 'adult' });
    await insertCertificate(db, {
      name: adult.name, schoolCode: '10999', gender: adult.gender, idNumber: adult.idNumber, educationLevel: '本科', schoolName: '示例大学',
      contact: { address: '示例路 1 号', postcode: '100000', person: '王老师', phone: '010-12345678' },
      issuedAt: '2026-06-01T00:00:00.000Z', issuedBy: 'cli:test', revokedAt: null,
    });
  } finally {
    await db.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig check-in', { timeout: 120_000 }, () => {
  it('sends a student at another room’s kiosk to their own room, and lets them in there (exit 1, then 0)', async () => {
    const away = await rig(['check-in', regular.collectionCode!, '--at', '2026-06-10T09:00:00+08:00', '--json'], { RIG_ROOM: '行政楼 203' });
    expect(away.code).toBe(1);
    const verdict = JSON.parse(away.stdout) as Record<string, unknown>;
    expect(verdict).toMatchObject({ allowed: false, code: 'eligibility.wrong_room', room: '行政楼 203', slot: { room: '图书馆 101', start: '08:30' } });
    expect(verdict.message).toMatchObject({ zh: expect.stringContaining('您的采集地点是 图书馆 101') as string });
    expect(JSON.stringify(verdict)).not.toContain(regular.idNumber);

    const here = await rig(['check-in', regular.idNumber, '--at', '2026-06-10T09:00:00+08:00', '--room', '图书馆 101']);
    expect(here.code).toBe(0);
    expect(here.stdout).toContain('✓ 可以采集');
  });

  it('tells an adult certificate holder in the regular make-up week where and when their own window is', async () => {
    const r = await rig(['check-in', adult.studentNumber, '--at', '2026-04-13T09:00:00+08:00', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      code: 'eligibility.makeup_other_category',
      student: { educationCategory: 'adult' },
      window: { category: 'regular' },
      ownWindow: { startDate: '2026-09-04', category: 'adult' },
    });
    const inOwn = await rig(['check-in', adult.studentNumber, '--at', '2026-09-07T09:00:00+08:00', '--room', '行政楼 203', '--json']);
    expect(JSON.parse(inOwn.stdout)).toMatchObject({ allowed: true, basis: 'makeup', certificateId: 1 });
  });

  it('refuses an instant that is not ISO and answers not-on-roster for an unknown code', async () => {
    expect((await rig(['check-in', regular.idNumber, '--at', 'tomorrow'])).code).toBe(64);
    const r = await rig(['check-in', 'NOBODY', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ allowed: false, code: 'eligibility.not_on_roster', student: null });
  });

  it('stores a slot restricted to a category and refuses an unknown category with the field named', async () => {
    const ok = await rig(['schedule', 'add', '--room', 'B1', '--department', '成教学院', '--date', '2026-06-11', '--start', '08:30', '--end', '09:30', '--category', '成人', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ room: 'B1', category: 'adult' });
    const bad = await rig(['makeup', 'window', 'add', '--from', '2026-09-04', '--category', 'evening', '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('schedule.bad_category');
  });
});
