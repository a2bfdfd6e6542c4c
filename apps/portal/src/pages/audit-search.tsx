import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import type { History } from '../api/views';
import { FieldErrors, ProblemAlert } from '../components/feedback';
import { StatusBadge } from '../components/labels';
import { TableHead } from '../components/table-head';
import { eventWords } from '../components/timeline';
import { formatInstant } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../router';

/** Find an application (by id), a user (the personal code goes in a POST body) or an institution. */
export function AuditSearchPage() {
  const { t, lang } = useI18n();
  const [applicationId, setApplicationId] = useState('');
  const [personalCode, setPersonalCode] = useState('');
  const [institution, setInstitution] = useState('');
  const [results, setResults] = useState<History[]>();
  const [error, setError] = useState<ApiProblem>();

  const find = async (load: () => Promise<{ applications: History[] }>) => {
    setError(undefined);
    setResults(undefined);
    try {
      setResults((await load()).applications);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };

  const lastStatus = (h: History) => {
    const last = h.events[h.events.length - 1];
    return last ? eventWords(last.type, lang) : '';
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('auditTitle')}</h1>
      <ProblemAlert error={error} fieldsShownInline />
      <div className="cards">
        <form
          className="card"
          aria-labelledby="find-app"
          onSubmit={(e) => {
            e.preventDefault();
            if (applicationId.trim()) navigate(`/audits/${applicationId.trim()}`);
          }}
        >
          <h2 id="find-app">{t('auditFindApplication')}</h2>
          <div className="field">
            <label htmlFor="audit-app-id">{t('applicationId')}</label>
            <input id="audit-app-id" value={applicationId} onChange={(e) => setApplicationId(e.target.value)} />
          </div>
          <button type="submit">{t('search')}</button>
        </form>
        <form
          className="card"
          aria-labelledby="find-user"
          onSubmit={(e) => {
            e.preventDefault();
            void find(() => ok(api.POST('/audit/users/history', { body: { personalCode: personalCode.trim() } })));
          }}
        >
          <h2 id="find-user">{t('auditFindUser')}</h2>
          <div className="field">
            <label htmlFor="audit-personal-code">{t('personalCode')}</label>
            <input id="audit-personal-code" autoComplete="off" inputMode="numeric" value={personalCode} onChange={(e) => setPersonalCode(e.target.value)} aria-describedby="audit-user-hint audit-personal-code-error" />
            <p id="audit-user-hint" className="hint">
              {t('auditUserHint')}
            </p>
            <FieldErrors id="audit-personal-code-error" error={error} field="personalCode" />
          </div>
          <button type="submit">{t('search')}</button>
        </form>
        <form
          className="card"
          aria-labelledby="find-inst"
          onSubmit={(e) => {
            e.preventDefault();
            void find(() => ok(api.GET('/audit/institutions/{registrationNumber}/history', { params: { path: { registrationNumber: institution.trim() } } })));
          }}
        >
          <h2 id="find-inst">{t('auditFindInstitution')}</h2>
          <div className="field">
            <label htmlFor="audit-institution">{t('registrationNumber')}</label>
            <input id="audit-institution" inputMode="numeric" value={institution} onChange={(e) => setInstitution(e.target.value)} />
          </div>
          <button type="submit">{t('search')}</button>
        </form>
      </div>
      {results && (
        <section aria-labelledby="audit-results">
          <h2 id="audit-results">{t('auditResults')}</h2>
          {results.length === 0 ? (
            <p>{t('auditNoResults')}</p>
          ) : (
            <table>
              <TableHead columns={['applicationId', 'colStatus', 'colUpdated', 'hash']} />
              <tbody>
                {results.map((h) => {
                  const drafted = h.events[0]?.data as { user?: { givenName: string; surname: string } } | undefined;
                  return (
                    <tr key={h.applicationId}>
                      <th scope="row">
                        <Link href={`/audits/${h.applicationId}`}>
                          {drafted?.user ? `${drafted.user.givenName} ${drafted.user.surname}` : h.applicationId}
                        </Link>
                        <span className="code small"> {h.applicationId}</span>
                      </th>
                      <td>{lastStatus(h)}</td>
                      <td>{formatInstant(h.events[h.events.length - 1]?.occurredAt, lang)}</td>
                      <td>{h.findings.length === 0 ? <StatusBadge status="approved" /> : <StatusBadge status="rejected" />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      )}
    </section>
  );
}
