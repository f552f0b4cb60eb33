// `tend models …`: check Tend's models against published figures, and fit them to your own data.
// Each sub-command's work sits in its own file; this one only declares the commands and options.
import type { Command } from 'commander';
import { fitChurnCommand } from './models-churn-command.js';
import { modelsCheckCommand } from './models-check-command.js';
import {
  fitCustomerBaseCommand,
  lifetimeValueDefaults,
  type CustomerBaseCommandOptions,
} from './models-fit-command.js';
import { fitSbgCommand } from './models-sbg-command.js';
import { upliftCommand } from './models-uplift-command.js';

/** Adds `tend models check | fit bgnbd | fit paretonbd | fit sbg | fit churn | uplift` to the program. */
export function registerModelsCommands(program: Command): void {
  const models = program
    .command('models')
    .description("check Tend's models against published figures, or fit them to your own data");

  models
    .command('check')
    .description(
      'run every reproduction (sBG, CDNOW, Telco, Hillstrom, simulations): ' +
        "published figure, Tend's value, pass/FAIL per line",
    )
    .option(
      '--data <dir>',
      'the reference data folder (default: TEND_REFERENCE_DATA or ../shared/data/reference beside the project)',
    )
    .option('--json', 'print one JSON document instead of tables')
    .action(modelsCheckCommand);

  const fit = models.command('fit').description('fit a model to your own CSV file');
  for (const [name, kind, title] of [
    ['bgnbd', 'bg-nbd', 'BG/NBD'],
    ['paretonbd', 'pareto-nbd', 'Pareto/NBD'],
  ] as const) {
    fit
      .command(name)
      .description(
        `fit ${title} to a purchase log (one row per purchase): parameters, log-likelihood, ` +
          'and per customer P(alive), expected purchases and CLV',
      )
      .requiredOption('--transactions <file>', 'the purchase log, a CSV file with a header line')
      .requiredOption('--customer <column>', 'the column naming the customer')
      .requiredOption(
        '--date <column>',
        'the column with the purchase date (YYYY-MM-DD, optionally with a time; or YYYYMMDD)',
      )
      .requiredOption(
        '--calibration-end <date>',
        'last day (YYYY-MM-DD) of the period the model learns from; later purchases are ignored',
      )
      .option('--amount <column>', 'the column with the amount spent: adds a gamma-gamma spend model and CLV')
      .option('--unit <unit>', 'time unit of the model: week or day', 'week')
      .option('--horizon <n>', 'forecast horizon in units (default: 52 weeks or 365 days)')
      .option('--margin <share>', `share of revenue kept as margin, for CLV (default ${lifetimeValueDefaults.margin})`)
      .option('--discount-rate <rate>', `yearly discount rate, for CLV (default ${lifetimeValueDefaults.discountRate})`)
      .option(
        '--out <file>',
        'write one CSV row per customer: frequency, recency, T, P(alive), expected purchases, CLV',
      )
      .option('--json', 'print one JSON document instead of tables')
      .action((options: CustomerBaseCommandOptions) => fitCustomerBaseCommand(kind, options));
  }

  fit
    .command('sbg')
    .description(
      'fit the shifted-beta-geometric retention model to subscription cohorts (customers left after each ' +
        'period): α, β, log-likelihood, and the projected share still customers',
    )
    .option(
      '--survivors <counts>',
      'one cohort: its size, then those still customers after each period, e.g. 1000,869,743',
    )
    .option(
      '--csv <file>',
      'one cohort per row after a header line: its name, its size, then its survivors per period ' +
        '(a younger cohort leaves its last cells blank)',
    )
    .option('--ahead <n>', `periods to project past each cohort's last (default 5)`)
    .option('--json', 'print one JSON document instead of tables')
    .action(fitSbgCommand);

  fit
    .command('churn')
    .description(
      'cross-validate a churn classifier on a table (one row per account): ' +
        'AUC, calibration, strongest features, per-row risk and reasons',
    )
    .requiredOption('--csv <file>', 'the table, a CSV file with a header line')
    .requiredOption('--target <column>', 'the column that says whether the row churned')
    .option('--positive <value>', 'the target value meaning "churned" (inferred for Yes/No, 1/0, true/false)')
    .option('--id <column>', 'an identifier column: never a feature, names the rows in --out')
    .option('--drop <columns>', 'comma-separated columns to leave out of the features')
    .option('--folds <n>', 'cross-validation folds (default 5)')
    .option('--seed <n>', 'seed of the fold assignment (default 1)')
    .option('--out <file>', 'write one CSV row per input row: id, risk, top three reasons')
    .option('--json', 'print one JSON document instead of tables')
    .action(fitChurnCommand);

  models
    .command('uplift')
    .description(
      'compare the groups of an experiment: rate or mean per group with 95 % intervals, ' +
        'lift over control and its significance',
    )
    .requiredOption('--csv <file>', 'the table, a CSV file with a header line, one row per subject')
    .requiredOption('--group <column>', "the column naming each row's group")
    .requiredOption('--control <value>', 'the group value of the control (holdout) group')
    .requiredOption('--outcome <columns>', 'comma-separated outcome columns: 0/1 columns are rates, others means')
    .option('--json', 'print one JSON document instead of tables')
    .action(upliftCommand);
}
