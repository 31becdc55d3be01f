/**
 * The spare file reader: after each read one reader waits for the next file, is used for that one
 * file only, never keeps a finished process alive, and leaves when its parent does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIsolated, spareReaderPid, stopSpareReader } from '../../controller/src/formats/spreadsheet/isolated-read.ts';
import { readLimits } from '../../controller/src/formats/spreadsheet/limits.ts';
import { makeStudents, toCsv, toRows } from '../support/roster-fixtures.ts';
import { projectRoot } from '../support/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-spare-'));
afterAll(async () => {
  await stopSpareReader();
  rmSync(dir, { recursive: true, force: true });
});

const running = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readStatus(pid));
function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
}
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const csv = (n: number, seed: number) => Buffer.from(toCsv(toRows(makeStudents(n, seed))), 'utf8');

describe('spare roster reader', () => {
  it('waits after a read, takes the next file in its own temp folder, and is replaced', async () => {
    const limits = readLimits({});
    const tempRoot = join(dir, 'tmp');
    expect(spareReaderPid()).toBeNull();
    const first = await readIsolated({ mode: 'table', bytes: csv(3, 1), kind: 'csv', limits }, { tempRoot });
    expect(first.rows.length).toBe(4);
    const waiting = spareReaderPid();
    expect(waiting).not.toBeNull();
    expect(running(waiting!)).toBe(true);
    // The waiting reader has no temp folder of its own; reads leave none behind.
    expect(readdirSync(tempRoot)).toEqual([]);

    const second = await readIsolated({ mode: 'table', bytes: csv(5, 2), kind: 'csv', limits }, { tempRoot });
    expect(second.rows.length).toBe(6);
    expect(second.rows[1]!.cells).toEqual(toRows(makeStudents(5, 2))[1]);
    expect(first.readerPid).not.toBe(waiting);
    expect(second.readerPid).toBe(waiting);
    // The spare did that read and is gone (one file per reader); a new one waits.
    await until('the used reader to be reaped', () => !running(waiting!));
    const next = spareReaderPid();
    expect(next).not.toBeNull();
    expect(next).not.toBe(waiting);
    expect(readdirSync(tempRoot)).toEqual([]);

    // A different heap limit cannot use it: a fresh reader reads, the spare is stopped.
    const third = await readIsolated({ mode: 'table', bytes: csv(2, 3), kind: 'csv', limits: { ...limits, readerHeapMb: limits.readerHeapMb + 16 } }, { keepSpare: false });
    expect(third.rows.length).toBe(3);
    expect(third.readerPid).not.toBe(next);
    await until('the unfit spare to be stopped', () => !running(next!));
    expect(spareReaderPid()).toBeNull();
  });

  it('does not outlive the process that started it, nor keep it from exiting', async () => {
    const script = join(dir, 'parent.mts');
    const roster = join(dir, 'r.csv');
    writeFileSync(roster, csv(2, 4));
    writeFileSync(script, [
      `import { readFileSync } from 'node:fs';`,
      `import { readIsolated, spareReaderPid } from ${JSON.stringify(join(projectRoot, 'controller/src/formats/spreadsheet/isolated-read.ts'))};`,
      `import { readLimits } from ${JSON.stringify(join(projectRoot, 'controller/src/formats/spreadsheet/limits.ts'))};`,
      `await readIsolated({ mode: 'table', bytes: readFileSync(${JSON.stringify(roster)}), kind: 'csv', limits: readLimits({}) });`,
      `console.log(spareReaderPid());`,
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    // It exits by itself (the waiting reader holds no reference) ...
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    // ... and its waiting reader leaves with it.
    await until('the orphaned spare to leave', () => !running(pid));
  });
});
