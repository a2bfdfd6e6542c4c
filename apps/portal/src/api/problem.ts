/** RFC 9457 problem details as the API sends them (apps/api/src/http/problem.ts). */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  /** `/problems/{code}`: the catalogue entry (the same table as i18n's texts, @atlauja/problems). */
  type?: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldProblem[];
  failures?: string[];
  correlationId?: string;
}

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

/** Whatever a command threw, as a problem the page can show (a bug in the page becomes a plain error, not a crash). */
export function asApiProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  return new ApiProblem({ status: -1, title: 'Error', detail: error instanceof Error ? error.message : String(error) });
}
