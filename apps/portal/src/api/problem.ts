import type { components } from './schema';

/** RFC 9457 problem details as the API sends them: the OpenAPI document's one problem+json schema. */
export type Problem = components['schemas']['Problem'];
export type FieldProblem = components['schemas']['FieldProblem'];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }

  /** The refusals that name a field (or a field under it), for showing beside that field. */
  at(field: string): FieldProblem[] {
    return (this.problem.errors ?? []).filter((e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`));
  }
}

/** A problem the portal states itself (no answer, no file chosen): RFC 9457's `about:blank`, nothing beyond its status and title. */
export function portalProblem(problem: Omit<Problem, 'type'>): ApiProblem {
  return new ApiProblem({ type: 'about:blank', ...problem });
}

/** Whatever a command threw, as a problem the page can show (a bug in the page becomes a plain error, not a crash). */
export function asApiProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return portalProblem({ status: -1, title: 'Error', detail: error instanceof Error ? error.message : String(error) });
}
