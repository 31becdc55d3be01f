/**
 * Honest encodings: the encoding is decided from the whole file; a file that does not decode
 * cleanly is refused with the rows that look broken, never imported as mojibake or with U+FFFD;
 * `--encoding` lets the user say.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { importRosterFile } from '../../controller/src/app/roster-import.ts';
import { sqlRosterStore } from '../../controller/src/store/students.ts';
import { sqlSlotStore } from '../../controller/src/store/schedule-repository.ts';
import { importSlotFile } from '../../controller/src/app/schedule-import.ts';
import { listStudents } from '../../controller/src/store/students.ts';
import { rigInProcess } from '../support/rig.ts';
import { encodeGbk, makeStudents, toCsv, toRows } from '../support/roster-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-encodings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let db: Database;
beforeEach(async () => {
  db = await Database.open(join(dir, `rig-${Math.random().toString(36).slice(2)}.db`));
});
afterEach(async () => {
  await db.close();
});

const TODAY = '2026-11-28';
const students = makeStudents(12);
const csv = toCsv(toRows(students));
const run = (file: string, encoding?: 'utf-8' | 'gb18030') => importRosterFile(sqlRosterStore(db), file, { today: TODAY, actor: 'test', ...(encoding ? { encoding } : {}) });
function write(name: string, bytes: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The file's bytes with `insert` placed right after the first occurrence of `after` (a name, in row `row`). */
function withBytes(bytes: Buffer, after: Buffer, insert: number[]): Buffer {
  const at = bytes.indexOf(after) + after.length;
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(insert), bytes.subarray(at)]);
}

describe('roster encodings are decided from the whole file', () => {
  it('refuses a UTF-8 file with one stray Latin-1 byte, naming its row, instead of reading it all as GB18030', async () => {
    const name = students[4]!.姓名; // row 6 (header is row 1)
    const file = write('stray.csv', withBytes(Buffer.from(csv, 'utf8'), Buffer.from(name, 'utf8'), [0xe9]));
    const { plan, applied } = await run(file);
    expect(applied).toBe(false);
    expect(plan.errors.map((e) => [e.row, e.code])).toEqual([[6, 'roster.file.encoding_broken']]);
    expect(await listStudents(db)).toEqual([]);
  });

  it('refuses a GBK file with an invalid byte pair, naming its row, instead of importing U+FFFD', async () => {
    const gbk = encodeGbk(csv);
    const file = write('gbk-broken.csv', withBytes(gbk, encodeGbk(students[7]!.姓名), [0x81, 0x7f]));
    const { plan } = await run(file);
    expect(plan.errors.map((e) => [e.row, e.code])).toEqual([[9, 'roster.file.encoding_broken']]);
    expect(plan.errors[0]!.message).toContain('gb18030');
    expect(await listStudents(db)).toEqual([]);
  });

  it('refuses a file that mixes UTF-8 and GBK lines as ambiguous, naming the doubtful rows', async () => {
    const lines = csv.split('\r\n');
    const mixed = Buffer.concat(lines.map((l, i) => Buffer.concat([(i % 2 ? encodeGbk(l) : Buffer.from(l, 'utf8')), Buffer.from('\r\n')])));
    const { plan } = await run(write('mixed.csv', mixed));
    expect(plan.errors.length).toBeGreaterThan(0);
    expect(plan.errors.every((e) => e.code === 'roster.file.encoding_ambiguous' || e.code === 'roster.file.encoding_broken')).toBe(true);
    expect(plan.errors.every((e) => e.row > 0)).toBe(true);
    expect(await listStudents(db)).toEqual([]);
  });

  it('imports clean GBK and clean UTF-8, and never stores a replacement character', async () => {
    expect((await run(write('gbk.csv', encodeGbk(csv)))).plan.errors).toEqual([]);
    const stored = await listStudents(db);
    expect(stored.map((s) => s.name).sort()).toEqual(students.map((s) => s.姓名).sort());
    expect(JSON.stringify(stored)).not.toContain('\ufffd');
    const literal = write('fffd.csv', Buffer.from(csv.replace(students[2]!.姓名, `${students[2]!.姓名}\ufffd`), 'utf8'));
    expect((await run(literal)).plan.errors.map((e) => [e.row, e.code])).toEqual([[4, 'roster.file.encoding_broken']]);
  });

  it('decodes as the user says with --encoding, and refuses when the bytes disagree', async () => {
    const gbkFile = write('says-gbk.csv', encodeGbk(csv));
    expect((await run(gbkFile, 'utf-8')).plan.errors[0]?.code).toBe('roster.file.encoding_broken');
    expect((await run(gbkFile, 'gb18030')).plan.errors).toEqual([]);
    const data = join(dir, 'cli-data');
    const wrong = await rigInProcess(['--data', data, 'import-roster', '--encoding', 'utf-8', '--json', gbkFile]);
    expect(wrong.code).toBe(1);
    expect((JSON.parse(wrong.stdout) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe('roster.file.encoding_broken');
    const right = await rigInProcess(['--data', data, 'import-roster', '--encoding', 'gb18030', gbkFile]);
    expect(right.code).toBe(0);
  });

  it('the schedule import names the broken rows too', async () => {
    const text = '地点,院系,日期,开始时间,结束时间\r\nA101,计算机学院,2026-12-01,08:30,11:30\r\nA102,外国语学院,2026-12-01,08:30,11:30\r\n';
    const file = write('slots.csv', withBytes(Buffer.from(text, 'utf8'), Buffer.from('外国语', 'utf8'), [0xe9]));
    const report = await importSlotFile(sqlSlotStore(db), file);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([[3, 'roster.file.encoding_broken']]);
  });
});
