/**
 * Personal codes (DDMMYY-NNNNN, with or without the hyphen) are masked in every log line: the
 * first six digits stay (they say which format it is), the rest is starred. Bearer tokens are
 * cut out whole. Applied to the final serialized line, so no field can slip through.
 */
// A personal code starts with a day (0-3) or with 32-39 (the 2017 format); registration numbers of
// institutions and companies start with 4, 5 or 9, so they stay readable in logs.
const PERSONAL_CODE = /(?<!\d)([0-3]\d{5})-?\d{5}(?!\d)/g;
const BEARER = /(bearer\s+)[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*/gi;
const JWT = /eyJ[A-Za-z0-9\-_]{8,}\.[A-Za-z0-9\-_]{8,}\.[A-Za-z0-9\-_]*/g;

export function maskSecrets(text: string): string {
  return text.replace(BEARER, '$1[token]').replace(JWT, '[token]').replace(PERSONAL_CODE, '$1-*****');
}
