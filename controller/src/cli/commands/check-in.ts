import type { Command } from 'commander';
import { normaliseScannedCode } from '../../domain/capture-session.ts';
import { eligibilityMessageParams, type Eligibility } from '../../domain/eligibility.ts';
import { message } from '../../domain/messages/index.ts';
import type { MakeupWindow, ShootSlot } from '../../domain/schedule.ts';
import type { Student } from '../../domain/student.ts';
import { CaptureRepository } from '../../store/capture-repository.ts';
import { SqlStudentDirectory } from '../../store/student-lookup.ts';
import { StoreEligibilityPolicy } from '../../server/eligibility-policy.ts';
import { maskIdNumber } from '../format.ts';
import { printJson, withStore } from '../context.ts';
import { CliError } from '../program.ts';

interface CheckInOptions {
  at?: string;
  room?: string;
  json?: boolean;
}

/** The verdict as `rig check-in --json` prints it. */
export interface CheckInReport {
  at: string;
  room: string | null;
  allowed: boolean;
  /** 'eligibility.allowed' or the refusal's reason code. */
  code: string;
  message: { zh: string; en: string };
  basis: 'slot' | 'makeup' | null;
  student: { name: string; idNumber: string; department: string; className: string; educationCategory: string } | null;
  slot: ShootSlot | null;
  window: MakeupWindow | null;
  /** The student's own make-up window, when they came in the other category's. */
  ownWindow: MakeupWindow | null;
  certificateId: number | null;
}

function report(result: Eligibility, student: Student | null, at: Date, room: string | null): CheckInReport {
  const code = result.allowed ? 'eligibility.allowed' : result.code;
  const params = eligibilityMessageParams(result);
  return {
    at: at.toISOString(),
    room,
    allowed: result.allowed,
    code,
    message: { zh: message(code, 'zh', params), en: message(code, 'en', params) },
    basis: result.allowed ? result.basis : null,
    student: student && {
      name: student.name, idNumber: maskIdNumber(student.idNumber), department: student.department,
      className: student.className, educationCategory: student.educationCategory,
    },
    slot: 'slot' in result ? result.slot : null,
    window: 'window' in result ? result.window : null,
    ownWindow: 'own' in result ? result.own : null,
    certificateId: result.allowed && result.basis === 'makeup' ? result.certificate.id : null,
  };
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
        const policy = new StoreEligibilityPolicy(ctx.db, new CaptureRepository(ctx.db, ctx.layout.root), ctx.config.timeZone, room);
        const result: Eligibility = student ? await policy.explain(student, at) : { allowed: false, code: 'eligibility.not_on_roster' };
        return report(result, student, at, room);
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
