/**
 * What no text of the record may hold: control characters other than tab, line feed and carriage
 * return (C0, DEL and C1), and unpaired UTF-16 surrogates. Nobody types them; PostgreSQL refuses NUL
 * in text and jsonb and unpaired surrogates in jsonb; and a name or a reason carrying them prints as
 * something other than what was stored. Latvian letters, combining marks and emoji are text.
 */
export type TextFault = 'controlCharacter' | 'loneSurrogate';

// With the u flag a well-formed surrogate pair is one code point above U+FFFF, so only an unpaired
// surrogate falls in D800-DFFF.
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const FAULT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udfff]/u;

/** The first fault in `text` with its code point (U+XXXX), or null when the text is clean. */
export function textFault(text: string): { fault: TextFault; codePoint: string } | null {
  const match = FAULT.exec(text);
  if (!match) return null;
  const code = match[0].codePointAt(0)!;
  return { fault: code >= 0xd800 && code <= 0xdfff ? 'loneSurrogate' : 'controlCharacter', codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}
