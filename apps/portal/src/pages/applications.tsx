import { useState } from 'react';
import { api, ok } from '../api/client';
import type { Status } from '../api/views';
import { Loading, ProblemAlert } from '../components/feedback';
import { StatusBadge } from '../components/labels';
import { TableHead } from '../components/table-head';
import { useLoad } from '../components/use-load';
import { formatInstant } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { Link } from '../router';
import { ownInstitution, useSession } from '../session';

const FILTERS: { key: string; statuses?: Status[] }[] = [
  { key: 'all' },
  { key: 'draft', statuses: ['draft'] },
  { key: 'submitted', statuses: ['submitted'] },
  { key: 'signed', statuses: ['signed'] },
  { key: 'approved', statuses: ['approved'] },
  { key: 'rejected', statuses: ['rejected'] },
  { key: 'ended', statuses: ['withdrawn', 'revoked', 'expired', 'superseded', 'ended'] },
];

/** The institution's applications by status: drafts to finish, what waits for signing or a decision, what ended. */
export function ApplicationsPage() {
  const { t, lang } = useI18n();
  const { session } = useSession();
  const institution = ownInstitution(session)!;
  const [filter, setFilter] = useState('all');
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const statuses = FILTERS.find((f) => f.key === filter)?.statuses;
  const list = useLoad(
    () => ok(api.GET('/institutions/{regNo}/applications', { params: { path: { regNo: institution }, query: { limit: 100, ...(statuses ? { status: statuses.join(',') } : {}), ...(query ? { name: query } : {}) } } })),
    [institution, filter, query],
  );
  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">{t('applicationsTitle')}</h1>
      <p>{t('applicationsLead', { reg: institution })}</p>
      <div className="tabs" role="group" aria-label={t('filterStatus')}>
        {FILTERS.map((f) => (
          <button key={f.key} type="button" className={filter === f.key ? 'tab active' : 'tab'} aria-pressed={filter === f.key} onClick={() => setFilter(f.key)}>
            {f.key === 'all' ? t('filterAll') : t(`status.${f.key}` as MessageKey)}
          </button>
        ))}
      </div>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(name.trim());
        }}
      >
        <div className="field">
          <label htmlFor="apps-name">{t('filterName')}</label>
          <input id="apps-name" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className="secondary">
          {t('search')}
        </button>
      </form>
      <ProblemAlert error={list.error} />
      {!list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p>{t('noApplications')}</p>
      ) : (
        <table>
          <TableHead columns={['colUser', 'colKind', 'colStatus', 'colUpdated']} />
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.applicationId}>
                <th scope="row">
                  <Link href={`/pieteikumi/${a.applicationId}`}>
                    {a.user.givenName} {a.user.surname}
                  </Link>
                </th>
                <td>{t(`kind.${a.kind}` as MessageKey)}</td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td>{formatInstant(a.updatedAt, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
