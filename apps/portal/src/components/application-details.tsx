import type { ApplicationView, Scope } from '../api/views';
import { useI18n } from '../i18n/i18n';
import { Groups, ScopeText, TermText } from './labels';

/** Whom an application is for, as its page is titled (its id while no draft has named anyone). */
export function applicantName(application: Pick<ApplicationView, 'id' | 'user'>): string {
  return application.user ? `${application.user.givenName} ${application.user.surname}` : application.id;
}

/** The user an application is for, the term and the justification: the same list for the representative and the approver. */
export function UserDetails({ application }: { application: Pick<ApplicationView, 'user' | 'term' | 'justification'> }) {
  const { t } = useI18n();
  const { user, term, justification } = application;
  return (
    <dl className="details">
      <dt>{t('givenName')}</dt>
      <dd>{user?.givenName}</dd>
      <dt>{t('surname')}</dt>
      <dd>{user?.surname}</dd>
      <dt>{t('personalCode')}</dt>
      <dd className="code">{user?.personalCode}</dd>
      <dt>{t('email')}</dt>
      <dd>{user?.email}</dd>
      <dt>{t('term')}</dt>
      <dd>
        <TermText term={term} />
      </dd>
      <dt>{t('justification')}</dt>
      <dd>{justification}</dd>
    </dl>
  );
}

/** The rights an application asks for (or held at an instant): each scope with its groups. */
export function RightsList({ rights }: { rights: Scope[] }) {
  return (
    <ul>
      {rights.map((r, i) => (
        <li key={i}>
          <ScopeText scope={r} />: <Groups groups={r.groups} />
        </li>
      ))}
    </ul>
  );
}
