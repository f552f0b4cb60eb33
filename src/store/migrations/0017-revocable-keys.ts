// Write keys and admin tokens that can be listed and revoked: a kind per write key (browser keys are
// restricted), a revocation time and a short prefix per admin token, and key prefixes cut to 4
// characters of the secret (after `wk_` for generated keys), so that the clear part reveals little.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table write_keys add column kind text not null default 'server' check (kind in ('server', 'browser'));
    update write_keys
      set key_prefix = case when key_prefix like 'wk\\_%' then left(key_prefix, 7) else left(key_prefix, 4) end;
    -- Tokens made before this version have no prefix: only their hash was kept.
    alter table admin_tokens add column token_prefix text, add column revoked_at timestamptz;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table admin_tokens drop column revoked_at, drop column token_prefix;
    alter table write_keys drop column kind;
  `.execute(database);
}
