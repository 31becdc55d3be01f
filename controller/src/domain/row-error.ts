import type { MessageCode } from './messages/index.ts';

/** A problem with one row of an imported file (roster or schedule), as reports and APIs return it. */
export interface RowError<Code extends MessageCode = MessageCode> {
  /** Row number as the spreadsheet shows it (header = 1); 0 for the whole file. */
  row: number;
  /** Header text of the column as written in the file; null or '' for the whole row or file. */
  column: string | null;
  code: Code;
  /** zh-CN / English text of the code. */
  message: string;
}
