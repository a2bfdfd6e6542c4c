/** RFC 9457 problem details: the one error shape of this API (its schema: docs/problem-schema.ts). */
import { problemCodeOf, problemTypeOf } from '@atlauja/problems';

export interface FieldProblem {
  /** The field's path in the request, e.g. `user.personalCode` or `rights[0].groups`. */
  field: string;
  /** A stable rule code, e.g. `isString`, `whitelistValidation`, `PERSONAL_CODE_CHECKSUM`. */
  rule: string;
  message: string;
}

export interface Problem {
  /** `/problems/{code}`: the catalogue entry of this problem's code, or of its kind when the code has none. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** This occurrence: the request's path, or its correlation id (never a personal code or a token). */
  instance?: string;
  /** A stable machine-readable code: a domain error code, an authorization rule, a check code. */
  code?: string;
  errors?: FieldProblem[];
  /** Failed checks of a signature verification, by code. */
  failures?: string[];
  /** Readiness: each check's state. */
  checks?: Record<string, unknown>;
  correlationId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The kind of a problem without a more specific code (a code of the catalogue). */
export type ProblemKind = 'VALIDATION_FAILED';

export function problem(status: number, title: string, extra: Omit<Problem, 'type' | 'title' | 'status'> & { kind?: ProblemKind } = {}): Problem {
  const { kind, ...rest } = extra;
  return { type: problemTypeOf(problemCodeOf(status, rest.code, kind)), title, status, ...rest };
}

/** A path segment safe to echo: no personal code, no token (tokens are long or carry other characters). */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]{0,64}$/;
const PERSONAL_CODE_LIKE = /\d{6}[._:~-]?\d{5}/;

/**
 * The problem's `instance`: the request's path without its query when every segment is safe to
 * echo, else the request's correlation id as a URN (the id is itself kept free of personal codes).
 */
export function instanceOf(url: string | undefined, correlationId: unknown): string {
  const path = (url ?? '/').split('?')[0];
  const safe = path.length <= 512 && path.split('/').every((s) => SAFE_SEGMENT.test(s)) && !PERSONAL_CODE_LIKE.test(path);
  return safe ? path : `urn:atlauja:request:${String(correlationId)}`;
}

/** An error the application throws on purpose, carrying its problem (and headers such as Retry-After). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }
}
