/**
 * The roster import use case, shared by `rig import-roster` and the staff API's upload: read and
 * check the file first (in a worker with a memory cap, inside the limits of roster-files/limits.ts),
 * then, only for a clean plan, write it in one short transaction that compares it again with the
 * store. No database lock is held while an untrusted file is parsed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { bilingual, type RosterCode } from '../domain/messages/index.ts';
import { RosterImportBuilder, type RosterError, type RosterImport } from '../domain/roster/plan.ts';
import { EncodingRefused, type TextEncodingName } from '../formats/spreadsheet/csv.ts';
import { rosterFileKind, type ReadReport } from '../formats/spreadsheet/index.ts';
import { FileUnreadable, readIsolated } from '../formats/spreadsheet/isolated-read.ts';
import { FileRefused, readLimits, type ReadLimits } from '../formats/spreadsheet/limits.ts';
import type { RosterImportContext, RosterStore } from './ports/roster-store.ts';

export type ImportPhase = 'read' | 'write';

export interface RosterImportOptions {
  dryRun?: boolean;
  /** YYYY-MM-DD in the school's time zone (birth dates after it are rejected). */
  today: string;
  actor: string;
  origin?: string;
  now?: () => Date;
  /** Progress: phase, and for 'read' the fraction of the file read. */
  onProgress?: (phase: ImportPhase, fraction: number) => void;
  /** Called once the file size is known, before reading. */
  onStart?: (fileBytes: number) => void;
  /** CSV: the encoding the user names (`--encoding`); else decided from the whole file */
  encoding?: TextEncodingName;
  limits?: Partial<ReadLimits>;
  /** aborts the read (the uploading client hung up): the outcome is `roster.file.cancelled` */
  signal?: AbortSignal;
  /** the data folder's temp space: the reader's own temp folder goes there and is removed after */
  tempRoot?: string;
}

export interface RosterImportOutcome {
  plan: RosterImport;
  applied: boolean;
  file: ReadReport | null;
  /** set when the file was refused as a whole (a limit, cancelled): the code of its one error */
  refused?: string;
}

function fileFailure(code: RosterCode, params: Record<string, string | number>): RosterImportOutcome {
  return {
    plan: { add: [], update: [], unchanged: 0, errors: [{ row: 0, column: '', code, message: bilingual(code, params) }] },
    applied: false,
    file: null,
  };
}

/** Raised inside the transaction to roll it back when the fresh comparison finds errors. */
class RosterRejected extends Error {
  constructor(readonly plan: RosterImport) {
    super(`roster rejected: ${plan.errors.length} problems`);
  }
}

/** The lines an encoding check found broken, one error each, so that staff can find them. */
function encodingFailure(err: EncodingRefused): RosterImportOutcome {
  const params = { encoding: err.encoding ?? 'utf-8 / gb18030', count: err.count };
  const errors: RosterError[] = err.rows.length === 0
    ? [{ row: 0, column: '', code: err.code, message: bilingual(err.code, params) }]
    : err.rows.map((row) => ({ row, column: '', code: err.code, message: bilingual(err.code, params) }));
  const omitted = err.count - err.rows.length;
  return { plan: { add: [], update: [], unchanged: 0, errors, ...(omitted > 0 ? { errorsOmitted: omitted } : {}) }, applied: false, file: null };
}

/** Imports a roster file from disk (the CLI). */
export async function importRosterFile(store: RosterStore, file: string, options: RosterImportOptions): Promise<RosterImportOutcome> {
  if (!rosterFileKind(file)) return fileFailure('roster.file.unsupported', { file: basename(file) });
  const limits = readLimits(options.limits);
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > limits.maxFileBytes) return { ...fileFailure('roster.file.too_large', { max: limits.maxFileBytes }), refused: 'roster.file.too_large' };
    bytes = await readFile(file);
  } catch (err) {
    return fileFailure('roster.file.unreadable', { detail: err instanceof Error ? err.message : String(err) });
  }
  return importRosterBytes(store, basename(file), bytes, options);
}

/** Imports a roster from bytes (an upload: no temp file), named `name` in reports and the audit log. */
export async function importRosterBytes(store: RosterStore, name: string, bytes: Buffer, options: RosterImportOptions): Promise<RosterImportOutcome> {
  const kind = rosterFileKind(name);
  if (!kind) return fileFailure('roster.file.unsupported', { file: name });
  const limits = readLimits(options.limits);
  options.onStart?.(bytes.length);
  let builder: RosterImportBuilder;
  let report: ReadReport;
  try {
    const read = await readIsolated({ mode: 'roster', bytes, kind, limits, today: options.today, encoding: options.encoding }, {
      signal: options.signal,
      tempRoot: options.tempRoot,
      onBytes: (n) => options.onProgress?.('read', bytes.length > 0 ? Math.min(1, n / bytes.length) : 1),
    });
    builder = RosterImportBuilder.fromSnapshot(read.snapshot);
    report = read.report;
  } catch (err) {
    if (err instanceof FileRefused) return { ...fileFailure(err.code, err.params), refused: err.code };
    if (err instanceof EncodingRefused) return encodingFailure(err);
    if (err instanceof FileUnreadable) return fileFailure('roster.file.unreadable', { detail: err.message });
    throw err;
  }
  if (options.signal?.aborted) return { ...fileFailure('roster.file.cancelled', {}), refused: 'roster.file.cancelled' };
  options.onProgress?.('write', 0);
  if (options.dryRun || builder.hasProblems) {
    return { plan: builder.finish(await store.existing()), applied: false, file: report };
  }
  const ctx: RosterImportContext = {
    actor: options.actor,
    origin: options.origin ?? 'local',
    source: name,
    now: (options.now?.() ?? new Date()).toISOString(),
  };
  const plan = await applyRosterImport(store, builder, ctx);
  options.onProgress?.('write', 1);
  return { plan, applied: plan.errors.length === 0, file: report };
}

/**
 * Applies a roster in ONE transaction. The plan is recomputed against the store inside the
 * transaction (the write lock is held), so a concurrent change cannot slip between check and write.
 * Any error rolls everything back and nothing is written, not even the audit row.
 */
async function applyRosterImport(store: RosterStore, builder: RosterImportBuilder, ctx: RosterImportContext): Promise<RosterImport> {
  try {
    return await store.transaction(async (tx) => {
      const plan = builder.finish(await tx.existing());
      if (plan.errors.length > 0) throw new RosterRejected(plan);
      await tx.clearCollectionCodes(plan.update);
      await tx.upsert([...plan.add, ...plan.update], ctx.now);
      await tx.recordImport(plan, ctx);
      return plan;
    });
  } catch (err) {
    if (err instanceof RosterRejected) return err.plan;
    throw err;
  }
}
