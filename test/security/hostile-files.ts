/**
 * Hostile spreadsheets, generated in the test (no committed binaries): ZIP archives written by hand
 * so that sizes, ratios and part order can lie exactly as an attacker's would.
 */
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import { HEADERS, makeStudents, toRows } from '../support/roster-fixtures.ts';

export interface ZipPart {
  name: string;
  /** the compressed bytes (raw deflate) and the true uncompressed length */
  deflated: Buffer;
  size: number;
  crc: number;
  /** what the archive claims the part inflates to (default: the truth) */
  declaredSize?: number;
}

export function part(name: string, text: string | Buffer): ZipPart {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { name, deflated: deflateRawSync(data), size: data.length, crc: crc32(data) };
}

/** A part whose text is `head`, then `unit` repeated `times`, then `tail`, deflated as a stream (never held inflated). */
export async function repeatedPart(name: string, head: string, unit: string, times: number, tail: string): Promise<ZipPart> {
  const d = createDeflateRaw({ level: 9, memLevel: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  let crc = 0;
  let size = 0;
  const write = (b: Buffer) => {
    crc = crc32(b, crc);
    size += b.length;
    return d.write(b);
  };
  write(Buffer.from(head));
  const per = Math.max(1, Math.floor((1 << 20) / unit.length));
  const block = Buffer.from(unit.repeat(per));
  for (let left = times; left > 0; left -= per) {
    const b = left >= per ? block : Buffer.from(unit.repeat(left));
    if (!write(b)) await new Promise((r) => d.once('drain', r));
  }
  write(Buffer.from(tail));
  d.end();
  await done;
  return { name, deflated: Buffer.concat(out), size, crc };
}

/** A ZIP of the parts in the given order; each declares `declaredSize` when it is set. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? p.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(p.crc >>> 0, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, p.deflated);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(p.crc >>> 0, 16);
    c.writeUInt32LE(p.deflated.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function cellRef(col: number, row: number): string {
  let s = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return `${s}${row}`;
}

export function inlineRow(row: number, cells: readonly string[]): string {
  return `<row r="${row}">${cells.map((c, i) => `<c r="${cellRef(i, row)}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`).join('')}</row>`;
}

export const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><sheetData>`;
export const SHEET_TAIL = '</sheetData></worksheet>';

/** The workbook parts every XLSX needs around its first sheet. */
export function workbookParts(): ZipPart[] {
  return [
    part('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    part('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    part('xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`),
    part('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
  ];
}

/** A small valid roster sheet (header + `n` students) as inline strings. */
export function rosterSheet(n: number): string {
  const rows = toRows(makeStudents(n)).map((r) => r.map((c) => String(c ?? '')));
  return SHEET_HEAD + rows.map((r, i) => inlineRow(i + 1, r)).join('') + SHEET_TAIL;
}

/** A CSV: the roster header, then `rows` one-field lines ("1"), as the 30 MB dry-run attack sent. */
export function csvManyRows(rows: number): Buffer {
  const header = Buffer.from(`${HEADERS.join(',')}\n`, 'utf8');
  const body = Buffer.alloc(rows * 2);
  for (let i = 0; i < body.length; i += 2) {
    body[i] = 0x31;
    body[i + 1] = 0x0a;
  }
  return Buffer.concat([header, body]);
}

/** The shared-strings bomb: `count` copies of a long string in sharedStrings.xml. */
export async function sharedStringsBomb(count: number, declaredSize?: number): Promise<Buffer> {
  const strings = await repeatedPart('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`,
    `<si><t>${'张'.repeat(200)}</t></si>`, count, '</sst>');
  if (declaredSize !== undefined) strings.declaredSize = declaredSize;
  return zip([...workbookParts(), strings, part('xl/worksheets/sheet1.xml', rosterSheet(2))]);
}

/** The blank-row bomb, its sheet stored before the workbook and relationships (so exceljs would spool it to a temp file). */
export async function blankRowBomb(rows: number): Promise<Buffer> {
  const sheet = await repeatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD + inlineRow(1, HEADERS), '<row/>', rows, SHEET_TAIL);
  const [types, rels, workbook, wbRels] = workbookParts();
  return zip([types!, sheet, rels!, workbook!, wbRels!]);
}
