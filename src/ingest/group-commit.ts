// Group commit for the Tracking API: requests that arrive while a write is in progress are written
// together in the next transaction, so that statements and commits are shared by many requests.
// Nothing waits on a timer: at low load each request is written alone, at once. Every request is
// still answered only after its own events are committed; if a group fails, its requests are
// retried one by one, so one bad request never fails another (contention is retried by the writer,
// whole groups at a time). With a connection pool, more than one group may be written at once: a
// request then waits for a free writer, not for the group in flight.
import { transientDatabaseError } from '../store/contention-retry.js';
import type { TrackingRequestToStore } from '../store/tracking-writer.js';

/** Writes requests in one transaction and returns each one's outcome, in order. */
type WriteGroup<Outcome> = (requests: readonly TrackingRequestToStore[]) => Promise<Outcome[]>;

interface Waiting<Outcome> {
  readonly request: TrackingRequestToStore;
  readonly done: (outcome: Outcome) => void;
  readonly failed: (error: unknown) => void;
}

export class GroupCommitter<Outcome> {
  private waiting: Waiting<Outcome>[] = [];
  private writing = 0;

  /**
   * `maximumEvents` bounds one transaction's size (and so its latency and lock time); `writers` is how
   * many groups may be written at once (1 for the embedded database's single connection).
   */
  constructor(
    private readonly write: WriteGroup<Outcome>,
    private readonly maximumEvents = 5000,
    private readonly writers = 1,
  ) {}

  submit(request: TrackingRequestToStore): Promise<Outcome> {
    return new Promise((done, failed) => {
      this.waiting.push({ request, done, failed });
      if (this.writing < this.writers) void this.drain();
    });
  }

  private takeGroup(): Waiting<Outcome>[] {
    const group: Waiting<Outcome>[] = [];
    let events = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0] as Waiting<Outcome>;
      if (group.length > 0 && events + next.request.messages.length > this.maximumEvents) break;
      group.push(next);
      events += next.request.messages.length;
      this.waiting.shift();
    }
    return group;
  }

  private async drain(): Promise<void> {
    this.writing++;
    try {
      while (this.waiting.length > 0) {
        const group = this.takeGroup();
        try {
          const outcomes = await this.write(group.map((waiting) => waiting.request));
          group.forEach((waiting, index) => waiting.done(outcomes[index] as Outcome));
        } catch (error) {
          // Contention the writer could not resolve by running the group again, or a database that is
          // unavailable, is no request's fault: one by one, each would only fail in turn, later.
          if (group.length === 1 || transientDatabaseError(error) !== null) {
            for (const waiting of group) waiting.failed(error);
            continue;
          }
          for (const waiting of group) {
            try {
              const [outcome] = await this.write([waiting.request]);
              waiting.done(outcome as Outcome);
            } catch (single) {
              waiting.failed(single);
            }
          }
        }
      }
    } finally {
      this.writing--;
    }
  }
}
