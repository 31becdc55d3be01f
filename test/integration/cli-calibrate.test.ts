/** `rig calibrate` on the configured devices: here the simulated camera in the virtual board's room. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rigInProcess, rigProcess } from '../support/rig.ts';

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'rig-calibrate-cli-'));
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

describe('rig calibrate', () => {
  it('--auto --save NAME --json converges, prints each step and saves the profile', async () => {
    const r = await rigInProcess(['--data', data, 'calibrate', '--auto', '--save', '一号房', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.run.outcome.reason).toBe('calibration.converged');
    expect(out.run.steps.length).toBeGreaterThan(0);
    expect(out.run.steps[0].figures.histogram).toHaveLength(64);
    expect(out.profile).toMatchObject({ name: '一号房', active: false });
  }, 120_000);

  it('refuses a name already taken, in words (exit 65)', async () => {
    const r = rigProcess(['--data', data, 'calibrate', '--save', '一号房']);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('已有同名校准方案');
  }, 120_000);
});
