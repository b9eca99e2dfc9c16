/**
 * The inbox date scope as SQL (spec: messaging-inbox.txt, "The date range
 * applies to “any activity” - a conversation appears in This week if any
 * message, status change, or note on it falls inside the range, not just the
 * start of the thread").
 *
 * For a range [from, to) computed by `dateRange` (organisation-local
 * midnights, so a range is the whole days firstDay … lastDay), a
 * conversation is in scope when the day of its latest activity
 * `last_event_day` is on or after firstDay and either on or before lastDay
 * (its latest activity is inside the range) or, when its latest activity came
 * after the range (a past Custom range), it has an activity day inside the
 * range in `conversation_activity_days`. Both are kept by triggers on
 * messages (migrations 0005 and 0018), so every message, status change and
 * note counts.
 */
import { sql, type RawBuilder } from 'kysely';
import { calendarDay, type DateRange } from '../domain/date-range.js';

/** A predicate on the conversations alias `c`; TRUE for an unbounded range. */
export function inDateScope(range: DateRange, timeZone: string): RawBuilder<boolean> {
  const { from, to } = range;
  if (!from && !to) return sql<boolean>`TRUE`;
  const firstDay = from ? calendarDay(from, timeZone) : '0001-01-01';
  if (!to) return sql<boolean>`c.last_event_day >= ${firstDay}::date`;
  const lastDay = calendarDay(new Date(to.getTime() - 1), timeZone);
  const lower = from ? sql`c.last_event_day >= ${firstDay}::date AND ` : sql``;
  return sql<boolean>`(${lower}(c.last_event_day <= ${lastDay}::date OR EXISTS (
    SELECT 1 FROM conversation_activity_days d
    WHERE d.org_id = c.org_id AND d.conversation_id = c.id AND d.day BETWEEN ${firstDay}::date AND ${lastDay}::date)))`;
}
