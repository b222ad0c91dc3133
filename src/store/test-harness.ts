// What store.test.ts needs to run one suite on every engine: a fresh, empty place to open a store
// (a new SQLite file, a new PostgreSQL schema), a back door to run SQL there as another program
// would, and sample records with every field filled.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { Flow } from '../flows/types.ts';
import type { Asset } from '../inventory/types.ts';
import { withDefaultUser } from './engines/postgres.ts';
import type { EngineName } from './engines/types.ts';
import { errorText } from './failures.ts';
import { redactUrl, type StoreOptions } from './location.ts';
import type { CaptureRecord } from './tables/captures.ts';

/** PostgreSQL is part of the product: the suite fails, never skips, when it cannot reach this. */
export const TEST_DATABASE_URL = process.env.ZONEWARD_TEST_DATABASE_URL || 'postgres://127.0.0.1:5432/test';

export type Row = Record<string, unknown>;

/** An empty database location, not yet opened by the store. */
export interface Place {
  readonly options: StoreOptions;
  /** Runs SQL outside the store; returns the rows of the last statement that has any. */
  raw(text: string): Promise<Row[]>;
  tableExists(name: string): Promise<boolean>;
}

export interface EngineHarness {
  readonly engine: EngineName;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  newPlace(): Promise<Place>;
}

export function sqliteHarness(): EngineHarness {
  let root = '';
  let count = 0;
  return {
    engine: 'sqlite',
    setup: async () => {
      root = mkdtempSync(join(tmpdir(), 'zoneward-store-'));
    },
    teardown: async () => {
      if (root !== '') rmSync(root, { recursive: true, force: true });
    },
    newPlace: async () => {
      // A folder that does not exist yet: every open also proves the store creates it.
      const path = join(root, `place-${++count}`, 'zoneward.db');
      const withFile = <T>(use: (db: BetterSqlite3.Database) => T): T => {
        mkdirSync(dirname(path), { recursive: true });
        const db = new BetterSqlite3(path);
        try {
          return use(db);
        } finally {
          db.close();
        }
      };
      return {
        options: { db: path },
        raw: async (text) =>
          withFile((db) => {
            if (/^\s*(select|pragma)/i.test(text)) return db.prepare(text).all() as Row[];
            db.exec(text);
            return [];
          }),
        tableExists: async (name) =>
          withFile(
            (db) =>
              db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(name) !==
              undefined,
          ),
      };
    },
  };
}

export function postgresHarness(url = TEST_DATABASE_URL): EngineHarness {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  let admin: pg.Pool | undefined;
  let unreachable: Error | undefined;
  const pool = (): pg.Pool => {
    if (admin === undefined) throw new Error('postgresHarness.setup() has not run');
    return admin;
  };
  return {
    engine: 'postgres',
    setup: async () => {
      admin = new pg.Pool({ connectionString: withDefaultUser(url), connectionTimeoutMillis: 5_000 });
      admin.on('error', () => {});
      try {
        await admin.query('select 1');
      } catch (error) {
        // Every test that needs a place fails with this (rather than being cancelled by a failed hook).
        unreachable = new Error(
          `PostgreSQL is part of the product and these tests need it: cannot connect to ${redactUrl(url)} ` +
            `(${errorText(error)}). Start PostgreSQL there, or point ZONEWARD_TEST_DATABASE_URL at one.`,
        );
      }
    },
    teardown: async () => {
      if (admin === undefined) return;
      if (unreachable === undefined) {
        for (const schema of schemas) await admin.query(`drop schema if exists ${schema} cascade`);
      }
      await admin.end();
    },
    newPlace: async () => {
      if (unreachable !== undefined) throw unreachable;
      const schema = `zw_store_test_${runId}_${schemas.length + 1}`;
      await pool().query(`create schema ${schema}`);
      schemas.push(schema);
      return {
        options: { url, schema },
        raw: async (text) => {
          const client = await pool().connect();
          try {
            await client.query(`set search_path to ${schema}`);
            const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
            const results = Array.isArray(result) ? result : [result];
            return (results.filter((r) => r.rows.length > 0).at(-1)?.rows ?? []) as Row[];
          } finally {
            client.release();
          }
        },
        tableExists: async (name) => {
          const { rows } = await pool().query(
            'select 1 from information_schema.tables where table_schema = $1 and table_name = $2',
            [schema, name],
          );
          return rows.length > 0;
        },
      };
    },
  };
}

