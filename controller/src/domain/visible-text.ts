/**
 * Text from outside (failed sign-in names, uploaded file names, roster headers) shown to people.
 * The stored value stays what was sent; what is shown has its control characters written out, so a
 * name cannot move the terminal's cursor, ring its bell, end a line early, clear the screen or
 * reverse the text direction: `\x1b`, `\r`, `\n`, `\u202e` appear as those letters.
 */
// C0, DEL, C1, line/paragraph separators, bidi embeddings, overrides and isolates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function visibleText(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True when `visibleText` would change the text. */
export function hasControlCharacters(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return found;
}
