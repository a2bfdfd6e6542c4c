/** RFC 9457 problem details: the one error shape of this API. */
export interface FieldProblem {
  /** The field's path in the request, e.g. `user.personalCode` or `rights[0].groups`. */
  field: string;
  /** A stable rule code, e.g. `isString`, `whitelistValidation`, `PERSONAL_CODE_CHECKSUM`. */
  rule: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
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
const TYPE_BASE = 'https://atlauja.example/problems/';

export function problem(status: number, title: string, extra: Omit<Problem, 'type' | 'title' | 'status'> & { type?: string } = {}): Problem {
  const { type, ...rest } = extra;
  return { type: TYPE_BASE + (type ?? slug(title)), title, status, ...rest };
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** An error the application throws on purpose, carrying its problem (and headers such as Retry-After). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
  }
}
