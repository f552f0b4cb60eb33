// `npm test`: the whole suite on the embedded database (PGlite), then the database-backed tests again
// on a real PostgreSQL cluster started for the run, when initdb and pg_ctl can be found.
// Set TEND_REQUIRE_POSTGRES=1 (CI does) to fail instead of skipping the PostgreSQL run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from './support/throwaway-postgres.mjs';

const extra = process.argv.slice(2);
const reports = mkdtempSync(join(tmpdir(), 'tend-test-report-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let runs = 0;
const vitest = (args, environment) => {
  const report = join(reports, `run-${++runs}.json`);
  const status =
    spawnSync(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        ...args,
        ...extra,
      ],
      { stdio: 'inherit', env: { ...process.env, ...environment } },
    ).status ?? 1;
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += result.numPassedTests ?? 0;
    totals.failed += result.numFailedTests ?? 0;
    totals.skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  }
  return status;
};

const tool = (script, args) => spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' }).status ?? 1;
console.log('=== Type check (tsc), import layering (dependency-cruiser), format and lint (Biome) ===');
const typecheck = Math.max(
  tool('node_modules/typescript/bin/tsc', ['--noEmit', '-p', '.']),
  // The app (web/) has its own settings: the browser's DOM, JSX.
  tool('node_modules/typescript/bin/tsc', ['--noEmit', '-p', 'web']),
);
const layering = Math.max(
  tool('node_modules/dependency-cruiser/bin/dependency-cruise.mjs', [
    'src',
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'err',
  ]),
  // Format and lint; `npm run format` fixes what Biome can.
  tool('node_modules/@biomejs/biome/bin/biome', ['ci', '--error-on-warnings', '.']),
  // Comments and string literals, which the formatter leaves as they are, keep its width too.
  tool('test/line-width.mjs', []),
);
console.log(
  `type check: ${typecheck === 0 ? 'passed' : 'FAILED'}; layering, format, lint: ${layering === 0 ? 'passed' : 'FAILED'}`,
);

console.log('\n=== Tend test suite on the embedded database (PGlite) ===');
const embedded = vitest([], {});

console.log('\n=== Tend database tests on PostgreSQL ===');
let postgres = null;
const cluster = await startThrowawayPostgres();
if ('skipped' in cluster) {
  console.log(`PostgreSQL run SKIPPED: ${cluster.skipped}.`);
} else {
  try {
    console.log(`throwaway cluster at ${cluster.url} (from ${cluster.binaries})`);
    postgres = vitest(
      [
        ...(extra.length > 0 ? [] : ['test/']),
        '--exclude',
        'test/models/**',
        '--exclude',
        'test/cli/models-command.test.ts',
      ],
      { TEST_DATABASE_URL: cluster.url },
    );
  } finally {
    cluster.stop();
  }
}

const summary = [
  `type check, layering, format and lint: ${typecheck === 0 && layering === 0 ? 'passed' : 'FAILED'}`,
  `embedded (PGlite): ${embedded === 0 ? 'passed' : 'FAILED'}`,
  `PostgreSQL: ${postgres === null ? 'SKIPPED (not installed)' : postgres === 0 ? 'passed' : 'FAILED'}`,
];
console.log(`\n=== ${summary.join('; ')} ===`);
rmSync(reports, { recursive: true, force: true });
// The plain closing line CI reads: both runs together.
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
const required = process.env.TEND_REQUIRE_POSTGRES === '1';
if (
  typecheck !== 0 ||
  layering !== 0 ||
  embedded !== 0 ||
  (postgres !== null && postgres !== 0) ||
  (postgres === null && required)
) {
  if (postgres === null && required) console.log('TEND_REQUIRE_POSTGRES=1, but the PostgreSQL run did not happen.');
  process.exit(1);
}
