// The engine at scale: PostgreSQL through a pg connection pool, chosen by ZONEWARD_DATABASE_URL.
// An optional schema keeps every table (and the migration bookkeeping) apart, so several
// installations or test runs can share one database.

import { userInfo } from 'node:os';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ErrorCodes, ZonewardError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { errorText } from '../failures.ts';
import { describeLocation, type StoreLocation } from '../location.ts';
import type { EngineDescriptor, OpenedEngine } from './types.ts';

/** pg waits forever for a connection by default; an unreachable server should fail a command, not hang it. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** The Bind message counts parameters in an Int16 (PostgreSQL protocol, "Message Formats"). */
const MAX_BIND_PARAMETERS = 65_535;

export const postgresEngine: EngineDescriptor = {
  name: 'postgres',
  columnTypes: {
    // Keys sort bytewise whatever the database's locale, exactly as in SQLite.
    key: sql`text collate "C"`,
    counter: 'bigint',
    float: 'double precision',
    json: 'jsonb',
    serial: 'bigint',
    serialKey: (column) => column.generatedByDefaultAsIdentity().primaryKey(),
  },
  jsonText: (column, key) => sql<string | null>`(${sql.ref(column)} ->> ${sql.lit(key)})`,
  open: openPostgres,
};

async function openPostgres(location: StoreLocation): Promise<OpenedEngine> {
  if (location.engine !== 'postgres') throw new Error(`postgres engine given a ${location.engine} location`);
  const where = describeLocation(location);
  const pool = new pg.Pool({
    connectionString: withDefaultUser(location.url),
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // A command that forgets close() still exits instead of waiting for idle connections to time out.
    allowExitOnIdle: true,
    // The schema name is checked against [a-z_][a-z0-9_]* (location.ts), so it needs no quoting here.
    ...(location.schema === null ? {} : { options: `-c search_path=${location.schema}` }),
  });
  // An idle connection the server drops is reported here; without a listener Node exits. The pool
  // has already discarded that connection and the next query opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  let schema: string | null;
  try {
    schema = await prepareSchema(db, location.schema);
  } catch (error) {
    await db.destroy();
    throw new ZonewardError(ErrorCodes.STORE_UNAVAILABLE, `cannot open ${where}: ${errorText(error)}`, {
      cause: error,
    });
  }
  if (schema === null) {
    await db.destroy();
    throw new ZonewardError(
      ErrorCodes.STORE_UNAVAILABLE,
      `cannot open ${where}: its search_path names no schema that exists, so there is nowhere to create tables; give a schema`,
    );
  }
  return {
    db,
    maxBindParameters: MAX_BIND_PARAMETERS,
    schema,
  };
}

/**
 * psql and libpq log in as the operating-system user when the URL names none; pg would send no user
 * name at all when $USER is unset (services, containers) and be refused. Behave like psql.
 */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.searchParams.has('user') || process.env.PGUSER) return url;
  parsed.username = encodeURIComponent(process.env.USER || userInfo().username);
  return parsed.toString();
}

/** Creates the chosen schema if needed; returns the one tables will be created in, null if none. */
async function prepareSchema(db: Kysely<Database>, wanted: string | null): Promise<string | null> {
  if (wanted !== null) {
    // Checked first because `create schema if not exists` needs CREATE on the database even when
    // the schema is already there.
    const found = await sql`select 1 from pg_namespace where nspname = ${wanted}`.execute(db);
    if (found.rows.length === 0) await sql`create schema if not exists ${sql.id(wanted)}`.execute(db);
  }
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? null;
}
