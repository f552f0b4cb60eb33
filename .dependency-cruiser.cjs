// Imports only go down the flow: cli → app → api → ingest, engine, channels → store → config → domain.
// domain/ is the pure core: no node:* modules, no database, no network. app/ starts a whole Tend.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ decides things from plain values: it imports nothing from the other layers and no Node modules',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'config-reads-only',
      comment: 'config/ reads files and the environment and may use domain/ only',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(store|ingest|engine|channels|api|app|cli)/' },
    },
    {
      name: 'store-below-engine',
      comment: 'store/ is the database layer: it may use domain/ and config/ only',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(ingest|engine|channels|api|app|cli)/' },
    },
    {
      name: 'ingest-engine-channels-below-api',
      comment: 'ingest/, engine/ and channels/ do the work on the store; the HTTP server and the start sit above them',
      severity: 'error',
      from: { path: '^src/(ingest|engine|channels)/' },
      to: { path: '^src/(api|app|cli)/' },
    },
    {
      name: 'api-below-app',
      comment: 'api/ is the HTTP server over the layers below; app/ builds it and cli/ is another shell',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(app|cli)/' },
    },
    {
      name: 'app-below-cli',
      comment: 'app/ starts a whole Tend from the layers below; only cli/ (and tests, benchmarks) start it',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a type from a higher layer is still a dependency on that layer.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
