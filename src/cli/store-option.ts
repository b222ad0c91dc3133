// The `--db FILE` option every store command takes (DESIGN.md: or ZONEWARD_DATABASE_URL), and
// opening/closing the store around a command body.

import type { Command } from 'commander';
import { DATABASE_URL_ENV, DEFAULT_DB_PATH } from '../store/location.ts';
import { openStore, type Store } from '../store/store.ts';

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
  const store = await openStore({ db: flags.db });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
