/**
 * The crash loop, shared by the fault suite (test/faults/crash-loop.test.ts) and the benchmark
 * (test/bench/crash.bench.ts): `rig serve` as a real child process on a temp data folder with a
 * generated roster, a client walking students through the kiosk HTTP API, and SIGKILL at a random
 * moment of the flow (chosen phase plus jitter), then a restart, over and over.
 *
 * The client keeps what it saw: a student is "accepted" only once the receipt was on screen, with the
 * SHA-256 of the deliverable it was shown at review. Afterwards the data folder is checked with
 * `rig verify` and the day's export.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { localDate } from '../../controller/src/domain/local-time.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { Database } from '../../controller/src/store/database.ts';
import { importRosterFile } from '../../controller/src/app/roster-import.ts';
import { sqlRosterStore } from '../../controller/src/store/students.ts';
import { projectRoot } from './paths.ts';
import { startServe as spawnServe, type ServeProcess } from './rig-serve.ts';
import { HEADERS, makeStudents, toRows, writeCsv } from './roster-fixtures.ts';
import { seededRandom } from '../../controller/src/domain/seeded-random.ts';

const timeZone = 'Asia/Shanghai';
const schoolCode = '10499';

/** Where in the flow a round ends with SIGKILL. `store` kills a few ms after accept: files, fsync, commit. */
export const killPhases = ['confirm', 'pose', 'countdown', 'capture', 'validate', 'store', 'receipt', 'idle'] as const;
export type KillPhase = (typeof killPhases)[number];
/** `store` is where a photo can be lost, so it gets the most kills. */
const phaseWeights: Record<KillPhase, number> = { confirm: 1, pose: 1, countdown: 1, capture: 1, validate: 2, store: 6, receipt: 2, idle: 1 };

export interface RosterStudent {
  idNumber: string;
  code: string;
}

export interface CrashData {
  dir: string;
  config: string;
  day: string;
  /** Today and tomorrow: a run that crosses midnight stores photos under both. */
  days: string[];
  students: RosterStudent[];
  cleanup(): void;
}

