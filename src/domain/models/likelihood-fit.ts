// Maximum-likelihood fitting shared by the customer-base models (BG/NBD, Pareto/NBD): log-parameters,
// several starts, and for large data the starts screened on a seeded sample before the full fit.
import { historyColumns, sampleHistoryGroups, type HistoryColumns, type HistoryGroup } from './customer-summary.js';
import { ModelInputError } from './model-input-error.js';
import { minimise, minimiseWithScreening, type MinimiserMethod, type Objective } from './optimize.js';
import { seededRandom } from './random.js';

export interface ModelFit<Parameters> {
  parameters: Parameters;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  evaluations: number;
}

export interface FitOptions {
  /** Starting points (in natural, not log, units); by default three spread-out points scaled to the data. */
  starts?: number[][];
  method?: MinimiserMethod;
}

/** Above this many customers a fit screens its starts on a sample of SCREENING_CUSTOMERS first. */
export const SCREENING_CUSTOMERS = 20_000;
const SCREENING_SEED = 1_987;

/** The mean negative log-likelihood on a seeded sample of the customers, for screening starts. */
export function screeningObjective<Parameters>(
  groups: readonly HistoryGroup[],
  fromLog: (point: readonly number[]) => Parameters,
  logLikelihood: (parameters: Parameters, columns: HistoryColumns) => number,
): Objective {
  const columns = historyColumns(sampleHistoryGroups(groups, SCREENING_CUSTOMERS, seededRandom(SCREENING_SEED)));
  return (point) => -logLikelihood(fromLog(point), columns) / columns.customers;
}

export interface LikelihoodModel<Parameters> {
  readonly name: string;
  readonly defaultStarts: (groups: readonly HistoryGroup[]) => number[][];
  readonly fromLog: (point: readonly number[]) => Parameters;
  readonly logLikelihood: (parameters: Parameters, columns: HistoryColumns) => number;
}

/** Fits a model by maximum likelihood over grouped histories (each distinct history evaluated once). */
export function fitByLikelihood<Parameters>(
  model: LikelihoodModel<Parameters>,
  groups: readonly HistoryGroup[],
  options: FitOptions = {},
): ModelFit<Parameters> {
  const columns = historyColumns(groups);
  const customers = columns.customers;
  if (customers === 0) throw new ModelInputError(`Fitting ${model.name} needs at least one customer`);
  const starts = (options.starts ?? model.defaultStarts(groups)).map((start) => start.map(Math.log));
  const objective = (point: readonly number[]): number =>
    -model.logLikelihood(model.fromLog(point), columns) / customers;
  const result =
    customers <= SCREENING_CUSTOMERS
      ? minimise(objective, starts, options.method)
      : minimiseWithScreening(
          objective,
          screeningObjective(groups, model.fromLog, model.logLikelihood),
          starts,
          options.method,
        );
  const parameters = model.fromLog(result.point);
  return {
    parameters,
    logLikelihood: model.logLikelihood(parameters, columns),
    customers,
    converged: result.converged,
    evaluations: result.evaluations,
  };
}

/**
 * The data's purchase rate per unit of time (at least 0.1 purchase per customer, so that starts stay
 * finite for a base without repeat buyers) and mean customer age: what default starts are scaled by.
 */
export function observedRates(groups: readonly HistoryGroup[]): { rate: number; meanAge: number } {
  let customers = 0;
  let purchases = 0;
  let exposure = 0;
  for (const group of groups) {
    customers += group.count;
    purchases += group.count * group.frequency;
    exposure += group.count * group.age;
  }
  return {
    rate: Math.max(purchases, 0.1 * customers) / Math.max(exposure, 1e-9),
    meanAge: Math.max(exposure / Math.max(customers, 1), 1e-6),
  };
}
