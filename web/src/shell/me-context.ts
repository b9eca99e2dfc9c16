/** Who is signed in (name, role, capabilities), loaded once by the shell and read by every page. */
import { createContext, useContext } from 'react';
import type { Me } from '../api/types';

export type Session = { me: Me; capabilities: ReadonlySet<string> };

export const MeContext = createContext<Session | null>(null);

/** The signed-in user; only under the shell's layout route (which renders its pages after loading them). */
export function useSession(): Session {
  const s = useContext(MeContext);
  if (!s) throw new Error('useSession outside the staff app shell');
  return s;
}
