import { foundation } from './001-foundation.ts';
import { capture } from './002-capture.ts';
import { staff } from './003-staff.ts';
import { archiveCrc } from './004-archive-crc.ts';
import { educationCategory } from './005-education-category.ts';
import { discrepancies } from './006-discrepancies.ts';
import { makeupCaptures } from './007-makeup-captures.ts';

/** A numbered schema step; `version` is what PRAGMA user_version holds after it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** In order, contiguous from 1. Never edit a migration that has shipped: add the next one. */
export const migrations: readonly Migration[] = [foundation, capture, staff, archiveCrc, educationCategory, discrepancies, makeupCaptures];
