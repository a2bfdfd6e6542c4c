/**
 * Bodies nested deeper than any DTO of ours are refused before validation: class-transformer walks
 * them recursively and a few thousand levels overflow the stack (a 500 where a 400 is due).
 */
export const MAX_BODY_DEPTH = 32;

/** Iterative, so the check itself cannot overflow. */
export function nestingDepthExceeds(value: unknown, max = MAX_BODY_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
