import type { Migration } from './migration.ts';

/**
 * Slots and make-up windows restricted to one 教育类别: the notice shoots 普通 and 成人 graduates in
 * separate campaigns and gives them separate make-up weeks. NULL keeps a row open to every category,
 * which is what every row before this step meant.
 */
export const educationCategory: Migration = {
  version: 6,
  name: '006-education-category',
  sql: `
ALTER TABLE shoot_slots ADD COLUMN category TEXT CHECK (category IN ('regular', 'adult'));
ALTER TABLE makeup_windows ADD COLUMN category TEXT CHECK (category IN ('regular', 'adult'));
`,
};
