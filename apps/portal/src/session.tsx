import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ok, SESSION_LOST, setCsrfToken } from './api/client';
import type { Role, SessionView } from './api/views';

interface SessionContext {
  session: SessionView | undefined;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const Context = createContext<SessionContext | null>(null);

/** Who is signed in: asked of the API (the cookie is httpOnly, so the page cannot read it itself). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionView>();
  const refresh = useCallback(async () => {
    const current = await ok(api.GET('/session')).catch(() => ({ signedIn: false, mode: 'local', signIn: 'none' }) as SessionView);
    setCsrfToken(current.csrfToken ?? null);
    setSession(current);
  }, []);
  const signOut = useCallback(async () => {
    await ok(api.POST('/session/sign-out')).catch(() => undefined);
    await refresh();
  }, [refresh]);
  useEffect(() => {
    void refresh();
    const lost = () => void refresh();
    window.addEventListener(SESSION_LOST, lost);
    return () => window.removeEventListener(SESSION_LOST, lost);
  }, [refresh]);
  return <Context.Provider value={{ session, refresh, signOut }}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

export function hasRole(session: SessionView | undefined, role: Role): boolean {
  return !!session?.person?.roles.includes(role);
}

/** The institution a representative acts for (the first the token names). */
export function ownInstitution(session: SessionView | undefined): string | undefined {
  return session?.person?.institutions[0];
}
