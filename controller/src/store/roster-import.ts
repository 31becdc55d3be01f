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
import { bilingual } from '../domain/messages/index.ts';
import { RosterImportBuilder, type RosterEntry, type RosterImport } from '../domain/roster/plan.ts';
import type { Database, Queryable } from './database.ts';
import { readRosterFile, rosterFileKind, type ReadReport, type RosterFileKind } from './roster-files/index.ts';
import {
  applyRosterImport, clearCollectionCodes, loadExistingStudents, recordImportAudit, RosterRejected, upsertStudents,
  type ImportContext,
} from './students.ts';

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

function fileFailure(code: string, params: Record<string, string>): RosterImportOutcome {
  return {
    plan: { add: [], update: [], unchanged: 0, errors: [{ row: 0, column: '', code, message: bilingual(code, params) }] },
    applied: false,
    file: null,
  };
}

class ReadFailed extends Error {}
/** A batch hit a constraint that only the whole plan can resolve (codes moving between batches). */
class NeedsWholePlan extends Error {}

/** Writes new and changed rows in batches as they arrive; stops at the first problem in the file. */
class StreamingWriter {
  private pending: RosterEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  failure: unknown = null;

  constructor(
    private readonly tx: Queryable,
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
        await clearCollectionCodes(this.tx, updates);
        await upsertStudents(this.tx, batch, this.now);
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

export async function importRosterFile(db: Database, file: string, options: RosterImportOptions): Promise<RosterImportOutcome> {
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
      return { plan: builder.finish(await loadExistingStudents(db)), applied: false, file: report };
    } catch (err) {
      if (err instanceof ReadFailed) return fileFailure('roster.file.unreadable', { detail: err.message });
      throw err;
    }
  }

  const ctx: ImportContext = {
    actor: options.actor,
    origin: options.origin ?? 'local',
    source: basename(file),
    now: (options.now?.() ?? new Date()).toISOString(),
  };
  let builder: RosterImportBuilder | null = null;
  let report: ReadReport | null = null;
  try {
    const plan = await db.transaction(async (tx) => {
      const existing = await loadExistingStudents(tx);
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
      await recordImportAudit(tx, result, ctx);
      return result;
    });
    return { plan, applied: true, file: report };
  } catch (err) {
    if (err instanceof ReadFailed) return fileFailure('roster.file.unreadable', { detail: err.message });
    if (err instanceof RosterRejected) return { plan: err.plan, applied: false, file: report };
    if (err instanceof NeedsWholePlan && builder !== null) {
      const plan = await applyRosterImport(db, builder, ctx);
      return { plan, applied: plan.errors.length === 0, file: report };
    }
    throw err;
  }
}
