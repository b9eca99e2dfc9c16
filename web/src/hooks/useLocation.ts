/** The browser address as React state, with pushState/replaceState navigation (no router library). */
import { useCallback, useEffect, useState } from 'react';

type Loc = { pathname: string; search: string };
const current = (): Loc => ({ pathname: window.location.pathname, search: window.location.search });
const EVENT = 'tf:navigate';

export function navigate(url: string, { replace = false } = {}): void {
  const target = new URL(url, window.location.href);
  if (target.pathname + target.search === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(EVENT));
}

export function useLocation(): Loc & { navigate: typeof navigate } {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  const nav = useCallback(navigate, []);
  return { ...loc, navigate: nav };
}
