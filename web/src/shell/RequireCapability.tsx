/**
 * A route's guard: its page for users holding `capability`, otherwise a
 * short "not available to your role" note (the server enforces the same
 * capability on every API call; this keeps the app from offering what a role
 * cannot do).
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from './me-context';

export function RequireCapability({ capability, children }: { capability: string; children: ReactNode }) {
  const { capabilities } = useSession();
  if (capabilities.has(capability)) return <>{children}</>;
  return (
    <section className="not-allowed" role="alert">
      <h2 className="section-title">Not available to your role</h2>
      <p>This page needs a permission your role does not have. <Link to="/messages">Back to Messages</Link></p>
    </section>
  );
}
