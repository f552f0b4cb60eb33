// Which times Tend accepts from outside. Every month an event is dated in gets a table of its own (a
// partition of events), so a sender free to date events anywhere could create tables without end: events
// are accepted from `maximumAgeDays` before Tend's clock to `maximumFutureHours` after it (tend.config.yaml).

export interface EventTimeWindow {
  /** How far back an event may be dated, in days. */
  readonly maximumAgeDays: number;
  /** How far ahead an event may be dated, in hours (senders' clocks run a little fast). */
  readonly maximumFutureHours: number;
}

/** The clock's time when something arrived, and the window of event times accepted around it. */
export interface EventTimes {
  readonly now: Date;
  readonly window: EventTimeWindow;
}

/** Five years back (a CRM's history), one day ahead. */
export const defaultEventTimeWindow: EventTimeWindow = { maximumAgeDays: 1826, maximumFutureHours: 24 };

const hourMilliseconds = 3_600_000;
const dayMilliseconds = 24 * hourMilliseconds;

/** Why an event dated `at` is refused at `now` (words that follow the field's name), or null. */
export function eventTimeProblem(at: Date, now: Date, window: EventTimeWindow): string | null {
  const earliest = now.getTime() - window.maximumAgeDays * dayMilliseconds;
  const latest = now.getTime() + window.maximumFutureHours * hourMilliseconds;
  if (at.getTime() < earliest) {
    return (
      `is ${at.toISOString()}, more than ${window.maximumAgeDays} days before now (${now.toISOString()}); ` +
      `send events from ${new Date(earliest).toISOString()} on, or raise ingest.maximumAgeDays in tend.config.yaml`
    );
  }
  if (at.getTime() > latest) {
    return (
      `is ${at.toISOString()}, more than ${window.maximumFutureHours} hours after now (${now.toISOString()}); ` +
      "check the sender's clock, or raise ingest.maximumFutureHours in tend.config.yaml"
    );
  }
  return null;
}

// Years 1 to 9999: what ISO 8601 writes with four digits, and well inside PostgreSQL's timestamptz.
const earliestStorable = Date.parse('0001-01-01T00:00:00Z');
const latestStorable = Date.parse('9999-12-31T23:59:59.999Z');

/** Why a time that is not an event's (a due time, an account's start) cannot be stored, or null. */
export function storableTimeProblem(at: Date): string | null {
  const time = at.getTime();
  if (Number.isNaN(time)) return 'is not a time between the years 1 and 9999';
  if (time < earliestStorable || time > latestStorable) {
    return `is ${at.toISOString()}, not between the years 1 and 9999`;
  }
  return null;
}
