// Where the store lives (DESIGN.md "Runtime and storage"): an SQLite file by default, PostgreSQL
// when a URL is given. Resolution is a pure function of the options and the environment so the CLI
// can print where data goes before opening anything, and tests can check it without a database.

import { resolve } from 'node:path';
import { ErrorCodes, ZonewardError } from '../errors.ts';

/** The embedded database, relative to the current directory: one plant, one folder. */
export const DEFAULT_DB_PATH = '.zoneward/zoneward.db';

/** Setting this selects PostgreSQL for every command that reads or writes the store. */
export const DATABASE_URL_ENV = 'ZONEWARD_DATABASE_URL';

/** PostgreSQL folds unquoted names to lower case and limits them to 63 bytes; we accept only that form. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface StoreOptions {
  /** SQLite file (`--db`). `:memory:` gives a throw-away database, handy in tests. */
  db?: string;
  /** PostgreSQL URL, `postgres://user@host:5432/database`. Wins over the environment. */
  url?: string;
  /** PostgreSQL only: keep every table in this schema (set as search_path on each connection). */
  schema?: string;
}

export type StoreLocation =
  | { readonly engine: 'sqlite'; readonly path: string }
  | { readonly engine: 'postgres'; readonly url: string; readonly schema: string | null };

/**
 * Explicit options beat the environment, the environment beats the default: a person who types
 * `--db plant.db` gets that file even with ZONEWARD_DATABASE_URL exported in the shell.
 */
export function resolveStoreLocation(
  options: StoreOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): StoreLocation {
  if (options.url !== undefined && options.db !== undefined) {
    throw new ZonewardError(
      ErrorCodes.USAGE,
      'choose one database: a PostgreSQL URL or an SQLite file (--db), not both',
    );
  }
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `schema name "${options.schema}" is not allowed: use lower-case letters, digits and _ (at most 63)`,
    );
  }
  const url = options.url ?? (options.db === undefined ? env[DATABASE_URL_ENV] || undefined : undefined);
  if (url !== undefined) {
    const source = options.url !== undefined ? 'the database URL' : DATABASE_URL_ENV;
    return { engine: 'postgres', url: checkPostgresUrl(url, source), schema: options.schema ?? null };
  }
  if (options.schema !== undefined) {
    throw new ZonewardError(ErrorCodes.USAGE, 'a schema applies to PostgreSQL only; SQLite has none');
  }
  const path = options.db ?? DEFAULT_DB_PATH;
  return { engine: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
}

/** For messages: "SQLite file /plant/.zoneward/zoneward.db", never a password. */
export function describeStoreLocation(
  options: StoreOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): string {
  return describeLocation(resolveStoreLocation(options, env));
}

export function describeLocation(location: StoreLocation): string {
  if (location.engine === 'sqlite') {
    return location.path === ':memory:' ? 'SQLite in-memory database' : `SQLite file ${location.path}`;
  }
  const schema = location.schema === null ? '' : ` (schema ${location.schema})`;
  return `PostgreSQL ${redactUrl(location.url)}${schema}`;
}

/** The URL without its password, in the userinfo or in a `password=` parameter. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an unparsable URL)';
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

function checkPostgresUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: a malformed URL may still contain a password.
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `${source} is not a valid URL; expected postgres://user@host:5432/database`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `${source} must be a PostgreSQL URL (postgres://user@host:5432/database), got ${redactUrl(url)}`,
    );
  }
  return url;
}
