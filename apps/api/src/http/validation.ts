import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, problem, ProblemError } from './problem';

/** Flattens class-validator's tree into one entry per failing field and rule. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message: rule === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** DTOs refuse unknown fields and every failing field is named, not only the first. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors: fieldProblems(errors) })),
  });
}
