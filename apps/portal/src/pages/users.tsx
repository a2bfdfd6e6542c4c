import { useState } from 'react';
import { api, ok } from '../api/client';
import { ApiProblem, asApiProblem } from '../api/problem';
import type { UserRight } from '../api/views';
import { Dialog } from '../components/dialog';
import { FieldErrors, Loading, Notice, ProblemAlert } from '../components/feedback';
import { Groups, ScopeText, TermText } from '../components/labels';
import { TableHead } from '../components/table-head';
import { TextAreaField } from '../components/text-area-field';
import { useLoad } from '../components/use-load';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../router';
import { ownInstitution, useSession } from '../session';

interface Holder {
  applicationId: string;
  user: UserRight['user'];
  rights: UserRight[];
}

/** Rows of the register are per scope; the page shows one row per grant (application). */
function holders(items: UserRight[]): Holder[] {
  const byApplication = new Map<string, Holder>();
  for (const item of items) {
    const holder = byApplication.get(item.grantedBy.applicationId) ?? { applicationId: item.grantedBy.applicationId, user: item.user, rights: [] };
    holder.rights.push(item);
    byApplication.set(item.grantedBy.applicationId, holder);
  }
  return [...byApplication.values()];
}

/** Pieteikumi – Lietotāju pārvaldība – Lietotāji: the users with rights in force, Mainīt and Atsaukt tiesības per row. */
export function UsersPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const institution = ownInstitution(session)!;
  const [notice, setNotice] = useState<string>();
  // After a command, the list waits until the read model includes it (read-your-writes).
  const [minPosition, setMinPosition] = useState<string | null>();
  const rights = useLoad(() => ok(api.POST('/rights/search', { body: { employer: institution, limit: 200, ...(minPosition ? { minPosition } : {}) } })), [institution, minPosition]);
  const [revoking, setRevoking] = useState<Holder>();
  const [changing, setChanging] = useState<{ holder: Holder; kind: 'change' | 'termination' }>();

  return (
    <section aria-labelledby="users-title">
      <div className="title-row">
        <h1 id="users-title">{t('usersTitle')}</h1>
        <Link className="button" href="/lietotaji/jauns">
          {t('addNew')}
        </Link>
      </div>
      <p>{t('usersLead', { reg: institution })}</p>
      <Notice>{notice}</Notice>
      <ProblemAlert error={rights.error} />
      {!rights.data ? (
        <Loading />
      ) : rights.data.items.length === 0 ? (
        <p>{t('noUsers')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t('usersLead', { reg: institution })}</caption>
          <TableHead columns={['colUser', 'colPersonalCode', 'colRights', 'colEnd', 'colActions']} />
          <tbody>
            {holders(rights.data.items).map((h) => {
              const name = `${h.user.givenName} ${h.user.surname}`;
              return (
                <tr key={h.applicationId}>
                  <th scope="row">{name}</th>
                  <td className="code">{h.user.personalCode}</td>
                  <td>
                    <ul className="plain">
                      {h.rights.map((r, i) => (
                        <li key={i}>
                          <ScopeText scope={r.scope} />: <Groups groups={r.groups} />
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <TermText term={h.rights[0].term} />
                  </td>
                  <td className="actions">
                    <button type="button" className="secondary" aria-label={`${t('change')}: ${name}`} onClick={() => setChanging({ holder: h, kind: 'change' })}>
                      {t('change')}
                    </button>
                    <button type="button" className="secondary" aria-label={`${t('terminate')}: ${name}`} onClick={() => setChanging({ holder: h, kind: 'termination' })}>
                      {t('terminate')}
                    </button>
                    <button type="button" className="danger" aria-label={`${t('revokeRights')}: ${name}`} onClick={() => setRevoking(h)}>
                      {t('revokeRights')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <RevokeDialog
        holder={revoking}
        onClose={() => setRevoking(undefined)}
        onDone={(position) => {
          setRevoking(undefined);
          setNotice(t('revokeDone'));
          setMinPosition(position);
        }}
      />
      <ChangeDialog target={changing} onClose={() => setChanging(undefined)} />
    </section>
  );
}

/** Atsaukt tiesības: the form in which the representative confirms the revocation (seed 002). */
function RevokeDialog({ holder, onClose, onDone }: { holder: Holder | undefined; onClose: () => void; onDone: (position: string | null) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<ApiProblem>();
  const name = holder ? `${holder.user.givenName} ${holder.user.surname}` : '';
  const submit = async () => {
    if (!holder) return;
    setError(undefined);
    try {
      const result = await ok(api.POST('/applications/{id}/revoke', { params: { path: { id: holder.applicationId } }, body: { reason, confirmed: confirmed as true } }));
      setReason('');
      setConfirmed(false);
      onDone(result.position);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };
  return (
    <Dialog open={!!holder} title={t('revokeTitle', { name })} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>{t('revokeLead')}</p>
        <ProblemAlert error={error} fieldsShownInline />
        <TextAreaField id="revoke-reason" label={t('revokeReason')} value={reason} onChange={setReason} error={error} field="reason" />
        <div className="field checkbox">
          <input id="revoke-confirm" type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} aria-describedby="revoke-confirm-error" />
          <label htmlFor="revoke-confirm">{t('revokeConfirm')}</label>
          <FieldErrors id="revoke-confirm-error" error={error} field="confirmed" />
        </div>
        <div className="buttons">
          <button type="submit" className="danger" disabled={!confirmed || reason.trim() === ''}>
            {t('revokeRights')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Mainīt / pārtraukt lietošanu: a draft made from the grant in force, then edited on its own page. */
function ChangeDialog({ target, onClose }: { target: { holder: Holder; kind: 'change' | 'termination' } | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<ApiProblem>();
  const name = target ? `${target.holder.user.givenName} ${target.holder.user.surname}` : '';
  const submit = async () => {
    if (!target) return;
    setError(undefined);
    try {
      const result = await ok(api.POST('/applications/{id}/changes', { params: { path: { id: target.holder.applicationId } }, body: { kind: target.kind, justification } }));
      setJustification('');
      onClose();
      navigate(`/pieteikumi/${result.applicationId}`);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };
  return (
    <Dialog open={!!target} title={target?.kind === 'termination' ? t('terminateTitle', { name }) : t('changeTitle', { name })} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ProblemAlert error={error} fieldsShownInline />
        <TextAreaField
          id="change-justification"
          label={target?.kind === 'termination' ? t('terminateJustification') : t('changeJustification')}
          value={justification}
          onChange={setJustification}
          error={error}
          field="justification"
        />
        <div className="buttons">
          <button type="submit">{t('createDraft')}</button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
