/**
 * The shell around every page: who is signed in (one sign-in, from the
 * page's bootstrap), one live event stream, live query invalidation, the
 * header with the section navigation, the real-time banner, and the page.
 */
import { useEffect, useMemo, useState } from 'react';
import { Outlet, useMatches, useSearchParams } from 'react-router';
import type { Me } from '../api/types';
import { EventStreamProvider } from '../hooks/useEventStream';
import type { RouteHandle } from '../routes';
import { AppHeader } from './AppHeader';
import { loadMe } from './bootstrap';
import { useLiveQueryInvalidation } from './live-queries';
import { MeContext } from './me-context';
import { RealtimeBanner } from './RealtimeBanner';

export function AppLayout() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadMe().then(setMe, (e: unknown) => setError(e instanceof Error ? e.message : 'Could not load your account.'));
  }, []);
  const session = useMemo(() => (me ? { me, capabilities: new Set(me.capabilities) } : null), [me]);
  const matches = useMatches();
  const handle = (matches[matches.length - 1]?.handle ?? { title: 'Messages' }) as RouteHandle;
  // An embedded page (?embed=1, e.g. a work order's Messages tab in the garage's own system) has no header or navigation.
  const [params] = useSearchParams();
  const embed = params.get('embed') === '1';

  return (
    <EventStreamProvider>
      <LiveQueries />
      <div className="app">
        <a className="skip-link" href="#main">Skip to content</a>
        {session ? (
          <MeContext.Provider value={session}>
            {embed ? null : <AppHeader me={me} title={handle.title} subtitle={handle.subtitle} />}
            <RealtimeBanner />
            <Outlet />
          </MeContext.Provider>
        ) : (
          <>
            <AppHeader me={null} title={handle.title} subtitle={handle.subtitle} />
            <main id="main" className="main" tabIndex={-1}>{error ? <p className="error-box" role="alert">{error}</p> : null}</main>
          </>
        )}
      </div>
    </EventStreamProvider>
  );
}

function LiveQueries() {
  useLiveQueryInvalidation();
  return null;
}
