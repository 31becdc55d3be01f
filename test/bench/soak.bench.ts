/**
 * `npm run bench -- soak [STUDENTS]`: STUDENTS (default 1,000) generated students walked through the
 * whole flow over the kiosk HTTP API (scan, confirm, dress check, shutter, review, accept, receipt)
 * against the real imaging engine, real SQLite and the archive on disk, in one kiosk process.
 *
 * The client answers every screen the moment it appears and the countdown is 0, so the wall time per
 * student is what the machine itself makes a student wait: the "non-human" seconds (target <= 1.0).
 * State changes are timed inside the process (the controller's subscription), not by polling.
 * Figures: students per hour at that pace, p50/p95 shutter -> review, RSS after warm-up and at the
 * end (flat within 10 %), and the engine's own time per shot, the baseline of `ratio:`
 * (non-human seconds per student / validation alone, p50).
 */
import pino from 'pino';
import { defaultSessionSettings, startKioskRuntime } from '../../controller/src/server/compose.ts';
import type { KioskView } from '../../controller/src/app/kiosk/kiosk-view.ts';
import { percentile, prepareCrashData } from '../support/crash-loop.ts';
import { projectRoot } from '../support/paths.ts';
import { timedValidator } from '../support/timed-validator.ts';

const students = Number(process.argv[2] ?? 1000);
const warmup = Math.min(20, Math.floor(students / 10));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const { validator: timed, times: validations } = await timedValidator();

const data = await prepareCrashData(students);
const runtime = await startKioskRuntime({
  dataDir: data.dir, demo: false, projectRoot, logger: pino({ level: 'silent' }), validator: timed,
  school: { code: '10499', name: '测试大学' }, timeZone: 'Asia/Shanghai', profile: 'chsi-2017',
  session: { ...defaultSessionSettings, countdownMs: 0 },
  camera: { failureRate: 0, seed: 9, captureDelayMs: 0 }, storage: { minFreeBytes: 1 },
  // The identity checks run (their time is the machine's), but one simulated subject sits for every
  // student: a match only warns staff, as in demo mode, instead of holding each capture.
  identity: { onMatch: 'warn' },
});
// The simulated camera's own time (rendering a frame) is part of shutter -> review but stands in for
// a DSLR's; shown separately.
const captures: number[] = [];
const shoot = runtime.camera.capture.bind(runtime.camera);
runtime.camera.capture = async (options) => {
  const t = performance.now();
  try {
    return await shoot(options);
  } finally {
    captures.push(performance.now() - t);
  }
};
const url = await runtime.app.listen({ host: '127.0.0.1', port: 0 });

// Every state change, stamped where it happens; the client waits on these instead of polling.
let waiting: { states: string[]; resolve: (v: KioskView) => void } | null = null;
let last: KioskView = runtime.controller.view();
const entered = new Map<string, number>();
runtime.controller.subscribe((v) => {
  if (v.state !== last.state) entered.set(v.state, performance.now());
  last = v;
  if (waiting && waiting.states.includes(v.state)) {
    const w = waiting;
    waiting = null;
    w.resolve(v);
  }
});
function until(...states: string[]): Promise<KioskView> {
  if (states.includes(last.state)) return Promise.resolve(last);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never reached ${states.join('|')}; in ${last.state} ${JSON.stringify(last.notice)}`)), 60_000);
    waiting = { states, resolve: (v) => { clearTimeout(timer); resolve(v); } };
  });
}
async function post(path: string, body?: unknown): Promise<void> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

const shutterToReview: number[] = [];
let retakes = 0;
let rssStart = 0;
let t0 = 0;
try {
  for (let i = 0; i < students; i++) {
    if (i === warmup) {
      gc();
      rssStart = process.memoryUsage().rss;
      t0 = performance.now();
    }
    const s = data.students[i];
    if (!s) throw new Error('roster too small');
    await post('/api/kiosk/scan', { code: s.code });
    await until('confirm');
    await post('/api/kiosk/confirm');
    await until('dress');
    await post('/api/kiosk/confirm');
    await until('pose');
    // Retakes when the simulated subject sits too far back, as a student would (counted in the time).
    for (let shot = 0; ; shot++) {
      await post('/api/kiosk/capture');
      const review = await until('review', 'pose');
      if (review.state !== 'review') throw new Error(`student ${i}: ${JSON.stringify(review.notice)}`);
      shutterToReview.push((entered.get('review') ?? 0) - (entered.get('capture') ?? 0));
      if (review.session?.review?.verdict === 'pass') break;
      retakes++;
      if (shot >= 3) throw new Error(`student ${i}: no passing shot: ${JSON.stringify(review.session?.review?.findings.map((f) => f.reason))}`);
      await post('/api/kiosk/retake');
      await until('pose');
    }
    await post('/api/kiosk/accept');
    const receipt = await until('receipt', 'see-staff');
    if (receipt.state !== 'receipt') throw new Error(`student ${i}: storing failed ${JSON.stringify(receipt.notice)}`);
    await post('/api/kiosk/confirm');
    await until('idle');
    if ((i + 1) % 100 === 0) process.stderr.write(`${i + 1}/${students}\n`);
  }
  const measured = students - warmup;
  const wall = (performance.now() - t0) / 1000;
  gc();
  const rssEnd = process.memoryUsage().rss;
  const perStudent = wall / measured;
  const validation = percentile(validations, 50) / 1000;
  const mb = (n: number): string => (n / 1048576).toFixed(1);
  const stored = await runtime.db.get<{ n: number }>('SELECT count(*) AS n FROM accepted_photos');
  console.log(`students: ${students} (${warmup} warm-up, ${measured} measured), stored: ${stored?.n ?? 0}, retakes: ${retakes}`);
  console.log(`students per hour: ${Math.round(3600 / perStudent)} (client answers at once, countdown 0)`);
  console.log(`shutter -> review: p50 ${percentile(shutterToReview, 50).toFixed(0)} ms, p95 ${percentile(shutterToReview, 95).toFixed(0)} ms`);
  console.log(`validation alone: p50 ${(validation * 1000).toFixed(0)} ms; simulated camera: p50 ${percentile(captures, 50).toFixed(0)} ms`);
  console.log(`RSS: start ${mb(rssStart)} MB, end ${mb(rssEnd)} MB (${(((rssEnd - rssStart) / rssStart) * 100).toFixed(1)} %)`);
  console.log(`ratio: ${(perStudent / validation).toFixed(2)}`);
  console.log(`non-human seconds per student: ${perStudent.toFixed(3)}`);
} finally {
  await runtime.close();
  await timed.close();
  data.cleanup();
}
