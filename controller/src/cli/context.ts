/**
 * What a subcommand needs from the global options: the loaded configuration (--config, RIG_*,
 * --data) and, for commands that touch the store, the opened database plus an audit writer.
 */
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { loadConfig, dataLayout, type DataLayout, type LoadedConfig } from '../config/load.ts';
import { ConfigError, formatProblems } from '../config/problems.ts';
import { Database, type Queryable } from '../store/database.ts';
import { appendAudit, type AuditEntry } from '../store/audit-log.ts';
import { CliError } from './cli-error.ts';

/** Global options every subcommand sees through `command.optsWithGlobals()`. */
export interface GlobalOptions {
  data?: string;
  config?: string;
}

/** sysexits EX_CONFIG: the configuration is unusable. */
export const EXIT_CONFIG = 78;

export interface CliContext extends LoadedConfig {
  layout: DataLayout;
}

export interface StoreContext extends CliContext {
  db: Database;
  /** Who the audit log names for this command. */
  actor: string;
  /** Appends an audit row; pass the transaction handle to make it part of the same write. */
  audit(q: Queryable, entry: Omit<AuditEntry, 'actor' | 'origin'>): Promise<number>;
}

export function cliConfig(command: Command): CliContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  try {
    const loaded = loadConfig({
      file: globals.config ?? null,
      env: process.env,
      overrides: globals.data !== undefined ? { data: globals.data } : undefined,
      overridesSource: '--data',
    });
    return { ...loaded, layout: dataLayout(loaded.config) };
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(formatProblems(err.problems), EXIT_CONFIG);
    throw err;
  }
}

function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Runs `fn` with the configuration and the opened store, closing the store afterwards. */
export async function withStore<T>(command: Command, fn: (ctx: StoreContext) => Promise<T>): Promise<T> {
  const ctx = cliConfig(command);
  const db = await Database.open(ctx.layout.database);
  const actor = cliActor();
  try {
    return await fn({
      ...ctx,
      db,
      actor,
      audit: (q, entry) => appendAudit(q, { ...entry, actor, origin: 'local' }),
    });
  } finally {
    await db.close();
  }
}

/** Prints a value as JSON on stdout (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
