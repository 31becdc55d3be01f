import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../controller/src/store/database.ts';
import { SqlCalibrationProfiles } from '../../../controller/src/store/calibration-repository.ts';
import { seededRandom } from '../../../controller/src/domain/seeded-random.ts';
import { calibrationInRoom } from '../../support/calibration-parts.ts';

let dir: string;
let db: Database;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cal-'));
  db = await Database.open(join(dir, 'rig.db'));
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('auto-calibration in the simulated room', () => {
  it('converges from 20 random starting rooms within 8 shots each', async () => {
    const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
    const random = seededRandom(20261201);
    const isos = ['100', '200', '400'];
    const shots: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = { key: 5 + random() * 95, fill: 5 + random() * 95, background: 5 + random() * 95 };
      await rig.setLights(start);
      await calibration.setLights(start);
      await calibration.setCamera({ iso: isos[Math.floor(random() * isos.length)] ?? '100' });
      const run = await calibration.autoCalibrate();
      expect(run.outcome.reason, `start ${JSON.stringify(start)}: ${JSON.stringify(run.steps.map((s) => [s.settings.lights, s.targets.map((t) => t.value)]))}`).toBe('calibration.converged');
      shots.push(run.steps.length);
    }
    expect(Math.max(...shots)).toBeLessThanOrEqual(8);
    await camera.close();
  }, 240_000);

  it('converges from all lights at 10 % and the background at 100 %', async () => {
    const { camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
    await calibration.setLights({ key: 10, fill: 10, background: 100 });
    const run = await calibration.autoCalibrate();
    expect(run.converged).toBe(true);
    const last = run.steps.at(-1)!;
    expect(last.targets.every((t) => t.passed)).toBe(true);
    // Each step carries its figures for the page.
    expect(run.steps[0]!.figures.background!.cells.length).toBe(8);
    await camera.close();
  }, 60_000);

  it('stops and names the channel when the background lamp does not respond', async () => {
    const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
    rig.room.setLampOutput('background', 0);
    await calibration.setLights({ key: 60, fill: 60, background: 30 });
    const run = await calibration.autoCalibrate();
    expect(run.outcome).toEqual({ reason: 'calibration.channel_unresponsive', params: { channel: 'background' } });
    expect(run.steps.length).toBeLessThanOrEqual(5);
    await camera.close();
  }, 60_000);

  for (const channel of ['key', 'fill'] as const) {
    it(`stops and names the ${channel} light when it does not respond`, async () => {
      const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
      rig.room.setLampOutput(channel, 0);
      await calibration.setLights({ key: 80, fill: 60, background: 70 });
      const run = await calibration.autoCalibrate();
      expect(run.outcome).toEqual({ reason: 'calibration.channel_unresponsive', params: { channel } });
      await camera.close();
    }, 60_000);
  }

  it('says the background light is at 100 % and still too dark when its lamp is dead from a well-lit start', async () => {
    const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
    rig.room.setLampOutput('background', 0);
    await calibration.setLights({ key: 80, fill: 60, background: 70 });
    const run = await calibration.autoCalibrate();
    expect(run.outcome).toEqual({ reason: 'calibration.background_too_dark', params: { level: 100 } });
    await camera.close();
  }, 60_000);

  it('refuses to start while daylight comes in, and says so', async () => {
    const { rig, camera, calibration } = await calibrationInRoom(new SqlCalibrationProfiles(db));
    rig.room.setDaylight(2000);
    const run = await calibration.autoCalibrate();
    expect(run.outcome.reason).toBe('calibration.daylight');
    expect(run.steps).toEqual([]);
    await camera.close();
  });
});
