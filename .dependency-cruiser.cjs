// Imports only go down the flow: cli, api → engine, ingest, channels → store → domain.
// domain/ is the pure core: no node:* modules, no database, no network.
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
      to: { path: '^src/(store|ingest|engine|channels|api|cli)/' },
    },
    {
      name: 'store-below-engine',
      comment: 'store/ is the database layer: it may use domain/ and config/ only',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(engine|ingest|channels|api|cli)/' },
    },
    {
      name: 'ingest-engine-channels-below-shells',
      comment: 'the shells (api/, cli/) compose the layers; nothing below imports them',
      severity: 'error',
      // Exception: engine/tend-service.ts starts the HTTP server with everything it needs, so that
      // `tend start` and the tests run one and the same start path.
      from: { path: '^src/(engine|ingest|channels)/', pathNot: '^src/engine/tend-service\\.ts$' },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'api-and-cli-apart',
      comment: 'api/ and cli/ are separate shells',
      severity: 'error',
      from: { path: '^src/api/' },
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
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
