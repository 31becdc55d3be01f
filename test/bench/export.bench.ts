/**
 * Batch export benchmark: the streamed ZIP of 2,000 deliverables (~35 KB each) over loopback,
 * against downloading the same number of bytes as one static file from the same server; then the
 * peak RSS while exporting 5,000 files, beside the peak for 2,000 (flat means constant memory).
 * Ends with `ratio: X` = ZIP throughput / static-file throughput, the median of nine adjacent pairs
 * (target >= 0.5, goal 0.8).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { crc32 } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Database } from '../../controller/src/store/database.ts';
import { StaffRepository } from '../../controller/src/store/staff/users.ts';
import { buildStaffApp } from '../../controller/src/server/staff/app.ts';
import { hashPassword, newBearerToken, secretHash } from '../../controller/src/server/staff/credentials.ts';
import { type AcceptedPhoto } from '../../controller/src/app/ports/accepted-photos.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-bench-export-'));
const fileSize = 35_000;

function idNumber(n: number): string {
  const body = `1101012000010${String(n).padStart(4, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

function generate(date: string, count: number): AcceptedPhoto[] {
  const rel = join('photos', date);
  mkdirSync(join(dir, rel), { recursive: true });
  const out: AcceptedPhoto[] = [];
  for (let i = 1; i <= count; i++) {
    // Random bytes: as incompressible as JPEG, which is what the archive stores.
    const data = randomBytes(fileSize - 2000 + ((i * 131) % 4000));
    const path = join(rel, `${i}.jpg`);
    writeFileSync(join(dir, path), data);
    out.push({
      sequence: i, date, codeText: null, deliverablePath: path, bytes: data.length, acceptedAt: `${date}T02:00:00Z`,
      sha256: createHash('sha256').update(data).digest('hex'),
      crc32: crc32(data),
      student: {
        idNumber: idNumber(i), name: `考生${i}`, gender: 'M', birthDate: '2000-01-01', schoolCode: '10999', educationLevel: '本科',
        major: '测试专业', department: '测试学院', className: `班${i % 40}`, studentNumber: `S${i}`, collectionCode: `C${i}`,
      },
    });
  }
  return out;
}

function download(url: string, token: string): Promise<{ bytes: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ bytes, ms: performance.now() - started }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  try {
    const result = await fn();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

const mb = (n: number) => (n / 1e6).toFixed(1);

async function main(): Promise<void> {
  const small = generate('2026-11-27', 2000);
  const large = generate('2026-11-28', 5000);
  // The baseline: the same bytes as the 2,000 deliverables, as one file.
  const staticFile = join(dir, 'baseline.bin');
  const ws = createWriteStream(staticFile);
  for (const p of small) ws.write(await import('node:fs/promises').then((f) => f.readFile(join(dir, p.deliverablePath))));
  ws.end();
  await once(ws, 'finish');
  const staticBytes = small.reduce((s, p) => s + p.bytes, 0);

  const db = await Database.open(join(dir, 'rig.db'));
  const users = new StaffRepository(db);
  const { id } = await users.upsertUser('bench', 'admin', await hashPassword('bench-password', { N: 1024, r: 8, p: 1 }), new Date());
  const token = newBearerToken();
  await users.createToken(id, secretHash(token), 'bench', new Date());
  const baseline = async (app: FastifyInstance) => {
    app.get('/bench/baseline.bin', { config: { access: { roles: ['admin'] } } }, (_req, reply) =>
      reply.type('application/octet-stream').header('content-length', String(staticBytes)).send(createReadStream(staticFile)));
  };
  const { app } = await buildStaffApp({ db, dataDir: dir, photos: new ListPhotoSource([...small, ...large]), plugins: [baseline] });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  try {
    // The archive must be whole, or the figures mean nothing: check one with unzip.
    const check = join(dir, 'check.zip');
    await new Promise<void>((resolve, reject) => {
      get(`${base}/api/batches/2026-11-27.zip`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const ws2 = createWriteStream(check);
        res.pipe(ws2).on('finish', resolve).on('error', reject);
      }).on('error', reject);
    });
    const test = spawnSync('unzip', ['-tq', check], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`archive does not test clean: ${test.stdout}${test.stderr}`);
    console.log(`archive check: ${test.stdout.trim()}`);
    // Warm both paths (file cache, JIT), then alternate: each zip run is paired with the static run
    // just before it, and the ratio is the median over the pairs. The machine is shared and noisy in
    // bursts; a burst then spoils one pair, not the figure.
    await download(`${base}/bench/baseline.bin`, token);
    await download(`${base}/api/batches/2026-11-27.zip`, token);
    const rate = (r: { bytes: number; ms: number }) => r.bytes / (r.ms / 1000);
    const pairs: Array<{ zip: { bytes: number; ms: number }; plain: { bytes: number; ms: number }; ratio: number }> = [];
    let zipPeak = 0;
    for (let i = 0; i < 9; i++) {
      const plain = await download(`${base}/bench/baseline.bin`, token);
      const { result: zip, peak } = await peakRss(() => download(`${base}/api/batches/2026-11-27.zip`, token));
      zipPeak = Math.max(zipPeak, peak);
      pairs.push({ zip, plain, ratio: rate(zip) / rate(plain) });
    }
    pairs.sort((a, b) => a.ratio - b.ratio);
    const median = pairs[pairs.length >> 1]!;
    console.log(`deliverables: 2000 files, ${mb(staticBytes)} MB`);
    console.log(`pair ratios:  ${pairs.map((p) => p.ratio.toFixed(2)).join(' ')}`);
    console.log(`median pair:  static ${mb(median.plain.bytes)} MB in ${median.plain.ms.toFixed(0)} ms = ${mb(rate(median.plain))} MB/s; ` +
      `zip ${mb(median.zip.bytes)} MB in ${median.zip.ms.toFixed(0)} ms = ${mb(rate(median.zip))} MB/s (photo payload ${mb(staticBytes / (median.zip.ms / 1000))} MB/s)`);

    global.gc?.();
    const before = process.memoryUsage.rss();
    const { result: big, peak: bigPeak } = await peakRss(() => download(`${base}/api/batches/2026-11-28.zip`, token));
    console.log(`rss before 5000-file export: ${mb(before)} MB`);
    console.log(`peak rss, 2000-file export: ${mb(zipPeak)} MB`);
    console.log(`peak rss, 5000-file export: ${mb(bigPeak)} MB (${mb(big.bytes)} MB archive in ${big.ms.toFixed(0)} ms)`);
    console.log(`ratio: ${median.ratio.toFixed(2)}`);
  } finally {
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
