import { useState } from 'react';
import { api, ok } from '../api/client';
import { asApiProblem, type ApiProblem } from '../api/problem';
import { ProblemAlert } from '../components/feedback';
import { UserForm } from '../components/user-form';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../router';
import { ownInstitution, useSession } from '../session';

/** Pievienot jaunu: saving the user's details creates the draft, where the rights are added. */
export function NewUserPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const institution = ownInstitution(session)!;
  const [error, setError] = useState<ApiProblem>();
  return (
    <section aria-labelledby="new-user-title" className="narrow">
      <p>
        <Link href="/lietotaji">← {t('back')}</Link>
      </p>
      <h1 id="new-user-title">{t('newUserTitle')}</h1>
      <ProblemAlert error={error} fieldsShownInline />
      <UserForm
        error={error}
        submitLabel={t('saveDraft')}
        onSubmit={async (value) => {
          setError(undefined);
          try {
            const result = await ok(api.POST('/applications', { body: { kind: 'new-user', institution, ...value } }));
            navigate(`/pieteikumi/${result.applicationId}`);
          } catch (e) {
            setError(asApiProblem(e));
          }
        }}
      />
    </section>
  );
}
