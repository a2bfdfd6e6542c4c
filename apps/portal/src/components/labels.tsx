import type { Scope, Term, UserRight } from '../api/views';
import { formatDate } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/lv';

/** The end of rights in words: the date, or 18 months after the last login (a dash where there is none yet). */
export function TermText({ term }: { term: Term | UserRight['term'] | null }) {
  const { t, lang } = useI18n();
  return <>{!term ? '—' : term.kind === 'until' ? formatDate(term.date, lang) : t('endAfterLogin')}</>;
}

export function ScopeText({ scope }: { scope: Scope | UserRight['scope'] }) {
  const { t } = useI18n();
  return <>{scope.kind === 'institution' ? t('scopeInstitution', { reg: scope.institution ?? '' }) : t('scopeResort', { reg: scope.resort ?? '' })}</>;
}

export function Groups({ groups }: { groups: string[] }) {
  const { t } = useI18n();
  return <>{groups.map((g) => t(`group.${g}` as MessageKey)).join(', ')}</>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status}`}>{t(`status.${status}` as MessageKey)}</span>;
}
