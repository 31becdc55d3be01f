import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../controller/src/cli/program.ts';
import { HEADERS, makeStudents, toRows, writeCsv, writeXlsx } from '../support/roster-fixtures.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'rig-cli-roster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `rig` in this process (a cold tsx start per call would make the suite slow), capturing stdout. */
async function rig(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const before = process.exitCode;
  try {
    await buildProgram().parseAsync(['node', 'rig', '--data', join(dir, 'data'), ...args]);
    return { code: Number(process.exitCode ?? 0), stdout };
  } finally {
    spy.mockRestore();
    process.exitCode = before;
  }
}

/** The real executable, for what only a process shows: its exit status. */
function rigProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(root, 'bin/rig.js'), '--data', join(dir, 'data'), ...args], { cwd: root },
      (err, stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

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
    const r = await rigProcess('import-roster', join(dir, 'bad.csv'), '--json');
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
