/** The page header (the section's title, e.g. "Messages" / "Customer conversations"), the section navigation, who is signed in, and Sign out. */
import type { Me } from '../api/types';
import { PrimaryNav } from './PrimaryNav';

export function AppHeader({ me, title, subtitle }: { me: Me | null; title: string; subtitle?: string | undefined }) {
  return (
    <header className="app-header">
      <div className="brand" aria-hidden="true">TF</div>
      <div className="titles">
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {me ? <PrimaryNav /> : null}
      <div className="account">
        {me ? <p className="signed-in">Signed in as {me.name}{me.role ? ` (${me.role})` : ''}</p> : null}
        <a className="nav-link" href="/dashboard">Dashboard</a>
        <form method="post" action="/auth/sign-out">
          <button type="submit" className="btn btn-quiet">Sign out</button>
        </form>
      </div>
    </header>
  );
}
