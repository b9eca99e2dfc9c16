import { useEffect, useState } from 'react';

/** Whether the CSS media query matches, updated as the window resizes. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const update = () => setMatches(mq.matches);
    update();
    mq.addEventListener('change', update);
    return () => mq.removeEventListener('change', update);
  }, [query]);
  return matches;
}

/**
 * The layouts (messaging-inbox.txt): phone below 768 px (one pane, details
 * as a sheet from the info icon); tablet 768–1023 px (list + thread, details
 * as a sheet); medium 1024–1279 px (details toggled by the panel icon);
 * wide from 1280 px (details always).
 */
export type Layout = 'mobile' | 'tablet' | 'medium' | 'wide';

export function useLayout(): Layout {
  const wide = useMediaQuery('(min-width: 1280px)');
  const medium = useMediaQuery('(min-width: 1024px)');
  const tablet = useMediaQuery('(min-width: 768px)');
  return wide ? 'wide' : medium ? 'medium' : tablet ? 'tablet' : 'mobile';
}
