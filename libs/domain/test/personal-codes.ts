/**
 * Personal codes for the specs, built by the published formula rather than copied from anywhere:
 * K = (1101 − Σ dᵢ·wᵢ) mod 11 with weights 1,6,3,7,9,10,5,8,4,2; a K of 10 is never issued.
 * (Written out here again on purpose: the specs check the library against this, not against itself.)
 */
const WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function checkDigitByFormula(firstTen: string): number {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(firstTen[i]), 0);
  return (1101 - sum) % 11;
}

/** The first old-format code for this birth date (YYYY-MM-DD) with a serial ≥ `fromSerial` whose K is not 10. */
export function oldFormatCode(birthDate: string, fromSerial = 0): string {
  const [yyyy, mm, dd] = birthDate.split('-');
  const century = { '18': '0', '19': '1', '20': '2' }[yyyy.slice(0, 2)];
  if (century === undefined) throw new Error(`no century digit for ${yyyy}`);
  for (let serial = fromSerial; serial < 1000; serial++) {
    const firstTen = `${dd}${mm}${yyyy.slice(2)}${century}${String(serial).padStart(3, '0')}`;
    const k = checkDigitByFormula(firstTen);
    if (k !== 10) return `${firstTen.slice(0, 6)}-${firstTen.slice(6)}${k}`;
  }
  throw new Error('no serial');
}

/** A ten-digit old-format prefix whose K is 10: no last digit makes a valid code of it. */
export function prefixWithoutValidCheckDigit(birthDate: string): string {
  const [yyyy, mm, dd] = birthDate.split('-');
  const century = { '18': '0', '19': '1', '20': '2' }[yyyy.slice(0, 2)] as string;
  for (let serial = 0; serial < 1000; serial++) {
    const firstTen = `${dd}${mm}${yyyy.slice(2)}${century}${String(serial).padStart(3, '0')}`;
    if (checkDigitByFormula(firstTen) === 10) return firstTen;
  }
  throw new Error('none');
}

/** The same code with its check digit changed to a wrong one. */
export function withWrongCheckDigit(code: string): string {
  const last = Number(code.slice(-1));
  return code.slice(0, -1) + String((last + 1) % 10);
}
