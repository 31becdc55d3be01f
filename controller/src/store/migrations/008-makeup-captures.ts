import type { Migration } from './migration.ts';

/**
 * A photo taken in a make-up window names the certificate that let the student in: the certificate's
 * school contact is who receives the make-up student's photo and data, and the printed form can say
 * that it has been used. NULL: taken in the student's own slot (and every photo before this step).
 */
export const makeupCaptures: Migration = {
  version: 8,
  name: '008-makeup-captures',
  sql: `
ALTER TABLE accepted_photos ADD COLUMN makeup_certificate_id INTEGER REFERENCES makeup_certificates(id);
CREATE INDEX accepted_photos_makeup ON accepted_photos (makeup_certificate_id) WHERE makeup_certificate_id IS NOT NULL;
`,
};
