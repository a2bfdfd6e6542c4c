import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiProblem } from '../api/problem';
import { useI18n } from '../i18n/i18n';

/** A refusal or failure, read out by screen readers, with each field's rule in the reader's language. */
export function ProblemAlert({ error, fieldsShownInline = false }: { error: ApiProblem | undefined; fieldsShownInline?: boolean }) {
  const { t, problem, code } = useI18n();
  if (!error) return null;
  const p = error.problem;
  const fields = fieldsShownInline ? [] : (p.errors ?? []);
  return (
    <div className="alert alert-error" role="alert">
      <p>
        <strong>{t('errorTitle')}:</strong> {problem(p)}
      </p>
      {p.failures && p.failures.length > 0 && (
        <ul>
          {p.failures.map((f) => (
            <li key={f}>{code(f)}</li>
          ))}
        </ul>
      )}
      {fields.length > 0 && (
        <ul>
          {fields.map((e, i) => (
            <li key={i}>{t('errorField', { field: e.field, message: code(e.rule, e.message) })}</li>
          ))}
        </ul>
      )}
      {p.correlationId && <p className="muted small">{t('errorCorrelation', { id: p.correlationId })}</p>}
    </div>
  );
}

/** The refusals naming one field, beside it (aria-describedby points here). */
export function FieldErrors({ id, error, field }: { id: string; error: ApiProblem | undefined; field: string }) {
  const { code } = useI18n();
  const errors = error?.at(field) ?? [];
  if (errors.length === 0) return null;
  return (
    <div id={id} className="field-error" role="alert">
      {errors.map((e, i) => (
        <p key={i}>{code(e.rule, e.message)}</p>
      ))}
    </div>
  );
}

/** A success message, announced politely and focused so keyboard users land on it. */
export function Notice({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [children]);
  if (!children) return null;
  return (
    <div ref={ref} className="alert alert-ok" role="status" tabIndex={-1}>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}
