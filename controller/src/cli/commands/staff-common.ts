/**
 * What the staff, export and pull commands share: the data folder from the global options and
 * the actor name that goes into the audit log for local commands.
 * TODO(found): switch to the CLI context helper (config loading) once it is in main.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Database } from '../../store/database.ts';
import type { GlobalOptions } from '../program.ts';

export function dataDirOf(command: Command): string {
  const opts = command.optsWithGlobals<GlobalOptions>();
  return resolve(opts.data ?? process.env.RIG_DATA ?? 'data');
}

export function openDatabase(command: Command): Promise<Database> {
  return Database.open(join(dataDirOf(command), 'rig.db'));
}

export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // containers without a passwd entry
  }
  return `cli:${name}`;
}
