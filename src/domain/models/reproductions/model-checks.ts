// Every reproduction `tend models check` runs, in the order it prints them: the sBG examples (published
// numbers, no file), CDNOW (BG/NBD, Pareto/NBD, gamma-gamma), Telco churn, Hillstrom uplift, then the
// seeded simulations. Pure: the caller reads the reference files and passes their text.
import { parseCsvTable } from '../csv-table.js';
import {
  cdnowBgNbdReproduction,
  cdnowGammaGammaReproduction,
  cdnowParetoNbdReproduction,
  cdnowSummaryReproduction,
  parseCdnowSample,
} from './cdnow-reproductions.js';
import { hillstromReproductions } from './hillstrom-reproductions.js';
import { reproductionPasses, type ReproductionRow } from './reproduction-row.js';
import { retentionReproductions } from './retention-reproductions.js';
import { simulationChecks } from './simulation-checks.js';
import { telcoReproductions } from './telco-reproductions.js';

/** The reference files the checks read, relative to the reference folder. */
export const referenceFiles = {
  cdnowSample: 'cdnow/CDNOW_sample.txt',
  telco: 'telco/WA_Fn-UseC_-Telco-Customer-Churn.csv',
  hillstrom: 'hillstrom/hillstrom.csv',
} as const;

export type ReferenceTexts = Record<keyof typeof referenceFiles, string>;

/** A titled group of checked figures, with where its published figures come from. */
export interface CheckSection {
  title: string;
  source: string;
  rows: ReproductionRow[];
}

/** The checks whose figures are all in the code: they run whatever the reference folder holds. */
export function* publishedFigureSections(): Generator<CheckSection> {
  yield {
    title: 'Contract retention: shifted-beta-geometric (sBG), fitted on years 0–7',
    source: 'Fader & Hardie 2007, "How to Project Customer Retention", Table 1 and Appendix B',
    rows: retentionReproductions(),
  };
}

/**
 * Runs the reproductions on the reference files one section at a time (a generator, so a command can print each as it
 * finishes: the model fits take seconds).
 */
export function* modelCheckSections(texts: ReferenceTexts): Generator<CheckSection> {
  const cdnow = parseCdnowSample(texts.cdnowSample);
  const fhl = 'Fader, Hardie & Lee 2005, "Counting your customers the easy way"';
  yield { title: 'CDNOW sample: calibration and holdout split', source: fhl, rows: cdnowSummaryReproduction(cdnow) };
  yield {
    title: 'CDNOW: BG/NBD',
    source: `${fhl}, and its reproduction in lifetimes`,
    rows: cdnowBgNbdReproduction(cdnow),
  };
  yield {
    title: 'CDNOW: Pareto/NBD',
    source: 'Fader, Hardie & Lee 2005 (Pareto/NBD note), reproduction in lifetimes',
    rows: cdnowParetoNbdReproduction(cdnow),
  };
  yield {
    title: 'CDNOW: gamma-gamma spend',
    source: 'lifetimes documentation, 946 repeat customers',
    rows: cdnowGammaGammaReproduction(cdnow),
  };
  yield {
    title: 'Telco churn: logistic regression, 5-fold stratified',
    source: 'IBM Telco sample; Lalwani et al. 2022 (AUC ≈ 0.84)',
    rows: telcoReproductions(parseCsvTable(texts.telco)),
  };
  yield {
    title: 'Hillstrom e-mail test: rates, means and lifts',
    source: 'MineThatData 2008',
    rows: hillstromReproductions(parseCsvTable(texts.hillstrom)),
  };
  yield {
    title: 'Simulations (seed 1): disengagement, channel and send-time learning',
    source: 'targets of issue 3',
    rows: simulationChecks(1),
  };
}

/** Passed and failed figures across sections: the command's last line and exit code. */
export function tallyChecks(sections: readonly CheckSection[]): { passed: number; failed: number } {
  const rows = sections.flatMap((section) => section.rows);
  const passed = rows.filter(reproductionPasses).length;
  return { passed, failed: rows.length - passed };
}
