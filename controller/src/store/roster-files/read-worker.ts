/**
 * The worker that reads an untrusted roster or schedule file (see isolated-read.ts). It reads, runs
 * the roster's row checks, and posts back plain data; it never touches the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RosterImportBuilder } from '../../domain/roster/plan.ts';
import { cellText } from '../table-file.ts';
import { EncodingRefused } from './csv.ts';
import { readRosterBytes } from './index.ts';
import { FileRefused } from './limits.ts';
import type { ReadRequest, ReadResponse } from './isolated-read.ts';

const port = parentPort!;
const request = (workerData as { request: ReadRequest }).request;

async function run(): Promise<ReadResponse> {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  let last = 0;
  const onBytes = (n: number) => {
    // A few dozen progress messages per file, not one per row.
    if (n - last >= bytes.length / 50 || n === bytes.length) {
      last = n;
      port.postMessage({ type: 'progress', bytes: n } satisfies ReadResponse);
    }
  };
  const options = { limits: request.limits, encoding: request.encoding, onBytes };
  try {
    if (request.mode === 'roster') {
      const builder = new RosterImportBuilder(request.today, undefined, request.limits.maxProblems);
      const report = await readRosterBytes(bytes, request.kind, (row, cells) => builder.addRow(row, cells), options);
      return { type: 'roster', snapshot: builder.toSnapshot(), report };
    }
    const rows: Array<{ row: number; cells: string[] }> = [];
    const report = await readRosterBytes(bytes, request.kind, (row, raw) => {
      const cells = Array.from(raw, (c) => cellText(c).trim());
      if (cells.some((c) => c !== '')) rows.push({ row, cells });
    }, options);
    return { type: 'table', rows, report };
  } catch (err) {
    if (err instanceof FileRefused) return { type: 'refused', code: err.code, params: err.params };
    if (err instanceof EncodingRefused) return { type: 'encoding', code: err.code, encoding: err.encoding, rows: err.rows, count: err.count };
    const detail = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
    return { type: 'unreadable', detail };
  }
}

port.postMessage(await run());
