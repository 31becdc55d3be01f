/**
 * `npm run bench -- crash [KILLS]`: the crash loop of test/faults/crash-loop.test.ts with KILLS
 * (default 100) SIGKILLs of `rig serve` at random moments of the student flow.
 * Prints kills (per phase), photos accepted (receipt seen), lost (must be 0), the time from a restart
 * after SIGKILL to the kiosk answering (p50/p95), and the same for cold starts of the same data
 * folder after a clean stop (the baseline, median of five).
 * ratio = p95(restart after a kill -> kiosk answering) / median(cold start without a crash).
 */
import { join } from 'node:path';
import { checkAfterLoop, percentile, prepareCrashData, runCrashLoop, startServe, stop } from '../support/crash-loop.ts';
import { artifactsDir } from '../support/paths.ts';

const kills = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
const data = await prepareCrashData(Math.max(200, kills * 3));
const logFile = join(artifactsDir, 'crash-bench.log');
try {
  const result = await runCrashLoop(data, { kills, seed, logFile });
  const after = await checkAfterLoop(data, result);
  const cold = [after.cleanStartMs];
  for (let i = 0; i < 4; i++) {
    const s = await startServe(data, logFile);
    cold.push(s.startMs);
    await stop(s, 'SIGTERM');
  }
  const baseline = percentile(cold, 50);
  const p95 = percentile(result.restartMs.slice(1), 95);
  console.log(`seed: ${seed}`);
  console.log(`kills: ${result.kills} (${Object.entries(result.killsByPhase).map(([p, n]) => `${p} ${n}`).join(', ')})`);
  console.log(`accepted: ${result.accepted} (receipt seen) + ${result.storedUnseen} stored while cut off; exported: ${after.exported}`);
  console.log(`lost: ${after.lost.length}${after.lost.length ? ` (${after.lost.slice(0, 3).join('; ')})` : ''}`);
  console.log(`rig verify: ${after.verify.ok ? 'clean' : `${after.verify.problems.length} problem(s): ${after.verify.problems.slice(0, 3).map((p) => p.code).join(', ')}`}`);
  console.log(`served the next student after every restart: ${result.servedAfterRestart === result.kills ? 'yes' : `no (${result.servedAfterRestart}/${result.kills})`}`);
  console.log(`restart after SIGKILL -> kiosk answering: p50 ${(percentile(result.restartMs.slice(1), 50) / 1000).toFixed(2)} s, p95 ${(p95 / 1000).toFixed(2)} s`);
  console.log(`cold start without a crash: ${(baseline / 1000).toFixed(2)} s (median of ${cold.length})`);
  console.log(`ratio: ${(p95 / baseline).toFixed(2)}`);
  if (after.lost.length || !after.verify.ok) process.exitCode = 1;
} finally {
  data.cleanup();
}
