import { useEffect, type ReactNode } from 'react';
import type { Role } from './api/views';
import { Loading } from './components/feedback';
import { LockBanner } from './components/lock-banner';
import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/lv';
import { AuditApplicationPage } from './pages/audit-application';
import { AuditSearchPage } from './pages/audit-search';
import { ApplicationPage } from './pages/application';
import { ApplicationsPage } from './pages/applications';
import { DecisionsPage } from './pages/decisions';
import { NewUserPage } from './pages/new-user';
import { QueuePage } from './pages/queue';
import { RecertificationPage } from './pages/recertification';
import { RegistryPage } from './pages/registry';
import { ReviewPage } from './pages/review';
import { SignInPage } from './pages/sign-in';
import { UsersPage } from './pages/users';
import { Link, match, navigate, usePath } from './router';
import { useSession } from './session';

interface Route {
  path: string;
  role?: Role;
  page: (params: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { path: '/ienakt', page: () => <SignInPage /> },
  { path: '/lietotaji', role: 'representative', page: () => <UsersPage /> },
  { path: '/lietotaji/jauns', role: 'representative', page: () => <NewUserPage /> },
  { path: '/pieteikumi', role: 'representative', page: () => <ApplicationsPage /> },
  { path: '/pieteikumi/:id', role: 'representative', page: (p) => <ApplicationPage id={p.id} /> },
  { path: '/rinda', role: 'approver', page: () => <QueuePage /> },
  { path: '/rinda/:id', role: 'approver', page: (p) => <ReviewPage id={p.id} /> },
  { path: '/lemumi', role: 'approver', page: () => <DecisionsPage /> },
  { path: '/audits', role: 'auditor', page: () => <AuditSearchPage /> },
  { path: '/audits/:id', role: 'auditor', page: (p) => <AuditApplicationPage id={p.id} /> },
  { path: '/registrs', role: 'admin', page: () => <RegistryPage /> },
  { path: '/aktualizacija', page: () => <RecertificationPage /> },
];

const NAV: Record<Role, { href: string; label: MessageKey }[]> = {
  representative: [
    { href: '/lietotaji', label: 'nav.users' },
    { href: '/pieteikumi', label: 'nav.applications' },
  ],
  approver: [
    { href: '/rinda', label: 'nav.queue' },
    { href: '/lemumi', label: 'nav.decisions' },
  ],
  auditor: [{ href: '/audits', label: 'nav.audit' }],
  admin: [
    { href: '/registrs', label: 'nav.registry' },
    { href: '/aktualizacija', label: 'nav.recertification' },
  ],
};

const HOME: Record<Role, string> = { representative: '/lietotaji', approver: '/rinda', auditor: '/audits', admin: '/registrs' };

export function App() {
  const { session, signOut } = useSession();
  const { t, lang, setLang } = useI18n();
  const path = usePath();
  const role = session?.person?.roles[0];

  useEffect(() => {
    if (!session) return;
    if (!session.signedIn && path !== '/ienakt') navigate(`/ienakt`, true);
    else if (session.signedIn && (path === '/' || path === '/ienakt') && role) navigate(HOME[role], true);
  }, [session, path, role]);

  let content: ReactNode = null;
  let found = false;
  for (const route of ROUTES) {
    const params = match(route.path, path);
    if (!params) continue;
    found = true;
    if (route.role && !session?.person?.roles.includes(route.role)) break;
    content = route.page(params);
    break;
  }
  if (!session) content = <Loading />;
  else if (!found && path !== '/')
    content = (
      <>
        <h1>{t('notFoundTitle')}</h1>
        <p>{t('notFoundText')}</p>
        <p>
          <Link href="/">{t('toHome')}</Link>
        </p>
      </>
    );

  const links = session?.person ? session.person.roles.flatMap((r) => NAV[r]) : [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="brand">
          <Link href="/" className="brand-name">
            {t('appName')}
          </Link>
          <span className="brand-tagline">{t('appTagline')}</span>
        </div>
        {links.length > 0 && (
          <nav aria-label={t('mainNav')}>
            <ul>
              {links.map((l) => (
                <li key={l.href}>
                  <Link href={l.href} aria-current={path === l.href || path.startsWith(`${l.href}/`) ? 'page' : undefined}>
                    {t(l.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          {session?.person && (
            <span className="who">
              {t('signedInAs', { name: session.person.name ? decodeURIComponent(session.person.name) : session.person.personalCode })}
              <span className="muted"> · {session.person.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')}</span>
            </span>
          )}
          <button type="button" className="link-button" lang={lang === 'lv' ? 'en' : 'lv'} aria-label={t('switchToOtherLabel')} onClick={() => setLang(lang === 'lv' ? 'en' : 'lv')}>
            {t('switchToOther')}
          </button>
          {session?.signedIn && (
            <button type="button" className="secondary" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          )}
        </div>
      </header>
      {session?.signedIn && role === 'representative' && <LockBanner />}
      <main id="main" tabIndex={-1}>
        {content}
      </main>
    </>
  );
}
