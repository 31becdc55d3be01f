/**
 * Who each photo reason speaks to, and what causes it. A student told to fix what only the room can
 * fix retakes for nothing: the kiosk shows the student only student reasons; a technician reason is
 * a room fault (the student is asked to wait, the next shots are refused, the technician and staff
 * pages are alerted); a staff reason is for the office (configuration, files outside the kiosk).
 */
import type { PhotoCode } from '../messages/photo.ts';

export type Audience = 'student' | 'technician' | 'staff';

/**
 * student: posture (seat, head position), expression, eyes, glasses, clothing, motion;
 * technician: lights, backdrop, camera, software; staff: file, profile.
 */
export type Cause =
  | 'posture'
  | 'expression'
  | 'eyes'
  | 'glasses'
  | 'clothing'
  | 'motion'
  | 'presence'
  | 'lights'
  | 'backdrop'
  | 'camera'
  | 'software'
  | 'file'
  | 'profile';

export interface ReasonTarget {
  audience: Audience;
  cause: Cause;
}

/** Every failure code of the photo catalogue (the `photo.check.*` names are not reasons). */
export type PhotoReasonCode = Exclude<PhotoCode, `photo.check.${string}`>;

const S = (cause: Cause): ReasonTarget => ({ audience: 'student', cause });
const T = (cause: Cause): ReasonTarget => ({ audience: 'technician', cause });
const O = (cause: Cause): ReasonTarget => ({ audience: 'staff', cause });

/** One entry per reason code; the type makes a new code without an audience a compile error. */
export const PHOTO_REASONS: Record<PhotoReasonCode, ReasonTarget> = {
  'photo.face.none': S('presence'),
  'photo.face.several': S('presence'),
  'photo.face.low_confidence': S('posture'),
  'photo.geometry.move_closer': S('posture'),
  'photo.geometry.move_back': S('posture'),
  'photo.geometry.move_left': S('posture'),
  'photo.geometry.move_right': S('posture'),
  'photo.geometry.too_high': S('posture'),
  'photo.geometry.too_low': S('posture'),
  'photo.geometry.head_proportion': S('posture'),
  'photo.pose.turn': S('posture'),
  'photo.pose.chin_down': S('posture'),
  'photo.pose.chin_up': S('posture'),
  'photo.pose.tilt': S('posture'),
  'photo.eyes.closed': S('eyes'),
  'photo.mouth.open': S('expression'),
  'photo.exposure.highlights': S('glasses'),
  'photo.sharpness.blurred': S('motion'),
  'photo.clothing.contrast': S('clothing'),
  'photo.clothing.colour': S('clothing'),
  'photo.background.colour': T('backdrop'),
  'photo.background.uneven': T('backdrop'),
  'photo.background.shadow': T('lights'),
  'photo.exposure.dark': T('lights'),
  'photo.exposure.bright': T('lights'),
  'photo.exposure.shadows': T('lights'),
  'photo.exposure.flat': T('lights'),
  'photo.lighting.uneven': T('lights'),
  'photo.image.too_small': T('camera'),
  'photo.input.empty': T('camera'),
  'photo.input.unreadable': T('camera'),
  'photo.input.not_jpeg': T('camera'),
  'photo.input.corrupt': T('camera'),
  'photo.input.cmyk': T('camera'),
  'photo.input.depth': T('camera'),
  'photo.input.too_large': T('camera'),
  'photo.input.timeout': T('software'),
  'photo.internal': T('software'),
  'photo.file.size': O('file'),
  'photo.input.missing': O('file'),
  'photo.profile.unknown': O('profile'),
  'photo.background.unknown': O('profile'),
};

/** Whom a reason code speaks to; a code outside the photo catalogue goes to staff (never to the student). */
export function audienceOf(code: string): Audience {
  return targetOf(code).audience;
}

export function targetOf(code: string): ReasonTarget {
  return (PHOTO_REASONS as Record<string, ReasonTarget | undefined>)[code] ?? O('software');
}

/** The parts of a validation report the advice reads: a report's checks, or the kiosk's findings (failures only, no `passed`). */
export interface Finding {
  passed?: boolean;
  severity: 'blocking' | 'advisory';
  reason: string;
}

/**
 * What the kiosk does with one validation report. `roomFault`: a blocking technician reason (or a
 * technician error) was found, so the student sees only `kiosk.room.adjusting`, no advice of their
 * own (their pose may be fine once the light is), and the next shots wait until the room is fixed.
 * Otherwise the student sees `student` (blocking first); `technician` and `staff` go to those pages.
 */
export interface ReviewAdvice {
  roomFault: boolean;
  student: string[];
  technician: string[];
  staff: string[];
}

export function adviseReview(findings: readonly Finding[], errorCode?: string): ReviewAdvice {
  const failed = findings.filter((f) => f.passed !== true && f.reason !== '');
  const ordered = [...failed.filter((f) => f.severity === 'blocking'), ...failed.filter((f) => f.severity === 'advisory')];
  const codes = (a: Audience): string[] => [...new Set(ordered.filter((f) => audienceOf(f.reason) === a).map((f) => f.reason))];
  const technician = codes('technician');
  const staff = codes('staff');
  if (errorCode) (audienceOf(errorCode) === 'staff' ? staff : technician).unshift(errorCode);
  const roomFault =
    failed.some((f) => f.severity === 'blocking' && audienceOf(f.reason) === 'technician') ||
    (errorCode !== undefined && audienceOf(errorCode) === 'technician');
  return { roomFault, student: roomFault ? [] : codes('student'), technician, staff };
}
