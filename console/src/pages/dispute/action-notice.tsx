// What an action's conflict (409) or disappearance (404) says outlives the form that caused it:
// the page refreshes to the new phase, whose forms are new, and the notice stays above them.
import { createContext, useContext, useState, type ReactNode } from 'react';
import { Problem } from '../../components/problem';

interface Notice {
  problem: unknown;
  show: (problem: unknown) => void;
}

const NoticeContext = createContext<Notice>({ problem: null, show: () => undefined });

export function ActionNoticeProvider({ children }: { children: ReactNode }): ReactNode {
  const [problem, show] = useState<unknown>(null);
  return <NoticeContext.Provider value={{ problem, show }}>{children}</NoticeContext.Provider>;
}

export function useActionNotice(): Notice {
  return useContext(NoticeContext);
}

export function ActionNotice(): ReactNode {
  const { problem } = useActionNotice();
  return <Problem error={problem} />;
}
