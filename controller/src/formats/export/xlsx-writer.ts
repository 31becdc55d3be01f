/**
 * A minimal XLSX (one sheet, text and numbers, header row frozen) written directly as SpreadsheetML.
 * exceljs builds a whole object model first and costs seconds per few thousand rows, which would
 * dominate a batch export; this is string building. Cells are inline strings, never formulas, and
 * characters XML 1.0 cannot carry are dropped (roster text is hostile input).
 */
import { ZipWriter } from './zip-writer.ts';

export type XlsxCell = string | number;

const invalidXml = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** Anything that needs escaping or dropping; most roster text has none, and skips both replaces. */
const needsWork = /[<>&"\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

function escapeXml(s: string): string {
  if (!needsWork.test(s)) return s;
  return s.replace(invalidXml, '').replace(/[<>&"]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&quot;'));
}

function columnName(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function cell(column: string, row: number, value: XlsxCell): string {
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${column}${row}"><v>${value}</v></c>`;
  return `<c r="${column}${row}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(value))}</t></is></c>`;
}

export function simpleXlsx(sheetName: string, widths: readonly number[], rows: ReadonlyArray<readonly XlsxCell[]>, title = ''): Buffer {
  // One Buffer per row, joined once: a single string joined from thousands of rows turns two-byte
  // as soon as a name is Chinese, and flattening and re-encoding it cost four times as much.
  const sheet: Buffer[] = [Buffer.from([
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>',
    '<cols>',
    ...widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`),
    '</cols><sheetData>',
  ].join(''), 'utf8')];
  // A reduce, not Math.max(...spread): a batch of 65,535 rows would be as many call arguments.
  const columns = Array.from({ length: rows.reduce((n, r) => Math.max(n, r.length), 0) }, (_, c) => columnName(c));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let xml = `<row r="${r + 1}">`;
    for (let c = 0; c < row.length; c++) xml += cell(columns[c]!, r + 1, row[c]!);
    sheet.push(Buffer.from(xml + '</row>', 'utf8'));
  }
  sheet.push(Buffer.from('</sheetData></worksheet>', 'utf8'));

  const now = new Date();
  const zip = new ZipWriter();
  const files: Array<[string, string | Buffer]> = [
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'],
    ['_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'],
    ['docProps/core.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(title)}</dc:title><dc:creator>rig</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${now.toISOString().replace(/\.\d+Z$/, 'Z')}</dcterms:created></cp:coreProperties>`],
    ['xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'],
  ];
  const out: Buffer[] = [];
  files.push(['xl/worksheets/sheet1.xml', Buffer.concat(sheet)]);
  for (const [name, text] of files) out.push(...zip.entry({ name, data: typeof text === 'string' ? Buffer.from(text, 'utf8') : text, modified: now }));
  out.push(zip.finish());
  return Buffer.concat(out);
}
