/**
 * Crash loop: `rig serve` SIGKILLed at random moments of the student flow (confirm, pose, countdown,
 * capture, validation, a few ms into saving, the receipt, idle) 30 times, restarted each time.
 * Afterwards `rig verify` is clean, every photo whose receipt the client saw is in the day's export
 * with the hash it was shown, and after every restart the kiosk was idle and served the next student.
 * RIG_CRASH_SEED replays a run (the seed is printed on failure).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAfterLoop, killPhases, prepareCrashData, runCrashLoop, type CrashData } from '../support/crash-loop.ts';
import { artifactsDir } from '../support/paths.ts';

const kills = 30;
const seed = Number(process.env.RIG_CRASH_SEED ?? Date.now() % 1_000_000);
let data: CrashData | undefined;
afterAll(() => data?.cleanup());

describe('crash loop', () => {
  it(`loses no accepted photo across ${kills} SIGKILLs (seed ${seed})`, async () => {
    data = await prepareCrashData(200);
    const logFile = join(artifactsDir, 'crash-loop.log');
    const result = await runCrashLoop(data, { kills, seed, logFile });
    expect(result.kills).toBe(kills);
    expect(result.servedAfterRestart).toBe(kills);
    // Every phase was hit (the first rounds go through each once), so photos were put at risk:
    // kills during saving, and photos accepted before a kill.
    expect(Object.keys(result.killsByPhase).sort()).toEqual([...killPhases].sort());
    expect(result.accepted).toBeGreaterThan(0);

    const after = await checkAfterLoop(data, result);
    expect(after.verify.problems, `seed ${seed}, log ${logFile}`).toEqual([]);
    expect(after.verify.ok).toBe(true);
    expect(after.lost, `seed ${seed}`).toEqual([]);
    expect(after.exported).toBeGreaterThanOrEqual(result.accepted + result.storedUnseen);
  }, 1_800_000);
});
