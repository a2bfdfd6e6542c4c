import type { ApiProblem } from '../api/problem';
import { FieldErrors } from './feedback';

/** A required text (a justification, a reason) with its label, and the API's refusals of its field tied to it. */
export function TextAreaField({ id, label, value, onChange, error, field }: { id: string; label: string; value: string; onChange: (value: string) => void; error: ApiProblem | undefined; field: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} required value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-error`} />
      <FieldErrors id={`${id}-error`} error={error} field={field} />
    </div>
  );
}
