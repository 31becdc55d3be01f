/**
 * A character of three UTF-8 bytes that falls on the boundary between two chunks of an inflated XLSX
 * part must come out whole: decoding every chunk on its own turns the halves into U+FFFD and a
 * student's name into something no registry matches. The workbooks are generated here: thousands of
 * long CJK names (shared strings and inline strings, so both parts are many chunks long), written
 * three times with a shift of one byte, so every boundary position inside a character is hit.
 */
import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRosterBytes } from '../../../controller/src/formats/spreadsheet/index.ts';
import { readIsolated } from '../../../controller/src/formats/spreadsheet/isolated-read.ts';
import { DEFAULT_READ_LIMITS } from '../../../controller/src/formats/spreadsheet/limits.ts';
import { cellText } from '../../../controller/src/formats/spreadsheet/table.ts';
import { readZipDirectory } from '../../../controller/src/formats/spreadsheet/zip.ts';

const HAN = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐';
const ROWS = 3000;

/** Row i's name: 30-45 characters of three bytes each, deterministic. */
function nameOf(i: number, shift: number): string {
  const len = 30 + (i % 16);
  let s = 'a'.repeat(i === 0 ? shift : 0);
  // Three leading characters spell i in base 64, so no two rows share a string.
  for (let d = i, k = 0; k < 3; k++, d = Math.floor(d / HAN.length)) s += HAN[d % HAN.length];
  for (let k = 3; k < len; k++) s += HAN[(i * 7 + k * 13) % HAN.length];
  return s;
}

async function workbook(shift: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  for (let i = 0; i < ROWS; i++) {
    // Column A is a shared string, column B an inline rich text (stored in the sheet itself).
    ws.addRow([nameOf(i, shift), { richText: [{ text: nameOf(i + 1, 0) }] }]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The inflated XML of one part, to check the fixture really is many chunks long. */
function partText(bytes: Buffer, name: string): Buffer {
  const entry = readZipDirectory(bytes, DEFAULT_READ_LIMITS).find((e) => e.name === name)!;
  const h = entry.localHeaderOffset;
  const start = h + 30 + bytes.readUInt16LE(h + 26) + bytes.readUInt16LE(h + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  return entry.method === 0 ? data : inflateRawSync(data);
}

function expected(shift: number): string[][] {
  return Array.from({ length: ROWS }, (_, i) => [nameOf(i, shift), nameOf(i + 1, 0)]);
}

describe('XLSX text across chunk boundaries', () => {
  const files = Promise.all([0, 1, 2].map((shift) => workbook(shift)));

  it('the fixture spans many 64 KiB chunks in both parts', async () => {
    for (const bytes of await files) {
      expect(partText(bytes, 'xl/sharedStrings.xml').length).toBeGreaterThan(4 * 64 * 1024);
      expect(partText(bytes, 'xl/worksheets/sheet1.xml').length).toBeGreaterThan(4 * 64 * 1024);
    }
  });

  it('reads every name whole in the room process', async () => {
    for (const [shift, bytes] of (await files).entries()) {
      const got: string[][] = [];
      await readRosterBytes(bytes, 'xlsx', (_row, cells) => got.push(cells.map((c) => cellText(c))));
      const bad = got.flat().filter((t) => t.includes('\ufffd'));
      expect(bad.slice(0, 3), `shift ${shift}`).toEqual([]);
      expect(got).toEqual(expected(shift));
    }
  });

  it('reads every name whole in the isolated reader', async () => {
    for (const [shift, bytes] of (await files).entries()) {
      const { rows } = await readIsolated({ mode: 'table', bytes, kind: 'xlsx', limits: DEFAULT_READ_LIMITS });
      expect(rows.map((r) => r.cells), `shift ${shift}`).toEqual(expected(shift));
    }
  }, 60_000);
});

describe('CSV text of the same names', () => {
  it('decodes the whole file at once, so no character is split (in both readers)', async () => {
    const names = expected(1);
    const text = names.map((r) => r.join(',')).join('\r\n');
    const bytes = Buffer.from(text, 'utf8');
    const got: string[][] = [];
    const report = await readRosterBytes(bytes, 'csv', (_row, cells) => got.push(cells.map((c) => cellText(c))));
    expect(report.encoding).toBe('utf-8');
    expect(got).toEqual(names);
    const { rows } = await readIsolated({ mode: 'table', bytes, kind: 'csv', limits: DEFAULT_READ_LIMITS });
    expect(rows.map((r) => r.cells)).toEqual(names);
  }, 60_000);
});
