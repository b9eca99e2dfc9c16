/**
 * The text/event-stream wire format (WHATWG HTML, "Server-sent events"):
 * fields `id:`, `event:`, `data:`, `retry:` and comment lines, each message
 * ended by a blank line. `data` here is always one line of JSON
 * (JSON.stringify escapes newlines), as documented in docs/inbox-api.md:
 * `{"type", "conversationId", "payload", "at"}`.
 */

/** What the `data:` line of an event carries. */
export type EventData = { type: string; conversationId: string | null; payload: Record<string, unknown>; at: string };

/** One event message: `id`, `event` (the type) and one `data` line. */
export function eventMessage(id: string, data: EventData): string {
  return `id: ${id}\nevent: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A message with only an `id:` field: the client's last event id becomes
 * `id` and no event is dispatched (the spec sets the id before discarding
 * an event with no data), so a reconnection resumes from there.
 */
export function positionMessage(id: string): string {
  return `id: ${id}\n\n`;
}

/** The client's reconnection delay, in milliseconds. */
export function retryMessage(ms: number): string {
  return `retry: ${ms}\n\n`;
}

/** A comment line, ignored by clients; keeps proxies from closing an idle connection. */
export function commentMessage(text: string): string {
  return `: ${text}\n\n`;
}
