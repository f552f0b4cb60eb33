// Escalates tasks past their due time to the owner's manager, once each: due work the scheduler runs
// after each round of evaluation. Claims take SKIP LOCKED, so several workers never escalate a task twice.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { Database } from '../store/schema.js';
import { escalateOverdueTasks, nextTaskDue } from '../store/task-store.js';
import type { DueWork } from './due-work.js';
import type { LaneState } from './work-lane.js';

export class TaskEscalation implements DueWork<number> {
  constructor(
    private readonly database: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /** Escalates every task overdue now, a batch at a time; returns how many. */
  async runDue(lane: LaneState): Promise<number> {
    let escalated = 0;
    while (!lane.stopping) {
      const batch = await escalateOverdueTasks(this.database, this.clock.now());
      if (batch === 0) break;
      escalated += batch;
    }
    return escalated;
  }

  nextDue(now: Date, until: Date): Promise<Date | null> {
    return nextTaskDue(this.database, now, until);
  }
}
