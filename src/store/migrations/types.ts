// A schema change, written once for both engines: `types` supplies the engine's column types
// (engines/types.ts ColumnTypes). Migrations only go forward; none drops or rewrites user data.

import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../engines/types.ts';

export interface StoreMigration {
  /** `NNNN_what`, the file's name: the order they run in, and what the database records as done. Never renamed. */
  readonly name: string;
  up(db: Kysely<unknown>, types: ColumnTypes): Promise<void>;
}
