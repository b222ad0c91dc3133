// `flows`: the communication map (src/flows/types.ts Flow), one row per (client, server, transport,
// server port, application), with the operations seen as JSON.

import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { Flow } from '../../flows/types.ts';
import { chunks, fromExcluded, lastPerKey, rowsPerStatement } from '../batch.ts';
import type { Db, TableContext } from '../database.ts';
import { checkPage, type Page } from '../paging.ts';
import {
  type CounterColumn,
  checkRecords,
  decodeRow,
  type JsonColumn,
  readCounter,
  readJson,
  writeJson,
} from '../records.ts';

export interface FlowsTable {
  id: string;
  client: string;
  server: string;
  transport: string;
  port: number;
  app: string | null;
  connections: CounterColumn;
  packets: CounterColumn;
  bytes: CounterColumn;
  first_seen: number;
  last_seen: number;
  operations: JsonColumn;
}

export interface FlowFilter extends Page {
  client?: string;
  server?: string;
  /** An application protocol, or null for flows whose protocol was not recognised. */
  app?: string | null;
}

const count = z.number().int().nonnegative().safe();

const operationsSchema = z.object({
  // Sorted by name on the way out: jsonb keeps keys in its own order, SQLite text in the writer's.
  functions: z
    .record(count)
    .transform((functions) =>
      Object.fromEntries(Object.entries(functions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    ),
  reads: count,
  writes: count,
  other: count,
  exceptions: count,
  addressRanges: z.array(z.object({ space: z.string(), start: z.number().int(), end: z.number().int() })),
  units: z.array(z.number().int()),
});

export const flowSchema: z.ZodType<Flow, z.ZodTypeDef, unknown> = z.object({
  id: z.string().min(1),
  client: z.string(),
  server: z.string(),
  transport: z.enum(['tcp', 'udp']),
  port: z.number().int().min(0).max(65_535),
  app: z.string().nullable(),
  connections: count,
  packets: count,
  bytes: count,
  firstSeen: z.number().finite(),
  lastSeen: z.number().finite(),
  operations: operationsSchema,
});

const UPSERT_COLUMNS = [
  'client',
  'server',
  'transport',
  'port',
  'app',
  'connections',
  'packets',
  'bytes',
  'first_seen',
  'last_seen',
  'operations',
] as const satisfies readonly (keyof FlowsTable)[];

export async function upsertFlows(db: Db, context: TableContext, flows: readonly Flow[]): Promise<void> {
  const rows = lastPerKey(
    checkRecords('flow', flowSchema, flows, (flow) => flow.id),
    (flow) => flow.id,
  ).map(toRow);
  if (rows.length === 0) return;
  const perStatement = rowsPerStatement(context.maxBindParameters, Object.keys(rows[0]).length);
  for (const chunk of chunks(rows, perStatement)) {
    await db
      .insertInto('flows')
      .values(chunk)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded(UPSERT_COLUMNS)))
      .execute();
  }
}

/** Every flow, or those with the given ids (unknown ids are left out); ordered by id. */
export async function selectFlows(db: Db, context: TableContext, ids?: readonly string[]): Promise<Flow[]> {
  if (ids === undefined) {
    const rows = await db.selectFrom('flows').selectAll().orderBy('id').execute();
    return rows.map((row) => fromRow(row, context));
  }
  const rows: Selectable<FlowsTable>[] = [];
  for (const chunk of chunks([...new Set(ids)], context.maxBindParameters)) {
    rows.push(...(await db.selectFrom('flows').selectAll().where('id', 'in', chunk).execute()));
  }
  // Bytewise, like the key collation, so the result does not depend on how ids were chunked.
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map((row) => fromRow(row, context));
}

export async function listFlows(db: Db, context: TableContext, filter: FlowFilter): Promise<Flow[]> {
  let query = db.selectFrom('flows').selectAll();
  if (filter.client !== undefined) query = query.where('client', '=', filter.client);
  if (filter.server !== undefined) query = query.where('server', '=', filter.server);
  if (filter.app === null) query = query.where('app', 'is', null);
  else if (filter.app !== undefined) query = query.where('app', '=', filter.app);
  const { limit, offset } = checkPage(filter);
  const rows = await query.orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((row) => fromRow(row, context));
}

function toRow(flow: Flow): Insertable<FlowsTable> {
  return {
    id: flow.id,
    client: flow.client,
    server: flow.server,
    transport: flow.transport,
    port: flow.port,
    app: flow.app,
    connections: flow.connections,
    packets: flow.packets,
    bytes: flow.bytes,
    first_seen: flow.firstSeen,
    last_seen: flow.lastSeen,
    operations: writeJson(flow.operations),
  };
}

function fromRow(row: Selectable<FlowsTable>, context: TableContext): Flow {
  return decodeRow(
    'flows',
    context.location,
    flowSchema,
    row,
    (r) => r.id,
    (r) => ({
      id: r.id,
      client: r.client,
      server: r.server,
      transport: r.transport,
      port: r.port,
      app: r.app,
      connections: readCounter(r.connections),
      packets: readCounter(r.packets),
      bytes: readCounter(r.bytes),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      operations: readJson(r.operations, 'operations'),
    }),
  );
}
