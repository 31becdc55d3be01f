import type { Command } from 'commander';
import { bilingual } from '../../domain/messages/index.ts';
import { maskIdNumber } from '../../domain/roster/id-number.ts';
import type { Student } from '../../domain/student.ts';
import { listStudents } from '../../store/students.ts';
import { withStore } from '../context.ts';
import { formatTable } from '../format.ts';

interface StudentsOptions {
  class?: string;
  department?: string;
  json?: boolean;
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
      await withStore(command, async ({ db }) => {
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
        process.stdout.write(`${formatTable(header, students.map(tableRow))}\n${bilingual('roster.students.count', { count: students.length })}\n`);
      });
    });
}
