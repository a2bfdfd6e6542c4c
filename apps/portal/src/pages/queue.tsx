import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import type { Kind, QueueItem } from '../api/views';
import { Loading, Notice, ProblemAlert } from '../components/feedback';
import { TableHead } from '../components/table-head';
import { useLoad } from '../components/use-load';
import { formatAge } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { Link, navigate } from '../router';

/**
 * The approvers' queue: oldest first, with age, institution, kind and who claimed it; filters.
 * Keyboard-driven: ↑/↓ (or j/k) move between rows, Enter opens, C claims the focused one.
 */
export function QueuePage() {
  const { t, lang } = useI18n();
  const [institution, setInstitution] = useState('');
  const [kind, setKind] = useState<'' | Kind>('');
  const [claimed, setClaimed] = useState<'' | 'yes' | 'no' | 'mine'>('');
  const [applied, setApplied] = useState({ institution: '', kind: '' as '' | Kind, claimed: '' as '' | 'yes' | 'no' | 'mine' });
  const [error, setError] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const rows = useRef<(HTMLAnchorElement | null)[]>([]);
  const queue = useLoad(
    () =>
      ok(
        api.GET('/queue', { params: { query: { limit: 50, ...(applied.institution ? { institution: applied.institution } : {}), ...(applied.kind ? { kind: applied.kind } : {}), ...(applied.claimed ? { claimed: applied.claimed } : {}) } } }),
      ),
    [applied],
  );

  useEffect(() => {
    rows.current = rows.current.slice(0, queue.data?.items.length ?? 0);
  }, [queue.data]);

  const claim = async (item: QueueItem) => {
    setError(undefined);
    try {
      await ok(api.POST('/applications/{id}/claim', { params: { path: { id: item.applicationId } } }));
      setNotice(t('claimDone'));
      navigate(`/rinda/${item.applicationId}`);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };

  const onKey = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const items = queue.data?.items ?? [];
    const index = rows.current.findIndex((r) => r === document.activeElement);
    const move = (to: number) => rows.current[Math.max(0, Math.min(items.length - 1, to))]?.focus();
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault();
      move(index + 1);
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault();
      move(index - 1);
    } else if ((event.key === 'c' || event.key === 'C') && index >= 0) {
      event.preventDefault();
      void claim(items[index]);
    }
  };

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queueTitle')}</h1>
      <p id="queue-help">{t('queueLead')}</p>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ institution: institution.trim(), kind, claimed });
        }}
      >
        <div className="field">
          <label htmlFor="queue-institution">{t('filterInstitution')}</label>
          <input id="queue-institution" inputMode="numeric" value={institution} onChange={(e) => setInstitution(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="queue-kind">{t('filterKind')}</label>
          <select id="queue-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
            <option value="">{t('filterAll')}</option>
            {(['new-user', 'change', 'termination'] as Kind[]).map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="queue-claimed">{t('filterClaimed')}</label>
          <select id="queue-claimed" value={claimed} onChange={(e) => setClaimed(e.target.value as typeof claimed)}>
            <option value="">{t('claimed.any')}</option>
            <option value="no">{t('claimed.no')}</option>
            <option value="mine">{t('claimed.mine')}</option>
            <option value="yes">{t('claimed.yes')}</option>
          </select>
        </div>
        <button type="submit" className="secondary">
          {t('search')}
        </button>
      </form>
      <Notice>{notice}</Notice>
      <ProblemAlert error={error ?? queue.error} />
      {!queue.data ? (
        <Loading />
      ) : queue.data.items.length === 0 ? (
        <p>{t('queueEmpty')}</p>
      ) : (
        <table className="queue" aria-describedby="queue-help">
          <TableHead columns={['colUser', 'colAge', 'colInstitution', 'colKind', 'colClaimed']} />
          <tbody onKeyDown={onKey}>
            {queue.data.items.map((item, i) => (
              <tr key={item.applicationId}>
                <th scope="row">
                  <Link href={`/rinda/${item.applicationId}`} ref={(el: HTMLAnchorElement | null) => void (rows.current[i] = el)}>
                    {item.user.givenName} {item.user.surname}
                  </Link>
                  {item.fourEyesConflict && <span className="badge badge-rejected">{t('fourEyesBadge')}</span>}
                </th>
                <td>{formatAge(item.ageSeconds, lang)}</td>
                <td>{item.institution}</td>
                <td>{t(`kind.${item.kind}` as MessageKey)}</td>
                <td>{item.claimedByMe ? t('claimedByMe') : item.claimedBy ? <span className="code">{item.claimedBy}</span> : t('unclaimed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
