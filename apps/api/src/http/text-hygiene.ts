/**
 * Every string of a request (path and query parameters, the body's values and its keys) is checked
 * once, here, before any DTO or handler sees it: no control character but tab, line feed and
 * carriage return, no unpaired surrogate (the rule is the domain's `textFault`). One failing field
 * is named with the rule and the code point; the value itself is never echoed.
 */
import { textFault } from '@atlauja/domain';
import type { FieldProblem } from './problem';
import { maskSecrets } from '@atlauja/observability';

/** Enough to name what is wrong; a body with thousands of bad strings gets the first ones. */
const MAX_PROBLEMS = 20;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `a.b[0]` for plain keys; any other key quoted as JSON (escaped, personal codes masked). */
function child(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${maskSecrets(JSON.stringify(key))}]`;
}

/** `where` says what holds the text in the message: the field, or the name of a field. */
function problemFor(field: string, text: string, where = field || 'the value'): FieldProblem | null {
  const fault = textFault(text);
  if (!fault) return null;
  return fault.fault === 'controlCharacter'
    ? { field, rule: 'controlCharacter', message: `${where} holds a control character (${fault.codePoint}); of those, text may hold only tab, line feed and carriage return` }
    : { field, rule: 'loneSurrogate', message: `${where} holds an unpaired surrogate (${fault.codePoint}): it is not well-formed Unicode text` };
}

/** The fields of `value` (a parsed JSON body, a query or the path parameters) holding a faulty string. Iterative: depth is no risk. */
export function textProblems(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const found = problemFor(path, node);
      if (found) problems.push(found);
      continue;
    }
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node)) continue;
    const inArray = Array.isArray(node);
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, item] = entries[i];
      const field = child(path, key, inArray);
      const keyProblem = inArray ? null : problemFor(field, key, `the name of ${field}`);
      if (keyProblem) problems.push(keyProblem);
      stack.push([item, field]);
    }
  }
  return problems;
}
