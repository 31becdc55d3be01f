import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rigInProcess } from '../../support/rig.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-cli-inproc-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function rig(...args: string[]): Promise<{ stdout: string; exitCode: number }> {
  vi.stubEnv('RIG_CONFIG', '');
  const r = await rigInProcess([...args, '--data', dir]);
  return { stdout: r.stdout, exitCode: r.code };
}

const certArgs = [
  'makeup', 'cert', 'add', '--id-number', '11010519990307008x', '--name', '林晓雨', '--gender', '女', '--education-level', '本科',
  '--address', '示例路 1 号', '--postcode', '100000', '--contact-person', '王老师', '--phone', '010-12345678',
];

describe('rig config show', () => {
  it('prints the effective configuration with the environment and --data applied', async () => {
    const r = await rig('config', 'show', '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: dir, timeZone: 'Asia/Shanghai', kiosk: { host: '127.0.0.1' } });
  });
});

describe('rig makeup and rig audit', () => {
  it('adds a make-up window with the default hours and lists it', async () => {
    expect((await rig('makeup', 'window', 'add', '--from', '2026-06-15', '--to', '2026-06-19')).exitCode).toBe(0);
    const listed = JSON.parse((await rig('makeup', 'window', 'list', '--json')).stdout) as unknown;
    expect(listed).toMatchObject([
      { startDate: '2026-06-15', endDate: '2026-06-19', weekdays: [1, 2, 3, 4, 5], periods: [{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }] },
    ]);
  });

  it('records a certificate with the school from the configuration and masks the ID number in the table', async () => {
    expect((await rig(...certArgs)).exitCode).toBe(0);
    const table = (await rig('makeup', 'cert', 'list')).stdout;
    expect(table).toContain('林晓雨');
    expect(table).toContain('110105********008X');
    expect(table).not.toContain('11010519990307008X');
    const json = JSON.parse((await rig('makeup', 'cert', 'list', '--json')).stdout) as unknown;
    expect(json).toMatchObject([{ idNumber: '11010519990307008X', schoolCode: '10000', schoolName: '示例大学', revokedAt: null }]);
  });

  it('revokes a certificate once, and the audit log shows every change without full ID numbers', async () => {
    expect((await rig('makeup', 'cert', 'revoke', '1', '--reason', 'issued to the wrong student')).exitCode).toBe(0);
    expect((await rig('makeup', 'cert', 'revoke', '1')).exitCode).toBe(1);
    expect(JSON.parse((await rig('makeup', 'cert', 'list', '--json')).stdout)).toEqual([]);
    const audit = JSON.parse((await rig('audit', '--action', 'makeup', '--json')).stdout) as Array<{ action: string; actor: string; details: unknown }>;
    expect(audit.map((a) => a.action)).toEqual(['makeup.cert.revoke', 'makeup.cert.add', 'makeup.window.add']);
    expect(audit[0]).toMatchObject({ actor: expect.stringMatching(/^cli/), details: { reason: 'issued to the wrong student' } });
    expect(JSON.stringify(audit)).not.toContain('11010519990307008X');
  });

  it('adds a slot, refuses an overlapping one in the same room, and lists by department', async () => {
    expect((await rig('schedule', 'add', '--room', 'A101', '--department', '化学学院', '--date', '2026-06-10', '--start', '08:30', '--end', '11:30')).exitCode).toBe(0);
    const clash = await rig('schedule', 'add', '--room', 'A101', '--class', '物理2201', '--date', '2026-06-10', '--start', '11:00', '--end', '12:00', '--json');
    expect(clash.exitCode).toBe(1);
    expect(JSON.parse(clash.stdout)).toMatchObject({ errors: [{ code: 'schedule.room_overlap' }] });
    const listed = JSON.parse((await rig('schedule', 'list', '--department', '化学学院', '--json')).stdout) as unknown;
    expect(listed).toMatchObject([{ room: 'A101', start: '08:30', end: '11:30' }]);
    expect((await rig('schedule', 'list', '--date', '2026/6/10', '--json')).stdout).toContain('A101');
    expect((await rig('schedule', 'list', '--date', 'tomorrow')).exitCode).toBe(1);
  });
});
