/**
 * `rig doctor`: what the room needs, judged from facts gathered elsewhere (the CLI probes the
 * machine). Pure: facts in, one check per part out, each with a reason code and, for a problem, the
 * code of its fix text (`CODE.fix` in the message catalogue).
 */
import { doctorMessages, type DoctorCode } from './messages/doctor.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  /** Which part of the room. */
  part: 'camera' | 'board' | 'chromium' | 'disk' | 'clock' | 'time-zone' | 'kiosk-listener' | 'staff-listener' | 'tls';
  /** fail blocks a shooting day; warn is worth fixing; ok is fine. */
  status: CheckStatus;
  code: DoctorCode;
  params: Record<string, string | number>;
  /** Message code of the fix, null when nothing needs doing. */
  fix: DoctorCode | null;
}

/** What a listener port answered: our kiosk API, nothing (free), something else, or no answer in time. */
export type PortProbe = 'rig' | 'free' | 'other' | 'unknown';

export interface DoctorFacts {
  camera: { driver: 'auto' | 'simulated' | 'gphoto2'; gphoto2Version: string | null; detected: string[] };
  board: { driver: 'auto' | 'simulated' | 'board'; configured: string | null; access: 'ok' | 'missing' | 'denied' | null; candidates: string[] };
  chromium: { version: string | null };
  disk: { folder: string; freeBytes: number | null };
  clock: { now: Date; synchronized: boolean | null; systemTimeZone: string; configTimeZone: string };
  kiosk: { port: number; probe: PortProbe };
  staff: { host: string; port: number; probe: PortProbe };
  tls: { configured: boolean; notAfter: Date | null; unreadable: boolean };
}

const GiB = 1024 ** 3;
/** A 24 MP original is about 10 MB; 200 students a day is about 2 GiB, so less than that cannot finish a day. */
export const diskFailBelowBytes = 2 * GiB;
/** Below about five days of originals, warn, so that a backup and clean-up is planned in time. */
export const diskWarnBelowBytes = 10 * GiB;
/** Renew a certificate with a month's notice; browsers refuse it the day it expires. */
export const certificateWarnDays = 30;
/** Before this year the clock was reset (flat RTC battery): dates in file names and receipts would be wrong. */
export const earliestPlausibleYear = 2025;

const dayMs = 86_400_000;

function isDoctorCode(code: string): code is DoctorCode {
  return Object.hasOwn(doctorMessages, code);
}

function check(part: DoctorCheck['part'], status: CheckStatus, code: DoctorCode, params: DoctorCheck['params'] = {}): DoctorCheck {
  // A problem without a fix text shows no fix; a unit test requires one for every problem.
  const fix = `${code}.fix`;
  return { part, status, code, params, fix: status !== 'ok' && isDoctorCode(fix) ? fix : null };
}

function camera(f: DoctorFacts['camera']): DoctorCheck {
  if (f.driver === 'simulated') return check('camera', 'warn', 'doctor.camera.simulated');
  const required = f.driver === 'gphoto2' ? 'fail' : 'warn';
  if (f.gphoto2Version === null) return check('camera', required, 'doctor.camera.no_gphoto2');
  const [first] = f.detected;
  if (first === undefined) return check('camera', required, 'doctor.camera.none', { version: f.gphoto2Version });
  if (f.detected.length > 1) return check('camera', 'warn', 'doctor.camera.several', { cameras: f.detected.join(', ') });
  return check('camera', 'ok', 'doctor.camera.found', { camera: first, version: f.gphoto2Version });
}

function board(f: DoctorFacts['board']): DoctorCheck {
  if (f.driver === 'simulated') return check('board', 'warn', 'doctor.board.simulated');
  const required = f.driver === 'board' ? 'fail' : 'warn';
  if (f.configured !== null) {
    if (f.access === 'missing') return check('board', required, 'doctor.board.missing', { port: f.configured });
    if (f.access === 'denied') return check('board', 'fail', 'doctor.board.denied', { port: f.configured });
    return check('board', 'ok', 'doctor.board.found', { port: f.configured });
  }
  const [first] = f.candidates;
  if (first === undefined) return check('board', required, 'doctor.board.none');
  return check('board', 'ok', 'doctor.board.candidates', { ports: f.candidates.join(', ') });
}

