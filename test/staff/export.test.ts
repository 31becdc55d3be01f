import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { type AcceptedPhoto } from '../../controller/src/app/ports/accepted-photos.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { listAudit, sqlAuditTrail } from '../../controller/src/store/audit-log.ts';
import { planBatch } from '../../controller/src/formats/export/batch.ts';
import { exportBatchToFile } from '../../controller/src/app/export-file.ts';
import { addUser, makeBlobPhotos, makePhotos, student, tempData, type TempData } from './helpers.ts';
import { parseCsv } from '../../controller/src/formats/spreadsheet/csv.ts';

let data: TempData;
let staff: StaffApp;
let token: string;
let photos: AcceptedPhoto[];
const date = '2026-11-28';
const out = mkdtempSync(join(tmpdir(), 'rig-export-'));

beforeAll(async () => {
  data = await tempData();
  token = await addUser(data.db, 'wu', 'staff');
  photos = await makePhotos(data.dir, date, 12);
  // A hostile roster name and a formula-looking class must reach the manifest as plain text.
  photos[2] = { ...photos[2]!, student: { ...photos[2]!.student, name: '<script>alert(1)</script>', className: '=HYPERLINK("x")' } };
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: new ListPhotoSource(photos) });
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
  rmSync(out, { recursive: true, force: true });
});

async function download(query = ''): Promise<{ file: string; body: Buffer; status: number; headers: Record<string, unknown> }> {
  const res = await staff.app.inject({ url: `/api/batches/${date}.zip${query}`, headers: { authorization: `Bearer ${token}` } });
  const file = join(out, `batch-${Math.random().toString(36).slice(2)}.zip`);
  writeFileSync(file, res.rawPayload);
  return { file, body: res.rawPayload, status: res.statusCode, headers: res.headers };
}

function unzip(args: string[]): string {
  const r = spawnSync('unzip', args, { encoding: 'utf8' });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return r.stdout;
}

