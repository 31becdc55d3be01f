import { foundation } from './001-foundation.ts';
import { capture } from './002-capture.ts';
import { staff } from './003-staff.ts';
import { archiveCrc } from './004-archive-crc.ts';
import type { Migration } from './migration.ts';

export type { Migration };

import { interruptedSessions } from './005-interrupted-sessions.ts';
import { educationCategory } from './006-education-category.ts';
import { discrepancies } from './007-discrepancies.ts';
import { makeupCaptures } from './008-makeup-captures.ts';
import { calibrationProfiles } from './009-calibration-profiles.ts';
import { faceIdentity } from './010-face-identity.ts';

/** In order, contiguous from 1. Never edit a migration that has shipped: add the next one. */
export const migrations: readonly Migration[] = [foundation, capture, staff, archiveCrc, interruptedSessions, educationCategory, discrepancies, makeupCaptures, calibrationProfiles, faceIdentity];
