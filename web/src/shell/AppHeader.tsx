/** The page header ("Messages" / "Customer conversations"), who is signed in, and Sign out. */
import type { Me } from '../api/types';

export function AppHeader({ me }: { me: Me | null }) {
  return (
    <header className="app-header">
      <div className="brand" aria-hidden="true">TF</div>
      <div className="titles">
        <h1>Messages</h1>
        <p className="subtitle">Customer conversations</p>
      </div>
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
