// Records in and out of rows. Every record is checked against its schema on the way in (a caller's
// bug is caught before it is stored) and on the way out (a hand-edited or damaged row gives a clear
// error naming the table and key, instead of a crash deep inside the caller).

import type { ColumnType } from 'kysely';
import type { z } from 'zod';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import { errorText } from './failures.ts';

/** Written as JSON text; read back as text (SQLite) or already parsed (PostgreSQL jsonb). */
export type JsonColumn = ColumnType<unknown, string, string>;

/** PostgreSQL returns int8 as a string (it may exceed 2^53); our counts do not, and become numbers. */
export type CounterColumn = ColumnType<number | string, number, number>;

/** How many schema problems one message lists before "and N more". */
const ISSUES_SHOWN = 5;

export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}

export function readJson(value: unknown, column: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${column} is not valid JSON`);
  }
}

/** Converts pg's int8 strings; the record schema then checks the result is a safe integer. */
export function readCounter(value: unknown): unknown {
  return typeof value === 'string' ? Number(value) : value;
}

/** Validates records before writing; returns them as parsed (unknown properties dropped). */
export function checkRecords<R>(
  kind: string,
  schema: z.ZodType<R, z.ZodTypeDef, unknown>,
  records: readonly R[],
  keyOf: (record: R) => unknown,
): R[] {
  return records.map((record) => {
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    throw new ZonewardError(
      ErrorCodes.STORE_INVALID_RECORD,
      `cannot store ${kind} ${JSON.stringify(keyOf(record))}: ${describeIssues(parsed.error)}; nothing of this batch was written`,
    );
  });
}

/** Builds a record from a row (`toRecord` may throw on unparsable JSON) and validates it. */
export function decodeRow<Row, R>(
  table: string,
  location: string,
  schema: z.ZodType<R, z.ZodTypeDef, unknown>,
  row: Row,
  keyOf: (row: Row) => unknown,
  toRecord: (row: Row) => unknown,
): R {
  let problem: string;
  try {
    const parsed = schema.safeParse(toRecord(row));
    if (parsed.success) return parsed.data;
    problem = describeIssues(parsed.error);
  } catch (error) {
    problem = errorText(error);
  }
  throw new ZonewardError(
    ErrorCodes.STORE_CORRUPT_RECORD,
    `${table} row ${JSON.stringify(keyOf(row))} in ${location} is not a valid record (${problem}); ` +
      'it was changed outside Zoneward or written by a newer version',
  );
}

export function describeIssues(error: z.ZodError): string {
  const shown = error.issues
    .slice(0, ISSUES_SHOWN)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'record'}: ${issue.message}`);
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
