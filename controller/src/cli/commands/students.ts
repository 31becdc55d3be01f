import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { maskIdNumber } from '../../domain/roster/id-number.ts';
import type { Student } from '../../domain/student.ts';
import { listStudents } from '../../store/students.ts';
import { openRosterStore } from '../roster-store.ts';

interface StudentsOptions {
  class?: string;
  department?: string;
  json?: boolean;
}

// Terminal cells: CJK ideographs, full-width forms and Hangul take two.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function tableRow(s: Student): string[] {
  return [s.studentNumber, s.name, s.gender === 'M' ? '男' : '女', maskIdNumber(s.idNumber), s.department, s.className,
    s.major, s.educationLevel, s.educationCategory === 'regular' ? '普通' : '成人', s.qualificationPassed ? '通过' : '未通过'];
}

export function registerStudents(program: Command): void {
  program
    .command('students')
    .description('列出已导入的学生 / list the students loaded from the roster')
    .option('--class <name>', '只列出该班级 / only this class')
    .option('--department <name>', '只列出该院系 / only this department')
    .option('--json', '输出 JSON（含完整身份证号）/ print JSON, with full ID numbers')
    .action(async (opts: StudentsOptions, command: Command) => {
      const db = await openRosterStore(command);
      try {
        // Stored values are NFKC-normalised; so is what the user types.
        const norm = (s: string | undefined) => (s === undefined ? undefined : s.normalize('NFKC').replace(/\s+/g, ' ').trim());
        const students = await listStudents(db, { className: norm(opts.class), department: norm(opts.department) });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(students)}\n`);
          return;
        }
        if (students.length === 0) {
          process.stdout.write(`${bilingual('roster.students.none')}\n`);
          return;
        }
        const header = ['学号', '姓名', '性别', '身份证号', '院系', '班级', '专业', '学历层次', '教育类别', '资格审查'];
        process.stdout.write(`${table(header, students.map(tableRow))}\n${bilingual('roster.students.count', { count: students.length })}\n`);
      } finally {
        await db.close();
      }
    });
}
