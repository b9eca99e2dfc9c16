/**
 * Message times in a given IANA time zone (the garage's, so customer and
 * staff read the same clock): `14:05` today, else `3 Nov, 14:05` (with the
 * year when it is not this year). Pure given `now`.
 */

const parts = (d: Date, timeZone: string) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, year: p.year!, date: `${p.day} ${p.month}`, time: `${p.hour}:${p.minute}` };
};

export function zonedMessageTime(iso: string, timeZone: string, now = new Date()): string {
  const d = parts(new Date(iso), timeZone);
  const today = parts(now, timeZone);
  if (d.day === today.day) return d.time;
  return `${d.date}${d.year === today.year ? '' : ` ${d.year}`}, ${d.time}`;
}
