/**
 * The roster import use case: stream the file through the domain's checks and apply the plan in one
 * transaction (or, for a dry run, only compare). Shared by `rig import-roster` and, later, the staff API.
 *
 * Speed: the write transaction is opened before the file is read, and valid rows are written in
 * batches while the parser goes on (SQLite works on the thread pool, the parser on the main thread).
 * Any bad row, found anywhere in the file, still rolls the whole transaction back: nothing is
 * committed unless the complete plan is clean. The write lock is held for the length of the read.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { bilingual, type RosterCode } from '../domain/messages/index.ts';
import { RosterImportBuilder, type RosterEntry, type RosterImport } from '../domain/roster/plan.ts';
import { readRosterFile, rosterFileKind, type ReadReport, type RosterFileKind } from '../formats/spreadsheet/index.ts';
import type { RosterImportContext, RosterStore, RosterWrites } from './ports/roster-store.ts';

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
}

export interface RosterImportOutcome {
  plan: RosterImport;
  applied: boolean;
  file: ReadReport | null;
}

/** Rows per write while the file is still being read: large enough to amortise a statement. */
const STREAM_BATCH = 2000;

function fileFailure(code: RosterCode, params: Record<string, string>): RosterImportOutcome {
  return {
    plan: { add: [], update: [], unchanged: 0, errors: [{ row: 0, column: '', code, message: bilingual(code, params) }] },
    applied: false,
    file: null,
  };
}

class ReadFailed extends Error {}
/** Raised inside the transaction to roll it back when the fresh comparison finds errors. */
class RosterRejected extends Error {
  constructor(readonly plan: RosterImport) {
    super(`roster rejected: ${plan.errors.length} problems`);
  }
}
/** A batch hit a constraint that only the whole plan can resolve (codes moving between batches). */
class NeedsWholePlan extends Error {}

/** Writes new and changed rows in batches as they arrive; stops at the first problem in the file. */
class StreamingWriter {
  private pending: RosterEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  failure: unknown = null;

  constructor(
    private readonly tx: RosterWrites,
    private readonly storedHash: Map<string, string>,
    private readonly now: string,
    private readonly rejected: () => boolean,
  ) {}

  offer(e: RosterEntry): void {
    if (this.storedHash.get(e.record.idNumber) === e.rowHash) return;
    this.pending.push(e);
    if (this.pending.length >= STREAM_BATCH) this.flush();
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || this.rejected() || this.failure !== null) return;
    const updates = batch.filter((e) => this.storedHash.has(e.record.idNumber));
    this.chain = this.chain.then(async () => {
      if (this.failure !== null || this.rejected()) return;
      try {
        await this.tx.clearCollectionCodes(updates);
        await this.tx.upsert(batch, this.now);
      } catch (err) {
        this.failure = err;
      }
    });
  }

  async finish(): Promise<void> {
    this.flush();
    await this.chain;
  }
}

async function readInto(file: string, kind: RosterFileKind, builder: RosterImportBuilder, size: number,
  options: RosterImportOptions): Promise<ReadReport> {
  const onBytes = options.onProgress ? (bytes: number) => options.onProgress?.('read', size > 0 ? Math.min(1, bytes / size) : 1) : undefined;
  try {
    return await readRosterFile(file, kind, (row, cells) => builder.addRow(row, cells), onBytes);
  } catch (err) {
    throw new ReadFailed(err instanceof Error ? err.message : String(err));
  }
}

export async function importRosterFile(store: RosterStore, file: string, options: RosterImportOptions): Promise<RosterImportOutcome> {
  const kind = rosterFileKind(file);
  if (!kind) return fileFailure('roster.file.unsupported', { file: basename(file) });
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    return fileFailure('roster.file.unreadable', { detail: err instanceof Error ? err.message : String(err) });
  }
  options.onStart?.(size);

  if (options.dryRun) {
    const builder = new RosterImportBuilder(options.today);
    try {
      const report = await readInto(file, kind, builder, size, options);
      return { plan: builder.finish(await store.existing()), applied: false, file: report };
    } catch (err) {
      if (err instanceof ReadFailed) return fileFailure('roster.file.unreadable', { detail: err.message });
      throw err;
    }
  }

  const ctx: RosterImportContext = {
    actor: options.actor,
    origin: options.origin ?? 'local',
    source: basename(file),
    now: (options.now?.() ?? new Date()).toISOString(),
  };
  let builder: RosterImportBuilder | null = null;
  let report: ReadReport | null = null;
  try {
    const plan = await store.transaction(async (tx) => {
      const existing = await tx.existing();
      const storedHash = new Map(existing.map((s) => [s.idNumber, s.rowHash]));
      let writer: StreamingWriter | null = null;
      const b = new RosterImportBuilder(options.today, (e) => writer?.offer(e));
      builder = b;
      writer = new StreamingWriter(tx, storedHash, ctx.now, () => b.hasProblems);
      try {
        report = await readInto(file, kind, b, size, options);
      } finally {
        await writer.finish(); // never leave a statement running into the ROLLBACK
      }
      options.onProgress?.('write', 1);
      const result = b.finish(existing);
      if (result.errors.length > 0) throw new RosterRejected(result);
      if (writer.failure !== null) throw new NeedsWholePlan();
      await tx.recordImport(result, ctx);
      return result;
    });
    return { plan, applied: true, file: report };
  } catch (err) {
    if (err instanceof ReadFailed) return fileFailure('roster.file.unreadable', { detail: err.message });
    if (err instanceof RosterRejected) return { plan: err.plan, applied: false, file: report };
    if (err instanceof NeedsWholePlan && builder !== null) {
      const plan = await applyRosterImport(store, builder, ctx);
      return { plan, applied: plan.errors.length === 0, file: report };
    }
    throw err;
  }
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
