/**
 * Untrusted files are read in a child process with its own V8 heap limit: whatever a hostile file
 * does to the reader, the worst case is a dead child and a coded refusal, never the room's process
 * (the kiosk lives there). A worker thread is not enough: V8 may end the whole process when a
 * worker's heap runs out mid-allocation. The child gets the bytes over IPC, not a path, so there is
 * no temp file; aborting (a client that hung up) kills it at once; it is killed and reaped on every
 * path.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RosterBuilderSnapshot } from '../../domain/roster/plan.ts';
import { EncodingRefused, type TextEncodingName } from './csv.ts';
import type { ReadReport, RosterFileKind } from './index.ts';
import { FileRefused, type FileRefusalCode, type ReadLimits } from './limits.ts';

export type ReadRequest = {
  bytes: Uint8Array;
  kind: RosterFileKind;
  limits: ReadLimits;
  encoding?: TextEncodingName;
  /** The child's temp folder for this read (its TMPDIR is pointed there when the request arrives). */
  tempDir?: string;
} & ({ mode: 'roster'; today: string } | { mode: 'table' });

export type ReadResponse =
  | { type: 'ready' }
  | { type: 'progress'; bytes: number }
  | { type: 'roster'; snapshot: RosterBuilderSnapshot; report: ReadReport; readerPid: number }
  | { type: 'table'; rows: Array<{ row: number; cells: string[] }>; report: ReadReport; readerPid: number }
  | { type: 'refused'; code: FileRefusalCode; params: Record<string, string | number> }
  | { type: 'encoding'; code: EncodingRefused['code']; encoding: TextEncodingName | null; rows: number[]; count: number }
  | { type: 'unreadable'; detail: string };

/** The file could not be parsed at all (not a zip, damaged XML ...). */
export class FileUnreadable extends Error {}

type Finished = Extract<ReadResponse, { type: 'roster' | 'table' }>;

export interface IsolatedReadOptions {
  signal?: AbortSignal;
  /**
   * Where the reader's own temp folder goes (the data folder's tmp/): the child's TMPDIR points into
   * it, so even a library that decided to spool would write there, and it is removed on every path.
   */
  tempRoot?: string;
  onBytes?: (bytesRead: number) => void;
  /** Leave a spare reader waiting for the next file (default true). */
  keepSpare?: boolean;
}

const BOOT = fileURLToPath(new URL('./reader-boot.mjs', import.meta.url));
const ENTRY = new URL('./reader-process.ts', import.meta.url).href;

function reap(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  // A waiting spare is unreferenced: referenced again, or nothing would keep us waiting for its exit.
  child.ref();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * Booting a reader (tsx, exceljs, the row checks) costs about as much as parsing a 5,000-row
 * roster, so after each read one spare reader is started and waits, idle and unreferenced, for the
 * next file; it is used for one file only, like any reader, and stopped after a while unused. The
 * first file of a session pays the boot.
 */
const SPARE_IDLE_MS = 10 * 60_000;
let spare: { child: ChildProcess; heapMb: number; idle: NodeJS.Timeout; ready: Promise<void> } | null = null;

function forkReader(heapMb: number): ChildProcess {
  return fork(BOOT, [ENTRY], {
    execArgv: [`--max-old-space-size=${heapMb}`, '--max-semi-space-size=16'],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

/** A fresh reader with this heap limit: the waiting spare when it fits, else a new one. */
function takeReader(heapMb: number): ChildProcess {
  const s = spare;
  spare = null;
  if (s) {
    clearTimeout(s.idle);
    if (s.heapMb === heapMb && alive(s.child)) {
      s.child.ref();
      s.child.channel?.ref();
      return s.child;
    }
    reap(s.child).catch(() => undefined);
  }
  return forkReader(heapMb);
}

function startSpare(heapMb: number): void {
  if (spare) return;
  const child = forkReader(heapMb);
  child.on('error', () => undefined);
  // Neither the waiting child nor its channel keeps this process alive; it exits with us (the
  // reader leaves when its channel closes).
  child.unref();
  child.channel?.unref();
  const idle = setTimeout(() => {
    if (spare?.child === child) spare = null;
    reap(child).catch(() => undefined);
  }, SPARE_IDLE_MS);
  idle.unref();
  const ready = new Promise<void>((resolve) => {
    const onMessage = (m: ReadResponse): void => {
      if (m.type === 'ready') done();
    };
    const done = (): void => {
      child.off('message', onMessage);
      child.off('exit', done);
      resolve();
    };
    child.on('message', onMessage);
    child.once('exit', done);
  });
  spare = { child, heapMb, idle, ready };
}

/** The waiting spare reader's process id, if one waits (for tests and `rig doctor`). */
export function spareReaderPid(): number | null {
  return spare && alive(spare.child) ? spare.child.pid ?? null : null;
}

/** Settles when the waiting spare reader (if any) has loaded and waits for a file. */
export async function spareReaderReady(): Promise<void> {
  const s = spare;
  if (!s) return;
  // Referenced while someone waits for it, or a process with nothing else to do would just end.
  s.child.ref();
  s.child.channel?.ref();
  try {
    await s.ready;
  } finally {
    if (spare === s) {
      s.child.unref();
      s.child.channel?.unref();
    }
  }
}

/** Stops the waiting spare reader (at shutdown). */
export async function stopSpareReader(): Promise<void> {
  const s = spare;
  spare = null;
  if (!s) return;
  clearTimeout(s.idle);
  await reap(s.child);
}

/**
 * Reads the file in a child process; resolves with its rows (or roster plan material), throws
 * FileRefused, EncodingRefused or FileUnreadable. The child is gone when this settles.
 */
export async function readIsolated<R extends ReadRequest>(
  request: R,
  options: IsolatedReadOptions = {},
): Promise<Extract<Finished, { type: R['mode'] }>> {
  if (options.signal?.aborted) throw new FileRefused('roster.file.cancelled');
  let temp: string | null = null;
  if (options.tempRoot) {
    await mkdir(options.tempRoot, { recursive: true, mode: 0o700 });
    temp = await mkdtemp(join(options.tempRoot, 'read-'));
  }
  const child = takeReader(request.limits.readerHeapMb);
  const onAbort = () => void child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await new Promise<ReadResponse>((resolve, reject) => {
      child.on('message', (m: ReadResponse) => {
        if (m.type === 'progress') options.onBytes?.(m.bytes);
        else if (m.type !== 'ready') resolve(m);
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (options.signal?.aborted) reject(new FileRefused('roster.file.cancelled'));
        // V8 aborts (SIGABRT, or SIGTRAP on some builds) when the heap limit is reached.
        else if (signal === 'SIGABRT' || signal === 'SIGTRAP' || code === 134 || code === 133) {
          reject(new FileRefused('roster.file.out_of_memory', { max: request.limits.readerHeapMb }));
        } else reject(new FileUnreadable(`the reader stopped (${signal ?? code})`));
      });
      child.send(temp ? { ...request, tempDir: temp } : request, (err) => {
        if (err) reject(err);
      });
    });
    switch (response.type) {
      case 'refused':
        throw new FileRefused(response.code, response.params);
      case 'encoding':
        throw new EncodingRefused(response.code, response.encoding, response.rows, response.count);
      case 'unreadable':
        throw new FileUnreadable(response.detail);
      default:
        return response as Extract<Finished, { type: R['mode'] }>;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await reap(child);
    if (temp) await rm(temp, { recursive: true, force: true });
    if (options.keepSpare !== false) startSpare(request.limits.readerHeapMb);
  }
}
