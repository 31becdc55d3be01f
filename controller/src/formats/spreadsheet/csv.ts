/**
 * CSV rosters. Excel in China saves "CSV" as GBK (GB18030 is its superset), newer Excel and WPS as
 * UTF-8 with a BOM, and some exports are UTF-16 tab-separated "Unicode text".
 */

export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le';

/** Decodes a CSV file: BOMs first, then strict UTF-8, and GB18030 when UTF-8 does not fit. */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Any GBK byte sequence is invalid UTF-8 almost at once, so a failed strict decode means GBK.
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
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
  const rows: string[][] = [];
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
      rows.push(row);
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
    rows.push(row);
  }
  return rows;
}
