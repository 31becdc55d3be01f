/**
 * `npm run bench -- calibration [STARTS] [SEED]`: auto-calibration in the simulated room from STARTS
 * (default 20) random starting rooms (each light 5-100 %, ISO among the allowed), full-size stills
 * (1200x1600) of the calibration dummy, the loop's own rule. Prints the distribution of shots to
 * converge and the time per shot, then `max shots: N` (the issue's target: <= 8).
 * ratio = mean shots from the random starts / shots from the reference room (already calibrated),
 * measured in the same run: how many shots a badly set room costs over a check of a good one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../controller/src/store/database.ts';
import { SqlCalibrationProfiles } from '../../controller/src/store/calibration-repository.ts';
import { seededRandom } from '../../controller/src/domain/seeded-random.ts';
import { defaultCalibration } from '../../controller/src/domain/lighting.ts';
import { calibrationInRoom } from '../support/calibration-parts.ts';

const starts = Number(process.argv[2] ?? 20);
const seed = Number(process.argv[3] ?? 20261201);

const dir = await mkdtemp(join(tmpdir(), 'cal-bench-'));
const db = await Database.open(join(dir, 'rig.db'));
try {
  const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db), { stillSize: { width: 1200, height: 1600 } });
  const random = seededRandom(seed);
  const isos = ['100', '200', '400'];

  // Baseline: the reference room (the default calibration's levels) only needs confirming.
  const ref = { key: defaultCalibration.levels.key ?? 80, fill: defaultCalibration.levels.fill ?? 60, background: defaultCalibration.levels.background ?? 70 };
  await calibration.setLights(ref);
  await calibration.setCamera({ iso: '100' });
  const baseline = await calibration.autoCalibrate();
  const baselineShots = baseline.steps.length;

  const shots: number[] = [];
  const outcomes = new Map<string, number>();
  let shotMs = 0;
  for (let i = 0; i < starts; i++) {
    const start = { key: 5 + random() * 95, fill: 5 + random() * 95, background: 5 + random() * 95 };
    await rig.setLights(start);
    await calibration.setLights(start);
    await calibration.setCamera({ iso: isos[Math.floor(random() * isos.length)] ?? '100' });
    const t0 = performance.now();
    const run = await calibration.autoCalibrate();
    shotMs += performance.now() - t0;
    shots.push(run.steps.length);
    outcomes.set(run.outcome.reason, (outcomes.get(run.outcome.reason) ?? 0) + 1);
  }
  await camera.close();

  const total = shots.reduce((a, b) => a + b, 0);
  const histogram = new Map<number, number>();
  for (const n of shots) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  console.log(`random starts: ${starts} (seed ${seed}); reference room: ${baselineShots} shot(s), ${baseline.outcome.reason}`);
  for (const [n, count] of [...histogram].sort((a, b) => a[0] - b[0])) console.log(`  ${String(n).padStart(2)} shots: ${'#'.repeat(count)} ${count}`);
  console.log(`outcomes: ${[...outcomes].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  console.log(`mean shots: ${(total / starts).toFixed(2)}; time per shot (render, measure, rule, lights): ${(shotMs / total).toFixed(0)} ms`);
  console.log(`max shots: ${Math.max(...shots)}`);
  console.log(`ratio: ${(total / starts / baselineShots).toFixed(2)}`);
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
