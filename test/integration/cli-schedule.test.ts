import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../controller/src/store/database.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { listSlots } from '../../controller/src/store/schedule-repository.ts';

const run = promisify(execFile);
// The caller's own RIG_* settings must not leak into what the tests expect.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RIG_')));
const root = new URL('../../', import.meta.url).pathname;
let dir = '';

/** Runs `node bin/rig.js ARGS --data DIR` as a user would; never throws, returns the exit code. */
async function rig(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/rig.js', ...args, '--data', dir], {
      cwd: root,
      env: { ...cleanEnv, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each run starts Node with tsx; on a busy two-core machine that takes seconds, hence the long timeout.
describe('rig CLI as a subprocess', { timeout: 120_000 }, () => {
  it('stops on a bad configuration with every problem by path and exit code 78', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rig:\n  lights:\n    key: { pin: high }\nkiosk: { host: 0.0.0.0 }\nextra: 1\n');
    const r = await rig(['--config', file, 'config', 'check'], { RIG_STAFF_PORT: 'x' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('rig.lights.key.pin: 类型应为 integer / expected integer');
    expect(r.stderr).toContain('kiosk.host:');
    expect(r.stderr).toContain('extra: 未知的设置项 / unknown key');
    expect(r.stderr).toContain('staff.port: 类型应为 integer / expected integer [RIG_STAFF_PORT]');
  });

  it('imports slots all or nothing and audits the import', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '地点,院系,日期,开始时间,结束时间\nA101,化学学院,2026-06-10,08:30,11:30\nA101,化学学院,2026-06-31,08:30,11:30\n');
    const refused = await rig(['schedule', 'import', bad, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      added: 0,
      unchanged: 0,
      errors: [{ row: 3, column: '日期', code: 'schedule.bad_date', message: expect.stringContaining('YYYY-MM-DD') }],
    });

    const good = join(dir, 'good.csv');
    writeFileSync(good, '地点,院系,班级,日期,开始时间,结束时间\nA101,化学学院,,2026-06-10,08:30,11:30\nA101,,化学2201,2026-06-10,14:30,15:00\n');
    const imported = await rig(['schedule', 'import', good]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('新增 2');

    const db = await Database.open(join(dir, 'rig.db'));
    try {
      expect((await listAudit(db, { action: 'schedule' })).map((a) => a.action)).toEqual(['schedule.import']);
      expect(await listSlots(db, { date: '2026-06-10' })).toHaveLength(2);
    } finally {
      await db.close();
    }
  });

  it('records a make-up certificate and refuses a bad one with the field named', async () => {
    const add = await rig([
      'makeup', 'cert', 'add', '--id-number', '11010519990307008x', '--name', '林晓雨', '--gender', '女',
      '--education-level', '本科', '--address', '示例路 1 号', '--postcode', '12', '--contact-person', '王老师', '--phone', '010-12345678',
    ]);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('postcode: 邮政编码应为 6 位数字');
  });
});
