import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rigInProcess, rigProcess } from '../support/rig.ts';
import { HEADERS, makeStudents, toRows, writeCsv, writeXlsx } from '../support/roster-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-cli-roster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rig = (...args: string[]) => rigInProcess(['--data', join(dir, 'data'), ...args]);

const rigProcessHere = (...args: string[]) => rigProcess(['--data', join(dir, 'data'), ...args]);

describe('rig import-roster and rig students', () => {
  const students = makeStudents(6);

  it('imports, lists with masked ID numbers, and prints full ones in JSON', async () => {
    await writeXlsx(join(dir, 'roster.xlsx'), toRows(students));
    const imported = await rig('import-roster', join(dir, 'roster.xlsx'));
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('导入完成：新增 6，更新 0，未变 0 / import done: 6 added, 0 updated, 0 unchanged');

    const dept = students[0]!.院系;
    const table = await rig('students', '--department', dept);
    expect(table.code).toBe(0);
    const inDept = students.filter((s) => s.院系 === dept);
    for (const s of inDept) {
      expect(table.stdout).toContain(s.姓名);
      expect(table.stdout).not.toContain(s.身份证号);
      expect(table.stdout).toContain(`${s.身份证号.slice(0, 6)}********${s.身份证号.slice(-4)}`);
    }
    expect(table.stdout).toContain(`共 ${inDept.length} 名学生`);

    const json = await rig('students', '--class', students[1]!.班级, '--json');
    const listed = JSON.parse(json.stdout) as Array<{ idNumber: string; className: string }>;
    expect(listed.map((s) => s.idNumber)).toEqual(students.filter((s) => s.班级 === students[1]!.班级).map((s) => s.身份证号));
  });

  it('exits 1 with every bad row, in JSON, and imports nothing', async () => {
    const rows = toRows(makeStudents(8, 50));
    rows[2]![HEADERS.indexOf('性别')] = '未知';
    rows[7]![HEADERS.indexOf('身份证号')] = '110105491231002';
    writeCsv(join(dir, 'bad.csv'), rows, 'gbk');
    const r = rigProcessHere('import-roster', join(dir, 'bad.csv'), '--json');
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { added: number; updated: number; unchanged: number; errors: Array<Record<string, unknown>> };
    expect(out).toMatchObject({ added: 0, updated: 0, unchanged: 0 });
    expect(out.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, '性别', 'roster.gender.invalid'], [8, '身份证号', 'roster.id.legacy15']]);
    expect(Object.keys(out.errors[0]!).sort()).toEqual(['code', 'column', 'message', 'row']);

    const text = await rig('import-roster', join(dir, 'bad.csv'));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('第 8 行 / row 8  身份证号  roster.id.legacy15  这是 15 位旧身份证号');
    expect(text.stdout).toContain('名单有 2 行错误（共 2 处），未导入任何数据');

    const all = JSON.parse((await rig('students', '--json')).stdout) as unknown[];
    expect(all).toHaveLength(6);
  });
});
