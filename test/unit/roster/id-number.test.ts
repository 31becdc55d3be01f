import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter, maskIdNumber } from '../../../controller/src/domain/roster/id-number.ts';

const TODAY = '2026-11-28';

/** An independent check-character computation (weights as 2^(17-i) mod 11), so vectors with odd dates carry a right check. */
function withCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  return first17 + '10X98765432'[sum % 11];
}

describe('GB 11643 ID numbers', () => {
  it('accepts the examples printed in the standard', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'F' });
    expect(checkIdNumber('440524188001010014', TODAY)).toEqual({ ok: true, idNumber: '440524188001010014', birthDate: '1880-01-01', gender: 'M' });
  });

  it('computes the same check character as an independent implementation', () => {
    for (const first17 of ['11010519491231002', '44052418800101001', '31010420030517123', '51010720001231456']) {
      expect(first17 + idCheckCharacter(first17)).toBe(withCheck(first17));
    }
  });

  it('rejects a wrong check character and names the right one', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, code: 'roster.id.checksum', expectedCheck: 'X' });
    expect(checkIdNumber('440524188001010015', TODAY)).toMatchObject({ ok: false, code: 'roster.id.checksum', expectedCheck: '4' });
  });

  it('accepts a lower-case x and stores it upper-case', () => {
    expect(checkIdNumber('11010519491231002x', TODAY)).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('tells a 15-digit first-generation number apart from a malformed one', () => {
    expect(checkIdNumber('110105491231002', TODAY)).toEqual({ ok: false, code: 'roster.id.legacy15' });
    for (const bad of ['11010519491231002', '1101051949123100212', '11010519491231X021', '01010519491231002X', 'ABCDEFGHIJKLMNOPQR', '']) {
      expect(checkIdNumber(bad, TODAY), bad).toEqual({ ok: false, code: 'roster.id.format' });
    }
  });

  it('rejects birth dates that do not exist, even with a correct check character', () => {
    for (const date of ['19990230', '19990431', '19001329', '19000229', '20230229', '19991300', '19990100']) {
      const id = withCheck(`110105${date}123`);
      expect(checkIdNumber(id, TODAY), id).toEqual({ ok: false, code: 'roster.id.birth_date_invalid' });
    }
    expect(checkIdNumber(withCheck('11010520000229123'), TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
  });

  it('rejects birth dates after today in the school time zone', () => {
    expect(checkIdNumber(withCheck('11010520261129123'), TODAY)).toEqual({ ok: false, code: 'roster.id.birth_date_future' });
    expect(checkIdNumber(withCheck('11010520990101123'), TODAY)).toEqual({ ok: false, code: 'roster.id.birth_date_future' });
    expect(checkIdNumber(withCheck('11010520261128123'), TODAY)).toMatchObject({ ok: true, birthDate: '2026-11-28' });
  });

  it('reads the gender from the parity of the 17th digit', () => {
    expect(checkIdNumber(withCheck('11010520030517121'), TODAY)).toMatchObject({ ok: true, gender: 'M' });
    expect(checkIdNumber(withCheck('11010520030517128'), TODAY)).toMatchObject({ ok: true, gender: 'F' });
    expect(checkIdNumber(withCheck('11010520030517120'), TODAY)).toMatchObject({ ok: true, gender: 'F' });
  });

  it('masks the birth date and sequence for display', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
