import { describe, expect, it } from 'vitest';
import { planRosterImport, rosterRowHash, type ExistingStudent } from '../../../controller/src/domain/roster/plan.ts';
import type { RawCell } from '../../../controller/src/domain/roster/values.ts';
import { HEADERS, makeIdNumber, makeStudents, toRows } from '../../support/roster-fixtures.ts';

const TODAY = '2026-11-28';
const col = (h: (typeof HEADERS)[number]) => HEADERS.indexOf(h);

function rows(n = 4): RawCell[][] {
  return toRows(makeStudents(n));
}

/** The file's rows with one cell replaced; row numbers are as Excel shows them (header = 1). */
function withCell(row: number, header: (typeof HEADERS)[number], value: RawCell, n = 4): RawCell[][] {
  const r = rows(n);
  r[row - 1]![col(header)] = value;
  return r;
}

function codesOf(rs: RawCell[][], existing: ExistingStudent[] = []) {
  const { errors } = planRosterImport(rs, existing, TODAY);
  // An unknown code would show itself instead of a text, and an unfilled {placeholder} would show its braces.
  for (const e of errors) expect(e.message, e.code).not.toMatch(new RegExp(`${e.code.replace(/\./g, '\\.')}|[{}]`));
  return errors.map((e) => ({ row: e.row, column: e.column, code: e.code }));
}

