// Money in the account's currency and times in the viewer's time zone, through Intl, in the browser's
// language; and the few other numbers pages show (shares, waits, days).

let viewerTimeZone: string | undefined;

/** The signed-in person's time zone (their profile's), or the browser's when they have none. */
export function setViewerTimeZone(timeZone: string | null | undefined): void {
  viewerTimeZone = timeZone ?? undefined;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
const plainMoney = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

function moneyFormat(code: string): Intl.NumberFormat | null {
  let format = moneyFormats.get(code);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency: code, maximumFractionDigits: 0 });
    } catch {
      return null;
    }
    moneyFormats.set(code, format);
  }
  return format;
}

/**
 * An amount in the account's currency, given in major units (euros, yen); without a currency (or one Intl
 * does not know) the number alone, with the code when there is one.
 */
export function moneyMajor(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  const code = currency?.trim().toUpperCase() ?? '';
  const format = code === '' ? null : moneyFormat(code);
  if (format !== null) return format.format(amount);
  return code === '' ? plainMoney.format(amount) : `${plainMoney.format(amount)} ${code}`;
}

/** An amount in Tend's minor units (hundredths, whatever the currency) of the account's currency. */
export function money(minor: number | null | undefined, currency: string | null | undefined): string {
  return moneyMajor(minor === null || minor === undefined ? minor : minor / 100, currency);
}

function instant(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date and time in the viewer's time zone, e.g. "12 Mar 2026, 14:05". */
export function dateTime(value: string | Date | null | undefined): string {
  const date = instant(value);
  if (date === null) return '—';
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: viewerTimeZone,
  }).format(date);
}

/** A day in the viewer's time zone, e.g. "12 Mar 2026". */
export function day(value: string | Date | null | undefined): string {
  const date = instant(value);
  if (date === null) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: viewerTimeZone }).format(date);
}

/** The machine-readable form for a <time> element. */
export function isoOf(value: string | Date | null | undefined): string | undefined {
  return instant(value)?.toISOString();
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** How far a time is from now ("in 3 days", "2 hours ago"), for deadlines and last contacts. */
export function fromNow(value: string | Date | null | undefined, now: Date): string {
  const date = instant(value);
  if (date === null) return '—';
  const minutes = (date.getTime() - now.getTime()) / 60_000;
  const size = Math.abs(minutes);
  if (size < 60) return relative.format(Math.round(minutes), 'minute');
  if (size < 48 * 60) return relative.format(Math.round(minutes / 60), 'hour');
  return relative.format(Math.round(minutes / 1440), 'day');
}

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const signedPoints = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const plain = new Intl.NumberFormat();

/** A share between 0 and 1 as a percentage; null as a dash. */
export function share(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : percent.format(value);
}

/** A difference between two shares in percentage points, signed, e.g. "+4.2 points". */
export function lift(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${signedPoints.format(value * 100)} points`;
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : plain.format(value);
}

/** A wait in minutes in the largest unit that fits ("45 min", "6 h", "3 days"). */
export function wait(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  if (minutes < 90) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} days`;
}

/** A word of the API ("no-answer", "async-only") as people write it ("No answer", "Async only"). */
export function words(value: string): string {
  const spaced = value.replaceAll(/[-_]/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** A playbook's duration as people say it ("30 days", "4 hours", "15 minutes"), from its milliseconds. */
export function duration(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  const plural = (amount: number, unit: string) => `${amount} ${unit}${amount === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0 && minutes > 0) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0 && minutes > 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

/** Days since something, as people say it: "today", "yesterday", "12 days ago". */
export function daysAgo(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? 'yesterday' : `${count(days)} days ago`;
}

const calendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A sentence of the API's (a reason, a talking point) with its ISO days and times in the viewer's words. */
export function datesInWords(sentence: string): string {
  return sentence.replaceAll(
    /\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?\b/g,
    (iso, time) =>
      // A day alone is a day of the calendar, the same everywhere; a time is shown in the viewer's zone.
      time === undefined ? calendarDay.format(new Date(`${iso}T00:00:00Z`)) : dateTime(iso),
  );
}

const longCalendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' });

/** A day of the calendar given as YYYY-MM-DD, the same everywhere, written out: "20 March 2026". */
export function calendarDayInWords(isoDay: string | null | undefined): string {
  if (isoDay === null || isoDay === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) return '—';
  return longCalendarDay.format(new Date(`${isoDay}T00:00:00Z`));
}

/** The day of an instant in the viewer's time zone, written out: "18 March 2026". */
export function dayInWords(value: string | Date | null | undefined): string {
  const date = instant(value);
  if (date === null) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: viewerTimeZone }).format(date);
}

/** A signal's reasons, each a sentence of its own: the API gives them without their full stops. */
export function reasonsInWords(reasons: readonly string[]): string {
  return datesInWords(reasons.map((reason) => (/[.!?]$/.test(reason) ? reason : `${reason}.`)).join(' '));
}
