import { foundation } from './001-foundation.ts';
import { capture } from './002-capture.ts';
import { staff } from './003-staff.ts';
import { archiveCrc } from './004-archive-crc.ts';
import { interruptedSessions } from './005-interrupted-sessions.ts';

/** A numbered schema step; `version` is what PRAGMA user_version holds after it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The step rebuilds a table that others reference: foreign keys are switched off around it (they
   * cannot be inside a transaction) and `foreign_key_check` must come back empty before the commit.
   */
  foreignKeysOff?: boolean;
}

/** In order, contiguous from 1. Never edit a migration that has shipped: add the next one. */
export const migrations: readonly Migration[] = [foundation, capture, staff, archiveCrc, interruptedSessions];
