import { useState } from 'react';
import { api, ok, postBytes } from '../api/client';
import { asApiProblem, portalProblem, type ApiProblem } from '../api/problem';
import { applicantName, RightsList, UserDetails } from '../components/application-details';
import { Dialog } from '../components/dialog';
import { Loading, Notice, ProblemAlert } from '../components/feedback';
import { StatusBadge } from '../components/labels';
import { RightsEditor } from '../components/rights-editor';
import { Timeline } from '../components/timeline';
import { UserForm } from '../components/user-form';
import { useCommand } from '../components/use-command';
import { useLoad } from '../components/use-load';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { Link } from '../router';

/** The representative's application: edit the draft, set the rights, submit, sign, withdraw; its history. */
export function ApplicationPage({ id }: { id: string }) {
  const { t } = useI18n();
  const app = useLoad(() => ok(api.GET('/applications/{id}', { params: { path: { id } } })), [id]);
  const events = useLoad(() => ok(api.GET('/applications/{id}/events', { params: { path: { id } } })), [id, app.data?.revision]);
  const { run, error, notice, setNotice } = useCommand(app.reload);
  const [editing, setEditing] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);

  if (app.error) return <ProblemAlert error={app.error} />;
  if (!app.data) return <Loading />;
  const a = app.data;
  const name = applicantName(a);
  const draft = a.status === 'draft';
  return (
    <article aria-labelledby="app-title">
      <p>
        <Link href="/pieteikumi">← {t('nav.applications')}</Link>
      </p>
      <h1 id="app-title">{t('applicationTitle', { name })}</h1>
      <p className="meta">
        {t(`kind.${a.kind}` as MessageKey)} · <StatusBadge status={a.status} /> · {t('institution')} {a.institution}
      </p>
      <Notice>{notice}</Notice>
      <ProblemAlert error={error} />

      <section aria-labelledby="user-title">
        <h2 id="user-title">{t('sectionUser')}</h2>
        {editing ? (
          <UserForm
            initial={a}
            lockIdentity={a.kind !== 'new-user'}
            submitLabel={t('save')}
            error={error}
            onSubmit={(value) =>
              void run(async () => {
                await ok(api.PATCH('/applications/{id}', { params: { path: { id } }, body: a.kind === 'new-user' ? value : { term: value.term, justification: value.justification } }));
                setEditing(false);
              }, 'draftSaved')
            }
          />
        ) : (
          <UserDetails application={a} />
        )}
        {draft && !editing && (
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            {t('editDraft')}
          </button>
        )}
      </section>

      {a.kind !== 'termination' && (
        <section aria-labelledby="rights-title">
          <h2 id="rights-title">{t('sectionRights')}</h2>
          {draft && a.institution !== null ? (
            <RightsEditor applicationId={id} institution={a.institution} initial={a.rights} onSaved={app.reload} />
          ) : a.rights.length === 0 ? (
            <p>{t('rightsNone')}</p>
          ) : (
            <RightsList rights={a.rights} />
          )}
        </section>
      )}

      <div className="buttons">
        {draft && (
          <button type="button" onClick={() => void run(() => ok(api.POST('/applications/{id}/submit', { params: { path: { id } } })), 'submitDone')}>
            {t('submit')}
          </button>
        )}
        {(draft || a.status === 'submitted') && (
          <button type="button" className="secondary" onClick={() => setWithdrawing(true)}>
            {t('withdraw')}
          </button>
        )}
      </div>

      {a.status === 'submitted' && <SignSection id={id} onSigned={() => { setNotice(t('signDone')); app.reload(); }} />}

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('sectionHistory')}</h2>
        {events.data ? <Timeline events={events.data.events} /> : <Loading />}
      </section>

      <Dialog open={withdrawing} title={t('withdraw')} onClose={() => setWithdrawing(false)}>
        <p>{t('withdrawConfirm')}</p>
        <div className="buttons">
          <button
            type="button"
            className="danger"
            onClick={() => {
              setWithdrawing(false);
              void run(() => ok(api.POST('/applications/{id}/withdraw', { params: { path: { id } }, body: {} })), 'withdrawDone');
            }}
          >
            {t('withdraw')}
          </button>
          <button type="button" className="secondary" onClick={() => setWithdrawing(false)}>
            {t('cancel')}
          </button>
        </div>
      </Dialog>
    </article>
  );
}

/** Parakstīt: the exact document to download, how to sign it with eParaksts, and the upload with each failed check in words. */
function SignSection({ id, onSigned }: { id: string; onSigned: () => void }) {
  const { t } = useI18n();
  const doc = useLoad(() => ok(api.GET('/applications/{id}/document', { params: { path: { id } } })), [id]);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);

  const download = () => {
    if (!doc.data) return;
    const bytes = Uint8Array.from(atob(doc.data.contentBase64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: doc.data.mediaType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `pieteikums-${id}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const upload = async () => {
    setError(undefined);
    if (!file) {
      setError(portalProblem({ status: 400, title: t('chooseFile'), detail: t('chooseFile') }));
      return;
    }
    setBusy(true);
    try {
      // Sent as it is, with its own type: .p7s today; .edoc and signed PDF as the service learns them.
      const type = file.type || (file.name.endsWith('.p7s') ? 'application/pkcs7-signature' : 'application/octet-stream');
      await postBytes(`/applications/${id}/signature`, file, type);
      onSigned();
    } catch (e) {
      setError(asApiProblem(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-title" className="sign">
      <h2 id="sign-title">{t('sectionSign')}</h2>
      <p>{t('signLead')}</p>
      <ProblemAlert error={doc.error} />
      {doc.data && (
        <>
          <button type="button" onClick={download}>
            {t('downloadDocument')}
          </button>
          <p className="code small">{t('documentHash', { hash: doc.data.sha256 })}</p>
          {doc.data.text && (
            <details>
              <summary>{t('documentToSign')}</summary>
              <pre className="document">{doc.data.text}</pre>
            </details>
          )}
        </>
      )}
      <h3>{t('howToSignTitle')}</h3>
      <ol>
        <li>{t('howToSign1')}</li>
        <li>{t('howToSign2')}</li>
        <li>{t('howToSign3')}</li>
        <li>{t('howToSign4')}</li>
      </ol>
      {error && (
        <div className="alert alert-error" role="alert">
          {error.problem.failures?.length ? (
            <SignFailures failures={error.problem.failures} />
          ) : (
            <ProblemAlert error={error} />
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="signed-file">{t('signedFile')}</label>
        <input id="signed-file" type="file" accept=".p7s,.edoc,.asice,.pdf,application/pkcs7-signature" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <button type="button" disabled={busy} onClick={() => void upload()}>
        {t('upload')}
      </button>
    </section>
  );
}

function SignFailures({ failures }: { failures: string[] }) {
  const { t, code } = useI18n();
  return (
    <>
      <p>{t('signFailed')}</p>
      <ul>
        {failures.map((f) => (
          <li key={f}>{code(f)}</li>
        ))}
      </ul>
    </>
  );
}
