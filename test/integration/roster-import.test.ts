import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { importRosterFile } from '../../controller/src/app/roster-import.ts';
import { decodeCsvBytes, parseCsv } from '../../controller/src/formats/spreadsheet/csv.ts';
import { listStudents, sqlRosterStore } from '../../controller/src/store/students.ts';
import { HEADERS, makeStudents, toRows, writeCsv, writeXlsx, type FixtureStudent } from '../support/roster-fixtures.ts';

const TODAY = '2026-11-28';
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rig-roster-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function withDb<T>(file: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(file);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const run = (db: Database, file: string, dryRun = false) => importRosterFile(sqlRosterStore(db), file, { today: TODAY, actor: 'test', dryRun });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function expectStored(stored: Awaited<ReturnType<typeof listStudents>>, students: FixtureStudent[]): void {
  expect(stored).toHaveLength(students.length);
  const byId = new Map(stored.map((s) => [s.idNumber, s]));
  for (const f of students) {
    const s = byId.get(f.身份证号);
    expect(s, f.身份证号).toBeDefined();
    expect(s).toMatchObject({
      name: f.姓名, gender: f.性别 === '男' ? 'M' : 'F', birthDate: f.出生日期, department: f.院系, className: f.班级,
      major: f.专业, studentNumber: f['学号/考生号'], collectionCode: f.采集码,
      educationCategory: f.教育类别 === '普通' ? 'regular' : 'adult', qualificationPassed: f.资格审查 === '通过',
    });
  }
}

describe('roster import from files with Chinese headers', () => {
  it('imports an XLSX with text, date cells and date serials', async () => {
    const dir = tempDir();
    const students = makeStudents(30);
    const rows: Array<Array<string | number | Date | null>> = toRows(students);
    const birth = HEADERS.indexOf('出生日期');
    // Schools' sheets mix real date cells, dates formatted as numbers and text.
    rows[2]![birth] = new Date(`${students[1]!.出生日期}T00:00:00Z`);
    rows[3]![birth] = (Date.parse(`${students[2]!.出生日期}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
    rows[4]![birth] = students[3]!.出生日期.replace(/-0?/g, '/');
    await writeXlsx(join(dir, 'roster.xlsx'), rows);
    await withDb(join(dir, 'rig.db'), async (db) => {
      const { plan, file } = await run(db, join(dir, 'roster.xlsx'));
      expect(plan.errors).toEqual([]);
      expect(file?.kind).toBe('xlsx');
      expect(plan.add).toHaveLength(30);
      expectStored(await listStudents(db), students);
    });
  });

  it('detects a GBK CSV (as Excel in China saves it) and imports it', async () => {
    const dir = tempDir();
    const students = makeStudents(25, 100);
    writeCsv(join(dir, 'roster.csv'), toRows(students), 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(dir, 'roster.csv')))).toThrow();
    await withDb(join(dir, 'rig.db'), async (db) => {
      const { plan, file } = await run(db, join(dir, 'roster.csv'));
      expect(plan.errors).toEqual([]);
      expect(file?.encoding).toBe('gb18030');
      expectStored(await listStudents(db), students);
    });
  });

  it('imports UTF-8 CSV with and without a BOM, with quoted commas, quotes and line breaks', async () => {
    const dir = tempDir();
    const students = makeStudents(12, 200);
    students[0]!.专业 = '软件工程, 卓越"工程师"班';
    students[1]!.班级 = '软件工程 2021 1 班';
    writeCsv(join(dir, 'bom.csv'), toRows(students), 'utf-8-bom');
    writeCsv(join(dir, 'plain.csv'), toRows(students), 'utf-8');
    await withDb(join(dir, 'rig.db'), async (db) => {
      const bom = await run(db, join(dir, 'bom.csv'));
      expect(bom.plan.errors).toEqual([]);
      expect(bom.file?.encoding).toBe('utf-8');
      expectStored(await listStudents(db), students);
      const plain = await run(db, join(dir, 'plain.csv'));
      expect(plain.plan).toMatchObject({ add: [], update: [], unchanged: 12, errors: [] });
    });
    expect(parseCsv('a,"b\r\nc",d\r\n"x""y",,\n')).toEqual([['a', 'b\r\nc', 'd'], ['x"y', '', '']]);
    expect(decodeCsvBytes(Buffer.from('\ufeff姓名', 'utf8')).text).toBe('姓名');
  });

  it('numbers error rows as the spreadsheet shows them in XLSX and CSV alike', async () => {
    const dir = tempDir();
    const rows = toRows(makeStudents(5, 300));
    rows[4]![HEADERS.indexOf('身份证号')] = '110105194912310021';
    await writeXlsx(join(dir, 'bad.xlsx'), rows);
    writeCsv(join(dir, 'bad.csv'), rows, 'gbk');
    await withDb(join(dir, 'rig.db'), async (db) => {
      for (const f of ['bad.xlsx', 'bad.csv']) {
        const { plan } = await run(db, join(dir, f));
        expect(plan.errors.map((e) => [e.row, e.column, e.code]), f).toEqual([[5, '身份证号', 'roster.id.checksum']]);
      }
    });
  });
});

describe('roster import into the store', () => {
  it('writes nothing when any row is bad: the database file is byte-identical', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'rig.db');
    const good = makeStudents(40);
    writeCsv(join(dir, 'good.csv'), toRows(good), 'utf-8');
    await withDb(dbFile, async (db) => expect((await run(db, join(dir, 'good.csv'))).applied).toBe(true));
    const before = sha(dbFile);

    // Mostly new and changed rows, so a partial write would show; the one bad row is the last.
    const next = makeStudents(3000, 20);
    next[0]!.姓名 = '改名';
    next[next.length - 1]!.性别 = '女女';
    await writeXlsx(join(dir, 'bad.xlsx'), toRows(next));
    await withDb(dbFile, async (db) => {
      const { plan, applied } = await run(db, join(dir, 'bad.xlsx'));
      expect(applied).toBe(false);
      expect(plan.errors.map((e) => [e.row, e.code])).toEqual([[next.length + 1, 'roster.gender.invalid']]);
      expect(plan).toMatchObject({ add: [], update: [], unchanged: 0 });
      expect(await listStudents(db)).toHaveLength(40);
    });
    expect(sha(dbFile)).toBe(before);
  });

  it('re-imports: updates changed rows in place, adds new ones, counts unchanged, audits each import', async () => {
    const dir = tempDir();
    const students = makeStudents(10);
    writeCsv(join(dir, 'v1.csv'), toRows(students), 'utf-8');
    const changed = makeStudents(11);
    changed[2]!.班级 = '软件工程20219班';
    changed[5]!.资格审查 = '不通过';
    writeCsv(join(dir, 'v2.csv'), toRows(changed), 'gbk');
    await withDb(join(dir, 'rig.db'), async (db) => {
      expect((await run(db, join(dir, 'v1.csv'))).plan).toMatchObject({ unchanged: 0, errors: [] });
      const ids = new Map((await listStudents(db)).map((s) => [s.idNumber, s.id]));

      const dry = await run(db, join(dir, 'v2.csv'), true);
      expect([dry.plan.add.length, dry.plan.update.length, dry.plan.unchanged, dry.applied]).toEqual([1, 2, 8, false]);
      expectStored(await listStudents(db), students);

      const { plan } = await run(db, join(dir, 'v2.csv'));
      expect([plan.add.length, plan.update.length, plan.unchanged]).toEqual([1, 2, 8]);
      const after = await listStudents(db);
      expectStored(after, changed);
      for (const s of after) if (ids.has(s.idNumber)) expect(s.id).toBe(ids.get(s.idNumber));

      const audit = await db.all<{ action: string; target: string; details: string }>('SELECT action, target, details FROM audit_log ORDER BY id');
      expect(audit.map((a) => [a.action, a.target, JSON.parse(a.details)])).toEqual([
        ['roster.import', 'v1.csv', { added: 10, updated: 0, unchanged: 0 }],
        ['roster.import', 'v2.csv', { added: 1, updated: 2, unchanged: 8 }],
      ]);
    });
  });

  it('moves collection codes between students in one import', async () => {
    const dir = tempDir();
    const students = makeStudents(3);
    writeCsv(join(dir, 'v1.csv'), toRows(students), 'utf-8');
    [students[0]!.采集码, students[2]!.采集码] = [students[2]!.采集码, students[0]!.采集码];
    writeCsv(join(dir, 'v2.csv'), toRows(students), 'utf-8');
    await withDb(join(dir, 'rig.db'), async (db) => {
      await run(db, join(dir, 'v1.csv'));
      const { plan } = await run(db, join(dir, 'v2.csv'));
      expect(plan.errors).toEqual([]);
      expectStored(await listStudents(db), students);
    });
  });

  it('moves a collection code between students written in different batches of a large import', async () => {
    const dir = tempDir();
    const students = makeStudents(2100);
    writeCsv(join(dir, 'v1.csv'), toRows(students), 'utf-8');
    const last = students.length - 1;
    [students[0]!.采集码, students[last]!.采集码] = [students[last]!.采集码, students[0]!.采集码];
    writeCsv(join(dir, 'v2.csv'), toRows(students), 'utf-8');
    await withDb(join(dir, 'rig.db'), async (db) => {
      await run(db, join(dir, 'v1.csv'));
      const { plan, applied } = await run(db, join(dir, 'v2.csv'));
      expect(plan.errors).toEqual([]);
      expect([applied, plan.update.length, plan.unchanged]).toEqual([true, 2, 2098]);
      const byId = new Map((await listStudents(db)).map((s) => [s.idNumber, s.collectionCode]));
      expect(byId.get(students[0]!.身份证号)).toBe(students[0]!.采集码);
      expect(byId.get(students[last]!.身份证号)).toBe(students[last]!.采集码);
      expect((await db.all('SELECT id FROM audit_log'))).toHaveLength(2);
    });
  });

  it('reports an unsupported or missing file as a file-level error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'roster.pdf'), 'x');
    await withDb(join(dir, 'rig.db'), async (db) => {
      expect((await run(db, join(dir, 'roster.pdf'))).plan.errors.map((e) => e.code)).toEqual(['roster.file.unsupported']);
      expect((await run(db, join(dir, 'none.xlsx'))).plan.errors.map((e) => e.code)).toEqual(['roster.file.unreadable']);
      writeFileSync(join(dir, 'broken.xlsx'), 'not a zip');
      expect((await run(db, join(dir, 'broken.xlsx'))).plan.errors.map((e) => e.code)).toEqual(['roster.file.unreadable']);
    });
  });
});
