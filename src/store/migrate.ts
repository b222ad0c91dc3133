// Brings a database up to the schema this version expects, on every open. Kysely's Migrator runs
// all pending migrations in one transaction, so a failure leaves the data exactly as it was.

import { type Migration, Migrator, sql } from 'kysely';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import type { EngineDescriptor, OpenedEngine } from './engines/types.ts';
import { errorText } from './failures.ts';
import { MIGRATIONS } from './migrations/registry.ts';
import type { StoreMigration } from './migrations/types.ts';

/** The bookkeeping tables, named for us so they cannot collide with another tool's Kysely migrations. */
export const MIGRATION_TABLE = 'zoneward_migration';
export const MIGRATION_LOCK_TABLE = 'zoneward_migration_lock';

export async function migrate(
  opened: OpenedEngine,
  engine: EngineDescriptor,
  where: string,
  migrations: readonly StoreMigration[] = MIGRATIONS,
): Promise<void> {
  try {
    await refuseNewerDatabase(opened, where, migrations);
  } catch (error) {
    if (error instanceof ZonewardError) throw error;
    throw new ZonewardError(
      ErrorCodes.STORE_MIGRATION,
      `cannot read the schema version of ${where}: ${errorText(error)}`,
      {
        cause: error,
      },
    );
  }
  const migrator = new Migrator({
    db: opened.db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((m): [string, Migration] => [m.name, { up: (db) => m.up(db, engine.columnTypes) }]),
        ),
    },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Kysely looks for its table in every schema unless told which; a copy in another schema (another
    // installation, another test run) would otherwise be taken for ours.
    ...(opened.schema === undefined ? {} : { migrationTableSchema: opened.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  throw new ZonewardError(
    ErrorCodes.STORE_MIGRATION,
    `cannot bring ${where} up to date: ${failed === undefined ? '' : `migration ${failed} failed: `}` +
      `${errorText(error)}. The migration was rolled back; the data is as it was.`,
    { cause: error },
  );
}

/** A database migrated by a newer Zoneward has tables this version would misread: stop before touching it. */
async function refuseNewerDatabase(
  opened: OpenedEngine,
  where: string,
  migrations: readonly StoreMigration[],
): Promise<void> {
  const tables = await opened.db.introspection.getTables();
  const tracked = tables.some(
    (table) =>
      table.name === MIGRATION_TABLE && (opened.schema === undefined || table.schema === opened.schema),
  );
  if (!tracked) return;
  const qualified = opened.schema === undefined ? MIGRATION_TABLE : `${opened.schema}.${MIGRATION_TABLE}`;
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(qualified)}`.execute(opened.db);
  const known = new Set(migrations.map((m) => m.name));
  const unknown = rows.map((row) => row.name).filter((name) => !known.has(name));
  if (unknown.length === 0) return;
  throw new ZonewardError(
    ErrorCodes.STORE_MIGRATION,
    `${where} was written by a newer Zoneward (migrations ${unknown.sort().join(', ')} are unknown to this ` +
      'version); it was left untouched. Use that version or a later one.',
  );
}
