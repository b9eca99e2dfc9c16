/**
 * The portal-activity warning above the composer for portal messages
 * (portal-messaging-fallback.txt): yellow when the customer has not logged
 * in for more than 30 days, red when never. Service advisors get clickable
 * phone and email links; technicians a pointer to a manager. "Proceed
 * anyway" dismisses it for this customer for the session.
 */
import type { PortalBanner as Banner } from '../lib/portal-banner';
import { WarningIcon } from '../shell/icons';

type Props = {
  banner: Exclude<Banner, { kind: 'none' }>;
  canSeeContact: boolean;
  phone: string | null;
  email: string | null;
  onProceed(): void;
};

export function PortalBanner({ banner, canSeeContact, phone, email, onProceed }: Props) {
  return (
    <div className={`portal-banner ${banner.tone}`} role="alert" data-banner={banner.kind}>
      <WarningIcon size={18} />
      <div>
        <p className="portal-banner-title">{banner.text}</p>
        {canSeeContact ? (
          phone || email ? (
            <p>
              Try another way:{' '}
              {phone ? <a href={`tel:${phone}`}>Call {phone}</a> : null}
              {phone && email ? ' · ' : null}
              {email ? <a href={`mailto:${email}`}>Email {email}</a> : null}
            </p>
          ) : <p>There is no phone number or email on file for this customer.</p>
        ) : (
          <p>Ask a manager to contact this customer by phone or email.</p>
        )}
      </div>
      <button type="button" className="btn btn-quiet" onClick={onProceed}>Proceed anyway</button>
    </div>
  );
}
