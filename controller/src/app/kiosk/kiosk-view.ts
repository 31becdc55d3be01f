/**
 * What the kiosk UI sees: the state as JSON, with a TypeBox schema that is both the response schema
 * of `GET /api/kiosk/state` (and of every command) and the source of the `KioskView` type.
 */
import { Type, type Static } from 'typebox';
import { kioskStateNames, type KioskState } from '../../domain/capture-session.ts';
import type { Student } from '../../domain/student.ts';
import type { LiveViewGuides } from '../../domain/photo/live-view-guides.ts';
import type { DeviceDrivers } from '../ports/device.ts';

const Params = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));
const Message = Type.Object({ zh: Type.String(), en: Type.String() });
const Region = Type.Object({ x: Type.Number(), y: Type.Number(), w: Type.Number(), h: Type.Number() });
const Driver = Type.Object({ driver: Type.String(), simulated: Type.Boolean(), reason: Type.String() });
const Band = Type.Object({ from: Type.Number(), to: Type.Number() });

/** The live-view guides (domain/photo/live-view-guides.ts): fractions of the 3:4 live view, from the validator's profile. */
export const GuidesSchema = Type.Object({
  crop: Region,
  hairTop: Band,
  eyeLine: Band,
  faceWidth: Band,
  centreTolerance: Type.Number(),
  head: Type.Object({ cx: Type.Number(), cy: Type.Number(), rx: Type.Number(), ry: Type.Number() }),
});

export const NoticeSchema = Type.Object({
  code: Type.String(),
  params: Type.Optional(Params),
  reasons: Type.Optional(Type.Array(Type.String())),
});

export const KioskViewSchema = Type.Object({
  /** Grows with every change: the UI ignores a stale answer that arrives after a newer event. */
  version: Type.Integer(),
  /** Changes when the service restarts (versions start again from 0 then). */
  instance: Type.String(),
  state: Type.Enum(kioskStateNames),
  demo: Type.Boolean(),
  schoolName: Type.String(),
  rig: Type.Object({ ready: Type.Boolean(), reasons: Type.Array(Type.String()) }),
  /** Camera connection: the pose screen shows "camera not connected" instead of a frozen live view. */
  camera: Type.Object({ connected: Type.Boolean(), code: Type.Union([Type.String(), Type.Null()]) }),
  /** Which driver runs each device and why (`auto` says what it found): real or simulated. */
  drivers: Type.Object({ camera: Driver, rig: Driver }),
  /** Where the pose screen draws the head outline and the hair and eye bands. */
  guides: GuidesSchema,
  notice: Type.Union([NoticeSchema, Type.Null()]),
  /** ms until the state times out back to idle. */
  remainingMs: Type.Union([Type.Integer(), Type.Null()]),
  /** ms until the shutter fires (countdown state only). */
  countdownMs: Type.Union([Type.Integer(), Type.Null()]),
  session: Type.Union([
    Type.Null(),
    Type.Object({
      id: Type.Integer(),
      identity: Type.Union([
        Type.Null(),
        Type.Object({
          name: Type.String(),
          gender: Type.Union([Type.Literal('M'), Type.Literal('F')]),
          birthDate: Type.String(),
          major: Type.String(),
          department: Type.String(),
          className: Type.String(),
          schoolName: Type.String(),
          maskedIdNumber: Type.String(),
        }),
      ]),
      attempts: Type.Integer(),
      retakesLeft: Type.Integer(),
      review: Type.Union([
        Type.Null(),
        Type.Object({
          attemptId: Type.Integer(),
          verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('error')]),
          findings: Type.Array(Type.Object({
            id: Type.String(),
            reason: Type.String(),
            severity: Type.Union([Type.Literal('blocking'), Type.Literal('advisory')]),
            message: Message,
            region: Type.Optional(Region),
          })),
        }),
      ]),
      receipt: Type.Union([Type.Null(), Type.Object({ sequence: Type.Integer(), day: Type.String() })]),
    }),
  ]),
});

export type KioskView = Static<typeof KioskViewSchema>;

/** The settings the view shows (a part of the controller's KioskSettings). */
export interface ViewSettings {
  demo: boolean;
  schoolName: string;
  drivers: DeviceDrivers;
  guides: LiveViewGuides;
}

export function kioskView(state: KioskState, now: number, version: number, instance: string, settings: ViewSettings, retakesLeft: number, _student: Student | null): KioskView {
  const s = state.session;
  const id = s?.identity;
  return {
    version,
    instance,
    state: state.name,
    demo: settings.demo,
    schoolName: settings.schoolName,
    rig: { ready: state.rig.ready, reasons: [...state.rig.reasons] },
    camera: { connected: state.camera.connected, code: state.camera.code },
    drivers: { camera: { ...settings.drivers.camera }, rig: { ...settings.drivers.rig } },
    guides: settings.guides,
    notice: state.notice ? { code: state.notice.code, ...(state.notice.params ? { params: state.notice.params } : {}), ...(state.notice.reasons ? { reasons: [...state.notice.reasons] } : {}) } : null,
    remainingMs: state.deadline === null ? null : Math.max(0, Math.round(state.deadline - now)),
    countdownMs: state.countdownEndsAt === null ? null : Math.max(0, Math.round(state.countdownEndsAt - now)),
    session: s
      ? {
          id: s.id,
          identity: id
            ? { name: id.name, gender: id.gender, birthDate: id.birthDate, major: id.major, department: id.department, className: id.className, schoolName: id.schoolName, maskedIdNumber: id.maskedIdNumber }
            : null,
          attempts: s.attempts,
          retakesLeft,
          review: s.review ? { attemptId: s.review.attemptId, verdict: s.review.verdict, findings: s.review.findings.map((f) => ({ ...f })) } : null,
          receipt: s.receipt ? { sequence: s.receipt.sequence, day: s.receipt.day } : null,
        }
      : null,
  };
}
