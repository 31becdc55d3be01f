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