describe('batch export', () => {
  it('streams a zip that unzip -t accepts, with photos, manifests and SHA256SUMS', async () => {
    const { file, status, headers, body } = await download();
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/zip');
    // The length is announced before the first byte, and it is exact.
    expect(Number(headers['content-length'])).toBe(body.length);
    expect(String(headers['content-disposition'])).toContain(`${date}.zip`);
    expect(unzip(['-t', file])).toContain('No errors detected');
    const names = unzip(['-Z1', file]).trim().split('\n');
    expect(names.slice(-3)).toEqual(['manifest.csv', 'manifest.xlsx', 'SHA256SUMS']);
    expect(names.filter((n) => n.startsWith('photos/'))).toHaveLength(12);
  });

  it('names and hashes in the zip match the manifest, rows in sequence order', async () => {
    const { file } = await download();
    const dir = mkdtempSync(join(out, 'x-'));
    unzip(['-q', file, '-d', dir]);
    const csvBytes = readFileSync(join(dir, 'manifest.csv'));
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csvBytes.subarray(3).toString('utf8'), ',');
    const header = rows[0]!;
    const col = (name: string) => header.findIndex((h) => h.includes(name));
    const body = rows.slice(1);
    expect(body.map((r) => Number(r[col('sequence')]))).toEqual(photos.map((p) => p.sequence));
    for (const r of body) {
      const fileName = r[col('file')]!;
      const actual = createHash('sha256').update(readFileSync(join(dir, fileName))).digest('hex');
      expect(r[col('SHA-256')]).toBe(actual);
      expect(fileName).toBe(`photos/${r[col('id_number')]}.jpg`);
    }
    expect(body[2]![col('name')]).toBe('<script>alert(1)</script>');
    expect(body[2]![col('class')]).toBe(`'=HYPERLINK("x")`);
    // sha256sum -c would pass: every listed file hashes to its line.
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(12 + 2);
    for (const line of sums) {
      const [hash, name] = line.split('  ') as [string, string];
      expect(createHash('sha256').update(readFileSync(join(dir, name))).digest('hex'), name).toBe(hash);
    }
  });

  it('writes an XLSX manifest that exceljs opens, with ID numbers kept as text', async () => {
    const { file } = await download();
    const dir = mkdtempSync(join(out, 'x-'));
    unzip(['-q', file, 'manifest.xlsx', '-d', dir]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'manifest.xlsx'));
    const ws = wb.getWorksheet('manifest')!;
    expect(ws.rowCount).toBe(13);
    expect(ws.getRow(2).getCell(2).value).toBe(photos[0]!.student.idNumber);
    expect(ws.getRow(4).getCell(3).value).toBe('<script>alert(1)</script>');
    expect(ws.getRow(4).getCell(10).value).toBe('=HYPERLINK("x")');
  });

  it('names by collection code and filters by department and class', async () => {
    const { file } = await download(`?naming=code&department=${encodeURIComponent('信息学院')}`);
    const names = unzip(['-Z1', file]).trim().split('\n').filter((n) => n.startsWith('photos/'));
    const expected = photos.filter((p) => p.student.department === '信息学院').map((p) => `photos/${p.student.collectionCode}.jpg`);
    expect(names).toEqual(expected);
    const byClass = await download(`?class=${encodeURIComponent('英语2202')}`);
    expect(unzip(['-Z1', byClass.file]).split('\n').filter((n) => n.startsWith('photos/'))).toHaveLength(6);
  });

  it('audits every export with who, what and from where', async () => {
    await download('?naming=code');
    const rows = await listAudit(data.db, { limit: 1, action: 'batch.export' });
    expect(rows[0]).toMatchObject({ actor: 'wu', origin: '127.0.0.1', target: date });
    expect(rows[0]!.details).toMatchObject({ naming: 'code', files: 12 });
  });

  it('refuses an unknown naming rule and an impossible date', async () => {
    expect((await download('?naming=name')).status).toBe(400);
    const bad = await staff.app.inject({ url: '/api/batches/2026-13-45.zip', headers: { authorization: `Bearer ${token}` } });
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the later photo of a student captured again after an override, and falls back from unsafe codes', () => {
    const a = { ...photos[0]!, sequence: 1 };
    const b = { ...photos[0]!, sequence: 9 };
    const c = { ...photos[1]!, sequence: 4, student: student(2, { collectionCode: '../../x' }) };
    const plan = planBatch([a, b, c], 'code');
    expect(plan.map((r) => r.photo.sequence)).toEqual([4, 9]);
    expect(plan[0]!.fileName).toBe(`photos/${c.student.studentNumber}.jpg`);
  });

  it('stays a valid archive when it spans many stream chunks', async () => {
    const big = makeBlobPhotos(data.dir, '2026-11-29', 40, 60_000);
    const file = join(out, 'big.zip');
    await exportBatchToFile(new ListPhotoSource(big), { trail: sqlAuditTrail(data.db), actor: 'cli:tester' }, data.dir, { date: '2026-11-29', naming: 'idnumber' }, file, new Date());
    expect(unzip(['-t', file])).toContain('No errors detected');
    const names = unzip(['-Z1', file]).trim().split('\n');
    expect(names).toHaveLength(43);
    expect(names.slice(-3)).toEqual(['manifest.csv', 'manifest.xlsx', 'SHA256SUMS']);
  });

  it('rig export writes the same archive to a local file, audited as a local action', async () => {
    const file = join(out, 'local.zip');
    const { files } = await exportBatchToFile(new ListPhotoSource(photos), { trail: sqlAuditTrail(data.db), actor: 'cli:tester' }, data.dir,
      { date, naming: 'code' }, file, new Date());
    expect(files).toBe(12);
    expect(unzip(['-t', file])).toContain('No errors detected');
    expect(unzip(['-Z1', file])).toContain(`photos/${photos[0]!.student.collectionCode}.jpg`);
    const rows = await listAudit(data.db, { limit: 1, action: 'batch.export' });
    expect(rows[0]).toMatchObject({ actor: 'cli:tester', origin: 'local' });
  });

  describe('checks each file against its record before it enters the archive', () => {
    const flipOneByte = (photo: AcceptedPhoto): void => {
      const path = join(data.dir, photo.deliverablePath);
      const bytes = readFileSync(path);
      const at = bytes.length >> 1;
      bytes[at] = bytes[at]! ^ 0x01;
      writeFileSync(path, bytes);
    };
    const exportDay = (day: string, batch: AcceptedPhoto[]) => exportBatchToFile(new ListPhotoSource(batch), { trail: sqlAuditTrail(data.db), actor: 'cli:tester' },
      data.dir, { date: day, naming: 'idnumber' }, join(out, `${day}.zip`), new Date());

    it('a same-size change is caught by the CRC-32 recorded at acceptance', async () => {
      const day = '2026-12-01';
      const batch = makeBlobPhotos(data.dir, day, 5, 30_000);
      flipOneByte(batch[3]!);
      await expect(exportDay(day, batch)).rejects.toThrow(/CRC-32 differs/);
      expect(existsSync(join(out, `${day}.zip`))).toBe(false);
    });

    it('a photo accepted before CRCs were recorded is checked by its SHA-256', async () => {
      const day = '2026-12-02';
      const batch = makeBlobPhotos(data.dir, day, 5, 30_000).map((p) => ({ ...p, crc32: null }));
      await exportDay(day, batch);
      expect(unzip(['-t', join(out, `${day}.zip`)])).toContain('No errors detected');
      flipOneByte(batch[1]!);
      await expect(exportDay('2026-12-02', batch)).rejects.toThrow(/SHA-256 differs/);
    });

    it('a file of another length is refused before it is hashed', async () => {
      const day = '2026-12-03';
      const batch = makeBlobPhotos(data.dir, day, 3, 30_000);
      writeFileSync(join(data.dir, batch[2]!.deliverablePath), Buffer.from('short'));
      await expect(exportDay(day, batch)).rejects.toThrow(/size 5 differs/);
    });
  });

  it('stops the stream instead of shipping a damaged photo', async () => {
    writeFileSync(join(data.dir, photos[5]!.deliverablePath), Buffer.from('not the photo'));
    // Before the first bytes: an error answer; after: the connection is cut. Never a complete archive.
    const outcome = await download().then((r) => r, (err: Error) => err);
    if (outcome instanceof Error) expect(outcome.message).toMatch(/destroyed/);
    else {
      expect(outcome.status).toBe(500);
      expect(JSON.parse(outcome.body.toString()).error.code).toBe('staff.photo_missing');
    }
    await expect.poll(async () => (await listAudit(data.db, { limit: 1, action: 'batch.export_failed' })).length).toBe(1);
  });
});
