/**
 * `rig schedule import FILE` and `rig makeup window import FILE` (and the staff upload of make-up
 * windows): read the file, plan against what is stored and write all rows and the audit row in one
 * transaction, or nothing at all when any row is bad.
 */
import { basename } from 'node:path';
import type { AuditTrail } from './ports/audit.ts';
import type { MakeupWindowStore, SlotStore } from './ports/slot-store.ts';
import type { TextEncodingName } from '../formats/spreadsheet/csv.ts';
import { bilingual } from '../domain/messages/index.ts';
import { planSlotImport, type SlotRowError } from '../domain/schedule-import.ts';
import { planMakeupWindowImport } from '../domain/makeup-import.ts';
import { readTable, readTableBytes, TableFileError, type Table } from '../formats/spreadsheet/table.ts';

export interface SlotImportReport {
  added: number;
  unchanged: number;
  errors: SlotRowError[];
  dryRun: boolean;
}

export interface SlotImportOptions {
  dryRun?: boolean;
  /** CSV: the encoding the user names; else decided from the whole file */
  encoding?: TextEncodingName;
  /** Writes the audit row inside the import transaction. */
  audit?: (trail: AuditTrail, details: { file: string; added: number; unchanged: number }) => Promise<unknown>;
}

/** Thrown inside the transaction to roll it back when the plan has errors. */
class Rejected extends Error {}

/** The file's table, or the reason it cannot be read as the report's errors (row 0: the file). */
async function tableOf(source: ImportSource, encoding: TextEncodingName | undefined): Promise<Table | SlotRowError[]> {
  try {
    return 'bytes' in source ? await readTableBytes(source.name, source.bytes, encoding) : await readTable(source.file, encoding);
  } catch (err) {
    if (!(err instanceof TableFileError)) throw err;
    const message = bilingual(err.code, { reason: err.reason, ...err.params });
    const rows = err.rows.length > 0 ? err.rows : [0];
    return rows.map((row) => ({ row, column: null, code: err.code, message }));
  }
}

/** A file on disk (CLI) or an upload's bytes with its file name (staff API). */
export type ImportSource = { file: string } | { name: string; bytes: Buffer };

export async function importSlotFile(store: SlotStore, file: string, options: SlotImportOptions = {}): Promise<SlotImportReport> {
  const dryRun = options.dryRun ?? false;
  const table = await tableOf({ file }, options.encoding);
  if (Array.isArray(table)) return { added: 0, unchanged: 0, dryRun, errors: table };

  let report: SlotImportReport = { added: 0, unchanged: 0, errors: [], dryRun };
  try {
    // Planned inside the write transaction so that no other writer slips in between check and insert.
    await store.transaction(async (tx) => {
      const plan = planSlotImport(table.headers, table.rows, await tx.list());
      report = { added: plan.toAdd.length, unchanged: plan.unchanged, errors: plan.errors, dryRun };
      if (plan.errors.length > 0 || dryRun) throw new Rejected();
      for (const { slot } of plan.toAdd) await tx.insert(slot);
      await options.audit?.(tx.audit, { file: basename(file), added: report.added, unchanged: report.unchanged });
    });
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
  }
  return report;
}

/** Make-up windows from XLSX or CSV, all or nothing; the same report as the slot import. */
export async function importMakeupWindows(store: MakeupWindowStore, source: ImportSource, options: SlotImportOptions = {}): Promise<SlotImportReport> {
  const dryRun = options.dryRun ?? false;
  const table = await tableOf(source, options.encoding);
  if (Array.isArray(table)) return { added: 0, unchanged: 0, dryRun, errors: table };
  const file = 'bytes' in source ? source.name : basename(source.file);
  let report: SlotImportReport = { added: 0, unchanged: 0, errors: [], dryRun };
  try {
    await store.transaction(async (tx) => {
      const plan = planMakeupWindowImport(table.headers, table.rows, await tx.list());
      report = { added: plan.toAdd.length, unchanged: plan.unchanged, errors: plan.errors, dryRun };
      if (plan.errors.length > 0 || dryRun) throw new Rejected();
      for (const { window } of plan.toAdd) await tx.insert(window);
      await options.audit?.(tx.audit, { file, added: report.added, unchanged: report.unchanged });
    });
  } catch (err) {
    if (!(err instanceof Rejected)) throw err;
  }
  return report;
}
