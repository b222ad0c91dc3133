// Batched writes. Discover may write tens of thousands of flows at once: one multi-row statement
// per chunk is far faster than a statement per row, but every value is a bind parameter and each
// engine caps those per statement (SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's Int16 count).

import { type RawBuilder, sql } from 'kysely';

/** Rows per statement so that rows × columns parameters stay within the engine's limit. */
export function rowsPerStatement(maxBindParameters: number, columnsPerRow: number): number {
  return Math.max(1, Math.floor(maxBindParameters / columnsPerRow));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * One record per key, the last one given winning. PostgreSQL refuses to update one row twice in a
 * single upsert ("cannot affect row a second time"); SQLite would apply both. Last wins on both.
 */
export function lastPerKey<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  return [...byKey.values()];
}

/** The `set` of an upsert that takes every listed column from the proposed row (`excluded`). */
export function fromExcluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(
    columns.map((column) => [column, sql<never>`${sql.ref(`excluded.${column}`)}`]),
  ) as Record<C, RawBuilder<never>>;
}
