/** The secrets check shared by every reliability suite: no personal code and no token in a log. */

/** Every form a personal code may take in text: with and without the hyphen. */
export function codeForms(codes: readonly string[]): string[] {
  return [...new Set(codes.flatMap((c) => [c, c.replace('-', '')]))];
}

/** The leaks found in `log` (empty when clean). A token counts as leaked when its signature part appears. */
export function secretsIn(log: string, codes: readonly string[], tokens: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const form of codeForms(codes)) if (log.includes(form)) leaks.push(`personal code ${form.slice(0, 6)}…`);
  for (const token of tokens) {
    const signature = token.split('.')[2];
    if (token && log.includes(token)) leaks.push(`token ${token.slice(0, 12)}…`);
    else if (signature && signature.length >= 16 && log.includes(signature)) leaks.push(`token signature ${signature.slice(0, 8)}…`);
  }
  return leaks;
}
