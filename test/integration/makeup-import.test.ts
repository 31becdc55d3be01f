/**
 * Staff import of make-up windows (issue 15): XLSX or CSV through the staff API (preview with dryRun,
 * every bad row listed, all or nothing, audited) and through `rig makeup window import`.
 */
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { listAudit } from '../../controller/src/store/audit-log.ts';
import { listMakeupWindows } from '../../controller/src/store/schedule-repository.ts';
import { SqlPhotoSource } from '../../controller/src/store/export/photo-source.ts';
import { Database } from '../../controller/src/store/database.ts';
import { addUser, tempData, type TempData } from '../staff/helpers.ts';

const run = promisify(execFile);
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RIG_')));
const root = new URL('../../', import.meta.url).pathname;

let data: TempData;
let staff: StaffApp;
let headers: Record<string, string>;

beforeAll(async () => {
  data = await tempData();
  headers = { authorization: `Bearer ${await addUser(data.db, 'office', 'staff')}` };
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new SqlPhotoSource(data.db, '10000') });
});
afterAll(async () => {
  await staff?.app.close();
  await data?.cleanup();
});

/** The notice's two make-up weeks as a spreadsheet would hold them: real date cells, hours as text. */
async function windowsXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('补采时间');
  ws.addRow(['开始日期', '结束日期', '星期', '时段', '地点', '教育类别']);
  ws.addRow([new Date(Date.UTC(2026, 8, 4)), new Date(Date.UTC(2026, 8, 14)), '1-5', '08:30-11:30,14:30-17:30', '一号采集室', '成人']);
  ws.addRow([new Date(Date.UTC(2027, 3, 11)), new Date(Date.UTC(2027, 3, 21)), '1-5', '08:30-11:30,14:30-17:30', '二号采集室', '普通']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (name: string, body: Buffer, dryRun = false) => staff.app.inject({
  method: 'POST', url: `/api/makeup-windows/import?name=${encodeURIComponent(name)}&dryRun=${dryRun}`,
  headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body,
});

describe('make-up window import', { timeout: 120_000 }, () => {
  it('lists every problem of a bad CSV with row and column, and imports nothing', async () => {
    const csv = Buffer.from('\uFEFF开始日期,结束日期,星期,时段,地点,教育类别\r\n2026-09-04,2026-09-14,1-5,,一号采集室,成人\r\n2026-09-30,2026-09-01,9,,一号采集室,函授\r\n', 'utf8');
    const res = await upload('windows.csv', csv);
    expect(res.statusCode).toBe(422);
    const body = res.json() as { error: { code: string; details: { errors: Array<{ row: number; column: string | null; code: string; message: string }> } } };
    expect(body.error.code).toBe('staff.import_rejected');
    expect(body.error.details.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '结束日期', 'schedule.date_range'], [3, '星期', 'schedule.bad_weekdays'], [3, '教育类别', 'schedule.bad_category'],
    ]);
    expect(body.error.details.errors[0]!.message).toContain('/');
    expect(await listMakeupWindows(data.db)).toEqual([]);
  });

  it('previews an XLSX with dryRun, then imports it with room and category, audited; a second import changes nothing', async () => {
    const file = await windowsXlsx();
    const preview = await upload('补采时间.xlsx', file, true);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ added: 2, unchanged: 0, errors: [], dryRun: true });
    expect(await listMakeupWindows(data.db)).toEqual([]);

    const done = await upload('补采时间.xlsx', file);
    expect(done.json()).toMatchObject({ added: 2, unchanged: 0, errors: [], dryRun: false });
    const windows = await listMakeupWindows(data.db);
    expect(windows.map((w) => [w.startDate, w.endDate, w.weekdays.join(','), w.room, w.category])).toEqual([
      ['2026-09-04', '2026-09-14', '1,2,3,4,5', '一号采集室', 'adult'],
      ['2027-04-11', '2027-04-21', '1,2,3,4,5', '二号采集室', 'regular'],
    ]);
    expect(windows[0]!.periods).toEqual([{ start: '08:30', end: '11:30' }, { start: '14:30', end: '17:30' }]);
    const audit = await listAudit(data.db, { action: 'schedule.makeup_window' });
    expect(audit.map((a) => [a.action, a.actor, a.target])).toEqual([['schedule.makeup_window.import', 'office', '补采时间.xlsx']]);

    expect((await upload('补采时间.xlsx', file)).json()).toMatchObject({ added: 0, unchanged: 2 });
    expect(await listMakeupWindows(data.db)).toHaveLength(2);
  });

  it('is an office task: a technician may not import', async () => {
    const tech = { authorization: `Bearer ${await addUser(data.db, 'tech', 'technician')}` };
    const res = await staff.app.inject({ method: 'POST', url: '/api/makeup-windows/import?name=x.csv', headers: { ...tech, 'content-type': 'text/csv' }, payload: 'a' });
    expect(res.statusCode).toBe(403);
  });

  it('imports through `rig makeup window import`, all or nothing, with --dry-run and --json', async () => {
    const dir = data.dir;
    const file = join(dir, 'windows.xlsx');
    writeFileSync(file, await windowsXlsx());
    const cli = async (...args: string[]) => {
      try {
        const { stdout } = await run(process.execPath, ['bin/rig.js', ...args, '--data', join(dir, 'cli')], { cwd: root, env: cleanEnv });
        return { code: 0, stdout };
      } catch (err) {
        const e = err as { code: number; stdout: string };
        return { code: e.code, stdout: e.stdout };
      }
    };
    const dry = await cli('makeup', 'window', 'import', file, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ added: 2, unchanged: 0, errors: [] });
    const done = await cli('makeup', 'window', 'import', file);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('新增 2');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '开始日期,地点\n2026-13-01,一号采集室\n');
    const refused = await cli('makeup', 'window', 'import', bad, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).errors).toMatchObject([{ row: 2, column: '开始日期', code: 'schedule.bad_date' }]);
    const db = await Database.open(join(dir, 'cli', 'rig.db'));
    try {
      expect((await listMakeupWindows(db)).map((w) => w.room)).toEqual(['一号采集室', '二号采集室']);
      expect((await listAudit(db, { action: 'makeup.window' })).map((a) => a.action)).toEqual(['makeup.window.import']);
    } finally {
      await db.close();
    }
  });
});
