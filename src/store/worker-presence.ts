// Which Tend processes are alive, without clocks or heartbeats: on PostgreSQL each worker holds a
// session advisory lock named after it for as long as it runs, so a lock that can be taken belongs to
// a worker that is gone (the database drops a dead session's locks at once). The embedded database
// is used by one process only, so there every other worker is a previous, stopped run.
import { type Kysely, sql } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface WorkerPresence {
  readonly id: string;
  /** True while the worker with this id is running (this one always is). */
  isAlive(workerId: string): Promise<boolean>;
  /**
   * Whether this worker still holds its presence: false once its lock's session is gone (the
   * connection dropped), when others may take it for dead and settle its messages; it must stop
   * sending then.
   */
  stillPresent(): Promise<boolean>;
  close(): Promise<void>;
}

const lockKey = (workerId: string) => sql`hashtextextended(${`tend-worker:${workerId}`}, 0)`;

export async function announceWorker(
  database: Kysely<Database>,
  kind: 'postgres' | 'embedded',
): Promise<WorkerPresence> {
  const id = newId(Date.now());
  if (kind === 'embedded') {
    return {
      id,
      isAlive: async (workerId) => workerId === id,
      stillPresent: async () => true,
      close: async () => undefined,
    };
  }
  let release: () => void = () => undefined;
  const released = new Promise<void>((done) => (release = done));
  let holding: Promise<void> = Promise.resolve();
  let lockSession = 0;
  await new Promise<void>((locked, failed) => {
    // One pooled connection is kept for the lock for the worker's whole life.
    holding = database
      .connection()
      .execute(async (connection) => {
        await sql`select pg_advisory_lock(${lockKey(id)})`.execute(connection);
        lockSession =
          (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(connection)).rows[0]?.pid ?? 0;
        locked();
        await released;
        await sql`select pg_advisory_unlock(${lockKey(id)})`.execute(connection);
      })
      .catch((error: unknown) => failed(error));
  });
  return {
    id,
    async isAlive(workerId) {
      if (workerId === id) return true;
      return database.connection().execute(async (connection) => {
        const taken = await sql<{ taken: boolean }>`select pg_try_advisory_lock(${lockKey(workerId)}) as taken`.execute(
          connection,
        );
        if (taken.rows[0]?.taken !== true) return true;
        await sql`select pg_advisory_unlock(${lockKey(workerId)})`.execute(connection);
        return false;
      });
    },
    async stillPresent() {
      const held = await sql<{ held: boolean }>`select exists (select 1 from pg_locks
        where locktype = 'advisory' and pid = ${lockSession} and granted) as held`.execute(database);
      return held.rows[0]?.held === true;
    },
    async close() {
      release();
      await holding;
    },
  };
}
