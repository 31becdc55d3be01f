import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../../controller/src/store/database.ts';
import { importSlotFile } from '../../../controller/src/app/schedule-import.ts';
import { insertSlot, listSlots, sqlSlotStore } from '../../../controller/src/store/schedule-repository.ts';
import { listAudit } from '../../../controller/src/store/audit-log.ts';
import { decodeCsvBytes, parseCsv } from '../../../controller/src/formats/spreadsheet/csv.ts';

let dir = '';
const dbs: Database[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});
async function setup(): Promise<{ db: Database; file: string }> {
  dir = mkdtempSync(join(tmpdir(), 'rig-import-'));
  const file = join(dir, 'rig.db');
  const db = await Database.open(file);
  dbs.push(db);
  return { db, file };
}
function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
/** GBK bytes of a text, as Excel in China saves CSV (built with the decoder's inverse on the fly). */
function gbk(text: string): Buffer {
  // Node has no GBK encoder; map each character through a table built from the decoder.
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  const need = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let hi = 0x81; hi <= 0xfe && table.size < need.size; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (need.has(ch) && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  return Buffer.from([...text].flatMap((c) => table.get(c) ?? [c.charCodeAt(0)]));
}

const header = '地点,院系,班级,日期,开始时间,结束时间';

describe('table files (shared CSV reader)', () => {
  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,1","say ""hi""","x\ny"\r\n1,2,3,4\n')).toEqual([
      ['a', 'b,1', 'say "hi"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
  });
  it('reads UTF-8 with a BOM and falls back to GB18030 for GBK bytes', () => {
    expect(decodeCsvBytes(Buffer.from('\ufeff院系', 'utf8'))).toEqual({ text: '院系', encoding: 'utf-8' });
    expect(decodeCsvBytes(gbk('院系,班级'))).toEqual({ text: '院系,班级', encoding: 'gb18030' });
  });
});

describe('importSlotFile', () => {
  it('imports a UTF-8 CSV with Chinese headers and writes one audit row in the same transaction', async () => {
    const { db } = await setup();
    const file = write('slots.csv', `\ufeff${header}\n图书馆 101,化学学院,,2026-06-10,08:30,11:30\n"图书馆 101",化学学院,化学2201,2026/6/10,１４：３０,15:30\n`);
    const report = await importSlotFile(sqlSlotStore(db), file, {
      audit: (trail, details) => trail.append({ actor: 'test', origin: 'local', action: 'schedule.import', details }),
    });
    expect(report).toEqual({ added: 2, unchanged: 0, errors: [], dryRun: false });
    expect(await listSlots(db)).toMatchObject([
      { room: '图书馆 101', department: '化学学院', className: null, start: '08:30' },
      { className: '化学2201', date: '2026-06-10', start: '14:30', end: '15:30' },
    ]);
    expect(await listAudit(db)).toMatchObject([{ action: 'schedule.import', details: { file: 'slots.csv', added: 2 } }]);
  });

  it('imports a GBK CSV and counts an unchanged re-import', async () => {
    const { db } = await setup();
    const file = write('slots-gbk.csv', gbk(`${header}\r\n实验楼201,物理学院,物理2201,2026-06-11,09:00,10:00\r\n`));
    expect(await importSlotFile(sqlSlotStore(db), file)).toMatchObject({ added: 1, unchanged: 0 });
    expect((await listSlots(db))[0]).toMatchObject({ room: '实验楼201', department: '物理学院', className: '物理2201' });
    expect(await importSlotFile(sqlSlotStore(db), file)).toMatchObject({ added: 0, unchanged: 1, errors: [] });
    expect(await listSlots(db)).toHaveLength(1);
  });

  it('imports a generated XLSX with date and time cells and an English "period" column', async () => {
    const { db } = await setup();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('slots');
    ws.addRow(['Room', 'Department', 'Date', 'Time']);
    const row = ws.addRow(['Hall B', 'School of Law', new Date(Date.UTC(2026, 5, 12)), '14:30-17:30']);
    row.getCell(3).numFmt = 'yyyy-mm-dd';
    const ws2 = new ExcelJS.Workbook();
    const sheet2 = ws2.addWorksheet('times');
    sheet2.addRow(['地点', '班级', '日期', '开始时间', '结束时间']);
    const r2 = sheet2.addRow(['Hall C', '法学2201', '2026-06-13', new Date(Date.UTC(1899, 11, 30, 8, 30)), new Date(Date.UTC(1899, 11, 30, 9, 15))]);
    r2.getCell(4).numFmt = 'hh:mm';
    r2.getCell(5).numFmt = 'hh:mm';
    const file = join(dir, 'slots.xlsx');
    const file2 = join(dir, 'times.xlsx');
    await wb.xlsx.writeFile(file);
    await ws2.xlsx.writeFile(file2);
    expect(await importSlotFile(sqlSlotStore(db), file)).toMatchObject({ added: 1, errors: [] });
    expect(await importSlotFile(sqlSlotStore(db), file2)).toMatchObject({ added: 1, errors: [] });
    expect(await listSlots(db)).toMatchObject([
      { room: 'Hall B', department: 'School of Law', date: '2026-06-12', start: '14:30', end: '17:30' },
      { room: 'Hall C', department: null, className: '法学2201', date: '2026-06-13', start: '08:30', end: '09:15' },
    ]);
  });

  it('imports nothing when one row is bad, lists every bad row, and leaves the database file byte-identical', async () => {
    const { db, file: dbFile } = await setup();
    await insertSlot(db, { room: 'A101', department: '化学学院', className: null, date: '2026-06-10', start: '08:30', end: '11:30' });
    await db.close();
    dbs.length = 0;
    const hash = () => createHash('sha256').update(readFileSync(dbFile)).digest('hex');
    const before = hash();

    const csv = [
      header,
      'A102,化学学院,,2026-06-10,08:30,11:30', // row 2: fine on its own
      ',化学学院,,2026-06-10,12:00,13:00', // row 3: no room
      'A103,,,2026-06-10,12:00,13:00', // row 4: no department or class
      'A103,物理学院,,2026-13-01,12:00,13:00', // row 5: bad date
      'A103,物理学院,,2026-06-10,12:00,12:00', // row 6: empty period
      'A101,物理学院,,2026-06-10,11:00,12:00', // row 7: overlaps the stored A101 slot
      'A102,化学学院,,2026-06-10,08:30,11:30', // row 8: duplicate of row 2
      'A102,物理学院,,2026-06-10,11:00,12:00', // row 9: overlaps row 2
    ].join('\n');
    const reopened = await Database.open(dbFile);
    dbs.push(reopened);
    const report = await importSlotFile(sqlSlotStore(reopened), write('bad.csv', csv), {
      audit: (trail, details) => trail.append({ actor: 'test', origin: 'local', action: 'schedule.import', details }),
    });
    expect(report.added).toBe(0);
    expect(report.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '地点', 'schedule.required'],
      [4, '院系', 'schedule.target_missing'],
      [5, '日期', 'schedule.bad_date'],
      [6, '结束时间', 'schedule.empty_period'],
      [7, '开始时间', 'schedule.room_overlap'],
      [8, null, 'schedule.duplicate_row'],
      [9, '开始时间', 'schedule.room_overlap'],
    ]);
    expect(report.errors[0]?.message).toMatch(/必填 \/ required/);
    expect(await listSlots(reopened)).toHaveLength(1);
    expect(await listAudit(reopened)).toHaveLength(0);
    await reopened.close();
    dbs.length = 0;
    expect(hash()).toBe(before);
  });

  it('writes nothing on a dry run and names missing columns, unsupported files and unreadable ones', async () => {
    const { db } = await setup();
    const good = write('ok.csv', `${header}\nA1,D,,2026-06-10,08:30,09:00\n`);
    expect(await importSlotFile(sqlSlotStore(db), good, { dryRun: true })).toMatchObject({ added: 1, dryRun: true, errors: [] });
    expect(await listSlots(db)).toHaveLength(0);
    const noDate = await importSlotFile(sqlSlotStore(db), write('nodate.csv', '地点,院系,开始时间,结束时间\nA1,D,08:30,09:00\n'));
    expect(noDate.errors.map((e) => e.code)).toEqual(['schedule.missing_column']);
    expect((await importSlotFile(sqlSlotStore(db), write('slots.txt', 'x'))).errors[0]?.code).toBe('schedule.unsupported_file');
    expect((await importSlotFile(sqlSlotStore(db), join(dir, 'absent.csv'))).errors[0]).toMatchObject({ code: 'schedule.file_unreadable', message: expect.stringContaining('ENOENT') });
    expect((await importSlotFile(sqlSlotStore(db), write('empty.csv', `${header}\n`))).errors[0]?.code).toBe('schedule.empty_file');
    expect((await importSlotFile(sqlSlotStore(db), write('broken.xlsx', 'not a zip'))).errors[0]?.code).toBe('schedule.file_unreadable');
  });
});
