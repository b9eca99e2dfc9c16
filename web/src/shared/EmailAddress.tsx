/**
 * An e-mail address that wraps where people expect (after "@", before each
 * "."), not mid-word: `<wbr>` marks those points and the surrounding CSS
 * keeps `overflow-wrap: anywhere` only as the last resort for a part longer
 * than the line (issue 12 reviewer: "email addresses break mid-word in the sidebar").
 */
import { Fragment } from 'react';

export function EmailAddress({ email }: { email: string }) {
  const parts = email.split(/(?=\.)|(?<=@)/);
  return <span className="email-address">{parts.map((p, i) => <Fragment key={i}>{i > 0 ? <wbr /> : null}{p}</Fragment>)}</span>;
}
