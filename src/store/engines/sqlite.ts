// The embedded engine: one SQLite file through better-sqlite3. WAL mode so the console can read
// while discover writes; foreign keys on (SQLite leaves them off per connection); a busy timeout so
// two processes on one file wait for each other instead of failing at once.

import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  sql,
} from 'kysely';
import { ErrorCodes, ZonewardError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { errorText } from '../failures.ts';
import { describeLocation, type StoreLocation } from '../location.ts';
import type { EngineDescriptor, OpenedEngine } from './types.ts';

/** How long a write waits for another process's lock before failing (SQLite `busy_timeout`). */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** SQLite's limit on `?` per statement before 3.32 (SQLITE_MAX_VARIABLE_NUMBER); used only if the build does not report its own. */
const FALLBACK_MAX_VARIABLES = 999;

/** Every SQLite database file starts with these 16 bytes (https://www.sqlite.org/fileformat.html, 1.3). */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** better-sqlite3 error codes meaning "this file is not (or no longer) a database". */
const NOT_A_DATABASE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export const sqliteEngine: EngineDescriptor = {
  name: 'sqlite',
  columnTypes: {
    key: 'text', // SQLite compares text with BINARY collation unless told otherwise
    counter: 'integer', // always 64-bit in SQLite
    float: 'real', // an 8-byte IEEE float
    json: 'text',
    serial: 'integer',
    // `integer primary key` is the rowid: numbered automatically, in insertion order.
    serialKey: (column) => column.primaryKey(),
  },
  jsonText: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`,
  open: openSqlite,
};

async function openSqlite(location: StoreLocation): Promise<OpenedEngine> {
  if (location.engine !== 'sqlite') throw new Error(`sqlite engine given a ${location.engine} location`);
  const where = describeLocation(location);
  const path = location.path;
  if (path !== ':memory:') {
    refuseForeignFile(path, where);
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw unavailable(where, `cannot create its folder ${dirname(path)}: ${errorText(error)}`, error);
    }
  }

  let raw: BetterSqlite3.Database | undefined;
  try {
    raw = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // Reads first: the header, then the schema on page 1. A foreign or damaged file fails here,
    // before anything below could write to it.
    raw.pragma('schema_version');
    raw.prepare('select count(*) from sqlite_master').get();
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
  } catch (error) {
    raw?.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_A_DATABASE_CODES.has(code)) throw notADatabase(where, error);
    throw unavailable(where, errorText(error), error);
  }

  return {
    db: new Kysely<Database>({ dialect: new ZonewardSqliteDialect(raw) }),
    maxBindParameters: maxVariables(raw),
    schema: undefined,
  };
}

/** Kysely's SQLite dialect with three changes, each for safety under failure or concurrency. */
class ZonewardSqliteDialect extends SqliteDialect {
  readonly #raw: BetterSqlite3.Database;

  constructor(raw: BetterSqlite3.Database) {
    super({ database: raw });
    this.#raw = raw;
  }

  override createDriver(): Driver {
    return new ZonewardSqliteDriver(this.#raw);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ZonewardSqliteDriver extends SqliteDriver {
  readonly #raw: BetterSqlite3.Database;

  constructor(raw: BetterSqlite3.Database) {
    super({ database: raw });
    this.#raw = raw;
  }

  // Kysely begins with a deferred `begin`. A deferred transaction that reads and then writes fails at
  // once (SQLITE_BUSY_SNAPSHOT, no waiting) if another process wrote in between, which is exactly
  // what discover does. `begin immediate` takes the write lock first, so the busy timeout applies.
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  // Some errors (disk full, I/O) end the transaction on their own; a second rollback would fail with
  // "no transaction is active" and hide the real error.
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#raw.inTransaction) await super.rollbackTransaction(connection);
  }
}

/**
 * SQLite rolls back schema changes with the transaction (https://www.sqlite.org/lang_transaction.html),
 * but Kysely assumes not and would run migrations outside one: a failure halfway would leave half a
 * schema that the next open cannot migrate. Saying so makes the Migrator wrap them in a transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** An existing non-empty file that does not start like a database is refused before SQLite opens it. */
function refuseForeignFile(path: string, where: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw unavailable(where, 'that path is a directory', undefined);
    size = stat.size;
  } catch (error) {
    if (error instanceof ZonewardError) throw error;
    return; // missing (created below) or unreadable (SQLite reports why)
  }
  if (size === 0) return; // SQLite treats an empty file as an empty database
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, head.length, 0);
  } catch {
    return; // unreadable: SQLite's own open reports the reason
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw notADatabase(where, undefined);
}

function maxVariables(connection: BetterSqlite3.Database): number {
  const options = connection.pragma('compile_options') as { compile_options: string }[];
  for (const { compile_options: option } of options) {
    const match = /^MAX_VARIABLE_NUMBER=(\d+)$/.exec(option);
    if (match) return Number(match[1]);
  }
  return FALLBACK_MAX_VARIABLES;
}

function notADatabase(where: string, cause: unknown): ZonewardError {
  return new ZonewardError(
    ErrorCodes.STORE_NOT_A_DATABASE,
    `${where} is not a Zoneward database (not an SQLite file, or damaged); it was left untouched. ` +
      'Restore it from a backup, or choose another file with --db.',
    { cause },
  );
}

function unavailable(where: string, reason: string, cause: unknown): ZonewardError {
  return new ZonewardError(ErrorCodes.STORE_UNAVAILABLE, `cannot open ${where}: ${reason}`, { cause });
}
