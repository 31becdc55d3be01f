/**
 * Shoot slots and make-up windows in SQLite. Functions take a `Queryable`, so a caller can run
 * several of them inside one `db.transaction()` together with the audit row.
 */
import type { MakeupWindowStore, SlotStore } from '../app/ports/slot-store.ts';
import type { Database, Queryable } from './database.ts';
import { sqlAuditTrail } from './audit-log.ts';
import { slotsOverlap, type MakeupWindow, type ShootSlot, type TimePeriod } from '../domain/schedule.ts';
import { dayNumber, isoWeekday } from '../domain/local-time.ts';
import type { EducationCategory } from '../domain/student.ts';

interface SlotRow {
  id: number;
  room: string;
  department: string | null;
  class_name: string | null;
  date: string;
  start_time: string;
  end_time: string;
  category: EducationCategory | null;
}

function toSlot(r: SlotRow): ShootSlot {
  return { id: r.id, room: r.room, department: r.department, className: r.class_name, date: r.date, start: r.start_time, end: r.end_time, category: r.category };
}

export async function insertSlot(q: Queryable, slot: Omit<ShootSlot, 'id'>): Promise<ShootSlot> {
  const { lastID } = await q.run(
    'INSERT INTO shoot_slots (room, department, class_name, date, start_time, end_time, category) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [slot.room, slot.department, slot.className, slot.date, slot.start, slot.end, slot.category ?? null],
  );
  return { id: lastID, ...slot, category: slot.category ?? null };
}

/** A slot already in the same room whose time overlaps `wanted` (one room holds one class at a time). */
export async function roomClash(q: Queryable, wanted: Omit<ShootSlot, 'id'>, except?: number): Promise<ShootSlot | undefined> {
  return (await listSlots(q, { room: wanted.room })).find((s) => s.id !== except && slotsOverlap(s, wanted));
}

export interface SlotFilter {
  /** YYYY-MM-DD: slots on this date. */
  date?: string;
  /** Slots of the department: its own, and its classes'. */
  department?: string;
  className?: string;
  room?: string;
}

export async function listSlots(q: Queryable, filter: SlotFilter = {}): Promise<ShootSlot[]> {
  const all: Array<[string, string | undefined]> = [
    ['date', filter.date],
    ['department', filter.department],
    ['class_name', filter.className],
    ['room', filter.room],
  ];
  const conditions = all.filter((c): c is [string, string] => c[1] !== undefined);
  const where = conditions.map(([column]) => `${column} = ?`);
  const params = conditions.map(([, value]) => value);
  const rows = await q.all<SlotRow>(
    `SELECT * FROM shoot_slots ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY date, start_time, room, id`,
    params,
  );
  return rows.map(toSlot);
}

/** Slots that may concern a student: their department's and their class's. */
export async function slotsForStudent(q: Queryable, student: { department: string; className: string }): Promise<ShootSlot[]> {
  const rows = await q.all<SlotRow>(
    'SELECT * FROM shoot_slots WHERE department = ? OR class_name = ? ORDER BY date, start_time, id',
    [student.department, student.className],
  );
  return rows.map(toSlot);
}

interface WindowRow {
  id: number;
  start_date: string;
  end_date: string;
  weekdays: string;
  periods: string;
  room: string | null;
  category: EducationCategory | null;
}

export function formatPeriods(periods: readonly TimePeriod[]): string {
  return periods.map((p) => `${p.start}-${p.end}`).join(',');
}

function toWindow(r: WindowRow): MakeupWindow {
  return {
    id: r.id,
    startDate: r.start_date,
    endDate: r.end_date,
    weekdays: r.weekdays.split(',').filter(Boolean).map(Number),
    periods: r.periods
      .split(',')
      .filter(Boolean)
      .map((p) => {
        const [start = '', end = ''] = p.split('-');
        return { start, end };
      }),
    room: r.room,
    category: r.category,
  };
}

export async function insertMakeupWindow(q: Queryable, window: Omit<MakeupWindow, 'id'>): Promise<MakeupWindow> {
  const { lastID } = await q.run('INSERT INTO makeup_windows (start_date, end_date, weekdays, periods, room, category) VALUES (?, ?, ?, ?, ?, ?)', [
    window.startDate,
    window.endDate,
    window.weekdays.join(','),
    formatPeriods(window.periods),
    window.room,
    window.category ?? null,
  ]);
  return { id: lastID, ...window, category: window.category ?? null };
}

