/**
 * Stop-gap until the configuration helper (cli/context.ts) lands: the database is
 * `<--data or ./data>/rig.db` and the school's time zone is Asia/Shanghai.
 * TODO(merge): replace with the config + Database helper from cli/context.ts.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { Database } from '../store/database.ts';
import type { GlobalOptions } from './program.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function openRosterStore(command: Command): Promise<Database> {
  const { data } = command.optsWithGlobals<GlobalOptions>();
  return Database.open(join(data ?? './data', 'rig.db'));
}

/** The calendar date (YYYY-MM-DD) of `now` in `timeZone`. */
export function localDate(now: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
