import type { Migration } from './index.ts';

/**
 * Stand-in for the kiosk's capture migration (002) so that 003 can be numbered now; it creates
 * nothing. Replaced by the real 002 when the kiosk branch is merged (drop this file then).
 */
export const capturePending: Migration = {
  version: 2,
  name: '002-capture-pending',
  sql: `SELECT 1;`,
};
