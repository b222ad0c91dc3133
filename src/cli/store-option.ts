// The `--db FILE` option every store command takes (DESIGN.md: or ZONEWARD_DATABASE_URL), and
// opening/closing the store around a command body.

import type { Command } from 'commander';
import { DATABASE_URL_ENV, DEFAULT_DB_PATH } from '../store/location.ts';
import type { Store } from '../store/store.ts';

export interface StoreFlags {
  db?: string;
}

export function addStoreOption(cmd: Command): Command {
  return cmd.option(
    '--db <file>',
    `SQLite database file (default: ${DEFAULT_DB_PATH}; set ${DATABASE_URL_ENV} to use PostgreSQL instead)`,
  );
}

export async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  // Loaded on demand: the database drivers take a noticeable part of a second to load, and
  // `decode`, `demo-capture` and `--help` do not need them.
  const { openStore } = await import('../store/store.ts');
  const store = await openStore({ db: flags.db });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
