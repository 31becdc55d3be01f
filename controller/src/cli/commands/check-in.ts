import type { Command } from 'commander';
import { normaliseScannedCode } from '../../domain/capture-session.ts';
import { checkInReport } from '../../domain/check-in-report.ts';
import type { Eligibility } from '../../domain/eligibility.ts';
import { message } from '../../domain/messages/index.ts';
import { CaptureRepository } from '../../store/capture-repository.ts';
import { SqlStudentDirectory } from '../../store/student-lookup.ts';
import { ScheduleEligibilityPolicy } from '../../app/kiosk/eligibility-policy.ts';
import { sqlScheduleSource } from '../../store/schedule-loader.ts';
import { printJson, withStore } from '../context.ts';
import { CliError } from '../cli-error.ts';

interface CheckInOptions {
  at?: string;
  room?: string;
  json?: boolean;
}

/**
 * `rig check-in CODE`: the verdict the kiosk would give for this code (who, when, where), without
 * starting a session. Exit 0 when the student would be let in, 1 when refused.
 */
export function registerCheckIn(program: Command): void {
  program
    .command('check-in')
    .description('查询某学生此时此地能否采集及原因（不开始采集）/ why a student would be let in or refused, without starting a session')
    .argument('<code>', '采集码、身份证号或学号 / collection code, ID number or student number')
    .option('--at <iso-instant>', 'the instant to ask about, e.g. 2026-09-07T09:00:00+08:00 (default: now)')
    .option('--room <room>', 'the kiosk room to ask about (default: configuration room)')
    .option('--json', 'print the verdict as JSON')
    .action(async (code: string, opts: CheckInOptions, cmd: Command) => {
      const at = opts.at === undefined ? new Date() : new Date(opts.at);
      if (Number.isNaN(at.getTime()) || (opts.at !== undefined && !/\d{4}-\d{2}-\d{2}T/.test(opts.at))) {
        throw new CliError(`--at: ${message('checkin.bad_instant', 'zh')} / ${message('checkin.bad_instant', 'en')}`, 64);
      }
      const r = await withStore(cmd, async (ctx) => {
        const room = opts.room ?? ctx.config.room;
        const student = await new SqlStudentDirectory(ctx.db).findByCode(normaliseScannedCode(code));
        const policy = new ScheduleEligibilityPolicy(sqlScheduleSource(ctx.db, ctx.config.timeZone), new CaptureRepository(ctx.db, ctx.layout.root), room);
        const result: Eligibility = student ? await policy.explain(student, at) : { allowed: false, code: 'eligibility.not_on_roster' };
        return checkInReport(result, student, at, room);
      });
      if (opts.json) printJson(r);
      else {
        if (r.student) console.log(`${r.student.name} ${r.student.idNumber} ${r.student.department} ${r.student.className} (${r.student.educationCategory})`);
        console.log(`${r.allowed ? '✓' : '✗'} ${r.message.zh}`);
        console.log(`  ${r.message.en}`);
        console.log(`  (${r.code})`);
      }
      if (!r.allowed) process.exitCode = 1;
    });
}
