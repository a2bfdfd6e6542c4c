import { checkDigitByFormula, oldFormatCode, prefixWithoutValidCheckDigit, withWrongCheckDigit } from '../../test/personal-codes';
import { expectRefusal } from '../../test/given';
import { isValidPersonalCode, maskPersonalCode, normalizePersonalCode, parsePersonalCode, personalCodeCheckDigit } from './personal-code';

describe('personal code (personas kods)', () => {
  describe('old format DDMMYY-CNNNN: birth date, century digit, serial, check digit', () => {
    const births = ['1985-03-14', '1900-01-01', '1899-12-31', '2000-02-29', '2016-06-30', '1964-10-31'];

    it.each(births)('accepts a code born %s whose check digit follows the formula', (birth) => {
      const code = oldFormatCode(birth);
      const parsed = parsePersonalCode(code);
      expect(parsed).toEqual({ normalized: code, format: 'old', birthDate: birth });
    });

    it('computes the check digit as K = (1101 − Σ dᵢ·wᵢ) mod 11 with weights 1,6,3,7,9,10,5,8,4,2', () => {
      for (const birth of births) {
        const firstTen = oldFormatCode(birth, 7).replace('-', '').slice(0, 10);
        expect(personalCodeCheckDigit(firstTen)).toBe(checkDigitByFormula(firstTen));
      }
    });

    it.each(births)('refuses a code born %s with a wrong check digit (PERSONAL_CODE_CHECKSUM)', (birth) => {
      expectRefusal(() => parsePersonalCode(withWrongCheckDigit(oldFormatCode(birth))), 'PERSONAL_CODE_CHECKSUM');
    });

    it('refuses every last digit after a prefix whose K is 10: such codes are never issued', () => {
      const prefix = prefixWithoutValidCheckDigit('1985-03-14');
      expect(personalCodeCheckDigit(prefix)).toBeNull();
      for (let d = 0; d <= 9; d++) {
        expectRefusal(() => parsePersonalCode(`${prefix.slice(0, 6)}-${prefix.slice(6)}${d}`), 'PERSONAL_CODE_CHECKSUM');
      }
    });

    it('reads the century from the 7th digit: 0 → 1800s, 1 → 1900s, 2 → 2000s', () => {
      expect(parsePersonalCode(oldFormatCode('1850-05-05')).birthDate).toBe('1850-05-05');
      expect(parsePersonalCode(oldFormatCode('1950-05-05')).birthDate).toBe('1950-05-05');
      expect(parsePersonalCode(oldFormatCode('2050-05-05')).birthDate).toBe('2050-05-05');
    });

    it.each(['3', '4', '9'])('refuses century digit %s (PERSONAL_CODE_INVALID)', (c) => {
      const valid = oldFormatCode('1985-03-14').replace('-', '');
      expectRefusal(() => parsePersonalCode(`${valid.slice(0, 6)}-${c}${valid.slice(7)}`), 'PERSONAL_CODE_INVALID');
    });

    it.each([
      ['31 February', '310285', '1'],
      ['29 February 1900 (not a leap year)', '290200', '1'],
      ['29 February 2001', '290201', '2'],
      ['month 13', '011385', '1'],
      ['day 00', '000385', '1'],
      ['31 April', '310485', '1'],
    ])('refuses a birth date that does not exist: %s (PERSONAL_CODE_BIRTH_DATE)', (_label, ddmmyy, century) => {
      expectRefusal(() => parsePersonalCode(`${ddmmyy}-${century}0000`), 'PERSONAL_CODE_BIRTH_DATE');
    });

    it('accepts 29 February of a leap year, 2000 included', () => {
      expect(isValidPersonalCode(oldFormatCode('2000-02-29'))).toBe(true);
      expect(isValidPersonalCode(oldFormatCode('1988-02-29'))).toBe(true);
      expect(isValidPersonalCode('290289-10000')).toBe(false);
    });
  });

  describe('new format 3[2-9]NNNN-NNNNN: no date, no check digit', () => {
    it.each(['320000-00000', '321234-56789', '399999-99999', '345678-12345'])('accepts %s', (code) => {
      expect(parsePersonalCode(code)).toEqual({ normalized: code, format: 'new' });
    });

    it('accepts any last digit (there is no check digit)', () => {
      for (let d = 0; d <= 9; d++) expect(isValidPersonalCode(`321234-5678${d}`)).toBe(true);
    });

    it('tells the 30th and 31st (old format) from 32..39 (new format) by the first two digits', () => {
      expect(parsePersonalCode(oldFormatCode('1985-01-30')).format).toBe('old');
      expect(parsePersonalCode(oldFormatCode('1985-01-31')).format).toBe('old');
      expect(parsePersonalCode('320185-10000').format).toBe('new');
    });
  });

  describe('writing and normalization', () => {
    const code = oldFormatCode('1985-03-14');
    const digits = code.replace('-', '');

    it('accepts the code with or without the hyphen and normalizes to DDMMYY-NNNNN', () => {
      expect(normalizePersonalCode(digits)).toBe(code);
      expect(normalizePersonalCode(code)).toBe(code);
      expect(normalizePersonalCode(`  ${code} `)).toBe(code);
      expect(normalizePersonalCode('32123456789')).toBe('321234-56789');
    });

    it.each([
      ['too short', '12345-6789'],
      ['too long', '123456-123456'],
      ['letters', '32123A-56789'],
      ['hyphen elsewhere', '32123-456789'],
      ['empty', ''],
      ['not a string', 32123456789],
      ['missing', undefined],
    ])('refuses %s (PERSONAL_CODE_INVALID) and names the field', (_label, input) => {
      const error = expectRefusal(() => parsePersonalCode(input, 'user.personalCode'), 'PERSONAL_CODE_INVALID');
      expect(error.field).toBe('user.personalCode');
      expect(error.message).toContain('user.personalCode');
    });
  });

  describe('masking for read models and logs', () => {
    it('keeps the first six digits and stars the rest', () => {
      expect(maskPersonalCode('320000-12345')).toBe('320000-*****');
      expect(maskPersonalCode('32000012345')).toBe('320000-*****');
      const code = oldFormatCode('1985-03-14');
      expect(maskPersonalCode(code)).toBe(`${code.slice(0, 6)}-*****`);
    });

    it('stars a malformed value entirely, so nothing of it leaks', () => {
      expect(maskPersonalCode('12-34')).toBe('******-*****');
      expect(maskPersonalCode('nobody')).toBe('******-*****');
    });
  });
});
