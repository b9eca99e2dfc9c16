/** Dates and times as a UK garage writes them ("2 Dec 2026, 14:05"), in the browser's time zone. */
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

export const dateTime = (iso: string) => DATE_TIME.format(new Date(iso));
export const dateOnly = (iso: string) => DATE.format(new Date(iso));
