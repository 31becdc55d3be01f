/** Plain-text tables for terminal listings; CJK characters take two columns. */
import { bilingual } from '../domain/messages/index.ts';
import { visibleText } from '../domain/visible-text.ts';
import type { FieldError } from '../domain/schedule-input.ts';
import { CliError } from './cli-error.ts';
import { printJson } from './context.ts';

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

/** Cells are shown with their control characters written out (visible-text.ts): table text comes from outside. */
export function formatTable(headers: readonly string[], rawRows: ReadonlyArray<readonly string[]>): string {
  const rows = rawRows.map((r) => r.map(visibleText));
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Ends the command with the field errors (as JSON with --json), exit code 1. */
export function failWithFieldErrors(errors: readonly FieldError[], json: boolean | undefined): never {
  const list = errors.map((e) => ({ field: e.field, code: e.code, message: bilingual(e.code, e.params) }));
  if (json) {
    printJson({ errors: list });
    throw new CliError('', 1);
  }
  throw new CliError(list.map((e) => `${e.field}: ${e.message}`).join('\n'), 1);
}

export { maskIdNumber } from '../domain/roster/id-number.ts';
