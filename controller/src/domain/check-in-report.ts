/**
 * The eligibility verdict as staff read it (`rig check-in`, the dashboard's student search): the
 * reason code, its zh-CN/en message and the slot or window that applies. Pure.
 */
import { eligibilityMessageParams, type Eligibility } from './eligibility.ts';
import { message } from './messages/index.ts';
import { maskIdNumber } from './roster/id-number.ts';
import type { MakeupWindow, ShootSlot } from './schedule.ts';
import type { Student } from './student.ts';

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

export function checkInReport(result: Eligibility, student: Student | null, at: Date, room: string | null): CheckInReport {
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

