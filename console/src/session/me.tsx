// Who is signed in, as the server says (GET /v1/me): role, name and the operations the role may call.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import {
  ApiProblem,
  api,
  unwrap,
  whenUnauthorized,
  type Me,
  type OperationId,
} from '../server/client';
import { forgetKey, storeKey, storedKey } from './session';

const fetchMe = (): Promise<Me> => unwrap(api.GET('/v1/me'));

interface Session {
  me: Me | null;
  /** A key is stored: pages render while its answer is on the way. */
  signedIn: boolean;
  /** Why the last session ended, when the server ended it (a key no longer accepted). */
  error: unknown;
  signIn: (key: string) => Promise<Me>;
  signOut: () => void;
  /** Whether the signed-in role may call the operation (by its OpenAPI operationId). */
  can: (operation: OperationId) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }): ReactNode {
  const client = useQueryClient();
  const [hasKey, setHasKey] = useState(() => storedKey() !== null);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: fetchMe,
    enabled: hasKey,
    staleTime: Infinity,
    retry: false,
  });

  const [ended, setEnded] = useState<unknown>(null);
  const signOut = useCallback(() => {
    forgetKey();
    setHasKey(false);
    client.clear();
  }, [client]);
  // A 401 while signed in means the key was revoked; while signing in, the form shows it.
  useEffect(
    () =>
      whenUnauthorized(() => {
        if (!hasKey) return;
        setEnded(new ApiProblem(401, 'unauthorized', 'Unknown API key', undefined));
        signOut();
      }),
    [hasKey, signOut],
  );

  const signIn = useCallback(
    async (key: string): Promise<Me> => {
      storeKey(key);
      try {
        const data = await fetchMe();
        client.setQueryData(['me'], data);
        setEnded(null);
        setHasKey(true);
        return data;
      } catch (error) {
        forgetKey();
        throw error;
      }
    },
    [client],
  );

  const value = useMemo<Session>(() => {
    const data = hasKey ? (me.data ?? null) : null;
    const allowed = new Set<string>(data?.operations ?? []);
    return {
      me: data,
      signedIn: hasKey && !me.isError,
      error: me.error ?? ended,
      signIn,
      signOut,
      can: (operation) => allowed.has(operation),
    };
  }, [hasKey, me.data, me.isError, me.error, ended, signIn, signOut]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