/** A fully described device; `changes` replaces fields. */
export function sampleAsset(changes: Partial<Asset> = {}): Asset {
  return {
    id: 'mac:00:80:f4:01:02:03',
    ip: '10.0.1.20',
    ips: ['10.0.1.7', '10.0.1.20'],
    mac: '00:80:f4:01:02:03',
    vendor: 'Schneider Electric',
    model: 'BMX P34 2020',
    firmware: 'v3.20',
    serial: 'SN-ÄÖÜ-0042',
    name: 'Pumpe Nord – PLC',
    role: 'plc',
    roleConfidence: 0.95,
    purdueLevel: 'L1',
    purdueConfidence: 0.875,
    protocols: ['modbus/server', 'dhcp/client'],
    evidence: [
      {
        field: 'role',
        value: 'plc',
        confidence: 0.95,
        source: 'modbus',
        detail: 'serves Modbus/TCP (port 502) to 3 clients',
      },
      {
        field: 'vendor',
        value: 'Schneider Electric',
        confidence: 0.6,
        source: 'oui',
        detail: 'OUI 00:80:F4',
      },
    ],
    overrides: {},
    firstSeen: 1_700_000_000.123456,
    lastSeen: 1_700_000_360.654321,
    parent: null,
    unit: null,
    ...changes,
  };
}

/** A device known only by its address, with nothing inferred. */
export function bareAsset(ip: string | null, id = `ip:${ip}`): Asset {
  return {
    id,
    ip,
    ips: ip === null ? [] : [ip],
    mac: null,
    vendor: null,
    model: null,
    firmware: null,
    serial: null,
    name: null,
    role: null,
    roleConfidence: null,
    purdueLevel: null,
    purdueConfidence: null,
    protocols: [],
    evidence: [],
    overrides: {},
    firstSeen: 1_700_000_000,
    lastSeen: 1_700_000_000,
    parent: null,
    unit: null,
  };
}

export function sampleFlow(changes: Partial<Flow> = {}): Flow {
  const client = changes.client ?? '10.0.2.10';
  const server = changes.server ?? '10.0.1.20';
  return {
    id: `tcp|${client}|${server}|502|modbus`,
    client,
    server,
    transport: 'tcp',
    port: 502,
    app: 'modbus',
    connections: 12,
    packets: 48_000,
    // Beyond 32 bits, to prove counters are 64-bit on both engines.
    bytes: 6_000_000_000,
    firstSeen: 1_700_000_000.5,
    lastSeen: 1_700_003_600.25,
    operations: {
      functions: { READ_HOLDING_REGISTERS: 1200, READ_COILS: 30, WRITE_SINGLE_REGISTER: 2 },
      reads: 1230,
      writes: 2,
      other: 0,
      exceptions: 1,
      addressRanges: [
        { space: 'coil', start: 0, end: 15 },
        { space: 'holding', start: 40, end: 59 },
      ],
      units: [1, 255],
    },
    ...changes,
  };
}

export function sampleCapture(changes: Partial<CaptureRecord> = {}): CaptureRecord {
  return {
    sha256: 'a'.repeat(64),
    path: 'captures/plant-line-2.pcapng',
    sizeBytes: 5_368_709_120,
    packets: 1_250_000,
    firstTs: 1_700_000_000.000001,
    lastTs: 1_700_086_399.999999,
    ingestedAt: 1_700_090_000.5,
    stats: { frames: 1_250_000, truncated: false, linkTypes: { ethernet: 1_250_000 } },
    ...changes,
  };
}