export async function updateMakeupWindow(q: Queryable, id: number, window: Omit<MakeupWindow, 'id'>): Promise<MakeupWindow> {
  await q.run('UPDATE makeup_windows SET start_date = ?, end_date = ?, weekdays = ?, periods = ?, room = ?, category = ? WHERE id = ?', [
    window.startDate, window.endDate, window.weekdays.join(','), formatPeriods(window.periods), window.room, window.category ?? null, id,
  ]);
  return { id, ...window, category: window.category ?? null };
}

/** Windows whose date range touches [from, to] (both optional, YYYY-MM-DD). */
export async function listMakeupWindows(q: Queryable, range: { from?: string; to?: string } = {}): Promise<MakeupWindow[]> {
  const rows = await q.all<WindowRow>(
    'SELECT * FROM makeup_windows WHERE end_date >= ? AND start_date <= ? ORDER BY start_date, id',
    [range.from ?? '0000-01-01', range.to ?? '9999-12-31'],
  );
  return rows.map(toWindow);
}

export async function findSlot(q: Queryable, id: number): Promise<ShootSlot | undefined> {
  const row = await q.get<SlotRow>('SELECT * FROM shoot_slots WHERE id = ?', [id]);
  return row ? toSlot(row) : undefined;
}

/**
 * Students the slot applies to (the same rule as `slotApplies`) who have an accepted photo dated
 * the slot's day, superseded ones included: a photo was taken under this slot either way.
 */
export async function studentsCapturedInSlot(q: Queryable, slot: ShootSlot): Promise<number> {
  const row = await q.get<{ n: number }>(
    `SELECT count(DISTINCT a.student_id) AS n FROM accepted_photos a JOIN students s ON s.id = a.student_id
     WHERE a.day = ? AND CASE WHEN ? IS NOT NULL THEN s.class_name = ? AND (? IS NULL OR s.department = ?) ELSE s.department = ? END`,
    [slot.date, slot.className, slot.className, slot.department, slot.department, slot.department],
  );
  return row?.n ?? 0;
}

export async function updateSlot(q: Queryable, id: number, slot: Omit<ShootSlot, 'id'>): Promise<ShootSlot> {
  await q.run('UPDATE shoot_slots SET room = ?, department = ?, class_name = ?, date = ?, start_time = ?, end_time = ?, category = ? WHERE id = ?', [
    slot.room, slot.department, slot.className, slot.date, slot.start, slot.end, slot.category ?? null, id,
  ]);
  return { id, ...slot, category: slot.category ?? null };
}

export async function deleteSlot(q: Queryable, id: number): Promise<boolean> {
  return (await q.run('DELETE FROM shoot_slots WHERE id = ?', [id])).changes > 0;
}

export async function findMakeupWindow(q: Queryable, id: number): Promise<MakeupWindow | undefined> {
  const row = await q.get<WindowRow>('SELECT * FROM makeup_windows WHERE id = ?', [id]);
  return row ? toWindow(row) : undefined;
}

/**
 * Make-up certificate holders with an accepted photo on one of the window's days (its date range
 * and weekdays): the photos this window let through.
 */
export async function makeupCapturesInWindow(q: Queryable, window: MakeupWindow): Promise<number> {
  const rows = await q.all<{ day: string; n: number }>(
    `SELECT a.day, count(DISTINCT a.student_id) AS n FROM accepted_photos a JOIN students s ON s.id = a.student_id
     WHERE a.day BETWEEN ? AND ?
       AND EXISTS (SELECT 1 FROM makeup_certificates c WHERE upper(c.id_number) = upper(s.id_number))
     GROUP BY a.day`,
    [window.startDate, window.endDate],
  );
  return rows.filter((r) => window.weekdays.includes(isoWeekday(dayNumber(r.day)))).reduce((sum, r) => sum + r.n, 0);
}

export async function deleteMakeupWindow(q: Queryable, id: number): Promise<boolean> {
  return (await q.run('DELETE FROM makeup_windows WHERE id = ?', [id])).changes > 0;
}

/** The schedule import's storage port. */
export function sqlSlotStore(db: Database): SlotStore {
  return {
    transaction: (work) => db.transaction((tx) => work({
      list: () => listSlots(tx),
      insert: (slot) => insertSlot(tx, slot),
      audit: sqlAuditTrail(tx),
    })),
  };
}

/** The make-up window import's storage port. */
export function sqlMakeupWindowStore(db: Database): MakeupWindowStore {
  return {
    transaction: (work) => db.transaction((tx) => work({
      list: () => listMakeupWindows(tx),
      insert: (window) => insertMakeupWindow(tx, window),
      audit: sqlAuditTrail(tx),
    })),
  };
}
