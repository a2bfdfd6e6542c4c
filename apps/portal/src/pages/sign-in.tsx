import { useState } from 'react';
import { api, ok } from '../api/client';
import { ApiProblem, asApiProblem } from '../api/problem';
import type { components } from '../api/schema';
import type { Role } from '../api/views';
import { Loading, ProblemAlert } from '../components/feedback';
import { useLoad } from '../components/use-load';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';
import { useSession } from '../session';

export function SignInPage() {
  const { t, code } = useI18n();
  const { session, refresh } = useSession();
  const [error, setError] = useState<ApiProblem>();
  const failure = new URLSearchParams(window.location.search).get('klume');
  const people = useLoad(() => (session?.signIn === 'demo' ? ok(api.GET('/session/demo-people')) : Promise.resolve(undefined)), [session?.signIn]);

  const signIn = async (person: components['schemas']['DemoSignInDto']['person']) => {
    setError(undefined);
    try {
      await ok(api.POST('/session/demo', { body: { person } }));
      await refresh();
    } catch (e) {
      setError(asApiProblem(e));
    }
  };

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">{t('signInTitle')}</h1>
      {failure && (
        <div className="alert alert-error" role="alert">
          {t('signInFailed', { reason: code(failure) })}
        </div>
      )}
      <ProblemAlert error={error ?? people.error} />
      {session?.signIn === 'demo' && (
        <>
          <p>{t('signInDemoLead')}</p>
          {!people.data ? (
            <Loading />
          ) : (
            <ul className="people">
              {people.data.people.map((p) => (
                <li key={p.id}>
                  <button type="button" className="person" onClick={() => void signIn(p.id as components['schemas']['DemoSignInDto']['person'])}>
                    <span className="person-name">{t('signInAs', { name: `${p.givenName} ${p.surname}` })}</span>
                    <span className="person-role">
                      {p.roles.map((r: Role) => t(`role.${r}` as MessageKey)).join(', ')}
                      {p.institutions.length > 0 && ` · ${t('demoInstitution', { reg: p.institutions.join(', ') })}`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {session?.signIn === 'oidc' && (
        <>
          <p>{t('signInOidcLead')}</p>
          <p>
            <a className="button" href="/session/oidc/start?returnTo=%2F">
              {t('signInOidc')}
            </a>
          </p>
        </>
      )}
      {session?.signIn === 'none' && <p>{t('signInNone')}</p>}
    </section>
  );
}
