/**
 * Cell values as schools write them, turned into the stored form. Readers hand over what the file
 * holds (text, numbers and dates from XLSX cells), so Excel's habits are handled here, once.
 */
import { isRealDate } from './id-number.ts';

/** One cell as a reader delivers it. Dates from XLSX arrive as UTC midnight of the shown day. */
export type RawCell = string | number | boolean | Date | null;

// Printable ASCII without spaces and basic CJK ideographs are NFKC-stable and need no trimming:
// most cells are only that, and skip the normaliser (a measurable share of a 20,000-row import).
const PLAIN = /^[\x21-\x7e\u4e00-\u9fff]*$/;

/** True when the text is already normal: NFKC-stable, no whitespace, no control characters. */
export function isPlainText(text: string): boolean {
  return PLAIN.test(text);
}

/**
 * Text of a cell after NFKC (full-width digits, letters and spaces become ASCII), with surrounding
 * whitespace trimmed and runs of inner whitespace collapsed to one space.
 */
export function cellText(cell: RawCell): string {
  if (typeof cell === 'string' && isPlainText(cell)) return cell;
  if (cell === null) return '';
  if (cell instanceof Date) return isoDateUtc(cell) ?? '';
  const text = String(cell).normalize('NFKC');
  // Most cells hold no whitespace at all; skip the rewrite for them (20,000-row files).
  return /\s/.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

function isoDateUtc(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (!isRealDate(year, month, day)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is accounted for (serials from 61 on).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** Serials from 1900-03-01 to 2099-12-31: outside that a number is not a birth date. */
const EXCEL_SERIAL_RANGE = [61, 73050] as const;

function fromExcelSerial(serial: number): string | null {
  if (serial < EXCEL_SERIAL_RANGE[0] || serial > EXCEL_SERIAL_RANGE[1]) return null;
  return isoDateUtc(new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS));
}

/**
 * A birth date as YYYY-MM-DD, or null. Accepts 2003-05-17, 2003/5/17, 2003.5.17, 2003年5月17日,
 * 20030517, Excel date cells and Excel serial numbers (a date column formatted as a number).
 */
export function parseDate(cell: RawCell, text: string = cellText(cell)): string | null {
  if (cell instanceof Date) return isoDateUtc(cell);
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 1e7 && cell < 1e8) return parseDate(String(cell));
    return fromExcelSerial(cell);
  }
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/.exec(text);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  // A CSV saved from a date column formatted as a number keeps the serial.
  if (/^\d{2,5}$/.test(text)) return fromExcelSerial(Number(text));
  return null;
}

const GENDERS: Record<string, 'M' | 'F'> = {
  男: 'M', 男性: 'M', m: 'M', male: 'M', '1': 'M',
  女: 'F', 女性: 'F', f: 'F', female: 'F', '2': 'F',
};

/** 男/女, M/F, male/female, or the GB/T 2261.1 codes 1/2. */
export function parseGender(cell: RawCell, text: string = cellText(cell)): 'M' | 'F' | null {
  return GENDERS[text.toLowerCase()] ?? null;
}

const CATEGORIES: Record<string, 'regular' | 'adult'> = {
  普通: 'regular', 普通教育: 'regular', 普通高等教育: 'regular', 普通高校: 'regular', 普通全日制: 'regular', 全日制: 'regular', regular: 'regular',
  成人: 'adult', 成人教育: 'adult', 成人高等教育: 'adult', 成教: 'adult', 继续教育: 'adult', adult: 'adult',
};

/** 教育类别: 普通 or 成人, in the wordings provincial lists use. */
export function parseCategory(cell: RawCell, text: string = cellText(cell)): 'regular' | 'adult' | null {
  return CATEGORIES[text.toLowerCase().replace(/\s/g, '')] ?? null;
}

const QUALIFICATION: Record<string, boolean> = {
  通过: true, 已通过: true, 审查通过: true, 合格: true, 是: true, 符合: true, y: true, yes: true, pass: true, passed: true, true: true, '1': true, '√': true,
  不通过: false, 未通过: false, 审查未通过: false, 不合格: false, 否: false, 不符合: false, n: false, no: false, fail: false, failed: false, false: false, '0': false, '×': false,
};

/** 资格审查: passed or not. An empty or unknown value is an error, never silently "not passed". */
export function parseQualification(cell: RawCell, text: string = cellText(cell)): boolean | null {
  if (typeof cell === 'boolean') return cell;
  return QUALIFICATION[text.toLowerCase().replace(/\s/g, '')] ?? null;
}
