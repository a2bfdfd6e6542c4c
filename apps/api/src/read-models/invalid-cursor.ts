import { InvalidCursor } from '@atlauja/projections';
import { problem, ProblemError } from '../http/problem';

/** A cursor we did not issue is the caller's error (400), not ours. */
export async function withCursorChecked<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursor) {
      throw new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors: [{ field: 'cursor', rule: 'cursor', message: error.message }] }));
    }
    throw error;
  }
}