describe('RosterImport plan', () => {
  it('adds every row of a clean file and words nothing', () => {
    const plan = planRosterImport(rows(), [], TODAY);
    expect(plan.errors).toEqual([]);
    expect(plan.add.map((e) => e.row)).toEqual([2, 3, 4, 5]);
    expect(plan.add[0]!.record).toMatchObject({ gender: 'M', educationCategory: 'regular', qualificationPassed: true, schoolCode: '10499' });
  });

  it('normalises full-width digits, spaces and a lower-case check letter before checking', () => {
    const r = rows(1);
    const id = makeIdNumber('110105', '20030517', 'F', 0).replace(/X$/, 'x');
    const full = id.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    r[1]![col('身份证号')] = ` ${full} `;
    r[1]![col('出生日期')] = '2003/5/17';
    r[1]![col('性别')] = '女';
    r[1]![col('姓名')] = '　李　雨桐 ';
    const plan = planRosterImport(r, [], TODAY);
    expect(plan.errors).toEqual([]);
    expect(plan.add[0]!.record.idNumber).toBe(id.toUpperCase());
    expect(plan.add[0]!.record.name).toBe('李 雨桐');
  });

  it.each([
    ['身份证号', '', 'roster.field.required'],
    ['姓名', '   ', 'roster.field.required'],
    ['班级', null, 'roster.field.required'],
    ['身份证号', '110105491231002', 'roster.id.legacy15'],
    ['身份证号', '11010519491231002', 'roster.id.format'],
    ['身份证号', '110105194912310021', 'roster.id.checksum'],
    ['身份证号', Number('110105200001011019'), 'roster.id.numeric_cell'],
    ['性别', '未知', 'roster.gender.invalid'],
    ['性别', '女', 'roster.gender.mismatch'],
    ['出生日期', '2000-02-30', 'roster.birth_date.invalid'],
    ['出生日期', '1999-01-01', 'roster.birth_date.mismatch'],
    ['院校代码', '1049', 'roster.school_code.invalid'],
    ['教育类别', '自考', 'roster.category.invalid'],
    ['资格审查', '待定', 'roster.qualification.invalid'],
    ['姓名', '张\u202e三', 'roster.field.invalid_characters'],
    ['专业', '软'.repeat(101), 'roster.field.too_long'],
  ] as const)('reports %s = %j as %s on its row and column', (header, value, code) => {
    // Row 2 is the first student, a man born 2000-01-01.
    expect(codesOf(withCell(2, header, value))).toEqual([{ row: 2, column: header, code }]);
  });

  it('words every problem in Chinese first, then English', () => {
    const [e] = planRosterImport(withCell(3, '身份证号', '110105194912310021'), [], TODAY).errors;
    expect(e!.message).toMatch(/^身份证号校验位错误.*X.* \/ the ID number check character is wrong/);
  });

  it('reports duplicates inside the file against the first row that had the value', () => {
    const r = rows(4);
    r[3]![col('身份证号')] = r[1]![col('身份证号')]!;
    r[4]![col('学号/考生号')] = r[2]![col('学号/考生号')]!;
    r[4]![col('采集码')] = r[1]![col('采集码')]!;
    const errors = codesOf(r).filter((e) => e.code.startsWith('roster.duplicate'));
    expect(errors).toEqual([
      { row: 4, column: '身份证号', code: 'roster.duplicate.id_number' },
      { row: 5, column: '学号/考生号', code: 'roster.duplicate.student_number' },
      { row: 5, column: '采集码', code: 'roster.duplicate.collection_code' },
    ]);
  });

  it('lists every bad row, and a plan with errors adds nothing', () => {
    const r = withCell(2, '性别', '?', 6);
    r[4]![col('院校代码')] = 'x';
    r[6]![col('资格审查')] = '';
    const plan = planRosterImport(r, [], TODAY);
    expect(plan.errors.map((e) => e.row)).toEqual([2, 5, 7]);
    expect(plan.add).toEqual([]);
  });

  it('stops at a header with missing columns instead of repeating it on every row', () => {
    const r = rows(3).map((cells) => cells.filter((_, i) => i !== col('资格审查')));
    expect(codesOf(r)).toEqual([{ row: 1, column: '资格审查', code: 'roster.header.missing' }]);
  });

  it('skips a title row above the header and keeps Excel row numbers', () => {
    const r: RawCell[][] = [['2026届毕业生学历证书电子注册图像采集资格审查名单'], [], ...withCell(2, '院校代码', '1', 2)];
    expect(codesOf(r)).toEqual([{ row: 4, column: '院校代码', code: 'roster.school_code.invalid' }]);
    const garbage = codesOf([['名单'], ['foo', 'bar'], ['x', 'y']]);
    expect(garbage[0]).toEqual({ row: 1, column: '身份证号', code: 'roster.header.missing' });
    expect(garbage.every((e) => e.row === 1 && e.code === 'roster.header.missing')).toBe(true);
  });

  it('rejects an empty file and a header without rows', () => {
    expect(codesOf([])).toEqual([{ row: 1, column: '', code: 'roster.file.empty' }]);
    expect(codesOf([[...HEADERS]])).toEqual([{ row: 2, column: '', code: 'roster.file.no_rows' }]);
  });

  it('splits a re-import into added, updated and unchanged by the hash of the normalised fields', () => {
    const first = planRosterImport(rows(4), [], TODAY);
    const existing: ExistingStudent[] = first.add.slice(0, 3).map((e) => ({
      idNumber: e.record.idNumber, studentNumber: e.record.studentNumber, collectionCode: e.record.collectionCode, rowHash: e.rowHash,
    }));
    const changed = rows(4);
    changed[2]![col('班级')] = '软件工程20219班';
    const again = planRosterImport(changed, existing, TODAY);
    expect(again.errors).toEqual([]);
    expect(again.add.map((e) => e.row)).toEqual([5]);
    expect(again.update.map((e) => e.row)).toEqual([3]);
    expect(again.unchanged).toBe(2);
    expect(rosterRowHash(again.update[0]!.record)).not.toBe(existing[1]!.rowHash);
  });

  it('refuses a student number or collection code that another stored student keeps', () => {
    const other = { idNumber: makeIdNumber('110105', '19990101', 'M', 3), studentNumber: 'S-OTHER', collectionCode: 'CODE-OTHER', rowHash: 'x' };
    const r = rows(2);
    r[1]![col('学号/考生号')] = 'S-OTHER';
    r[2]![col('采集码')] = 'CODE-OTHER';
    expect(codesOf(r, [other])).toEqual([
      { row: 2, column: '学号/考生号', code: 'roster.conflict.student_number' },
      { row: 3, column: '采集码', code: 'roster.conflict.collection_code' },
    ]);
  });

  it('lets two listed students swap collection codes in one import', () => {
    const r = rows(2);
    const [a, b] = [r[1]!, r[2]!];
    const existing: ExistingStudent[] = [a, b].map((cells) => ({
      idNumber: String(cells[col('身份证号')]), studentNumber: String(cells[col('学号/考生号')]), collectionCode: String(cells[col('采集码')]), rowHash: 'old',
    }));
    [a[col('采集码')], b[col('采集码')]] = [b[col('采集码')]!, a[col('采集码')]!];
    const plan = planRosterImport(r, existing, TODAY);
    expect(plan.errors).toEqual([]);
    expect(plan.update).toHaveLength(2);
  });
});
