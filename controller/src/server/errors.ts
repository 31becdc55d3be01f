/**
 * The one table of API error codes: HTTP status per code, texts from the message catalogue.
 * A route answers 4xx as `{ error: { code, message, details } }`.
 */
import { Type } from 'typebox';
import { bilingual, type ExternalCode, type MessageCode } from '../domain/messages/index.ts';
import { sessionCodes } from '../domain/capture-session.ts';

export const errorStatus: Partial<Record<MessageCode, number>> = {
  [sessionCodes.busy]: 409,
  [sessionCodes.notNow]: 409,
  [sessionCodes.emptyCode]: 400,
  [sessionCodes.rigNotReady]: 409,
  [sessionCodes.acceptFailed]: 409,
  [sessionCodes.storing]: 409,
  'kiosk.request.invalid': 400,
  'kiosk.not_found': 404,
  'kiosk.preview.none': 404,
  'kiosk.forbidden': 403,
  'kiosk.host_rejected': 421,
  'kiosk.origin_rejected': 403,
  'kiosk.content_type': 415,
  'kiosk.internal': 500,
};

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export function apiError(code: MessageCode | ExternalCode, details?: unknown, params: Record<string, string | number> = {}): { status: number; body: ApiError } {
  return { status: errorStatus[code as MessageCode] ?? 409, body: { error: { code, message: bilingual(code, params), ...(details === undefined ? {} : { details }) } } };
}
