// The chaos run: Tend as a separate process with the built-in playbooks, a real SMTP server and a
// local Twilio, fed by concurrent Segment-style clients while customers answer, click and opt out,
// and killed with SIGKILL at random moments and started again; then it checks that every promise held.
// Run (see docs/benchmarks/2026-12-07-chaos.md):
//   npm run chaos -- [--events 200000] [--kills 12] [--backend postgres|pglite|both] [--clients 6] [--days 14]
//     [--seed N] [--keep]   (--keep leaves the temporary folder: Tend's log, the data directory;
//     CHAOS_VERBOSE=1 prints every clock advance)
import { parseArgs } from 'node:util';
import { type BackendReport, formatReport, passed } from './chaos/report.js';
import { playScenario } from './chaos/scenario.js';
import { type Backend, setStage } from './chaos/stage.js';
import { judge } from './chaos/verdict.js';

const { values: flags } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    kills: { type: 'string', default: '12' },
    backend: { type: 'string', default: 'both' },
    clients: { type: 'string', default: '6' },
    days: { type: 'string', default: '14' },
    seed: { type: 'string', default: '20261207' },
    keep: { type: 'boolean', default: false },
  },
});

function positiveInteger(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

const options = {
  events: positiveInteger('events', flags.events),
  kills: positiveInteger('kills', flags.kills),
  clients: positiveInteger('clients', flags.clients),
  days: positiveInteger('days', flags.days),
  seed: positiveInteger('seed', flags.seed),
  log: (text: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${text}`),
};
const chosen = flags.backend;
const one: Backend[] = chosen === 'postgres' || chosen === 'pglite' ? [chosen] : [];
const backends: Backend[] = chosen === 'both' ? ['postgres', 'pglite'] : one;
if (backends.length === 0) throw new Error(`--backend must be postgres, pglite or both, got ${JSON.stringify(chosen)}`);

const reports: BackendReport[] = [];
for (const backend of backends) {
  const stage = await setStage(backend, flags.keep);
  try {
    const happened = await playScenario(stage, options);
    options.log(`${backend}: checking the database and the providers`);
    const report = await judge(stage, happened, options.days);
    reports.push(report);
    console.log(`${formatReport(report)}\n`);
  } finally {
    await stage.close();
  }
}
process.exit(reports.every(passed) ? 0 : 1);
