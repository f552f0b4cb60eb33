// The components of an account's health score, each with its weight in tend.config.yaml (health.weights).
export interface HealthWeights {
  readonly engagement: number;
  readonly relationship: number;
  readonly voice: number;
  readonly effort: number;
  readonly money: number;
  readonly churnRisk: number;
  readonly promises: number;
}
