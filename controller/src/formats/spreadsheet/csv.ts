/**
 * CSV rosters. Excel in China saves "CSV" as GBK (GB18030 is its superset), newer Excel and WPS as
 * UTF-8 with a BOM, and some exports are UTF-16 tab-separated "Unicode text".
 */

export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le';

export const TEXT_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'gb18030', 'utf-16le'];

/**
 * The file's bytes do not decode honestly: `rows` are the line numbers (1-based, as a spreadsheet
 * shows them) that look broken, at most 20 of them, `count` how many there are in all.
 */
export class EncodingRefused extends Error {
  constructor(
    readonly code: 'roster.file.encoding_broken' | 'roster.file.encoding_ambiguous',
    readonly encoding: TextEncodingName | null,
    readonly rows: number[],
    readonly count: number,
  ) {
    super(`${code}: rows ${rows.join(', ')}`);
  }
}

const MAX_ROWS_NAMED = 20;

function strictDecoder(encoding: TextEncodingName): TextDecoder {
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
}

/** Splits at LF: neither UTF-8 nor GB18030 uses the byte 0x0A inside a character. */
function* lines(bytes: Uint8Array): Generator<{ line: number; bytes: Uint8Array; ascii: boolean }> {
  let start = 0;
  let line = 1;
  let ascii = true;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      if (i > start || i < bytes.length) yield { line, bytes: bytes.subarray(start, i), ascii };
      start = i + 1;
      line++;
      ascii = true;
    } else if (bytes[i]! >= 0x80) ascii = false;
  }
}

function decodes(decoder: TextDecoder, bytes: Uint8Array): boolean {
  try {
    return !decoder.decode(bytes).includes('\ufffd');
  } catch {
    return false;
  }
}

function refuseUnless(encoding: TextEncodingName, text: string | null, bytes: Uint8Array, firstLine = 1): string {
  if (text !== null && !text.includes('\ufffd')) return text;
  // Which lines are broken: decoded one by one, so the report can point at them.
  const decoder = strictDecoder(encoding);
  const bad: number[] = [];
  let count = 0;
  if (encoding === 'utf-16le') {
    return fail('roster.file.encoding_broken', encoding, [], 1);
  }
  for (const l of lines(bytes)) {
    if (l.ascii || decodes(decoder, l.bytes)) continue;
    count++;
    if (bad.length < MAX_ROWS_NAMED) bad.push(l.line + firstLine - 1);
  }
  return fail('roster.file.encoding_broken', encoding, bad, Math.max(count, 1));
}

function fail(code: EncodingRefused['code'], encoding: TextEncodingName | null, rows: number[], count: number): never {
  throw new EncodingRefused(code, encoding, rows, count);
}

function tryDecode(encoding: TextEncodingName, bytes: Uint8Array): string | null {
  try {
    return strictDecoder(encoding).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes a CSV file, deciding the encoding from the whole file. A BOM or `forced` names it; else
 * every line with non-ASCII bytes is tried as UTF-8 and as GB18030. All lines valid UTF-8: UTF-8.
 * None of them valid UTF-8 (a chance hit or two aside) and all valid GB18030: GB18030. Anything else
 * is refused with the lines that look broken: a UTF-8 file with one stray byte is not a GBK file (it
 * would decode "successfully" into nonsense in every field), and a replacement character is never
 * imported.
 */
export function decodeCsvBytes(bytes: Uint8Array, forced?: TextEncodingName): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf && (forced === undefined || forced === 'utf-8')) {
    const body = bytes.subarray(3);
    return { text: refuseUnless('utf-8', tryDecode('utf-8', body), body), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe && (forced === undefined || forced === 'utf-16le')) {
    const body = bytes.subarray(2);
    return { text: refuseUnless('utf-16le', tryDecode('utf-16le', body), body), encoding: 'utf-16le' };
  }
  if (forced !== undefined) return { text: refuseUnless(forced, tryDecode(forced, bytes), bytes), encoding: forced };

  const whole = tryDecode('utf-8', bytes);
  if (whole !== null && !whole.includes('\ufffd')) return { text: whole, encoding: 'utf-8' };

  const utf8 = strictDecoder('utf-8');
  const gb = strictDecoder('gb18030');
  const utf8Good: number[] = [];
  const utf8Bad: number[] = [];
  const gbBad: number[] = [];
  let nonAscii = 0;
  for (const l of lines(bytes)) {
    if (l.ascii) continue;
    nonAscii++;
    (decodes(utf8, l.bytes) ? utf8Good : utf8Bad).push(l.line);
    if (!decodes(gb, l.bytes)) gbBad.push(l.line);
  }
  const named = (rows: number[]) => rows.slice(0, MAX_ROWS_NAMED);
  if (gbBad.length === 0) {
    // GBK text that happens to be valid UTF-8 line after line is rare (the famous 联通 is one word).
    if (utf8Good.length * 20 <= nonAscii) return { text: refuseUnless('gb18030', tryDecode('gb18030', bytes), bytes), encoding: 'gb18030' };
    // Mostly UTF-8: the other lines are broken UTF-8, not GBK.
    if (utf8Good.length > utf8Bad.length) fail('roster.file.encoding_broken', 'utf-8', named(utf8Bad), utf8Bad.length);
    fail('roster.file.encoding_ambiguous', null, named(utf8Good), utf8Good.length);
  }
  // Neither fits every line: name the lines broken under the likelier encoding.
  if (utf8Bad.length <= gbBad.length) fail('roster.file.encoding_broken', 'utf-8', named(utf8Bad), utf8Bad.length);
  fail('roster.file.encoding_broken', 'gb18030', named(gbBad), gbBad.length);
}

/** Comma unless the first line has tabs or semicolons and no commas (Unicode text and some locales). */
function sniffDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  if (first.includes(';')) return ';';
  return ',';
}

/**
 * Splits CSV text into rows of fields (RFC 4180: quoted fields may hold delimiters, doubled quotes
 * and line breaks). Every record, blank ones included, is a row, so row numbers match what a
 * spreadsheet shows.
 */
export function parseCsv(text: string, delimiter = sniffDelimiter(text)): string[][] {
  return [...csvRows(text, delimiter)];
}

/** The same rows one at a time: a reader may stop at any row without the rest ever being split. */
export function* csvRows(text: string, delimiter = sniffDelimiter(text)): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  const delim = delimiter.charCodeAt(0);
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 34 /* " */ && field === '') {
      // A quoted field runs to the next quote that is not doubled.
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
      while (i < n && (c = text.charCodeAt(i)) !== delim && c !== 10 && c !== 13) field += text[i++];
      continue;
    }
    if (c === delim) {
      row.push(field);
      field = '';
      i++;
    } else if (c === 10 || c === 13) {
      row.push(field);
      yield row;
      row = [];
      field = '';
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      let j = i + 1;
      while (j < n && (c = text.charCodeAt(j)) !== delim && c !== 10 && c !== 13) j++;
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}
