/**
 * A caller's `x-correlation-id` is kept only when it is safe to echo, log and store with the events
 * it causes: 1 to 64 characters of A-Z a-z 0-9 . _ : -, and nothing shaped like a personal code in
 * it (six digits and five, with or without a separator). Anything else is replaced by a fresh id.
 */
import { randomUUID } from 'node:crypto';

const SHAPE = /^[A-Za-z0-9._:-]{1,64}$/;
const PERSONAL_CODE_LIKE = /\d{6}[._:-]?\d{5}/;

export function correlationIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && SHAPE.test(given) && !PERSONAL_CODE_LIKE.test(given) ? given : freshId();
}

/** A random UUID, drawn again in the rare case its digits run like a personal code (the log mask would garble it). */
function freshId(): string {
  let id = randomUUID();
  while (PERSONAL_CODE_LIKE.test(id)) id = randomUUID();
  return id;
}
