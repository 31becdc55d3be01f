import { describe, expect, it } from 'vitest';
import { rigInProcess } from '../../support/rig.ts';

describe('rig board', () => {
  it('status --json names the virtual board and its readiness', async () => {
    const r = await rigInProcess(['board', 'status', '--driver', 'simulated', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as {
      driver: { driver: string; simulated: boolean }; ready: boolean; health: { firmware: string };
      readings: { seat: { value: string } | null; boardTemperatureC: { value: number } | null };
    };
    expect(body.driver).toMatchObject({ driver: 'simulated', simulated: true });
    expect(body.health.firmware).toBe('rig-firmata');
    // The default configuration wires a seat switch; the room model's seat is empty and its board at 30 C.
    expect(body.readings.seat?.value).toBe('empty');
    expect(body.readings.boardTemperatureC?.value).toBeCloseTo(30, -1);
  });

  it('lights sets levels and waits until the board confirms them', async () => {
    const r = await rigInProcess(['board', 'lights', '--driver', 'simulated', '--key', '55', '--fill', '20', '--ramp', '200', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { confirmed: boolean; readings: { lights: Record<string, { value: number }> } };
    expect(body.confirmed).toBe(true);
    expect(body.readings.lights.key?.value).toBeCloseTo(55, 0);
    expect(body.readings.lights.fill?.value).toBeCloseTo(20, 0);
  });

  it('refuses a level outside 0-100 % and a command with no light', async () => {
    expect((await rigInProcess(['board', 'lights', '--driver', 'simulated', '--key', '120'])).code).toBe(64);
    expect((await rigInProcess(['board', 'lights', '--driver', 'simulated'])).code).toBe(64);
  });

  it('watch prints the asked number of lines', async () => {
    const r = await rigInProcess(['board', 'watch', '--driver', 'simulated', '--count', '3', '--interval', '50', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('fails with a coded message when the named port has no board', async () => {
    const r = await rigInProcess(['board', 'status', '--driver', 'board', '--port', '/dev/null-no-such-port']);
    expect(r.code).toBe(69);
  });
});
