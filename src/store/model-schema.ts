// The tables of the models' fits, as Kysely sees them: the daily purchase model (migration 0014) and the
// health score's weekly weights (migration 0027).
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface PurchaseModelFitsTable {
  id: string;
  fitted_at: Timestamp;
  outcome: string;
  customers: number;
  repeat_buyers: number;
  converged: boolean | null;
  log_likelihood: number | null;
  parameters: ColumnType<Record<string, number> | null, string | null, string | null>;
  evaluations: number | null;
  accounts_updated: number;
  reason: string | null;
}

export interface HealthModelFitsTable {
  id: string;
  fitted_at: Timestamp;
  status: 'learned' | 'fallback';
  reason: string | null;
  weights: ColumnType<Record<string, number>, string, string>;
  coefficients: ColumnType<Record<string, number> | null, string | null, string | null>;
  intercept: number | null;
  samples: number;
  lost_accounts: number;
  test_samples: number | null;
  test_losses: number | null;
  auc: number | null;
  score_auc: number | null;
  hand_auc: number | null;
  brier: number | null;
  calibration: ColumnType<unknown[] | null, string | null, string | null>;
  first_sample_day: string | null;
  last_sample_day: string | null;
}