/** A data folder with `count` generated students, all inside today's (and tomorrow's) slot. */
export async function prepareCrashData(count: number): Promise<CrashData> {
  const root = mkdtempSync(join(tmpdir(), 'rig-crash-'));
  const dir = join(root, 'data');
  const fixtures = makeStudents(count, 7000);
  const csv = join(root, 'roster.csv');
  writeCsv(csv, toRows(fixtures, HEADERS), 'utf-8');
  const now = new Date();
  const day = localDate(now, timeZone);
  const tomorrow = localDate(new Date(now.getTime() + 86_400_000), timeZone);
  const db = await Database.open(join(dir, 'rig.db'));
  try {
    const r = await importRosterFile(sqlRosterStore(db), csv, { today: day, actor: 'test' });
    if (!r.applied) throw new Error(`roster import failed: ${JSON.stringify(r.plan.errors.slice(0, 3))}`);
    for (const dept of new Set(fixtures.map((s) => s.院系))) {
      // Today and tomorrow round the clock (23:59 -> 00:00 crosses midnight): a run at any hour works.
      for (const [date, start, end] of [[day, '00:00', '23:59'], [day, '23:59', '00:00'], [tomorrow, '00:00', '23:59']] as const) {
        await db.run('INSERT INTO shoot_slots (room, department, class_name, date, start_time, end_time) VALUES (?, ?, NULL, ?, ?, ?)', ['A101', dept, date, start, end]);
      }
    }
  } finally {
    await db.close();
  }
  const config = join(root, 'rig.yaml');
  // The simulated camera never tilts the subject here: every shot passes, so each kill lands on a
  // student who would otherwise be stored. Listeners on loopback only.
  writeFileSync(config, [
    `timeZone: ${timeZone}`,
    `school:\n  code: "${schoolCode}"`,
    'camera:\n  simulatedTiltRate: 0',
    // One simulated subject for every student: the same-face check would hold them all. Warn only.
    'identity:\n  sameFace: warn',
    'storage:\n  minFreeMB: 1',
    'kiosk:\n  host: 127.0.0.1',
    'staff:\n  host: 127.0.0.1',
    '',
  ].join('\n'));
  return {
    dir, config, day, days: [day, tomorrow],
    students: fixtures.map((s) => ({ idNumber: s.身份证号, code: s.采集码 })),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface Served {
  url: string;
  proc: ServeProcess;
  /** ms from spawn to the kiosk answering GET /api/kiosk/state. */
  startMs: number;
  logFile: string;
  logged?: boolean;
}

/** Starts `rig serve` (test/support/rig-serve.ts) and waits until the kiosk answers. The caller must `stop()` it on every path. */
export async function startServe(data: CrashData, logFile: string): Promise<Served> {
  const t0 = performance.now();
  const proc = await spawnServe({ dataDir: data.dir, demo: false, env: { RIG_CONFIG: data.config, RIG_LOG_LEVEL: 'info' }, timeoutMs: 120_000 });
  const served = { url: proc.kioskUrl, proc, startMs: 0, logFile };
  try {
    const until = Date.now() + 60_000;
    while (!(await fetch(`${proc.kioskUrl}/api/kiosk/state`).then((r) => r.ok, () => false))) {
      if (Date.now() > until) throw new Error('the kiosk printed its address but does not answer');
      await sleep(10);
    }
  } catch (err) {
    await stop(served, 'SIGKILL');
    throw err;
  }
  served.startMs = performance.now() - t0;
  return served;
}

/** Ends the process, waits for it to be reaped, and keeps its log lines in `logFile`. */
export async function stop(s: Served, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  await s.proc.stop(signal);
  if (s.logged) return;
  s.logged = true;
  mkdirSync(dirname(s.logFile), { recursive: true });
  appendFileSync(s.logFile, s.proc.stderr());
}


function pickPhase(rand: () => number): KillPhase {
  const total = killPhases.reduce((n, p) => n + phaseWeights[p], 0);
  let x = rand() * total;
  for (const p of killPhases) {
    x -= phaseWeights[p];
    if (x < 0) return p;
  }
  return 'store';
}

class Killed extends Error {}

/** How long the last save took (store -> receipt), from the pino lines of `rig serve`. */
function lastStoreMs(log: string): number | null {
  const lines = log.trimEnd().split('\n');
  let receiptAt: number | null = null;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!line.includes('"msg":"kiosk state"')) continue;
    let entry: { time: number; to: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // a line still being written
    }
    if (receiptAt === null && entry.to === 'receipt') receiptAt = entry.time;
    else if (receiptAt !== null && entry.to === 'store') return receiptAt - entry.time;
  }
  return null;
}

type Status = { kind: 'pending' } | { kind: 'unknown'; sha256: string } | { kind: 'accepted'; sha256: string; sequence: number };

export interface CrashLoopResult {
  kills: number;
  killsByPhase: Record<string, number>;
  /** Students whose receipt the client saw. */
  accepted: number;
  /** Restarts after which the kiosk was idle and took the next student to the confirm screen. */
  servedAfterRestart: number;
  restartMs: number[];
  /** Students whose save was cut off (receipt not seen) and who were found already stored on retry. */
  storedUnseen: number;
  statuses: Map<number, Status>;
  log: string;
}

/**
 * Runs `kills` rounds: start, serve students until the round's kill moment, SIGKILL, repeat. Between
 * rounds the client goes on with the student it was serving (a retry) or the next one.
 */
