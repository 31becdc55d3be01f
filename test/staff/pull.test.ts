import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rigInProcess } from '../support/rig.ts';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import { type AcceptedPhoto } from '../../controller/src/app/ports/accepted-photos.ts';
import { ListPhotoSource } from '../../controller/src/store/export/list-photo-source.ts';
import { pull, type PullProgress } from '../../controller/src/cli/sync/pull.ts';
import { addUser, makeBlobPhotos, tempData, type TempData } from './helpers.ts';

const date = '2026-11-28';
const cleanups: Array<() => Promise<void> | void> = [];
let out: string;

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'rig-pull-'));
  cleanups.push(() => rmSync(out, { recursive: true, force: true }));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Counts file fetches so that a resumed pull can be shown not to fetch again. */
class CountingSource extends ListPhotoSource {
  gets = 0;
  override async get(d: string, s: number) {
    this.gets++;
    return super.get(d, s);
  }
}

interface Room { url: string; token: string; photos: AcceptedPhoto[]; source: CountingSource; data: TempData; app: StaffApp }

async function room(count: number, firstStudent: number): Promise<Room> {
  const data = await tempData();
  const token = await addUser(data.db, 'puller', 'staff');
  const photos = makeBlobPhotos(data.dir, date, count, 40_000, firstStudent);
  const source = new CountingSource(photos);
  const app = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: source, stationName: `room-${firstStudent}` });
  const url = await app.app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => { await app.app.close(); await data.cleanup(); });
  return { url, token, photos, source, data, app };
}

/** A TCP proxy that cuts every connection once, after `cutAfter` bytes from the server have passed. */
async function cuttingProxy(target: string, cutAfter: number): Promise<{ url: string; cuts: () => number }> {
  const { port } = new URL(target);
  let passed = 0;
  let cuts = 0;
  let armed = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      passed += d.length;
      if (armed && passed > cutAfter) {
        armed = false;
        cuts++;
        client.write(d.subarray(0, Math.floor(d.length / 2)));
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(d);
    });
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  cleanups.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
  return { url: `http://127.0.0.1:${address.port}`, cuts: () => cuts };
}

function expectMirror(dir: string, photos: AcceptedPhoto[]): void {
  for (const p of photos) {
    const bytes = readFileSync(join(dir, `${p.student.idNumber}.jpg`));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(p.sha256);
  }
}

describe('rig pull', () => {
  it('mirrors a day with verified hashes and writes the folder manifest', async () => {
    const r = await room(12, 1);
    const seen: PullProgress[] = [];
    const result = await pull({ from: r.url, token: r.token, date, outDir: out, onProgress: (p) => seen.push(p) });
    expect(result).toMatchObject({ fetched: 12, kept: 0, total: 12 });
    expectMirror(out, r.photos);
    expect(seen.at(-1)).toMatchObject({ done: 12, total: 12, source: 'room-1' });
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(12);
    expect(readFileSync(join(out, 'manifest.csv'), 'utf8')).toContain(r.photos[0]!.student.idNumber);
    // Nothing new: a second pull fetches nothing.
    expect(await pull({ from: r.url, token: r.token, date, outDir: out })).toMatchObject({ fetched: 0, kept: 12 });
  });

  it('survives a connection dropped midway through a file', async () => {
    const r = await room(10, 1);
    const proxy = await cuttingProxy(r.url, 150_000);
    const retries: number[] = [];
    const result = await pull({
      from: proxy.url, token: r.token, date, outDir: out, retryDelayMs: 10,
      onProgress: (p) => { if (p.retry !== undefined) retries.push(p.retry); },
    });
    expect(proxy.cuts()).toBe(1);
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(result.fetched).toBe(10);
    expectMirror(out, r.photos);
    expect(readdirSync(out).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('resumes an interrupted pull without fetching finished files again', async () => {
    const r = await room(20, 1);
    const stop = new AbortController();
    await expect(pull({
      from: r.url, token: r.token, date, outDir: out, signal: stop.signal,
      onProgress: (p) => { if (p.done === 8) stop.abort(new Error('operator pressed Ctrl-C')); },
    })).rejects.toThrow();
    const firstRun = r.source.gets;
    expect(firstRun).toBeGreaterThanOrEqual(8);
    expect(firstRun).toBeLessThan(20);
    const result = await pull({ from: r.url, token: r.token, date, outDir: out });
    expect(result.total).toBe(20);
    expect(result.fetched).toBe(20 - 8);
    expect(r.source.gets).toBe(firstRun + 12);
    expectMirror(out, r.photos);
  });

  it('pulls several rooms into one folder with one manifest', async () => {
    const a = await room(5, 1);
    const b = await room(5, 101);
    await pull({ from: a.url, token: a.token, date, outDir: out });
    await pull({ from: b.url, token: b.token, date, outDir: out });
    expectMirror(out, [...a.photos, ...b.photos]);
    const manifest = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\r\n');
    expect(manifest).toHaveLength(11);
    expect(manifest[0]).toContain('source');
  });

  it('rig pull mirrors two rooms from the command line, token from the environment', async () => {
    const a = await room(3, 1);
    const b = await room(2, 201);
    // Two rooms, one account per room: the token is per listener, so pull each with its own.
    vi.stubEnv('RIG_TOKEN', a.token);
    const first = await rigInProcess(['pull', '--from', a.url, '--date', date, '--out', out]);
    vi.stubEnv('RIG_TOKEN', b.token);
    const second = await rigInProcess(['pull', '--from', b.url, '--date', date, '--out', out]);
    vi.unstubAllEnvs();
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toContain('3');
    expectMirror(out, [...a.photos, ...b.photos]);
    const bad = await rigInProcess(['pull', '--from', a.url, '--date', '28-11-2026', '--out', out, '--token', a.token]);
    expect(bad.code).toBe(64);
  });

  it('stops at once on a bad token instead of retrying', async () => {
    const r = await room(1, 1);
    await expect(pull({ from: r.url, token: 'rigt_wrong', date, outDir: out, retryDelayMs: 1000 })).rejects.toThrow(/401/);
  });
});
