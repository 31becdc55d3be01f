/**
 * Every error the staff API answers with, in one table: a stable code (also the message catalogue
 * key), its HTTP status. Routes answer `{ error: { code, message, details } }` through `sendError`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { message, type Locale } from '../../domain/messages/index.ts';
import type { FieldError } from '../../domain/schedule-input.ts';

export const staffErrorStatus = {
  'staff.unauthenticated': 401,
  'staff.login_failed': 401,
  'staff.forbidden': 403,
  'staff.origin_rejected': 403,
  'staff.bad_request': 400,
  'staff.path_rejected': 400,
  'staff.identity_reference_empty': 400,
  'staff.identity_reference_unreadable': 400,
  'staff.identity_reference_unnamed': 400,
  'staff.not_found': 404,
  'staff.student_not_found': 404,
  'staff.slot_not_found': 404,
  'staff.makeup_window_not_found': 404,
  'staff.discrepancy_not_found': 404,
  'staff.identity_hold_not_found': 404,
  'staff.override_not_needed': 409,
  'staff.room_not_held': 409,
  'staff.identity_reference_busy': 409,
  'staff.slot_has_captures': 409,
  'staff.slot_overlap': 409,
  'staff.slot_fixed_by_captures': 409,
  'staff.makeup_window_fixed_by_captures': 409,
  'staff.makeup_window_has_captures': 409,
  'staff.payload_too_large': 413,
  'staff.roster_rejected': 422,
  'staff.import_rejected': 422,
  'staff.roster_refused': 413,
  'staff.identity_reference_refused': 413,
  'staff.login_throttled': 429,
  'staff.rate_limited': 429,
  'staff.internal': 500,
  'staff.photo_missing': 500,
  'staff.unavailable': 503,
  'calibration.name_taken': 409,
  'calibration.no_shot': 409,
  'calibration.no_active_profile': 409,
  'calibration.profile_not_found': 404,
  'calibration.busy': 409,
  'calibration.door_open': 409,
  'calibration.daylight': 409,
  'calibration.camera_failed': 502,
  'calibration.rig_failed': 502,
  'calibration.rig_offline': 503,
  'calibration.unavailable': 503,
} as const;

export type StaffErrorCode = keyof typeof staffErrorStatus;

export interface StaffErrorBody {
  error: { code: StaffErrorCode; message: string; details: unknown };
}

/** zh-CN unless the browser prefers English. */
export function requestLocale(req: FastifyRequest): Locale {
  const accept = req.headers['accept-language'] ?? '';
  return /^\s*en\b/i.test(accept) ? 'en' : 'zh';
}

/** Field problems from the domain parsers, each with its message in the request's language. */
export function wordedFieldErrors(req: FastifyRequest, errors: readonly FieldError[]): Array<FieldError & { message: string }> {
  const locale = requestLocale(req);
  return errors.map((e) => ({ ...e, message: message(e.code, locale, e.params ?? {}) }));
}

/** 400 `staff.bad_request` listing the fields a domain parser refused, each in words. */
export function sendFieldErrors(req: FastifyRequest, reply: FastifyReply, errors: readonly FieldError[]) {
  return sendError(req, reply, 'staff.bad_request', wordedFieldErrors(req, errors), { detail: errors.map((e) => e.field).join(', ') });
}

export function errorBody(
  code: StaffErrorCode,
  locale: Locale,
  details: unknown = null,
  params: Record<string, string | number> = {},
): StaffErrorBody {
  return { error: { code, message: message(code, locale, params), details } };
}

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  code: StaffErrorCode,
  details: unknown = null,
  params: Record<string, string | number> = {},
): FastifyReply {
  return reply.code(staffErrorStatus[code]).type('application/json; charset=utf-8').send(errorBody(code, requestLocale(req), details, params));
}
