// The playbook and journey tables as Kysely sees them: playbooks and their versions, each subject's run
// and its steps, the triggers queued at ingest and the schedules. Part of `Database` (schema.ts).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface PlaybooksTable {
  id: string;
  version: number;
  name: string;
  enabled: boolean;
  definition: ColumnType<unknown, string, string>;
  source_file: string | null;
  loaded_at: Timestamp;
}

export interface PlaybookVersionsTable {
  playbook_id: string;
  version: number;
  definition: ColumnType<unknown, string, string>;
  loaded_at: Timestamp;
}

export interface JourneyRunsTable {
  id: string;
  playbook_id: string;
  playbook_version: number;
  subject_key: string;
  account_id: string | null;
  contact_id: string | null;
  run_group: 'treated' | 'holdout';
  status: 'active' | 'exited' | 'completed';
  state: ColumnType<Record<string, unknown>, string, string>;
  version: number;
  next_due_at: Timestamp | null;
  trigger: ColumnType<Record<string, unknown>, string, string>;
  entered_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: string | null;
  goal_reached: ColumnType<boolean, boolean | undefined, boolean>;
  awaiting_event: ColumnType<string | null, string | null | undefined, string | null>;
  /** The account's health score when the run entered (null: not scored yet, or no account). */
  entry_health_score: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RunStepsTable {
  run_id: string;
  version: number;
  step_id: string | null;
  action: ColumnType<unknown, string, string>;
  outcome: ColumnType<unknown, string, string>;
  at: Timestamp;
}

export interface JourneyTriggersTable {
  id: Generated<number>;
  event_name: string;
  account_id: string | null;
  contact_id: string | null;
  properties: ColumnType<Record<string, unknown>, string, string>;
  occurred_at: Timestamp;
  queued_at: Timestamp;
}

export interface PlaybookSchedulesTable {
  playbook_id: string;
  next_fire_at: Timestamp;
}
