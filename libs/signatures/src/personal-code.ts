/** Latvian personal codes as they appear in certificates (ETSI EN 319 412-1 `PNOLV-` semantics identifier). */

const PNO_LV = 'PNOLV-';

/** `DDMMYY-NNNNN` from `DDMMYY-NNNNN` or `DDMMYYNNNNN`; undefined if it is not 11 digits. */
export function normalizePersonalCode(input: string): string | undefined {
  const digits = input.trim().replace(/-/g, '');
  return /^\d{11}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : undefined;
}

/** The personal code in a subject serialNumber `PNOLV-…`, normalized; undefined for any other identifier. */
export function personalCodeFromSerialNumber(serialNumber: string | undefined): string | undefined {
  if (!serialNumber?.toUpperCase().startsWith(PNO_LV)) return undefined;
  return normalizePersonalCode(serialNumber.slice(PNO_LV.length));
}

export function serialNumberForPersonalCode(personalCode: string): string {
  const normalized = normalizePersonalCode(personalCode);
  if (!normalized) throw new Error('not a personal code of 11 digits');
  return PNO_LV + normalized;
}
