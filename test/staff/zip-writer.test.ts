import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipWriter, zipArchiveBytes } from '../../controller/src/formats/export/zip-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ZipWriter', () => {
  it('writes stored entries with UTF-8 names and times that unzip reads back', () => {
    const zip = new ZipWriter();
    const when = new Date(2026, 10, 28, 9, 30, 12);
    const parts = [
      ...zip.entry({ name: 'photos/林晓安.jpg', data: Buffer.from('first'), modified: when }),
      ...zip.entry({ name: 'empty.txt', data: Buffer.alloc(0), modified: when }),
      zip.finish(),
    ];
    const file = join(dir, 'a.zip');
    writeFileSync(file, Buffer.concat(parts));
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(test.status, test.stdout).toBe(0);
    const list = spawnSync('unzip', ['-l', file], { encoding: 'utf8' }).stdout;
    expect(list).toContain('photos/林晓安.jpg');
    expect(list).toMatch(/2026-11-28 09:30|11-28-2026 09:30/);
    expect(spawnSync('unzip', ['-p', file, 'photos/林晓安.jpg'], { encoding: 'utf8' }).stdout).toBe('first');
  });

  it('knows the archive length before writing it', () => {
    const entries = [
      { name: 'photos/林晓安.jpg', data: Buffer.alloc(35_000, 7) },
      { name: 'SHA256SUMS', data: Buffer.from('x') },
      { name: 'empty', data: Buffer.alloc(0) },
    ];
    const zip = new ZipWriter();
    const written = Buffer.concat([...entries.flatMap((e) => zip.entry({ ...e, modified: new Date() })), zip.finish()]);
    expect(zipArchiveBytes(entries.map((e) => ({ nameBytes: Buffer.byteLength(e.name), size: e.data.length })))).toBe(written.length);
  });

  it('refuses a duplicate name instead of writing an archive with two', () => {
    const zip = new ZipWriter();
    zip.entry({ name: 'x.jpg', data: Buffer.from('a'), modified: new Date() });
    expect(() => zip.entry({ name: 'x.jpg', data: Buffer.from('b'), modified: new Date() })).toThrow(/duplicate/);
  });
});
