// The stage of one chaos run: a database (a durable throwaway PostgreSQL cluster, or an embedded data
// directory of its own), the providers, a snapshot of Tend's code, and the settings Tend starts with
// every time (only its clock's starting instant changes between starts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from '../support/cleanup.js';
import { createDatabase, startPostgresCluster } from '../support/postgres-cluster.js';
import { freePort } from '../support/tend-process.js';
import { type FakeTwilio, type RecordingSmtpServer, startFakeTwilio, startRecordingSmtpServer } from './providers.js';
import { snapshotOfTheCode, TendRunner } from './tend-runner.js';

export type Backend = 'postgres' | 'pglite';

/** The secrets and accounts of the run, fixed, as an operator's would be. */
export const secrets = {
  writeKey: 'wk_chaos_0123456789abcdef',
  adminToken: 'tend_admin_chaos_0123456789abcdef',
  inboundEmailSecret: 'inbound_chaos_0123456789abcdef',
  twilio: { accountSid: `AC${'c'.repeat(32)}`, authToken: 'f'.repeat(32), from: '+15005550006' },
  senderDomain: 'chaos-co.example',
} as const;

// Settings a production PostgreSQL would have; fsync and synchronous_commit stay on (durable cluster).
const postgresTuning = ['shared_buffers=256MB', 'max_wal_size=2GB'];

export interface Stage {
  readonly backend: Backend;
  readonly url: string;
  readonly smtp: RecordingSmtpServer;
  readonly twilio: FakeTwilio;
  readonly runner: TendRunner;
  /** The commit the snapshot of Tend's code was taken at. */
  readonly codeVersion: string;
  readonly databaseUrl: string | null;
  /** The embedded database's files (PGlite's own directory inside the data directory). */
  readonly pgdata: string;
  readonly logFile: string;
  /** Tend's settings, with the manual clock starting at `clockAt`. */
  environment(clockAt: Date): Record<string, string>;
  close(): Promise<void>;
}

export async function setStage(backend: Backend, keep: boolean): Promise<Stage> {
  const folder = mkdtempSync(join(tmpdir(), `tend-chaos-${backend}-`));
  const removeFolder = keep ? () => undefined : onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  let databaseUrl: string | null = null;
  let stopCluster = (): void => undefined;
  if (backend === 'postgres') {
    const cluster = await startPostgresCluster(postgresTuning);
    if ('skipped' in cluster) throw new Error(`PostgreSQL: ${cluster.skipped}`);
    stopCluster = cluster.stop;
    databaseUrl = await createDatabase(cluster, 'chaos');
  }
  const smtp = await startRecordingSmtpServer();
  const twilio = await startFakeTwilio(secrets.twilio.accountSid, secrets.twilio.authToken);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const code = snapshotOfTheCode(folder);
  const logFile = join(folder, 'tend.log');
  const runner = new TendRunner(url, port, logFile, code.directory);
  const dataDirectory = join(folder, 'data');
  const database: Record<string, string> =
    databaseUrl === null ? { TEND_DATA_DIR: dataDirectory } : { DATABASE_URL: databaseUrl };
  return {
    backend,
    url,
    smtp,
    twilio,
    runner,
    codeVersion: code.version,
    databaseUrl,
    pgdata: join(folder, 'data', 'pgdata'),
    logFile,
    environment: (clockAt) => ({
      ...database,
      TEND_WRITE_KEY: secrets.writeKey,
      TEND_ADMIN_TOKEN: secrets.adminToken,
      TEND_CLOCK: 'manual',
      TEND_CLOCK_START: clockAt.toISOString(),
      TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      TEND_EMAIL_FROM: `Chaos Co <hello@${secrets.senderDomain}>`,
      TEND_REPLY_DOMAIN: `replies.${secrets.senderDomain}`,
      TEND_TWILIO_ACCOUNT_SID: secrets.twilio.accountSid,
      TEND_TWILIO_AUTH_TOKEN: secrets.twilio.authToken,
      TEND_TWILIO_FROM: secrets.twilio.from,
      TEND_TWILIO_BASE_URL: twilio.url,
      TEND_PUBLIC_URL: url,
      TEND_INBOUND_EMAIL_SECRET: secrets.inboundEmailSecret,
      TEND_LOG_LEVEL: 'warn',
    }),
    close: async () => {
      await runner.stop();
      await Promise.all([smtp.close(), twilio.close(), runner.close()]);
      stopCluster();
      removeFolder();
    },
  };
}
