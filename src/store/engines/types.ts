// What an engine contributes to the store: its column types (so a migration is written once for
// both), the few SQL spellings that differ, and how to open it. Everything else, every query, is
// shared; the conformance suite (store.test.ts) proves that it means the same on both.

import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely, RawBuilder } from 'kysely';
import type { Database } from '../database.ts';
import type { StoreLocation } from '../location.ts';

export type EngineName = StoreLocation['engine'];

export interface ColumnTypes {
  /** Primary and sort keys: compared byte by byte, so listing order never depends on a server locale. */
  readonly key: ColumnDataType | Expression<unknown>;
  /** Counts that can outgrow 32 bits (bytes, packets). PostgreSQL returns int8 as a string; records convert. */
  readonly counter: 'integer' | 'bigint';
  /** Timestamps (seconds since the epoch, microsecond precision) and confidences: 64-bit floats. */
  readonly float: 'real' | 'double precision';
  /** Objects and arrays. Written as JSON text, read back parsed (jsonb) or as text (SQLite). */
  readonly json: 'text' | 'jsonb';
  /** An auto-numbered primary key, for append-only tables such as histories. */
  readonly serial: 'integer' | 'bigint';
  readonly serialKey: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

/** A database opened and ready for migrations. `db.transaction()` is a write transaction on both engines. */
export interface OpenedEngine {
  readonly db: Kysely<Database>;
  /** Bind parameters one statement may carry; batched writes stay below it. */
  readonly maxBindParameters: number;
  /** PostgreSQL schema that holds the tables; undefined for SQLite, which has none. */
  readonly schema: string | undefined;
}

export interface EngineDescriptor {
  readonly name: EngineName;
  readonly columnTypes: ColumnTypes;
  /** The text value at `key` of a JSON object column (`overrides.role`), null when absent. */
  jsonText(column: string, key: string): RawBuilder<string | null>;
  /** Opens the database, or throws a ZonewardError that says where and why. Never modifies a foreign file. */
  open(location: StoreLocation): Promise<OpenedEngine>;
}
