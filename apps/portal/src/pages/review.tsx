import { useEffect, useRef, useState } from 'react';
import { api, ok } from '../api/client';
import type { Refusal } from '../api/views';
import { applicantName, RightsList, UserDetails } from '../components/application-details';
import { Dialog } from '../components/dialog';
import { Loading, Notice, ProblemAlert } from '../components/feedback';
import { StatusBadge } from '../components/labels';
import { TextAreaField } from '../components/text-area-field';
import { useCommand } from '../components/use-command';
import { useLoad } from '../components/use-load';
import { formatInstant } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { Link } from '../router';

/**
 * The approver's view of one application: its content, the signed document and the signature's
 * verdict, the four-eyes conflict before any button, then claim, release, approve, reject with a reason.
 */
export function ReviewPage({ id }: { id: string }) {
  const { t, lang, code } = useI18n();
  const app = useLoad(() => ok(api.GET('/applications/{id}', { params: { path: { id } } })), [id]);
  const view = useLoad(() => ok(api.GET('/session/applications/{id}', { params: { path: { id } } })), [id, app.data?.revision]);
  const { run, error, notice } = useCommand(app.reload);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const firstAction = useRef<HTMLButtonElement>(null);

  // After a claim, the next step is at hand for a keyboard user.
  const approvable = !!app.data && view.data?.actions.approve === null;
  useEffect(() => {
    if (approvable) firstAction.current?.focus();
  }, [approvable]);

  if (app.error) return <ProblemAlert error={app.error} />;
  if (!app.data || !view.data) return <Loading />;
  const a = app.data;
  const actions = view.data.actions;
  const conflict: Refusal | undefined = Object.values(actions).find((r): r is Refusal => r?.code === 'FOUR_EYES');
  const claimedByOther = actions.claim?.code === 'CLAIMED_BY_ANOTHER';
  const locked: Refusal | undefined = Object.values(actions).find((r): r is Refusal => r?.code === 'INSTITUTION_LOCKED_FOR_RECERTIFICATION');
  const signature = view.data.signature;
  const params = { params: { path: { id } } };

  return (
    <article aria-labelledby="review-title">
      <p>
        <Link href="/rinda">← {t('nav.queue')}</Link>
      </p>
      <h1 id="review-title">{t('applicationTitle', { name: applicantName(a) })}</h1>
      <p className="meta">
        {t(`kind.${a.kind}` as MessageKey)} · <StatusBadge status={a.status} /> · {t('institution')} {a.institution}
      </p>
      <Notice>{notice}</Notice>
      <ProblemAlert error={error} fieldsShownInline={rejecting} />

      {conflict && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>{t('conflictTitle')}.</strong> {code('FOUR_EYES')}
          </p>
        </div>
      )}
      {locked && !conflict && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>{t('lockedBadge')}.</strong> {code(locked.code)}
          </p>
        </div>
      )}
      {claimedByOther && !conflict && (
        <div className="alert alert-info" role="status">
          {t('claimedByOther')}
        </div>
      )}

      {a.status === 'signed' && actions.release === null && (
        <p className="alert alert-info" role="status">
          {t('claimHeld')}
        </p>
      )}
      {a.status === 'signed' && (
        <div className="buttons decision-bar">
          {actions.claim === null && a.claimedBy === null && (
            <button type="button" ref={firstAction} onClick={() => void run(() => ok(api.POST('/applications/{id}/claim', params)), 'claimDone')}>
              {t('claim')}
            </button>
          )}
          {actions.approve === null && (
            <button type="button" ref={firstAction} onClick={() => void run(() => ok(api.POST('/applications/{id}/approve', params)), 'approveDone')}>
              {t('approve')}
            </button>
          )}
          {actions.reject === null && (
            <button type="button" className="danger" onClick={() => setRejecting(true)}>
              {t('reject')}
            </button>
          )}
          {actions.release === null && (
            <button type="button" className="secondary" onClick={() => void run(() => ok(api.POST('/applications/{id}/release', params)), 'releaseDone')}>
              {t('release')}
            </button>
          )}
        </div>
      )}

      <section aria-labelledby="review-user">
        <h2 id="review-user">{t('sectionUser')}</h2>
        <UserDetails application={a} />
      </section>
      <section aria-labelledby="review-rights">
        <h2 id="review-rights">{t('sectionRights')}</h2>
        <RightsList rights={a.rights} />
      </section>
      {signature && (
        <section aria-labelledby="review-signature">
          <h2 id="review-signature">{t('signatureTitle')}</h2>
          <p className={signature.valid ? 'field-ok' : 'field-error'}>{signature.valid ? t('verdictValid') : t('verdictInvalid')}</p>
          <dl className="details">
            <dt>{t('signer')}</dt>
            <dd>{signature.signer.name ?? '—'}</dd>
            <dt>{t('signedAt')}</dt>
            <dd>{formatInstant(signature.signedAt, lang)}</dd>
            <dt>{t('acceptedAt')}</dt>
            <dd>{formatInstant(signature.acceptedAt, lang)}</dd>
            <dt>{t('qualified')}</dt>
            <dd>{signature.qualified ? t('yes') : t('no')}</dd>
            <dt>{t('timestamp')}</dt>
            <dd>{signature.timestamped ? t('yes') : t('timestampNone')}</dd>
          </dl>
          {view.data.document?.text && (
            <details>
              <summary>{t('signedDocument')}</summary>
              <pre className="document">{view.data.document.text}</pre>
              <p className="code small">{t('documentHash', { hash: view.data.document.sha256 })}</p>
            </details>
          )}
        </section>
      )}
      <Dialog open={rejecting} title={t('reject')} onClose={() => setRejecting(false)}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => ok(api.POST('/applications/{id}/reject', { ...params, body: { reason } })), 'rejectDone').then((done) => done && setRejecting(false));
          }}
        >
          <TextAreaField id="reject-reason" label={t('rejectReason')} value={reason} onChange={setReason} error={error} field="reason" />
          <div className="buttons">
            <button type="submit" className="danger">
              {t('reject')}
            </button>
            <button type="button" className="secondary" onClick={() => setRejecting(false)}>
              {t('cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </article>
  );
}
