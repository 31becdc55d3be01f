/**
 * A real kiosk service for tests: temp data folder, real SQLite, simulated camera and rig, listening
 * on 127.0.0.1:0, and the real imaging engine (loaded once per test file and shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { CameraConfig } from '../../controller/src/camera/open-camera.ts';
import type { KioskStateName, SessionSettings } from '../../controller/src/domain/capture-session.ts';
import { defaultSessionSettings, startKioskRuntime, type KioskRuntime, type KioskRuntimeOptions } from '../../controller/src/server/compose.ts';
import type { PhotoValidatorPort } from '../../controller/src/app/ports/kiosk.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { createPhotoValidator } from '../../controller/src/imaging/index.ts';
import { projectRoot } from './paths.ts';
import type { RigSettings } from '../../firmware-bridge/src/open-rig.ts';

export interface TestKiosk {
  runtime: KioskRuntime;
  url: string;
  dataDir: string;
  api<T = KioskView>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  waitFor(state: KioskStateName, timeoutMs?: number): Promise<KioskView>;
  close(): Promise<void>;
}

export const fastSession: SessionSettings = {
  ...defaultSessionSettings,
  retakeLimit: 1,
  countdownMs: 300,
};

let engine: Promise<PhotoValidatorPort> | null = null;
/** The imaging engine, loaded once per test file (its models take a moment); never closed mid-file. */
export function sharedEngine(): Promise<PhotoValidatorPort> {
  return (engine ??= createPhotoValidator());
}

export interface TestKioskOptions {
  validator?: PhotoValidatorPort;
  session?: Partial<SessionSettings>;
  uiDir?: string;
  failureRate?: number;
  /** A real camera (gphoto2 against the fake PTP/IP camera) instead of the simulated one. */
  camera?: { config: CameraConfig; env: NodeJS.ProcessEnv };
  /** The rig through openRig (virtual board, or simavr) instead of the simulated rig. */
  rigConfig?: RigSettings;
  /** A data folder the caller owns (kept on close); default: a fresh temp folder, removed on close. */
  dataDir?: string;
  storage?: { minFreeBytes?: number; checkMs?: number };
  /** Same-face checks (the validator must then give face descriptors); default: none. */
  identity?: KioskRuntimeOptions['identity'];
  /** The kiosk's room (configuration `room`): students whose slot is elsewhere are refused; default none. */
  room?: string;
  /** Who sits before the simulated camera: default the demo subject, swaying as a student does. */
  sitter?: NonNullable<KioskRuntimeOptions['camera']>['sitter'];
}

export async function startTestKiosk(options: TestKioskOptions): Promise<TestKiosk> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'rig-kiosk-'));
  const runtime = await startKioskRuntime({
    dataDir, demo: true, projectRoot, logger: pino({ level: process.env.RIG_TEST_LOG ?? 'silent' }), validator: options.validator ?? (await sharedEngine()),
    school: { code: '10000', name: '演示大学' }, timeZone: 'Asia/Shanghai', profile: 'chsi-2017',
    session: { ...fastSession, ...options.session, timeoutsMs: { ...fastSession.timeoutsMs, ...options.session?.timeoutsMs } },
    camera: { failureRate: options.failureRate ?? 0, seed: 11, captureDelayMs: 0, ...(options.sitter ? { sitter: options.sitter } : {}) },
    ...(options.uiDir ? { uiDir: options.uiDir } : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    identity: options.identity ?? false,
    ...(options.room === undefined ? {} : { room: options.room }),
    ...(options.camera ? { cameraConfig: options.camera.config, gphoto2Env: options.camera.env } : {}),
    ...(options.rigConfig ? { rigConfig: options.rigConfig } : {}),
  });
  const url = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  const api = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(url + path, {
      method,
      // Commands are JSON, {} when there is nothing to say (the kiosk refuses other POSTs).
      ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    runtime, url, dataDir, api,
    async waitFor(state, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      let last: KioskView | null = null;
      while (Date.now() < until) {
        last = (await api<KioskView>('GET', '/api/kiosk/state')).body;
        if (last.state === state) return last;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`kiosk never reached ${state}; last state ${last?.state} ${JSON.stringify(last?.notice)}`);
    },
    async close() {
      await runtime.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** States of a press in progress: the shutter's countdown, the still, its check. */
const shooting: ReadonlySet<string> = new Set(['countdown', 'capture', 'validate']);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Presses the shutter as a student does: once, and again when the press took no photo. `press` presses
 * once (a tap on the page, or the API) and gives the code the kiosk refused it with, or null when the
 * countdown began. Pressed again: a refused press (on a loaded machine the room may be unconfirmed for a
 * moment, 'kiosk.rig.not_ready', because a board report came late), and a countdown that ended back at
 * pose without the photo (the room or the camera lost under it, e.g. a late live-view frame that counted
 * the camera as gone). Resolves with the view once `done` holds (by default: past the still, e.g. at
 * its review). A press that leads anywhere else (see staff, idle) ends it at once, and so do `tries`
 * presses, with what the kiosk said.
 */
export async function pressUntil(
  k: Pick<TestKiosk, 'api'>,
  press: () => Promise<string | null>,
  done: (view: KioskView) => boolean = (v) => v.state !== 'pose' && !shooting.has(v.state),
  tries = 8,
): Promise<KioskView> {
  let said: unknown = null;
  for (let i = 0; i < tries; i++) {
    if (i > 0) await sleep(500);
    const refused = await press();
    if (refused !== null) {
      said = { refused };
      continue;
    }
    const until = Date.now() + 60_000;
    for (;;) {
      const v = (await k.api('GET', '/api/kiosk/state')).body;
      if (done(v)) return v;
      said = { state: v.state, notice: v.notice, camera: v.camera, rig: v.rig };
      if (v.state === 'pose') break;
      if (!shooting.has(v.state)) throw new Error(`the press led to ${JSON.stringify(said)}`);
      if (Date.now() > until) throw new Error(`a minute after the press the kiosk is still at ${JSON.stringify(said)}`);
      await sleep(50);
    }
  }
  throw new Error(`no press of ${tries} did it: ${JSON.stringify(said)}`);
}

/** Presses the shutter over the API, again as needed (`pressUntil`), until the kiosk shows the review. */
export function captureToReview(k: Pick<TestKiosk, 'api'>, tries?: number): Promise<KioskView> {
  const press = async (): Promise<string | null> => (await k.api<KioskView & { error?: { code: string } }>('POST', '/api/kiosk/capture')).body.error?.code ?? null;
  return pressUntil(k, press, (v) => v.state === 'review', tries);
}
