import { foundation } from './001-foundation.ts';
import { capture } from './002-capture.ts';
import { staff } from './003-staff.ts';
import { archiveCrc } from './004-archive-crc.ts';
import type { Migration } from './migration.ts';

export type { Migration };


/** In order, contiguous from 1. Never edit a migration that has shipped: add the next one. */
export const migrations: readonly Migration[] = [foundation, capture, staff, archiveCrc];
