/**
 * Untrusted files are read in a worker thread with its own V8 heap limit: whatever a hostile file
 * does to the reader, the worst case is a dead worker and a coded refusal, never the room's process
 * (the kiosk lives there). The worker gets the bytes, not a path, so there is no temp file; aborting
 * (a client that hung up) terminates it at once.
 */
import { Worker } from 'node:worker_threads';
import type { RosterBuilderSnapshot } from '../../domain/roster/plan.ts';
import { EncodingRefused, type TextEncodingName } from './csv.ts';
import type { ReadReport, RosterFileKind } from './index.ts';
import { FileRefused, type FileRefusalCode, type ReadLimits } from './limits.ts';

export type ReadRequest = {
  bytes: Uint8Array;
  kind: RosterFileKind;
  limits: ReadLimits;
  encoding?: TextEncodingName;
} & ({ mode: 'roster'; today: string } | { mode: 'table' });

export type ReadResponse =
  | { type: 'progress'; bytes: number }
  | { type: 'roster'; snapshot: RosterBuilderSnapshot; report: ReadReport }
  | { type: 'table'; rows: Array<{ row: number; cells: string[] }>; report: ReadReport }
  | { type: 'refused'; code: FileRefusalCode; params: Record<string, string | number> }
  | { type: 'encoding'; code: EncodingRefused['code']; encoding: TextEncodingName | null; rows: number[]; count: number }
  | { type: 'unreadable'; detail: string };

/** The file could not be parsed at all (not a zip, damaged XML ...). */
export class FileUnreadable extends Error {}

type Finished = Extract<ReadResponse, { type: 'roster' | 'table' }>;

export interface IsolatedReadOptions {
  signal?: AbortSignal;
  onBytes?: (bytesRead: number) => void;
}

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./read-worker.ts', import.meta.url).href;

/**
 * Reads the file in a worker; resolves with its rows (or roster plan material), throws FileRefused,
 * EncodingRefused or FileUnreadable. The worker is gone when this settles, on every path.
 */
export async function readIsolated<R extends ReadRequest>(
  request: R,
  options: IsolatedReadOptions = {},
): Promise<Extract<Finished, { type: R['mode'] }>> {
  if (options.signal?.aborted) throw new FileRefused('roster.file.cancelled');
  const worker = new Worker(BOOT, {
    workerData: { entry: ENTRY, request },
    resourceLimits: { maxOldGenerationSizeMb: request.limits.workerHeapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  const onAbort = () => void worker.terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await new Promise<ReadResponse>((resolve, reject) => {
      worker.on('message', (m: ReadResponse) => {
        if (m.type === 'progress') options.onBytes?.(m.bytes);
        else resolve(m);
      });
      worker.on('error', (err: Error & { code?: string }) => {
        reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new FileRefused('roster.file.out_of_memory', { max: request.limits.workerHeapMb }) : err);
      });
      worker.on('exit', () => {
        reject(options.signal?.aborted ? new FileRefused('roster.file.cancelled') : new FileUnreadable('the reader stopped'));
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
    await worker.terminate();
  }
}
