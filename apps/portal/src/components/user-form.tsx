import { useState } from 'react';
import { DomainError } from '@atlauja/domain/shared/errors';
import { parsePersonalCode } from '@atlauja/domain/shared/personal-code';
import type { ApiProblem } from '../api/problem';
import type { ApplicationView, User, UserFormValue } from '../api/views';
import { formatDate, rigaToday } from '../format';
import { useI18n } from '../i18n/i18n';
import { FieldErrors } from './feedback';
import { TextAreaField } from './text-area-field';

/** The personal code checked as typed, with the domain's own rule (check digit, birth date, new 32… format). */
function personalCodeVerdict(value: string): { ok: boolean; code?: string; birthDate?: string; format?: 'old' | 'new' } {
  try {
    const parsed = parsePersonalCode(value);
    return { ok: true, birthDate: parsed.birthDate, format: parsed.format };
  } catch (e) {
    return { ok: false, code: e instanceof DomainError ? e.code : 'PERSONAL_CODE_INVALID' };
  }
}

/** Pievienot jaunu / Labot: the user, the term (a date, or 18 months after the last login: recommended) and the justification. */
export function UserForm({ initial, error, submitLabel, onSubmit, lockIdentity = false }: { initial?: Pick<ApplicationView, 'user' | 'term' | 'justification'>; error?: ApiProblem; submitLabel: string; onSubmit: (value: UserFormValue) => void; lockIdentity?: boolean }) {
  const { t, code, lang } = useI18n();
  const [user, setUser] = useState<User>(initial?.user ?? { givenName: '', surname: '', personalCode: '', email: '' });
  const [termKind, setTermKind] = useState<UserFormValue['term']['kind']>(initial?.term?.kind ?? 'after-last-login');
  const [date, setDate] = useState((initial?.term?.kind === 'until' && initial.term.date) || '');
  const [justification, setJustification] = useState(initial?.justification ?? '');
  const [touchedCode, setTouchedCode] = useState(false);
  const verdict = personalCodeVerdict(user.personalCode);
  const showCode = touchedCode || user.personalCode.replace(/\D/g, '').length >= 11;

  const field = (name: keyof User, label: string, type = 'text', autoComplete?: string) => (
    <div className="field">
      <label htmlFor={`user-${name}`}>{label}</label>
      <input
        id={`user-${name}`}
        type={type}
        required
        autoComplete={autoComplete}
        value={user[name]}
        readOnly={lockIdentity && name === 'personalCode'}
        onChange={(e) => setUser({ ...user, [name]: e.target.value })}
        aria-describedby={`user-${name}-error`}
        aria-invalid={!!error?.at(`user.${name}`).length}
      />
      <FieldErrors id={`user-${name}-error`} error={error} field={`user.${name}`} />
    </div>
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouchedCode(true);
        if (!lockIdentity && !verdict.ok) {
          document.getElementById('user-personalCode')?.focus();
          return;
        }
        onSubmit({ user, term: termKind === 'until' ? { kind: 'until', date } : { kind: 'after-last-login', months: 18 }, justification });
      }}
    >
      <div className="grid-2">
        {field('givenName', t('givenName'), 'text', 'off')}
        {field('surname', t('surname'), 'text', 'off')}
      </div>
      <div className="field">
        <label htmlFor="user-personalCode">{t('personalCode')}</label>
        <input
          id="user-personalCode"
          inputMode="numeric"
          required
          autoComplete="off"
          value={user.personalCode}
          readOnly={lockIdentity}
          placeholder="DDMMGG-NNNNN"
          onChange={(e) => setUser({ ...user, personalCode: e.target.value })}
          onBlur={() => setTouchedCode(true)}
          aria-describedby="user-personalCode-hint user-personalCode-check user-personalCode-error"
          aria-invalid={showCode && !verdict.ok && !lockIdentity}
        />
        <p id="user-personalCode-hint" className="hint">
          {t('personalCodeHint')}
        </p>
        {showCode && !lockIdentity && (
          <p id="user-personalCode-check" className={verdict.ok ? 'field-ok' : 'field-error'} aria-live="polite">
            {verdict.ok ? (verdict.format === 'new' ? t('personalCodeNew') : t('personalCodeOld', { date: formatDate(verdict.birthDate, lang) })) : code(verdict.code!)}
          </p>
        )}
        <FieldErrors id="user-personalCode-error" error={error} field="user.personalCode" />
      </div>
      {field('email', t('email'), 'email', 'off')}
      <fieldset aria-describedby="term-error">
        <legend>{t('term')}</legend>
        <div className="field radio">
          <input id="term-after-login" type="radio" name="term" checked={termKind === 'after-last-login'} onChange={() => setTermKind('after-last-login')} />
          <label htmlFor="term-after-login">
            {t('termAfterLogin')} <span className="badge badge-approved">{t('recommended')}</span>
          </label>
        </div>
        <div className="field radio">
          <input id="term-until" type="radio" name="term" checked={termKind === 'until'} onChange={() => setTermKind('until')} />
          <label htmlFor="term-until">{t('termUntil')}</label>
        </div>
        {termKind === 'until' && (
          <div className="field">
            <label htmlFor="term-date">{t('termDate')}</label>
            <input id="term-date" type="date" required min={rigaToday()} value={date} onChange={(e) => setDate(e.target.value)} aria-describedby="term-date-error" />
            <FieldErrors id="term-date-error" error={error} field="term.date" />
          </div>
        )}
        <FieldErrors id="term-error" error={error} field="term" />
      </fieldset>
      <TextAreaField id="justification" label={t('justification')} value={justification} onChange={setJustification} error={error} field="justification" />
      <div className="buttons">
        <button type="submit">{submitLabel}</button>
      </div>
    </form>
  );
}
