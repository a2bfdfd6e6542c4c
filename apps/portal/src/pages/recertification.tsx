import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import { FieldErrors, Loading, Notice, ProblemAlert } from '../components/feedback';
import { useLoad } from '../components/use-load';
import { formatDate, rigaToday } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { hasRole, ownInstitution, useSession } from '../session';

/** Aktualizācija: the administrator opens a campaign; the institution's representative carries it out (seed 000). */
export function RecertificationPage() {
  const { session } = useSession();
  if (hasRole(session, 'admin')) return <OpenCampaignWizard />;
  if (hasRole(session, 'representative')) return <RepresentativeWizard institution={ownInstitution(session)!} />;
  return null;
}

function Steps({ steps, current }: { steps: string[]; current: number }) {
  return (
    <ol className="steps">
      {steps.map((s, i) => (
        <li key={s} aria-current={i === current ? 'step' : undefined} className={i === current ? 'current' : i < current ? 'done' : undefined}>
          {s}
        </li>
      ))}
    </ol>
  );
}

function OpenCampaignWizard() {
  const { t, lang } = useI18n();
  const registry = useLoad(() => ok(api.GET('/institutions')), []);
  const [step, setStep] = useState(0);
  const [institution, setInstitution] = useState('');
  const [deadline, setDeadline] = useState('');
  const [error, setError] = useState<ApiProblem>();
  const [opened, setOpened] = useState<string>();
  const all = registry.data?.resorts.flatMap((r) => [r, ...(r.subordinates ?? [])]).filter((i) => i.status === 'active') ?? [];
  const open = async () => {
    setError(undefined);
    try {
      await ok(api.POST('/recertifications', { body: { institution, deadline } }));
      setOpened(t('campaignOpened', { date: formatDate(deadline, lang) }));
      registry.reload();
      setStep(0);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };
  return (
    <section aria-labelledby="recert-title" className="narrow">
      <h1 id="recert-title">{t('recertTitle')}</h1>
      <p>{t('recertAdminLead')}</p>
      <Notice>{opened}</Notice>
      {registry.data && registry.data.openCampaigns.length > 0 && (
        <div className="alert alert-info" role="status">
          {t('openCampaigns')}: {registry.data.openCampaigns.map((c) => `${c.institution} (${formatDate(c.deadline, lang)})`).join(', ')}
        </div>
      )}
      <Steps steps={[t('wizardStepInstitution'), t('wizardStepDeadline'), t('wizardStepConfirm')]} current={step} />
      <ProblemAlert error={error ?? registry.error} fieldsShownInline />
      {!registry.data ? (
        <Loading />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (step < 2) setStep(step + 1);
            else void open();
          }}
        >
          {step === 0 && (
            <div className="field">
              <label htmlFor="campaign-institution">{t('chooseInstitution')}</label>
              <select id="campaign-institution" required value={institution} onChange={(e) => setInstitution(e.target.value)} aria-describedby="campaign-institution-error">
                <option value="">—</option>
                {all.map((i) => (
                  <option key={i.registrationNumber} value={i.registrationNumber}>
                    {i.officialName} ({i.registrationNumber})
                  </option>
                ))}
              </select>
              <FieldErrors id="campaign-institution-error" error={error} field="institution" />
            </div>
          )}
          {step === 1 && (
            <div className="field">
              <label htmlFor="campaign-deadline">{t('deadline')}</label>
              <input id="campaign-deadline" type="date" required min={rigaToday()} value={deadline} onChange={(e) => setDeadline(e.target.value)} aria-describedby="campaign-deadline-error" />
              <FieldErrors id="campaign-deadline-error" error={error} field="deadline" />
            </div>
          )}
          {step === 2 && <p>{t('campaignSummary', { inst: all.find((i) => i.registrationNumber === institution)?.officialName ?? institution, date: formatDate(deadline, lang) })}</p>}
          <div className="buttons">
            {step > 0 && (
              <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
                {t('back')}
              </button>
            )}
            <button type="submit" disabled={(step === 0 && !institution) || (step === 1 && !deadline)}>
              {step < 2 ? t('next') : t('openCampaign')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Seed 000's steps for the representative: profile, administrator, mark the current users, review, finish. */
function RepresentativeWizard({ institution }: { institution: string }) {
  const { t, lang, code } = useI18n();
  const { session } = useSession();
  const inst = useLoad(() => ok(api.GET('/institutions/{reg}', { params: { path: { reg: institution } } })), [institution]);
  const campaignId = inst.data?.openCampaign?.campaignId;
  const campaign = useLoad(() => (campaignId ? ok(api.GET('/recertifications/{id}', { params: { path: { id: campaignId } } })) : Promise.resolve(undefined)), [campaignId]);
  const rights = useLoad(() => ok(api.POST('/rights/search', { body: { employer: institution, limit: 200 } })), [institution]);
  const [step, setStep] = useState(0);
  const [kept, setKept] = useState<Set<string>>();
  const [error, setError] = useState<ApiProblem>();
  const [done, setDone] = useState(false);

  if (done) return <Notice>{t('recertDone')}</Notice>;
  if (inst.error) return <ProblemAlert error={inst.error} />;
  if (!inst.data) return <Loading />;
  if (!campaignId) return <p>{t('campaignStatus', { status: t('campaign.none') })}</p>;
  if (!campaign.data || !rights.data) return <Loading />;
  const users = campaign.data.users ?? [];
  const marked = kept ?? new Set(users.map((u) => u.personalCode));
  const nameOf = (applications: string[]) => {
    const row = rights.data!.items.find((r) => applications.includes(r.grantedBy.applicationId));
    return row ? `${row.user.givenName} ${row.user.surname}` : '—';
  };
  const finish = async () => {
    setError(undefined);
    try {
      for (const u of users) {
        const body = { personalCode: u.personalCode };
        const path = { params: { path: { id: campaignId } }, body };
        if (marked.has(u.personalCode)) await ok(api.POST('/recertifications/{id}/confirm', path));
        else await ok(api.POST('/recertifications/{id}/drop', path));
      }
      await ok(api.POST('/recertifications/{id}/complete', { params: { path: { id: campaignId } } }));
      setDone(true);
    } catch (e) {
      setError(asApiProblem(e));
    }
  };
  const steps = [t('recertStep1'), t('recertStep2'), t('recertStep3'), t('recertStep4')];
  return (
    <section aria-labelledby="recert-title" className="narrow">
      <h1 id="recert-title">{t('recertTitle')}</h1>
      <p>{t('lockBannerTitle', { inst: inst.data.officialName ?? institution, date: formatDate(campaign.data.deadline, lang) })}</p>
      <Steps steps={steps} current={step} />
      <ProblemAlert error={error} />
      <h2>{steps[step]}</h2>
      {step === 0 && (
        <>
          <p>{t('recertStep1Lead')}</p>
          <dl className="details">
            <dt>{t('colName')}</dt>
            <dd>{inst.data.officialName}</dd>
            <dt>{t('colRegNo')}</dt>
            <dd className="code">{inst.data.registrationNumber}</dd>
            <dt>{t('colType')}</dt>
            <dd>{inst.data.type ? t(`instType.${inst.data.type}` as MessageKey) : '—'}</dd>
            <dt>{t('colVariant')}</dt>
            <dd>{inst.data.coordinationVariant ? t(`variant.${inst.data.coordinationVariant}` as MessageKey) : '—'}</dd>
          </dl>
        </>
      )}
      {step === 1 && (
        <>
          <p>{t('recertStep2Lead')}</p>
          <dl className="details">
            <dt>{t('colUser')}</dt>
            <dd>{session?.person?.name ? decodeURIComponent(session.person.name) : '—'}</dd>
            <dt>{t('personalCode')}</dt>
            <dd className="code">{session?.person?.personalCode}</dd>
          </dl>
        </>
      )}
      {step === 2 && (
        <fieldset>
          <legend>{t('recertStep3Lead')}</legend>
          {users.length === 0 && <p>{t('recertNoUsers')}</p>}
          {users.map((u) => (
            <div className="field checkbox" key={u.personalCode}>
              <input
                id={`keep-${u.personalCode}`}
                type="checkbox"
                checked={marked.has(u.personalCode)}
                onChange={() => {
                  const next = new Set(marked);
                  if (next.has(u.personalCode)) next.delete(u.personalCode);
                  else next.add(u.personalCode);
                  setKept(next);
                }}
              />
              <label htmlFor={`keep-${u.personalCode}`}>
                {nameOf(u.applications)} <span className="code">{u.personalCode}</span> — {t('current')}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {step === 3 && <p>{t('recertKeep', { count: users.filter((u) => marked.has(u.personalCode)).length, drop: users.filter((u) => !marked.has(u.personalCode)).length })}</p>}
      <div className="buttons">
        {step > 0 && (
          <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
            {t('back')}
          </button>
        )}
        {step < 3 ? (
          <button type="button" onClick={() => setStep(step + 1)}>
            {t('next')}
          </button>
        ) : (
          <button type="button" onClick={() => void finish()}>
            {t('recertFinish')}
          </button>
        )}
      </div>
      {error && <p className="muted">{code(error.problem.code ?? '')}</p>}
    </section>
  );
}
