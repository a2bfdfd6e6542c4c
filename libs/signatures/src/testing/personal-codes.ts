/** Valid Latvian personal codes for test certificates (old format with its check digit, and the 32… format). */

const WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** `DDMMYY-CNNNX` for a birth date, century digit (0: 1800s, 1: 1900s, 2: 2000s) and serial; X is the check digit. */
export function oldFormatPersonalCode(birthDate: string /* DDMMYY */, century: 0 | 1 | 2, serial: number): string {
  for (let s = serial; s < serial + 100; s += 1) {
    const first10 = `${birthDate}${century}${String(s % 1000).padStart(3, '0')}`;
    const sum = [...first10].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
    const check = (1101 - sum) % 11;
    if (check < 10) return `${first10.slice(0, 6)}-${first10.slice(6)}${check}`;
  }
  throw new Error('no serial with a single-digit check');
}

export function isValidOldFormat(code: string): boolean {
  const digits = code.replace('-', '');
  if (!/^\d{11}$/.test(digits) || digits.startsWith('32')) return false;
  const sum = [...digits.slice(0, 10)].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  return (1101 - sum) % 11 === Number(digits[10]);
}

/** New format (since 2017): `32` then nine digits, no date, no check digit. */
export function newFormatPersonalCode(nineDigits: string): string {
  if (!/^\d{9}$/.test(nineDigits)) throw new Error('nine digits expected');
  return `32${nineDigits.slice(0, 4)}-${nineDigits.slice(4)}`;
}