function disk(f: DoctorFacts['disk']): DoctorCheck {
  if (f.freeBytes === null) return check('disk', 'fail', 'doctor.disk.unreadable', { folder: f.folder });
  const params = { folder: f.folder, free: (f.freeBytes / GiB).toFixed(1) };
  if (f.freeBytes < diskFailBelowBytes) return check('disk', 'fail', 'doctor.disk.full', params);
  if (f.freeBytes < diskWarnBelowBytes) return check('disk', 'warn', 'doctor.disk.low', params);
  return check('disk', 'ok', 'doctor.disk.ok', params);
}

function clock(f: DoctorFacts['clock']): DoctorCheck[] {
  const now = f.now.toISOString();
  const time = f.now.getUTCFullYear() < earliestPlausibleYear
    ? check('clock', 'fail', 'doctor.clock.reset', { now })
    : f.synchronized === true ? check('clock', 'ok', 'doctor.clock.synced', { now })
      : check('clock', 'warn', f.synchronized === false ? 'doctor.clock.unsynced' : 'doctor.clock.unknown', { now });
  const zone = f.systemTimeZone === f.configTimeZone
    ? check('time-zone', 'ok', 'doctor.tz.same', { zone: f.configTimeZone })
    : check('time-zone', 'warn', 'doctor.tz.differs', { system: f.systemTimeZone, config: f.configTimeZone });
  return [time, zone];
}

function listener(part: 'kiosk-listener' | 'staff-listener', port: number, probe: PortProbe): DoctorCheck {
  if (port === 0) return check(part, part === 'kiosk-listener' ? 'fail' : 'warn', 'doctor.listener.port_zero');
  if (probe === 'other') return check(part, 'fail', 'doctor.listener.taken', { port });
  if (probe === 'rig') return check(part, 'ok', 'doctor.listener.serving', { port });
  if (probe === 'free') return check(part, 'ok', 'doctor.listener.free', { port });
  return check(part, 'warn', 'doctor.listener.unknown', { port });
}

function tls(f: DoctorFacts['tls'], staffHost: string, now: Date): DoctorCheck {
  if (!f.configured) {
    const loopback = /^(127\.|::1$|localhost$)/.test(staffHost);
    return loopback ? check('tls', 'ok', 'doctor.tls.loopback') : check('tls', 'warn', 'doctor.tls.none');
  }
  if (f.unreadable || f.notAfter === null) return check('tls', 'fail', 'doctor.tls.unreadable');
  const days = Math.floor((f.notAfter.getTime() - now.getTime()) / dayMs);
  const params = { until: f.notAfter.toISOString().slice(0, 10), days };
  if (days < 0) return check('tls', 'fail', 'doctor.tls.expired', params);
  if (days < certificateWarnDays) return check('tls', 'warn', 'doctor.tls.expiring', params);
  return check('tls', 'ok', 'doctor.tls.valid', params);
}

export function assessRoom(f: DoctorFacts): DoctorCheck[] {
  return [
    camera(f.camera),
    board(f.board),
    f.chromium.version === null ? check('chromium', 'fail', 'doctor.chromium.missing') : check('chromium', 'ok', 'doctor.chromium.found', { version: f.chromium.version }),
    disk(f.disk),
    ...clock(f.clock),
    listener('kiosk-listener', f.kiosk.port, f.kiosk.probe),
    listener('staff-listener', f.staff.port, f.staff.probe),
    tls(f.tls, f.staff.host, f.clock.now),
  ];
}

/** Exit status of `rig doctor`: 0 only when nothing blocks. */
export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
