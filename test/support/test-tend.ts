// Starts a real Tend for a test file: the HTTP server on a free port, on a fresh embedded database, or on
// a fresh database in the throwaway PostgreSQL cluster when TEST_DATABASE_URL is set (see run-suite.mjs).
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ClockSetting, StoreLocation, TendSettings } from '../../src/config/settings.js';
import { type RunningTend, startTend } from '../../src/app/tend-service.js';

export interface TestTend {
  readonly url: string;
  readonly writeKey: string;
  readonly adminToken: string;
  readonly tend: RunningTend;
  /** The store location, for tools (CLI commands) that open it themselves while Tend runs. */
  readonly location: StoreLocation;
  readonly environment: Record<string, string>;
  stop(): Promise<void>;
  /** GET an admin API path with the admin token; returns status and parsed body. */
  admin(path: string): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
  /** POST an admin API path with a JSON body. */
  post(path: string, body: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** POST a tracking call with the write key (HTTP Basic). */
  track(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const usingPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);

export async function freshLocation(): Promise<{ location: StoreLocation; cleanup: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `tend_test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`create database ${name}`);
    await client.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      location: { kind: 'postgres', url: url.toString() },
      cleanup: async () => {
        const dropper = new pg.Client({ connectionString: adminUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const directory = mkdtempSync(join(tmpdir(), 'tend-test-'));
  const template = process.env.TEND_TEST_TEMPLATE;
  // A migrated data directory made once per run (globalSetup) saves PGlite's slow initdb per file.
  if (template && existsSync(template)) cpSync(template, directory, { recursive: true });
  return {
    location: { kind: 'embedded', dataDirectory: directory },
    cleanup: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

export async function startTestTend(
  options: {
    clock?: ClockSetting;
    configPath?: string;
    playbooks?: string;
    settings?: Partial<TendSettings>;
    /** Starts again on a stopped Tend's store, with its keys (a restart); stopping this one keeps the store. */
    restartOf?: TestTend;
  } = {},
): Promise<TestTend> {
  const { location, cleanup } = options.restartOf
    ? { location: options.restartOf.location, cleanup: async () => undefined }
    : await freshLocation();
  const writeKey = options.restartOf?.writeKey ?? `wk_test_${randomBytes(12).toString('hex')}`;
  const adminToken = options.restartOf?.adminToken ?? `admin_test_${randomBytes(12).toString('hex')}`;
  const tend = await startTend({
    store: location,
    host: '127.0.0.1',
    port: 0,
    writeKey,
    adminToken,
    clock: options.clock ?? { kind: 'system' },
    logLevel: process.env.TEND_TEST_LOG ?? 'silent',
    configPath: options.configPath ?? null,
    playbooksPath: options.playbooks ?? 'none',
    ...options.settings,
  });
  const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const environment: Record<string, string> =
    location.kind === 'postgres' ? { DATABASE_URL: location.url } : { TEND_DATA_DIR: location.dataDirectory };
  return {
    url: tend.url,
    writeKey,
    adminToken,
    tend,
    location,
    environment,
    stop: async () => {
      await tend.close();
      await cleanup();
    },
    admin: async (path) => {
      const response = await fetch(`${tend.url}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
      return { status: response.status, body: await response.json() };
    },
    post: async (path, body) => {
      const response = await fetch(`${tend.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    track: async (path, body, headers = {}) => {
      const response = await fetch(`${tend.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic, ...headers },
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
  };
}