export async function runCrashLoop(data: CrashData, o: { kills: number; seed: number; logFile: string }): Promise<CrashLoopResult> {
  const rand = seededRandom(o.seed);
  const statuses = new Map<number, Status>(data.students.map((_, i) => [i, { kind: 'pending' }]));
  const result: CrashLoopResult = { kills: 0, killsByPhase: {}, accepted: 0, servedAfterRestart: 0, restartMs: [], storedUnseen: 0, statuses, log: o.logFile };
  let next = 0;
  const storeMs: number[] = [];
  const firstRounds = [...killPhases].map((p) => ({ p, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.p);

  for (let round = 0; round < o.kills; round++) {
    // Every phase once first (in a shuffled order), then by weight: each run covers them all.
    const phase = round < firstRounds.length ? (firstRounds[round] as KillPhase) : pickPhase(rand);
    const server = await startServe(data, o.logFile);
    try {
      result.restartMs.push(server.startMs);
      const api = async (method: 'GET' | 'POST', path: string): Promise<{ status: number; body: KioskView & { error?: { code: string } } }> => {
        const res = await fetch(server.url + path, method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{}' } : { method });
        return { status: res.status, body: (await res.json()) as KioskView & { error?: { code: string } } };
      };
      const first = await api('GET', '/api/kiosk/state');
      if (first.body.state !== 'idle') throw new Error(`round ${round}: after restart the kiosk is in ${first.body.state}, not idle`);
      const kill = async (at: KillPhase, jitterMs = 0): Promise<never> => {
        if (jitterMs > 0) await sleep(jitterMs);
        await stop(server, 'SIGKILL');
        result.kills++;
        result.killsByPhase[at] = (result.killsByPhase[at] ?? 0) + 1;
        throw new Killed();
      };
      const waitFor = async (...states: string[]): Promise<KioskView> => {
        const until = Date.now() + 60_000;
        for (;;) {
          const v = (await api('GET', '/api/kiosk/state')).body;
          if (states.includes(v.state)) return v;
          if (Date.now() > until) throw new Error(`round ${round}: kiosk never reached ${states.join('|')}; last ${v.state} ${JSON.stringify(v.notice)}`);
          await sleep(15);
        }
      };
      let servedThisRound = false;
      try {
        // Students until the kill: usually the first one in this round.
        for (;;) {
          while (next < data.students.length && statuses.get(next)?.kind === 'accepted') next++;
          if (next >= data.students.length) throw new Error('the crash loop ran out of students; give it a larger roster');
          const i = next;
          const s = data.students[i] as RosterStudent;
          const scan = await fetch(`${server.url}/api/kiosk/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: s.code }) });
          if (scan.status !== 200) throw new Error(`round ${round}: scan answered ${scan.status}`);
          await waitFor('confirm', 'refused');
          const confirmed = await api('POST', '/api/kiosk/confirm');
          if (!servedThisRound) {
            servedThisRound = true;
            result.servedAfterRestart++;
          }
          if (confirmed.body.state === 'refused') {
            const st = statuses.get(i);
            if (confirmed.body.notice?.code === 'eligibility.already_captured' && st?.kind === 'unknown') {
              // Cut off after accept, but the commit had happened: stored, receipt never seen.
              statuses.set(i, { kind: 'accepted', sha256: st.sha256, sequence: -1 });
              result.storedUnseen++;
              await api('POST', '/api/kiosk/cancel');
              continue;
            }
            throw new Error(`round ${round}: student ${i} refused: ${JSON.stringify(confirmed.body.notice)}`);
          }
          if (phase === 'confirm') await kill('confirm', rand() * 200);
          if ((await api('POST', '/api/kiosk/confirm')).body.state !== 'pose') throw new Error(`round ${round}: dress check did not lead to pose`);
          if (phase === 'pose') await kill('pose', rand() * 200);
          let cd = await api('POST', '/api/kiosk/capture');
          // A room still settling after the restart (lights ramping on a slow machine) is refused
          // with "not ready": the student waits and presses again, as the kiosk asks.
          for (let wait = 0; cd.body.state !== 'countdown' && (cd.body.error?.code ?? cd.body.notice?.code) === 'kiosk.rig.not_ready' && wait < 60; wait++) {
            await new Promise((r) => setTimeout(r, 500));
            cd = await api('POST', '/api/kiosk/capture');
          }
          if (cd.body.state !== 'countdown') throw new Error(`round ${round}: capture answered ${cd.body.state} ${JSON.stringify(cd.body.error ?? cd.body.notice)}`);
          if (phase === 'countdown') await kill('countdown', rand() * (cd.body.countdownMs ?? 1000));
          // Back at pose instead: the shutter found the room unconfirmed (a board report late on a
          // loaded machine), took no photo and says so.
          const unconfirmed = (v: KioskView): boolean => v.state === 'pose' && v.notice?.code === 'kiosk.rig.not_ready';
          let reached: KioskView | null = null;
          if (phase === 'capture') {
            reached = await waitFor('capture', 'validate', 'review', 'pose');
            if (!unconfirmed(reached)) await kill('capture', rand() * 100);
          }
          if (phase === 'validate') {
            reached = await waitFor('validate', 'review', 'pose');
            if (!unconfirmed(reached)) await kill('validate', rand() * 300);
          }
          const review = reached && unconfirmed(reached) ? reached : await waitFor('review', 'pose');
          if (unconfirmed(review)) {
            // This student starts again, as one would press again.
            await api('POST', '/api/kiosk/cancel');
            await waitFor('idle');
            continue;
          }
          if (review.state !== 'review') throw new Error(`round ${round}: no review: ${JSON.stringify(review.notice)}`);
          if (review.session?.review?.verdict !== 'pass') {
            // The simulated subject now and then sits too far back: start this student again.
            await api('POST', '/api/kiosk/cancel');
            await waitFor('idle');
            continue;
          }
          const jpeg = Buffer.from(await (await fetch(`${server.url}/api/kiosk/review/deliverable.jpg`)).arrayBuffer());
          const sha256 = createHash('sha256').update(jpeg).digest('hex');
          const accepted = await api('POST', '/api/kiosk/accept');
          if (accepted.status !== 200) throw new Error(`round ${round}: accept answered ${accepted.status}`);
          statuses.set(i, { kind: 'unknown', sha256 });
          // Somewhere inside saving (archive writes, their fsyncs, the commit): the window is as long
          // as saves took so far on this machine, read from the server's own log.
          if (phase === 'store') await kill('store', rand() * (storeMs.length ? 1.2 * percentile(storeMs, 50) : 40));
          const receipt = await waitFor('receipt', 'see-staff');
          if (receipt.state !== 'receipt' || !receipt.session?.receipt) throw new Error(`round ${round}: storing failed: ${JSON.stringify(receipt.notice)}`);
          statuses.set(i, { kind: 'accepted', sha256, sequence: receipt.session.receipt.sequence });
          result.accepted++;
          const took = lastStoreMs(server.proc.stderr());
          if (took !== null) storeMs.push(took);
          if (phase === 'receipt') await kill('receipt', rand() * 200);
          await api('POST', '/api/kiosk/confirm');
          await waitFor('idle');
          if (phase === 'idle') await kill('idle', rand() * 50);
        }
      } catch (err) {
        if (!(err instanceof Killed)) throw err;
        if (!servedThisRound) throw new Error(`round ${round}: killed before the kiosk served a student`);
      }
    } finally {
      await stop(server, 'SIGKILL');
    }
  }
  return result;
}

export interface AfterCheck {
  verify: { ok: boolean; problems: Array<{ code: string; path: string | null; detail: string }> };
  /** Accepted students (receipt seen or found stored) missing from the export or with another hash. */
  lost: string[];
  exported: number;
}

/** One clean start (recovery runs), a clean stop, then `rig verify --json` and the day's export. */
export async function checkAfterLoop(data: CrashData, result: CrashLoopResult): Promise<AfterCheck & { cleanStartMs: number }> {
  const server = await startServe(data, result.log);
  const cleanStartMs = server.startMs;
  await stop(server, 'SIGTERM');
  const rig = (...args: string[]) => spawnSync(process.execPath, [join(projectRoot, 'bin', 'rig.js'), '--config', data.config, '--data', data.dir, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 300_000 });
  const v = rig('verify', '--json');
  const verify = JSON.parse(v.stdout || '{"ok":false,"problems":[{"code":"no-output","path":null,"detail":""}]}') as AfterCheck['verify'];
  if ((v.status === 0) !== verify.ok) throw new Error(`rig verify exit ${v.status} disagrees with ok=${verify.ok}`);
  const byName = new Map<string, string>();
  for (const day of data.days) {
    const zip = join(data.dir, '..', `export-${day}.zip`);
    const e = rig('export', '--date', day, '--out', zip);
    if (e.status !== 0) throw new Error(`rig export failed: ${e.stderr}`);
    const sums = spawnSync('unzip', ['-p', zip, 'SHA256SUMS'], { encoding: 'utf8' });
    // A day without photos gives an archive without SHA256SUMS.
    for (const line of sums.status === 0 ? sums.stdout.split('\n') : []) {
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line.trim());
      if (m?.[1] && m[2]?.endsWith('.jpg')) byName.set(m[2].replace(/^photos\//, ''), m[1]);
    }
  }
  const lost: string[] = [];
  for (const [i, st] of result.statuses) {
    if (st.kind !== 'accepted') continue;
    const s = data.students[i] as RosterStudent;
    const got = byName.get(`${s.idNumber}.jpg`);
    if (got !== st.sha256) lost.push(`${s.idNumber}: ${got ? `export has ${got}, client saw ${st.sha256}` : 'not in the export'}`);
  }
  return { verify, lost, exported: byName.size, cleanStartMs };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
