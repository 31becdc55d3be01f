import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffApp, type StaffApp } from '../../controller/src/server/staff/app.ts';
import type { AcceptedPhoto, AcceptedPhotoSource } from '../../controller/src/app/ports/accepted-photos.ts';
import { etagMatches, ThumbnailCache } from '../../controller/src/server/staff/thumbnails.ts';
import { addUser, makePhotos, tempData, type TempData } from './helpers.ts';

const date = '2026-11-28';
let data: TempData;
let staff: StaffApp;
let headers: Record<string, string>;
let cache: ThumbnailCache;
/** what the store says the day holds; a test swaps a deliverable as a re-render would */
const byKey = new Map<string, AcceptedPhoto>();
const source: AcceptedPhotoSource = {
  list: async (f) => [...byKey.values()].filter((p) => p.date === f.date),
  get: async (d, s) => byKey.get(`${d}/${s}`),
};

beforeAll(async () => {
  data = await tempData();
  headers = { authorization: `Bearer ${await addUser(data.db, 'lin', 'staff')}` };
  for (const p of await makePhotos(data.dir, date, 2)) byKey.set(`${p.date}/${p.sequence}`, p);
  staff = await buildStaffApp({ db: data.db, dataDir: data.dir, photos: source });
  cache = ThumbnailCache.inDataFolder(data.dir);
});
afterAll(async () => {
  await staff.app.close();
  await data.cleanup();
});

const thumbnail = (sequence: number, extra: Record<string, string> = {}) =>
  staff.app.inject({ url: `/api/photos/${date}/${sequence}/thumbnail`, headers: { ...headers, ...extra } });

describe('photo thumbnails', () => {
  it('renders once into the cache, then serves the cached file even when the deliverable is gone', async () => {
    const photo = byKey.get(`${date}/1`)!;
    const cached = cache.pathFor(photo.sha256);
    expect(cached.startsWith(join(data.dir, 'cache', 'thumbnails'))).toBe(true);
    expect(existsSync(cached)).toBe(false);

    const first = await thumbnail(1);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('image/jpeg');
    expect(first.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect(first.headers.etag).toBe(`"${photo.sha256}.w120q70"`);
    expect((await sharp(first.rawPayload).metadata()).width).toBe(120);
    expect(readFileSync(cached).equals(first.rawPayload)).toBe(true);

    // With the deliverable removed, only the cache can answer.
    const deliverable = join(data.dir, photo.deliverablePath);
    const original = readFileSync(deliverable);
    rmSync(deliverable);
    try {
      const second = await thumbnail(1);
      expect(second.statusCode).toBe(200);
      expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    } finally {
      writeFileSync(deliverable, original);
    }
  });

  it('answers 304 without a body to a matching If-None-Match, and 200 to another', async () => {
    const first = await thumbnail(2);
    const etag = String(first.headers.etag);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await thumbnail(2, { 'if-none-match': ifNoneMatch });
      expect(again.statusCode, ifNoneMatch).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    }
    expect((await thumbnail(2, { 'if-none-match': String((await thumbnail(1)).headers.etag) })).statusCode).toBe(200);
  });

  it('a deliverable with another hash gets a new thumbnail and ETag; the old validator no longer matches', async () => {
    const before = await thumbnail(1);
    const old = byKey.get(`${date}/1`)!;
    const jpeg = await sharp({ create: { width: 48, height: 64, channels: 3, background: { r: 20, g: 30, b: 200 } } }).jpeg().toBuffer();
    const path = join('photos', date, 'deliverable', '00001-rerendered.jpg');
    writeFileSync(join(data.dir, path), jpeg);
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    byKey.set(`${date}/1`, { ...old, deliverablePath: path, sha256, bytes: jpeg.length });

    const after = await thumbnail(1, { 'if-none-match': String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).toBe(`"${sha256}.w120q70"`);
    expect(after.rawPayload.equals(before.rawPayload)).toBe(false);
    const { dominant } = await sharp(after.rawPayload).stats();
    expect(dominant.b).toBeGreaterThan(dominant.r);
    expect(existsSync(cache.pathFor(sha256))).toBe(true);
    expect(existsSync(cache.pathFor(old.sha256))).toBe(true);
  });

  it('answers a burst of concurrent first requests with one thumbnail, leaving no temp files in the cache', async () => {
    const photo = byKey.get(`${date}/2`)!;
    rmSync(cache.pathFor(photo.sha256));
    const answers = await Promise.all(Array.from({ length: 6 }, () => thumbnail(2)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.rawPayload.toString('base64'))).size).toBe(1);
    const dir = join(cache.pathFor(photo.sha256), '..');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads If-None-Match lists, weak forms and the wildcard', () => {
    expect(etagMatches(undefined, '"a"')).toBe(false);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches('"b" , W/"a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(() => cache.pathFor('../../etc/passwd')).toThrow(/SHA-256/);
  });
});
