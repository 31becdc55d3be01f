/**
 * The demo's slots follow the calendar: a demo kiosk left running past midnight in Asia/Shanghai, or
 * started again another day, still lets its "today" students in and keeps "tomorrow" for the others.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScheduleEligibilityPolicy } from '../../../controller/src/app/kiosk/eligibility-policy.ts';
import { Database } from '../../../controller/src/store/database.ts';
import { demoCalendar, ensureDemoSlots, loadDemoDataIfEmpty } from '../../../controller/src/store/demo-data.ts';
import { sqlScheduleSource } from '../../../controller/src/store/schedule-loader.ts';
import { SqlStudentDirectory } from '../../../controller/src/store/student-lookup.ts';

const zone = 'Asia/Shanghai';
const opened: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function demoDb(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'rig-demo-'));
  dirs.push(dir);
  const db = await Database.open(join(dir, 'rig.db'));
  opened.push(db);
  // Loaded at 23:59 on 10 June, Shanghai time.
  await loadDemoDataIfEmpty(db, { schoolCode: '10000', today: '2026-06-10', tomorrow: '2026-06-11', now: new Date('2026-06-10T15:59:00Z') });
  return db;
}

const noCaptures = { hasAcceptedPhoto: async () => false };

describe('demo calendar', () => {
  it('a demo kiosk running past midnight still lets its today students in, and tomorrow becomes today', async () => {
    const db = await demoDb();
    let clock = new Date('2026-06-10T15:59:00Z');
    const added: string[] = [];
    const schedules = demoCalendar(db, zone, () => clock, sqlScheduleSource(db, zone), (n, day) => added.push(`${day}:${n}`));
    const policy = new ScheduleEligibilityPolicy(schedules, noCaptures);
    const directory = new SqlStudentDirectory(db);
    const today = (await directory.findByCode('DEMO0001'))!;
    const tomorrow = (await directory.findByCode('DEMO0006'))!;

    expect(await policy.check(today, clock)).toEqual({ allowed: true });
    expect(added).toEqual([]);

    clock = new Date('2026-06-10T16:00:30Z'); // 00:00:30 on 11 June in Shanghai
    expect(await policy.check(today, clock)).toEqual({ allowed: true });
    expect(added).toEqual(['2026-06-11:2']);
    // The telecoms class's slot (09:00-11:00) is today now; tomorrow's is added for the day after.
    expect(await policy.check(tomorrow, clock)).toMatchObject({ allowed: false, code: 'eligibility.before_slot' });
    expect(await policy.check(tomorrow, new Date('2026-06-11T01:30:00Z'))).toEqual({ allowed: true });
    const days = await db.all<{ date: string; n: number }>('SELECT date, count(*) AS n FROM shoot_slots GROUP BY date ORDER BY date');
    expect(days).toEqual([{ date: '2026-06-10', n: 1 }, { date: '2026-06-11', n: 2 }, { date: '2026-06-12', n: 1 }]);
  });

  it('adds nothing twice, and nothing for a real roster imported in demo mode', async () => {
    const db = await demoDb();
    expect(await ensureDemoSlots(db, '2026-06-10', '2026-06-11')).toBe(0);
    expect(await ensureDemoSlots(db, '2026-06-12', '2026-06-13')).toBe(2);
    expect(await ensureDemoSlots(db, '2026-06-12', '2026-06-13')).toBe(0);
    await db.run("UPDATE students SET collection_code = 'C' || id");
    expect(await ensureDemoSlots(db, '2026-06-20', '2026-06-21')).toBe(0);
  });
});
