/**
 * The staff alert for a new portal message (spec: portal-messages.txt,
 * routing table: "Customer sends message → CRM Conversations inbox + SMS to
 * business number"; issue 11 item 4): a short SMS to the garage's
 * notification number with the customer's name, the first words, and a
 * link to the thread. Pure.
 */

/** Characters of the customer's message quoted in the alert. */
export const ALERT_QUOTE_CHARS = 60;

/**
 * @param threadUrl the staff app's address of the conversation
 * @returns the alert text; the quote is cut at a word boundary with "…"
 */
export function portalAlertText(input: { orgName: string; customerName: string | null; body: string; photos: number; threadUrl: string }): string {
  const flat = input.body.replace(/\s+/g, ' ').trim();
  let quote = flat;
  if (flat.length > ALERT_QUOTE_CHARS) {
    const cut = flat.slice(0, ALERT_QUOTE_CHARS);
    const space = cut.lastIndexOf(' ');
    quote = `${(space > ALERT_QUOTE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  const photos = input.photos ? ` (+${input.photos} photo${input.photos === 1 ? '' : 's'})` : '';
  const said = quote ? `: "${quote}"${photos}` : photos ? `: ${input.photos} photo${input.photos === 1 ? '' : 's'}` : '';
  return `${input.orgName}: new portal message from ${input.customerName ?? 'a customer'}${said} ${input.threadUrl}`;
}
