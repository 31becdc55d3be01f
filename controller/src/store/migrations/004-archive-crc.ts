import type { Migration } from './migration.ts';

/**
 * The deliverable's CRC-32, recorded at acceptance from the same bytes as its SHA-256. A batch ZIP
 * computes every file's CRC-32 anyway; comparing it with this record is how export notices a damaged
 * or replaced file without hashing each one again. Rows accepted before this step hold NULL and are
 * checked against their SHA-256 instead.
 */
export const archiveCrc: Migration = {
  version: 4,
  name: '004-archive-crc',
  sql: `
ALTER TABLE accepted_photos ADD COLUMN deliverable_crc32 INTEGER CHECK (deliverable_crc32 BETWEEN 0 AND 4294967295);
`,
};
