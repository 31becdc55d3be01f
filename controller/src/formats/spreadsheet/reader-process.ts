/**
 * The child process that reads an untrusted roster or schedule file (see isolated-read.ts). It gets
 * one request over IPC, reads, runs the roster's row checks, sends back plain data and exits; it
 * never touches the database.
 */
import { RosterImportBuilder } from '../../domain/roster/plan.ts';
import { cellText } from './table.ts';
import { EncodingRefused } from './csv.ts';
import { readRosterBytes } from './index.ts';
import { FileRefused } from './limits.ts';
import type { ReadRequest, ReadResponse } from './isolated-read.ts';

const send = (m: ReadResponse) => new Promise<void>((resolve) => process.send!(m, undefined, undefined, () => resolve()));

async function run(request: ReadRequest): Promise<ReadResponse> {
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  let last = 0;
  const onBytes = (n: number) => {
    // A few dozen progress messages per file, not one per row.
    if (n - last >= bytes.length / 50 || n === bytes.length) {
      last = n;
      process.send!({ type: 'progress', bytes: n } satisfies ReadResponse);
    }
  };
  const options = { limits: request.limits, encoding: request.encoding, onBytes };
  try {
    if (request.mode === 'roster') {
      const builder = new RosterImportBuilder(request.today, undefined, request.limits.maxProblems);
      const report = await readRosterBytes(bytes, request.kind, (row, cells) => builder.addRow(row, cells), options);
      return { type: 'roster', snapshot: builder.toSnapshot(), report, readerPid: process.pid };
    }
    const rows: Array<{ row: number; cells: string[] }> = [];
    const report = await readRosterBytes(bytes, request.kind, (row, raw) => {
      const cells = Array.from(raw, (c) => cellText(c).trim());
      if (cells.some((c) => c !== '')) rows.push({ row, cells });
    }, options);
    return { type: 'table', rows, report, readerPid: process.pid };
  } catch (err) {
    if (err instanceof FileRefused) return { type: 'refused', code: err.code, params: err.params };
    if (err instanceof EncodingRefused) return { type: 'encoding', code: err.code, encoding: err.encoding, rows: err.rows, count: err.count };
    const detail = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : err instanceof Error ? err.message : String(err);
    return { type: 'unreadable', detail };
  }
}

// A spare reader waits for its one request; when the parent goes (or drops it), so does the reader.
process.once('disconnect', () => process.exit(0));
process.send!({ type: 'ready' } satisfies ReadResponse);
process.once('message', (request: ReadRequest) => {
  if (request.tempDir) {
    // Anything a library spools goes to this read's own folder (os.tmpdir() reads these each time).
    process.env.TMPDIR = request.tempDir;
    process.env.TMP = request.tempDir;
    process.env.TEMP = request.tempDir;
  }
  // The parent reads a missing answer as "the reader stopped".
  run(request).then(send).then(() => process.disconnect(), () => process.exit(70));
});
