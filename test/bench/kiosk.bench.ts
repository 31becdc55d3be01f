/**
 * `npm run bench -- kiosk [RUNS]`: the kiosk in Chromium against the simulated camera and the real
 * imaging engine, RUNS times (default 50): scan -> identity screen, and shutter -> review screen
 * (countdown set to 0, so this is capture + validation + storage of the attempt + rendering).
 * Baseline measured in the same run: the validator's own time per shot.
 * ratio = p50(shutter -> review) / p50(validation alone): how much the kiosk adds around the engine
 * (1.0 would be no overhead at all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { defaultSessionSettings, startKioskRuntime } from '../../controller/src/server/compose.ts';
import { buildUi } from '../../scripts/build-ui.mjs';
import { launchChromium, scanCode, waitForState } from '../support/browser.ts';
import { projectRoot } from '../support/paths.ts';
import { timedValidator } from '../support/timed-validator.ts';

const runs = Number(process.argv[2] ?? 50);

const { validator: timed, times: validations } = await timedValidator();

await buildUi();
const dataDir = mkdtempSync(join(tmpdir(), 'rig-bench-'));
const runtime = await startKioskRuntime({
  dataDir, demo: true, projectRoot, logger: pino({ level: 'silent' }), validator: timed,
  school: { code: '10000', name: '演示大学' }, timeZone: 'Asia/Shanghai', profile: 'chsi-2017',
  session: { ...defaultSessionSettings, countdownMs: 0, retakeLimit: 1000 },
  camera: { failureRate: 0.25, seed: 5, captureDelayMs: 0 }, uiDir: join(projectRoot, 'kiosk-ui', 'dist'),
});
// Time the simulated camera too: it is part of shutter -> review but not of the product's own work.
const captures: number[] = [];
const shoot = runtime.camera.capture.bind(runtime.camera);
runtime.camera.capture = async () => {
  const t = performance.now();
  try {
    return await shoot();
  } finally {
    captures.push(performance.now() - t);
  }
};
const url = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
// Times are taken inside the page (Playwright's own waits poll with growing intervals and would
// measure their polling): the Enter key, the shutter press, each state change, the review photo load.
await page.addInitScript(() => {
  const marks: Array<[string, number]> = [];
  (window as unknown as { kioskMarks: typeof marks }).kioskMarks = marks;
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') marks.push(['enter', performance.now()]); }, true);
  document.addEventListener('click', (e) => { if ((e.target as Element).closest('[data-testid="shutter"]')) marks.push(['shutter', performance.now()]); }, true);
  document.addEventListener('load', (e) => { if ((e.target as Element).matches?.('[data-testid="review-photo"]')) marks.push(['photo', performance.now()]); }, true);
  document.addEventListener('DOMContentLoaded', () => {
    const app = document.getElementById('app');
    if (app) new MutationObserver(() => marks.push([`state:${app.dataset.kioskState}`, performance.now()])).observe(app, { attributes: true, attributeFilter: ['data-kiosk-state'] });
  });
});
type Marks = Array<[string, number]>;
const takeMarks = (): Promise<Marks> => page.evaluate(() => (window as unknown as { kioskMarks: Marks }).kioskMarks.splice(0));
const between = (marks: Marks, from: string, to: string): number => {
  const a = marks.find((m) => m[0] === from)?.[1];
  const b = marks.find((m) => m[0] === to && m[1] >= (a ?? 0))?.[1];
  if (a === undefined || b === undefined) throw new Error(`no ${from} -> ${to} in ${JSON.stringify(marks)}`);
  return b - a;
};
await page.goto(url);
await waitForState(page, 'idle');
const code = runtime.demoStudents[0]?.collectionCode ?? '';

const scanToIdentity: number[] = [];
const shutterToReview: number[] = [];
const fps: number[] = [];
try {
  for (let i = 0; i < runs + 1; i++) {
    await takeMarks();
    await scanCode(page, code);
    await waitForState(page, 'confirm');
    const identity = between(await takeMarks(), 'enter', 'state:confirm');
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('dress-ready').click();
    await waitForState(page, 'pose');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="preview"]')?.getAttribute('data-fps')) > 0);
    if (i > 0) await page.waitForTimeout(1000).then(async () => fps.push(Number(await page.getByTestId('preview').getAttribute('data-fps'))));
    await takeMarks();
    await page.getByTestId('shutter').click();
    await waitForState(page, 'review');
    await page.waitForFunction(() => ((document.querySelector('[data-testid="review-photo"]') as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
    const review = between(await takeMarks(), 'shutter', 'photo');
    // The first round warms the browser and the engine up; it is not counted.
    if (i > 0) {
      scanToIdentity.push(identity);
      shutterToReview.push(review);
    } else {
      validations.length = 0;
      captures.length = 0;
    }
    await page.locator('.review [data-testid="retake"]').waitFor();
    const r = await fetch(`${url}/api/kiosk/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!r.ok) throw new Error(`cancel failed: ${r.status}`);
    await waitForState(page, 'idle');
  }
} finally {
  await browser.close();
  await runtime.close();
  await timed.close();
  rmSync(dataDir, { recursive: true, force: true });
}

function pct(list: number[], p: number): number {
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const f = (n: number): string => n.toFixed(1);
const p50v = pct(validations, 50);
const p50r = pct(shutterToReview, 50);
console.log(`runs: ${shutterToReview.length} (simulated camera, 1200x1600 stills, real imaging engine, Chromium)`);
console.log(`scan -> identity screen    p50 ${f(pct(scanToIdentity, 50))} ms   p95 ${f(pct(scanToIdentity, 95))} ms`);
console.log(`shutter -> review screen   p50 ${f(p50r)} ms   p95 ${f(pct(shutterToReview, 95))} ms`);
console.log(`validation alone           p50 ${f(p50v)} ms   p95 ${f(pct(validations, 95))} ms`);
console.log(`simulated camera capture     p50 ${f(pct(captures, 50))} ms   p95 ${f(pct(captures, 95))} ms`);
console.log(`the rest (state changes, storing the attempt, SSE, drawing the review, loading its photo) p50 ~ ${f(p50r - p50v - pct(captures, 50))} ms`);
console.log(`validation share of shutter -> review (p50): ${((p50v / p50r) * 100).toFixed(0)} %`);
console.log(`live preview in the browser: p50 ${pct(fps, 50)} fps, min ${Math.min(...fps)} fps`);
console.log(`(shutter -> review minus the simulated camera) / validation alone, p50: ${((p50r - pct(captures, 50)) / p50v).toFixed(2)}`);
console.log(`ratio: ${(p50r / p50v).toFixed(2)}`);
