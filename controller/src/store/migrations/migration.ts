/** A numbered schema step; `version` is what PRAGMA user_version holds after it. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
