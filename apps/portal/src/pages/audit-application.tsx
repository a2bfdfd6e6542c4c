import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import type { StateAt } from '../api/views';
import { RightsList } from '../components/application-details';
import { Loading, ProblemAlert } from '../components/feedback';
import { StatusBadge, TermText } from '../components/labels';
import { Timeline } from '../components/timeline';
import { useLoad } from '../components/use-load';
import { formatInstant, rigaInstant } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';

/** One application for the auditor: the timeline with the hash chain's verdict, the state at an instant, each signature re-verified, the bundle. */
export function AuditApplicationPage({ id }: { id: string }) {
  const { t, lang, code } = useI18n();
  const history = useLoad(() => ok(api.GET('/audit/applications/{id}/history', { params: { path: { id } } })), [id]);
  const signatures = useLoad(() => ok(api.GET('/audit/applications/{id}/signatures', { params: { path: { id } } })), [id]);
  const [instant, setInstant] = useState('');
  const [state, setState] = useState<StateAt>();
  const [stateError, setStateError] = useState<ApiProblem>();

  const showState = async () => {
    setStateError(undefined);
    setState(undefined);
    try {
      setState(await ok(api.GET('/audit/applications/{id}/state', { params: { path: { id }, query: { at: rigaInstant(instant) } } })));
    } catch (e) {
      setStateError(asApiProblem(e));
    }
  };

  if (history.error) return <ProblemAlert error={history.error} />;
  if (!history.data) return <Loading />;
  const h = history.data;
  return (
    <article aria-labelledby="audit-app-title">
      <p>
        <Link href="/audits">← {t('auditTitle')}</Link>
      </p>
      <h1 id="audit-app-title">
        {t('auditTitle')}: <span className="code">{h.applicationId}</span>
      </h1>
      <p>
        <a className="button" href={`/audit/bundle?application=${encodeURIComponent(h.applicationId)}`} download>
          {t('downloadBundle')}
        </a>
      </p>
      {h.findings.length === 0 ? (
        <p className="alert alert-ok">{t('chainIntact')}</p>
      ) : (
        <div className="alert alert-error" role="alert">
          {t('chainBroken', { count: h.findings.length })}
          <ul>
            {h.findings.map((f, i) => (
              <li key={i}>
                {code(f.code, f.message)} {f.revision !== undefined && `(#${Number(f.revision) + 1})`}
              </li>
            ))}
          </ul>
        </div>
      )}
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('timelineTitle')}</h2>
        <Timeline events={h.events} showHashes />
      </section>
      <section aria-labelledby="state-title">
        <h2 id="state-title">{t('stateAtTitle')}</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void showState();
          }}
        >
          <div className="field">
            <label htmlFor="state-at">{t('stateAtInput')}</label>
            <input id="state-at" type="datetime-local" step="1" required value={instant} onChange={(e) => setInstant(e.target.value)} />
          </div>
          <button type="submit">{t('stateAtShow')}</button>
        </form>
        <ProblemAlert error={stateError} />
        {state && (
          <div className="state" aria-live="polite">
            {state.asOf.revision === null ? (
              <p>{t('stateAtBefore')}</p>
            ) : (
              <>
                <p>{t('stateAtAsOf', { revision: Number(state.asOf.revision) + 1, at: formatInstant(state.asOf.occurredAt, lang) })}</p>
                <p>
                  <StatusBadge status={state.status} />
                </p>
                <RightsList rights={state.rights} />
                {state.term && (
                  <p>
                    {t('term')}: <TermText term={state.term} />
                  </p>
                )}
              </>
            )}
          </div>
        )}
      </section>
      <section aria-labelledby="sigs-title">
        <h2 id="sigs-title">{t('signaturesTitle')}</h2>
        {!signatures.data ? (
          <Loading />
        ) : signatures.data.signatures.length === 0 ? (
          <p>{t('none')}</p>
        ) : (
          signatures.data.signatures.map((s) => (
            <div key={s.revision} className="card">
              <dl className="details">
                <dt>{t('signer')}</dt>
                <dd className="code">{s.signedBy}</dd>
                <dt>{t('signedAt')}</dt>
                <dd>{formatInstant(s.signedAt, lang)}</dd>
                <dt>{t('acceptedAt')}</dt>
                <dd>{formatInstant(s.acceptedAt, lang)}</dd>
                <dt>{t('storedVerdict')}</dt>
                <dd>{s.stored.checks ? (s.stored.checks.every((c) => c.ok) ? t('verdictValid') : t('verdictInvalid')) : '—'}</dd>
                <dt>{t('freshVerdict')}</dt>
                <dd className={s.reverified.valid ? 'field-ok' : 'field-error'}>
                  {s.reverified.valid ? t('verdictValid') : `${t('verdictInvalid')} ${s.reverified.failures.map((f) => code(f)).join(' ')}`}
                </dd>
              </dl>
              {s.stored.evidence && (
                <p className="small">
                  {t('evidenceCerts', { count: Array.isArray(s.stored.evidence.certificatesB64) ? s.stored.evidence.certificatesB64.length : 0 })} · {t('evidenceAnchor', { hash: String(s.stored.evidence.trustAnchorSha256 ?? '').slice(0, 16) + '…' })}
                </p>
              )}
              <details>
                <summary>{t('freshVerdict')}</summary>
                <ul className="checks">
                  {s.reverified.checks.map((c, i) => (
                    <li key={i} className={c.ok ? 'field-ok' : 'field-error'}>
                      {c.ok ? '✓' : '✗'} <span className="code">{c.code}</span> — {c.detail}
                    </li>
                  ))}
                </ul>
              </details>
            </div>
          ))
        )}
      </section>
    </article>
  );
}
