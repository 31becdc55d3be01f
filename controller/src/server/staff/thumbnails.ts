/**
 * Dashboard thumbnails, rendered once per deliverable and kept on disk under the data folder,
 * named by the deliverable's SHA-256.
 *
 * Why disk rather than an in-memory LRU: the photos page asks for a whole day at once (hundreds of
 * thumbnails) and again after every `rig serve` restart; a few KB per accepted photo is nothing
 * next to the deliverables themselves, memory on the mini-PC stays flat, and no eviction policy is
 * needed. Naming by hash means a changed deliverable simply has another file: nothing is ever
 * invalidated, and the folder is derived data that may be deleted at any time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../../store/atomic-file.ts';

/** How thumbnails are drawn; part of the file name and ETag, so changing it never serves an old rendering. */
export const thumbnailRendition = { name: 'w120q70', width: 120, quality: 70 } as const;

export interface Thumbnail {
  body: Buffer;
  /** strong validator: the deliverable's hash plus the rendition */
  etag: string;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

export class ThumbnailCache {
  /** renders under way, so that a page asking twice at once renders once */
  private readonly pending = new Map<string, Promise<Buffer>>();

  constructor(private readonly dir: string) {}

  static inDataFolder(dataDir: string): ThumbnailCache {
    return new ThumbnailCache(join(dataDir, 'cache', 'thumbnails'));
  }

  etagFor(sha256: string): string {
    return `"${sha256}.${thumbnailRendition.name}"`;
  }

  /** Where the thumbnail of a deliverable with this hash is kept (two-character fan-out). */
  pathFor(sha256: string): string {
    if (!sha256Pattern.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), `${sha256}.${thumbnailRendition.name}.jpg`);
  }

  /** The thumbnail of the deliverable at `source` whose recorded hash is `sha256`: from disk, or rendered and stored. */
  async get(sha256: string, source: string): Promise<Thumbnail> {
    const path = this.pathFor(sha256);
    const body = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return this.render(sha256, source, path);
      throw err;
    });
    return { body, etag: this.etagFor(sha256) };
  }

  private render(sha256: string, source: string, path: string): Promise<Buffer> {
    let job = this.pending.get(sha256);
    if (!job) {
      job = (async () => {
        const body = await sharp(source).resize({ width: thumbnailRendition.width }).jpeg({ quality: thumbnailRendition.quality }).toBuffer();
        // Another process (a second `rig serve`) may have written the same file meanwhile: same bytes, fine.
        await writeFileAtomic(path, body).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
        return body;
      })().finally(() => this.pending.delete(sha256));
      this.pending.set(sha256, job);
    }
    return job;
  }
}

/** Whether an If-None-Match header names this ETag (a list, weak forms, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}
