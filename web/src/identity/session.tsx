import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert.js';
import { navigate } from '../routing.js';
import { asApiError, identityApi, rememberCsrfToken, type ApiError } from './api.js';
import type { AuthenticatedSession } from './types.js';

type SessionState =
  | { status: 'loading' }
  | { status: 'failed'; error: ApiError }
  | { status: 'anonymous' }
  | { status: 'second_factor_pending' }
  | { status: 'authenticated'; session: AuthenticatedSession };

/** The beneficiary an aidant chose to act for; kept in memory only, so a reload ends it. */
export interface ActingFor {
  personId: number;
  displayName: string;
}

interface SessionContextValue {
  state: SessionState;
  refresh(): Promise<void>;
  logout(): Promise<void>;
  actingFor: ActingFor | null;
  setActingFor(beneficiary: ActingFor | null): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

async function loadSession(): Promise<SessionState> {
  try {
    const answer = await identityApi.session();
    if (!answer.authenticated) {
      rememberCsrfToken(null);
      return { status: 'anonymous' };
    }
    rememberCsrfToken(answer.csrfToken);
    if (answer.secondFactorPending) return { status: 'second_factor_pending' };
    return { status: 'authenticated', session: answer };
  } catch (error) {
    return { status: 'failed', error: asApiError(error) };
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [actingFor, setActingFor] = useState<ActingFor | null>(null);

  const refresh = useCallback(async () => {
    const next = await loadSession();
    setState(next);
    if (next.status !== 'authenticated') setActingFor(null);
  }, []);

  const logout = useCallback(async () => {
    try {
      await identityApi.logout();
    } finally {
      // A session that had already expired refuses the logout: the page must show it ended too.
      await refresh();
    }
  }, [refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(
    () => ({ state, refresh, logout, actingFor, setActingFor }),
    [state, refresh, logout, actingFor],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession doit être appelé sous SessionProvider.');
  return value;
}

/** The login page, asked to come back here afterwards. */
function loginUrl(returnTo: string): string {
  return `/connexion?retour=${encodeURIComponent(returnTo)}`;
}

/**
 * Shows its content only to a logged-in person; anyone else is sent to the login page, which
 * brings them back here afterwards.
 */
export function RequireSession({
  children,
}: {
  children: (session: AuthenticatedSession) => ReactNode;
}) {
  const { state } = useSession();
  const mustLogIn = state.status === 'anonymous' || state.status === 'second_factor_pending';

  useEffect(() => {
    if (!mustLogIn) return;
    navigate(loginUrl(window.location.pathname + window.location.search), { replace: true });
  }, [mustLogIn]);

  if (state.status === 'authenticated') return children(state.session);
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      {state.status === 'failed' ? (
        <Alert
          severity="error"
          as="h2"
          title="Votre session n’a pas pu être vérifiée"
          description={state.error.message}
        />
      ) : (
        <p role="status">Chargement…</p>
      )}
    </div>
  );
}
