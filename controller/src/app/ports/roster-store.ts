/**
 * What the roster import needs from storage: the stored students to compare against, and writes
 * that land in one transaction. The SQLite adapter is store/students.ts (`sqlRosterStore`).
 */
import type { ExistingStudent, RosterEntry, RosterImport } from '../../domain/roster/plan.ts';

/** Who imported what, for the audit row the import writes in its own transaction. */
export interface RosterImportContext {
  /** Who ran it, for the audit log: 'cli:<user>' or a staff user. */
  actor: string;
  origin: string;
  /** The file's name, as recorded in the audit log. */
  source: string;
  /** ISO instant. */
  now: string;
}

/** Writes inside a transaction held by `RosterStore.transaction`; each rejects on a store failure. */
export interface RosterWrites {
  existing(): Promise<ExistingStudent[]>;
  /**
   * Codes may move between students in one import: clearing the codes of the rows about to be
   * updated first keeps the uniqueness rule from seeing a momentary clash.
   */
  clearCollectionCodes(entries: RosterEntry[]): Promise<void>;
  /** Inserts or updates by ID number; a stored student keeps its id (captures refer to it). */
  upsert(entries: RosterEntry[], now: string): Promise<void>;
  /** The `roster.import` audit row with the plan's counts. */
  recordImport(plan: RosterImport, ctx: RosterImportContext): Promise<void>;
}

export interface RosterStore {
  existing(): Promise<ExistingStudent[]>;
  /**
   * Runs `work` in one write transaction, the write lock taken up front. A rejection from `work`
   * rolls back every write made through `tx` and is passed on unchanged.
   */
  transaction<T>(work: (tx: RosterWrites) => Promise<T>): Promise<T>;
}
