/**
 * 居民身份号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence (odd = male,
 * even = female), one check character over ISO 7064 MOD 11-2.
 */

export type IdNumberProblem =
  | 'roster.id.format'
  | 'roster.id.legacy15'
  | 'roster.id.checksum'
  | 'roster.id.birth_date_invalid'
  | 'roster.id.birth_date_future';

export type IdNumberCheck =
  | { ok: true; idNumber: string; birthDate: string; gender: 'M' | 'F' }
  | { ok: false; code: IdNumberProblem; expectedCheck?: string };

// Weights are 2^(17-i) mod 11, written out as in the standard.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character the first 17 digits call for. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** True when YYYY-MM-DD names a day that exists in the Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * Checks an ID number that has already been NFKC-normalised and trimmed. A lower-case check `x`
 * is accepted (schools type it either way) and returned upper-case. `today` is YYYY-MM-DD in the
 * school's time zone: a birth date after it cannot be real.
 */
export function checkIdNumber(raw: string, today: string): IdNumberCheck {
  const value = raw.toUpperCase();
  // 15-digit numbers were issued before 1999; the registry needs the 18-character form.
  if (/^\d{15}$/.test(value)) return { ok: false, code: 'roster.id.legacy15' };
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return { ok: false, code: 'roster.id.format' };

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  // The earliest holders of 18-digit numbers were born in the nineteenth century at the latest.
  if (year < 1800 || !isRealDate(year, month, day)) return { ok: false, code: 'roster.id.birth_date_invalid' };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (birthDate > today) return { ok: false, code: 'roster.id.birth_date_future' };

  const expected = idCheckCharacter(value);
  if (value[17] !== expected) return { ok: false, code: 'roster.id.checksum', expectedCheck: expected };

  const gender = Number(value[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, idNumber: value, birthDate, gender };
}

/** For logs and screens: region and last four kept, birth date and sequence hidden. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return idNumber.slice(0, 6) + '*'.repeat(idNumber.length - 10) + idNumber.slice(-4);
}

/** Every 18-character ID number in a text (plain or percent-encoded X), masked for logs. */
export function maskIdNumbersIn(text: string): string {
  return text.replace(/\d{17}[\dXx]/g, (m) => maskIdNumber(m));
}
