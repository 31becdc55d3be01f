/**
 * `rig serve` puts the room's status on the staff listener (behind the login): readiness as the
 * kiosk judges it, the readings and the firmware's health of the rig the kiosk runs (here the
 * virtual board, as no board is plugged in).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomStatus } from '../../controller/src/server/staff/room-status.ts';
import { projectRoot } from '../support/paths.ts';
import { startServe, type ServeProcess } from '../support/rig-serve.ts';

let dir: string;
let serve: ServeProcess;
let token: string;

function rig(args: string[], input?: string) {
  return spawnSync(process.execPath, [join(projectRoot, 'bin', 'rig.js'), '--data', dir, ...args], { input, encoding: 'utf8', env: { ...process.env, RIG_CONFIG: '' } });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-room-status-'));
  const add = rig(['staff', 'add', 'tech.li', '--role', 'technician', '--password-stdin'], 'a long enough secret\n');
  expect(add.status, add.stderr).toBe(0);
  const issued = rig(['staff', 'token', 'tech.li']);
  expect(issued.status, issued.stderr).toBe(0);
  token = issued.stdout.trim();
  serve = await startServe({ dataDir: dir, env: { RIG_RIG_DRIVER: 'simulated' } });
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('room status on the staff listener of rig serve', () => {
  it('answers signed-in staff with readiness, readings and firmware health; nobody else', async () => {
    expect((await fetch(`${serve.staffUrl}/api/room/status`)).status).toBe(401);
    const res = await fetch(`${serve.staffUrl}/api/room/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as RoomStatus;
    expect(body.driver).toMatchObject({ driver: 'simulated', simulated: true });
    expect(body.readiness).toMatchObject({ ready: true, reasons: [], scene: 'standby' });
    expect(body.readings.door?.value).toBe('closed');
    expect(body.readings.seat?.value).toBe('empty');
    expect(body.readings.boardTemperatureC?.value).toBeGreaterThan(20);
    expect(body.health?.firmware).toBe('rig-firmata');
  });
});
