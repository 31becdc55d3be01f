/**
 * The batch manifest: one row per deliverable in sequence order, as CSV (UTF-8 with BOM so that
 * Excel on Chinese Windows opens it right) and as XLSX. Roster text is hostile until proven
 * otherwise: CSV cells that a spreadsheet would run as formulas are defused.
 */
import type { AcceptedPhoto } from '../../app/ports/accepted-photos.ts';
import { simpleXlsx } from './xlsx-writer.ts';
import { discrepancyFieldLabel, type DiscrepancyField } from '../../domain/discrepancy.ts';
import { message } from '../../domain/messages/index.ts';
import { visibleText } from '../../domain/visible-text.ts';

export interface ManifestRow {
  photo: AcceptedPhoto;
  /** path inside the archive or the pulled folder, e.g. photos/110101200001011234.jpg */
  fileName: string;
  /** where it came from, when several kiosks are merged */
  source?: string;
}

interface Column {
  header: string;
  width: number;
  value: (r: ManifestRow) => string | number;
}

const columns: Column[] = [
  { header: '序号 sequence', width: 10, value: (r) => r.photo.sequence },
  { header: '身份证号 id_number', width: 22, value: (r) => r.photo.student.idNumber },
  { header: '姓名 name', width: 12, value: (r) => r.photo.student.name },
  { header: '性别 gender', width: 8, value: (r) => (r.photo.student.gender === 'M' ? '男' : '女') },
  { header: '出生日期 birth_date', width: 12, value: (r) => r.photo.student.birthDate },
  { header: '院校代码 school_code', width: 10, value: (r) => r.photo.student.schoolCode },
  { header: '学历层次 education_level', width: 10, value: (r) => r.photo.student.educationLevel },
  { header: '专业 major', width: 20, value: (r) => r.photo.student.major },
  { header: '院系 department', width: 16, value: (r) => r.photo.student.department },
  { header: '班级 class', width: 14, value: (r) => r.photo.student.className },
  { header: '学号 student_number', width: 16, value: (r) => r.photo.student.studentNumber },
  { header: '采集码 collection_code', width: 16, value: (r) => r.photo.student.collectionCode ?? '' },
  { header: '识别码 code_text', width: 20, value: (r) => r.photo.codeText ?? '' },
  { header: '文件名 file', width: 28, value: (r) => r.fileName },
  { header: 'SHA-256', width: 66, value: (r) => r.photo.sha256 },
  { header: '采集时间 accepted_at', width: 22, value: (r) => r.photo.acceptedAt },
  // 补采: the certificate and the school contact who receives the make-up student's photo and data.
  { header: '补采证明 makeup_certificate', width: 10, value: (r) => (r.photo.makeup ? r.photo.makeup.certificateId : '') },
  { header: '学校联系人 contact_person', width: 12, value: (r) => r.photo.makeup?.contact.person ?? '' },
  { header: '联系电话 contact_phone', width: 16, value: (r) => r.photo.makeup?.contact.phone ?? '' },
  { header: '联系地址 contact_address', width: 28, value: (r) => r.photo.makeup?.contact.address ?? '' },
  { header: '邮政编码 postcode', width: 8, value: (r) => r.photo.makeup?.contact.postcode ?? '' },
  // 信息不符: fields the student reported wrong at the kiosk, still open; the office checks these records.
  { header: '信息不符 discrepancies', width: 20, value: (r) => discrepancyText(r.photo.discrepancies ?? []) },
];

/** Field names in Chinese then English, e.g. "姓名、出生日期 (name, birthDate)"; empty when none. */
export function discrepancyText(fields: readonly DiscrepancyField[]): string {
  if (fields.length === 0) return '';
  return `${fields.map((f) => message(discrepancyFieldLabel[f], 'zh')).join('、')} (${fields.join(', ')})`;
}

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",]/;

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A leading = + - @ (or tab/CR) makes Excel evaluate the cell; a quote prefix keeps it text.
  // Control characters are written out (visible-text.ts): a cell cannot break a row or hide text.
  const shown = visibleText(value);
  const s = formulaStart.test(shown) ? `'${shown}` : shown;
  return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function withSource(rows: readonly ManifestRow[]): Column[] {
  return rows.some((r) => r.source !== undefined)
    ? [...columns, { header: '来源 source', width: 24, value: (r) => r.source ?? '' }]
    : columns;
}

export function manifestCsv(rows: readonly ManifestRow[]): Buffer {
  const cols = withSource(rows);
  // A Buffer per line, joined once (see simpleXlsx: one big two-byte string is the slow way).
  const lines = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cols.map((c) => csvCell(c.header)).join(',') + '\r\n', 'utf8')];
  for (const r of rows) lines.push(Buffer.from(cols.map((c) => csvCell(c.value(r))).join(',') + '\r\n', 'utf8'));
  return Buffer.concat(lines);
}

/** The same rows as an XLSX sheet; ID numbers stay text, so Excel keeps all 18 digits. */
export function manifestXlsx(rows: readonly ManifestRow[], title: string): Buffer {
  const cols = withSource(rows);
  return simpleXlsx('manifest', cols.map((c) => c.width), [cols.map((c) => c.header), ...rows.map((r) => cols.map((c) => c.value(r)))], title);
}

/** `sha256sum -c` format: hash, two spaces, path. */
export function sha256sums(entries: ReadonlyArray<{ name: string; sha256: string }>): Buffer {
  return Buffer.from(entries.map((e) => `${e.sha256}  ${e.name}\n`).join(''), 'utf8');
}
