import { api, ok } from '../api/client';
import { Loading, ProblemAlert } from '../components/feedback';
import { TableHead } from '../components/table-head';
import { useLoad } from '../components/use-load';
import { formatInstant } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { Link } from '../router';

/** The approver's own recent approvals and rejections, newest first. */
export function DecisionsPage() {
  const { t, lang } = useI18n();
  const list = useLoad(() => ok(api.GET('/session/decisions')), []);
  return (
    <section aria-labelledby="decisions-title">
      <h1 id="decisions-title">{t('decisionsTitle')}</h1>
      <ProblemAlert error={list.error} />
      {!list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p>{t('noDecisions')}</p>
      ) : (
        <table>
          <TableHead columns={['colWhen', 'colDecision', 'colInstitution', 'applicationId']} />
          <tbody>
            {list.data.items.map((d) => (
              <tr key={`${d.applicationId}-${d.at}`}>
                <td>{formatInstant(d.at, lang)}</td>
                <td>{t(`decision.${d.decision}` as MessageKey)}</td>
                <td>{d.institution ?? '—'}</td>
                <td>
                  <Link href={`/rinda/${d.applicationId}`} className="code">
                    {d.applicationId}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
