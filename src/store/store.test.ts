// One conformance suite for every storage engine (STYLE.md 12): the same tests run against a fresh
// SQLite file and a fresh PostgreSQL schema, so "same schema, same queries" is checked, not hoped.
// PostgreSQL must be reachable (test-harness.ts TEST_DATABASE_URL): if it is not, its half fails.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, type TestContext, test } from 'node:test';
import type { Alert } from '../detect/alert.ts';
import { type ErrorCode, ErrorCodes, ZonewardError } from '../errors.ts';
import type { Flow } from '../flows/types.ts';
import type { Asset, Role } from '../inventory/types.ts';
import { ENGINES } from './engines/registry.ts';
import type { EngineName } from './engines/types.ts';
import { MIGRATIONS } from './migrations/registry.ts';
import { openStore, type Store, type StoreTx } from './store.ts';
import {
  bareAsset,
  type EngineHarness,
  type Place,
  postgresHarness,
  sampleAsset,
  sampleCapture,
  sampleFlow,
  sqliteHarness,
  TEST_DATABASE_URL,
} from './test-harness.ts';

const HARNESSES: readonly EngineHarness[] = [postgresHarness(), sqliteHarness()];

function sampleAlert(changes: Partial<Alert> = {}): Alert {
  return {
    id: 'a0',
    ts: 90,
    severity: 'high',
    category: 'write-out-of-range',
    technique: 'T0836',
    techniqueName: 'Modify Parameter',
    src: '192.0.2.101',
    dst: '192.0.2.11',
    assets: ['mac:f8:bc:12:2a:fb:67', 'mac:00:80:f4:2b:3d:ea'],
    summary:
      'hmi-1 wrote 9000 to holding register 107 of plc-boiler-1, outside the learned 0-1200 — «Überdruck»',
    evidence: [
      {
        ts: 90,
        detail: 'WRITE_SINGLE_REGISTER 107 = 9000',
        fields: { 'modbus.func': 'WRITE_SINGLE_REGISTER', 'modbus.values': [9000] },
      },
    ],
    firstSeen: 90,
    lastSeen: 100,
    count: 3,
    state: 'open',
    ...changes,
  };
}

async function open(t: TestContext, place: Place): Promise<Store> {
  const store = await openStore(place.options);
  t.after(() => store.close());
  return store;
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: ErrorCode,
  ...patterns: RegExp[]
): Promise<ZonewardError> {
  let caught: ZonewardError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ZonewardError, `expected a ZonewardError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    caught = error;
    return true;
  });
  return caught!;
}

const noStats = { captures: 0, assets: 0, flows: 0, identityChanges: 0, alerts: 0 };

function conformance(harness: EngineHarness): void {
  test('opens an empty store, and opening it again runs no migration twice', async (t) => {
    const place = await harness.newPlace();
    const first = await open(t, place);
    assert.equal(first.engine, harness.engine);
    assert.deepEqual(await first.stats(), noStats);
    await first.transaction((tx) => tx.upsertAssets([sampleAsset()]));

    // A second store on the same database while the first is open, then a third after both closed.
    const second = await open(t, place);
    assert.deepEqual(await second.getAsset(sampleAsset().id), sampleAsset());
    await first.close();
    await second.close();
    const third = await open(t, place);
    assert.deepEqual(await third.stats(), { ...noStats, assets: 1 });

    const applied = await place.raw('select name from zoneward_migration order by name');
    assert.deepEqual(
      applied.map((row) => row.name),
      MIGRATIONS.map((m) => m.name),
    );
  });

  test('assets round-trip with every field, JSON included', async (t) => {
    const store = await open(t, await harness.newPlace());
    const full = sampleAsset({
      overrides: {
        role: 'hmi',
        purdueLevel: 'L2',
        name: 'HMI Nord',
        criticality: 'high',
        tags: ['line-2', 'ä'],
      },
    });
    const bare = bareAsset(null, 'mac:00:1d:9c:00:00:01');
    await store.transaction((tx) => tx.upsertAssets([full, bare]));

    assert.deepEqual(await store.getAsset(full.id), full);
    assert.deepEqual(await store.getAsset(bare.id), bare);
    assert.equal(await store.getAsset('ip:192.0.2.99'), null);
    assert.deepEqual(await store.listAssets(), [full, bare]);
    assert.deepEqual(await store.transaction((tx) => tx.getAssets()), [full, bare]);
  });

  test('flows round-trip with every field; counters are numbers and functions come back sorted', async (t) => {
    const store = await open(t, await harness.newPlace());
    const modbus = sampleFlow({
      operations: {
        ...sampleFlow().operations,
        functions: { WRITE_SINGLE_REGISTER: 2, READ_HOLDING_REGISTERS: 1200, 'UNKNOWN-90': 1 },
      },
    });
    const unknown = sampleFlow({
      id: 'udp|10.0.2.10|10.0.1.40|47808|',
      server: '10.0.1.40',
      transport: 'udp',
      port: 47808,
      app: null,
      operations: {
        functions: {},
        reads: 0,
        writes: 0,
        other: 0,
        exceptions: 0,
        addressRanges: [],
        units: [],
      },
    });
    await store.transaction((tx) => tx.upsertFlows([modbus, unknown]));

    const [stored, storedUnknown] = await store.listFlows();
    assert.deepEqual(stored, modbus);
    assert.deepEqual(storedUnknown, unknown);
    assert.deepEqual(Object.keys(stored.operations.functions), [
      'READ_HOLDING_REGISTERS',
      'UNKNOWN-90',
      'WRITE_SINGLE_REGISTER',
    ]);
    assert.equal(typeof stored.bytes, 'number');
    assert.equal(stored.bytes, 6_000_000_000);
    assert.deepEqual(await store.transaction((tx) => tx.getFlows([unknown.id])), [unknown]);
  });

  test('captures round-trip, ordered by ingestion time', async (t) => {
    const store = await open(t, await harness.newPlace());
    const later = sampleCapture();
    const earlier = sampleCapture({
      sha256: 'b'.repeat(64),
      ingestedAt: 1_600_000_000,
      firstTs: null,
      lastTs: null,
    });
    await store.transaction(async (tx) => {
      assert.equal(await tx.recordCapture(later), true);
      assert.equal(await tx.recordCapture(earlier), true);
    });
    assert.deepEqual(await store.listCaptures(), [earlier, later]);
  });

  test('upserts replace stored records by id; within one batch the last record wins', async (t) => {
    const store = await open(t, await harness.newPlace());
    const before = sampleAsset();
    const updated = sampleAsset({
      firmware: 'v3.30',
      ip: '10.0.1.21',
      ips: ['10.0.1.7', '10.0.1.20', '10.0.1.21'],
      lastSeen: 1_700_001_000,
    });
    await store.transaction((tx) => tx.upsertAssets([before]));
    await store.transaction((tx) => tx.upsertAssets([updated]));
    assert.deepEqual(await store.listAssets(), [updated]);

    const first = sampleFlow({ packets: 1 });
    const second = sampleFlow({ packets: 2, lastSeen: 1_700_009_999 });
    await store.transaction((tx) => tx.upsertFlows([first, second]));
    assert.deepEqual(await store.listFlows(), [second]);
    assert.deepEqual(await store.stats(), { ...noStats, assets: 1, flows: 1 });
  });

  test('discovering the same capture twice changes nothing', async (t) => {
    const store = await open(t, await harness.newPlace());
    const capture = sampleCapture();
    const ingest = () =>
      store.transaction(async (tx) => {
        if (await tx.hasCapture(capture.sha256)) return false;
        await tx.upsertAssets([sampleAsset(), bareAsset('10.0.2.10')]);
        await tx.upsertFlows([sampleFlow()]);
        return tx.recordCapture(capture);
      });
    assert.equal(await store.transaction((tx) => tx.hasCapture(capture.sha256)), false);
    assert.equal(await ingest(), true);
    const snapshot = [
      await store.stats(),
      await store.listAssets(),
      await store.listFlows(),
      await store.listCaptures(),
    ];

    assert.equal(await ingest(), false);
    // Recording it again, even under another name, is refused as well.
    assert.equal(
      await store.transaction((tx) => tx.recordCapture({ ...capture, path: 'elsewhere.pcap' })),
      false,
    );
    assert.deepEqual(
      [await store.stats(), await store.listAssets(), await store.listFlows(), await store.listCaptures()],
      snapshot,
    );
  });

  test('overrides survive an upsert of a freshly discovered record', async (t) => {
    const store = await open(t, await harness.newPlace());
    const asset = bareAsset('10.0.2.10');
    await store.transaction((tx) => tx.upsertAssets([{ ...asset, role: 'it-host' }]));
    const corrected = { role: 'hmi', name: 'Operator HMI', tags: ['line-2'] } as const;
    const afterSet = await store.setAssetOverrides(asset.id, { ...corrected, tags: [...corrected.tags] });
    assert.deepEqual(afterSet?.overrides, corrected);

    // What discover writes: a new record that knows nothing of the corrections.
    await store.transaction((tx) =>
      tx.upsertAssets([{ ...asset, vendor: 'Siemens', lastSeen: 1_800_000_000 }]),
    );
    const afterDiscover = await store.getAsset(asset.id);
    assert.deepEqual(afterDiscover?.overrides, corrected);
    assert.equal(afterDiscover?.vendor, 'Siemens');
    assert.equal(afterDiscover?.lastSeen, 1_800_000_000);

    // A record that does carry overrides replaces them; setAssetOverrides({}) clears them.
    await store.transaction((tx) => tx.upsertAssets([{ ...asset, overrides: { criticality: 'critical' } }]));
    assert.deepEqual((await store.getAsset(asset.id))?.overrides, { criticality: 'critical' });
    assert.deepEqual((await store.setAssetOverrides(asset.id, {}))?.overrides, {});
    assert.deepEqual((await store.getAsset(asset.id))?.overrides, {});

    assert.equal(await store.setAssetOverrides('ip:192.0.2.99', { role: 'plc' }), null);
    await rejectsWith(
      store.setAssetOverrides(asset.id, { role: 'wizard' as Role }),
      ErrorCodes.STORE_INVALID_RECORD,
      /role/,
    );
  });

  test('identity changes are kept in order, and only for stored assets', async (t) => {
    const store = await open(t, await harness.newPlace());
    const asset = sampleAsset();
    const changes = [
      {
        assetId: asset.id,
        field: 'firmware',
        oldValue: 'v3.10',
        newValue: 'v3.20',
        source: 'modbus',
        ts: 20,
      },
      { assetId: asset.id, field: 'ip', oldValue: '10.0.1.7', newValue: '10.0.1.20', source: 'dhcp', ts: 10 },
      {
        assetId: asset.id,
        field: 'name',
        oldValue: null,
        newValue: 'Pumpe Nord – PLC',
        source: 'user',
        ts: 20,
      },
    ] as const;
    await store.transaction(async (tx) => {
      await tx.upsertAssets([asset]);
      await tx.recordIdentityChanges(changes.map((c) => ({ ...c })));
    });
    assert.deepEqual(await store.getIdentityHistory(asset.id), [changes[1], changes[0], changes[2]]);
    assert.deepEqual(await store.getIdentityHistory('ip:192.0.2.99'), []);

    // The foreign key holds (SQLite enforces it only when asked to, per connection).
    await rejectsWith(
      store.transaction((tx) => tx.recordIdentityChanges([{ ...changes[0], assetId: 'ip:192.0.2.99' }])),
      ErrorCodes.STORE_FAILED,
      /recording identity changes/,
    );
    assert.equal((await store.stats()).identityChanges, 3);
  });

  test('alerts: stored whole, listed newest first with filters, actions recorded with who and why', async (t) => {
    const store = await open(t, await harness.newPlace());
    const older = sampleAlert({ id: 'a1', lastSeen: 100, severity: 'medium', category: 'new-pair' });
    const newer = sampleAlert({
      id: 'a2',
      lastSeen: 200,
      severity: 'critical',
      category: 'program-download',
    });
    await store.transaction((tx) => tx.upsertAlerts([older, newer]));
    assert.deepEqual(await store.listAlerts(), [newer, older]);
    assert.deepEqual(await store.listAlerts({ minSeverity: 'high' }), [newer]);
    assert.deepEqual(await store.listAlerts({ category: 'new-pair' }), [older]);
    assert.deepEqual(await store.listAlerts({ since: 150 }), [newer]);
    // The caller merges (count, last seen) and writes back: upsert replaces by id.
    await store.transaction(async (tx) => {
      const [stored] = await tx.getAlerts(['a1']);
      await tx.upsertAlerts([{ ...stored, count: stored.count + 4, lastSeen: 300 }]);
    });
    assert.equal((await store.listAlerts())[0].count, older.count + 4);

    const acknowledged = await store.recordAlertAction({
      alertId: 'a2',
      action: 'acknowledge',
      by: 'j.doe',
      why: 'maintenance ticket 4711',
      at: 400,
    });
    assert.equal(acknowledged?.state, 'acknowledged');
    await store.recordAlertAction({
      alertId: 'a2',
      action: 'close',
      by: 'j.doe',
      why: 'download was planned',
      at: 500,
    });
    assert.deepEqual(
      (await store.getAlertActions('a2')).map((a) => [a.action, a.by, a.at]),
      [
        ['acknowledge', 'j.doe', 400],
        ['close', 'j.doe', 500],
      ],
    );
    assert.deepEqual(await store.listAlerts({ state: 'closed' }), [{ ...newer, state: 'closed' }]);
    assert.equal(
      await store.recordAlertAction({ alertId: 'nope', action: 'close', by: 'x', why: 'y', at: 1 }),
      null,
    );
    await rejectsWith(
      store.recordAlertAction({ alertId: 'a1', action: 'close', by: '', why: 'y', at: 1 }),
      ErrorCodes.STORE_INVALID_RECORD,
      /say who/,
    );
    assert.equal((await store.stats()).alerts, 2);
  });

  test('suppressions apply until they expire; baselines are kept whole, the newest per site first', async (t) => {
    const store = await open(t, await harness.newPlace());
    const s = {
      id: 's1',
      category: 'new-function',
      src: '192.0.2.110',
      dst: null,
      key: null,
      until: 1000,
      by: 'j.doe',
      why: 'commissioning of line 3',
      createdAt: 100,
    };
    await store.addSuppression(s);
    assert.deepEqual(await store.listSuppressions(500), [s]);
    assert.deepEqual(await store.listSuppressions(1000), []);
    await rejectsWith(
      store.addSuppression({ ...s, id: 's2', until: 50 }),
      ErrorCodes.STORE_INVALID_RECORD,
      /expires before it was made/,
    );
    const document = {
      format: 'zoneward.baseline/1' as const,
      site: 'plant-1',
      mode: 'monitoring' as const,
      confirmed: { by: 'j.doe', at: '2026-03-02T12:00:00Z' },
      learned: { sources: [{ source: 'a.pcap', sha256: null }], firstTs: 1, lastTs: 2, packets: 3 },
      assets: [],
      pairs: [],
      channels: [],
    };
    assert.equal(await store.latestBaseline(), null);
    await store.saveBaseline({ id: 'b1', site: 'plant-1', mode: 'learning', savedAt: 10, document });
    await store.saveBaseline({ id: 'b2', site: 'plant-1', mode: 'monitoring', savedAt: 20, document });
    await store.saveBaseline({ id: 'b3', site: 'plant-2', mode: 'monitoring', savedAt: 15, document });
    assert.equal((await store.latestBaseline('plant-1'))?.id, 'b2');
    assert.deepEqual((await store.latestBaseline('plant-1'))?.document, document);
    assert.equal((await store.latestBaseline())?.id, 'b2');
    await rejectsWith(
      store.saveBaseline({
        id: 'b4',
        site: 'x',
        mode: 'monitoring',
        savedAt: 1,
        document: { ...document, format: 'other' } as never,
      }),
      ErrorCodes.STORE_INVALID_RECORD,
      /baseline/,
    );
  });

  test('assets list by address numerically, IPv4 before IPv6, then no address; ties by id', async (t) => {
    const store = await open(t, await harness.newPlace());
    const expected = [
      bareAsset('9.1.1.1'),
      bareAsset('10.0.0.2'),
      bareAsset('10.0.0.2', 'mac:00:1d:9c:00:00:02'),
      bareAsset('10.0.0.10'),
      bareAsset('192.168.1.1'),
      bareAsset('2001:db8::1'),
      bareAsset('fe80::1'),
      bareAsset(null, 'mac:00:1d:9c:00:00:01'),
    ];
    await store.transaction((tx) => tx.upsertAssets([...expected].reverse()));
    assert.deepEqual(await store.listAssets(), expected);
    const someIds = [expected[6].id, expected[0].id, expected[3].id];
    assert.deepEqual(await store.transaction((tx) => tx.getAssets(someIds)), [
      expected[0],
      expected[3],
      expected[6],
    ]);
  });

  test('asset filters: effective role and Purdue level, case-insensitive search, pages', async (t) => {
    const store = await open(t, await harness.newPlace());
    const plc = sampleAsset();
    const hmi = { ...bareAsset('10.0.2.10'), role: 'it-host', purdueLevel: 'L4' } satisfies Asset;
    const historian = {
      ...bareAsset('10.0.3.5'),
      name: '100% pump_2',
      role: 'historian',
      purdueLevel: 'L3',
    } satisfies Asset;
    const decoy = { ...bareAsset('10.0.3.6'), name: '1000 pumpx2' } satisfies Asset;
    await store.transaction((tx) => tx.upsertAssets([plc, hmi, historian, decoy]));
    await store.setAssetOverrides(hmi.id, { role: 'hmi', purdueLevel: 'L2', name: 'Operator HMI' });

    const ids = async (filter: Parameters<Store['listAssets']>[0]) =>
      (await store.listAssets(filter)).map((a) => a.id);
    assert.deepEqual(await ids({ role: 'plc' }), [plc.id]);
    assert.deepEqual(await ids({ role: 'hmi' }), [hmi.id]);
    assert.deepEqual(await ids({ role: 'it-host' }), [], 'the override hides the inferred role');
    assert.deepEqual(await ids({ purdueLevel: 'L2' }), [hmi.id]);
    assert.deepEqual(await ids({ purdueLevel: 'L4' }), []);
    assert.deepEqual(await ids({ search: 'SCHNEIDER' }), [plc.id]);
    assert.deepEqual(await ids({ search: '00:80:F4' }), [plc.id]);
    assert.deepEqual(await ids({ search: '10.0.3.' }), [historian.id, decoy.id]);
    assert.deepEqual(await ids({ search: '100% pump_2' }), [historian.id], '% and _ are literal');
    assert.deepEqual(await ids({ search: 'operator' }), [hmi.id], 'the overridden name is searched');
    assert.deepEqual(await ids({ search: '10.0.', role: 'historian' }), [historian.id]);
    assert.deepEqual(await ids({ search: '' }), [plc.id, hmi.id, historian.id, decoy.id]);

    const all = await store.listAssets();
    const pages = [
      ...(await store.listAssets({ limit: 3, offset: 0 })),
      ...(await store.listAssets({ limit: 3, offset: 3 })),
    ];
    assert.deepEqual(pages, all);
    assert.deepEqual(
      await ids({ offset: 2 }),
      all.slice(2).map((a) => a.id),
    );
    assert.deepEqual(await ids({ limit: 0 }), []);
    assert.deepEqual(await ids({ offset: 10 }), []);
    await rejectsWith(store.listAssets({ limit: -1 }), ErrorCodes.USAGE, /limit/);
    await rejectsWith(store.listFlows({ offset: 1.5 }), ErrorCodes.USAGE, /offset/);
  });

  test('flow filters and pages; ids order bytewise whatever the server locale', async (t) => {
    const store = await open(t, await harness.newPlace());
    const a = sampleFlow({ client: '10.0.2.10', server: '10.0.1.20' });
    const b = sampleFlow({ client: '10.0.2.11', server: '10.0.1.20' });
    const c = sampleFlow({
      id: 'tcp|10.0.2.10|10.0.1.30|44818|enip',
      server: '10.0.1.30',
      port: 44818,
      app: 'enip',
    });
    const d = sampleFlow({
      id: 'udp|10.0.2.10|10.0.1.40|47808|',
      server: '10.0.1.40',
      port: 47808,
      app: null,
    });
    // A locale collation would ignore `|` and case; bytewise, `TCP` < `tcp|10.0.2.10|` < `tcp|10.0.2.1|`.
    const e = sampleFlow({ id: 'TCP|legacy', client: '10.0.2.1' });
    const f = sampleFlow({ id: 'tcp|10.0.2.1|10.0.1.20|502|modbus', client: '10.0.2.1' });
    await store.transaction((tx) => tx.upsertFlows([a, b, c, d, e, f]));

    const ids = async (filter: Parameters<Store['listFlows']>[0]) =>
      (await store.listFlows(filter)).map((x) => x.id);
    const sorted = (...flows: Flow[]) => flows.map((x) => x.id).sort();
    assert.deepEqual(await ids({}), sorted(a, b, c, d, e, f));
    assert.deepEqual(await ids({ client: '10.0.2.10' }), sorted(a, c, d));
    assert.deepEqual(await ids({ server: '10.0.1.20' }), sorted(a, b, e, f));
    assert.deepEqual(await ids({ app: 'modbus' }), sorted(a, b, e, f));
    assert.deepEqual(await ids({ app: null }), [d.id]);
    assert.deepEqual(await ids({ client: '10.0.2.10', app: 'modbus' }), [a.id]);
    assert.deepEqual(await ids({ limit: 2, offset: 1 }), sorted(a, b, c, d, e, f).slice(1, 3));
  });

  test('lookups by key reach past the bind-parameter limit; by IP means the current address', async (t) => {
    const store = await open(t, await harness.newPlace());
    const moved = sampleAsset(); // once 10.0.1.7, now 10.0.1.20
    const other = bareAsset('10.0.1.7', 'mac:00:1d:9c:00:00:07');
    await store.transaction(async (tx) => {
      await tx.upsertAssets([moved, other]);
      await tx.upsertFlows([sampleFlow()]);
    });
    // More ids than SQLite accepts parameters in one statement (32766).
    const many = Array.from({ length: 40_000 }, (_, i) => `ip:198.18.${i >> 8}.${i & 255}`);
    await store.transaction(async (tx) => {
      assert.deepEqual(await tx.getAssets([...many, moved.id, other.id, moved.id]), [other, moved]);
      assert.deepEqual(await tx.getAssets([]), []);
      assert.deepEqual(await tx.getAssetsByIp(['10.0.1.7']), [other]);
      assert.deepEqual(await tx.getAssetsByIp(['10.0.1.20', '192.0.2.1']), [moved]);
      assert.deepEqual(await tx.getFlows([...many, sampleFlow().id]), [sampleFlow()]);
      assert.deepEqual(await tx.getFlows([]), []);
    });
  });

  test('20,000 flows in one batch are written in chunks the engine accepts', async (t) => {
    const store = await open(t, await harness.newPlace());
    const flows = Array.from({ length: 20_000 }, (_, i) => {
      const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      return sampleFlow({ id: `tcp|${client}|10.0.1.20|502|modbus`, client, packets: i });
    });
    await store.transaction((tx) => tx.upsertFlows(flows));
    assert.equal((await store.stats()).flows, 20_000);
    const byId = [...flows].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(await store.listFlows({ limit: 2, offset: 19_998 }), byId.slice(19_998));

    await store.transaction((tx) => tx.upsertFlows(flows.map((f) => ({ ...f, packets: f.packets + 1 }))));
    const sample = await store.transaction((tx) => tx.getFlows([flows[0].id, flows[19_999].id]));
    assert.deepEqual(
      sample.map((f) => f.packets),
      [1, 20_000],
    );
    assert.equal((await store.stats()).flows, 20_000);
  });

  test('a failed transaction leaves nothing behind, and the error comes back as it was', async (t) => {
    const store = await open(t, await harness.newPlace());
    const boom = new Error('merge failed halfway');
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.recordCapture(sampleCapture());
        await tx.upsertAssets([sampleAsset()]);
        await tx.recordIdentityChanges([
          {
            assetId: sampleAsset().id,
            field: 'model',
            oldValue: null,
            newValue: 'x',
            source: 'modbus',
            ts: 1,
          },
        ]);
        await tx.upsertFlows([sampleFlow()]);
        throw boom;
      }),
      (error) => error === boom,
    );
    assert.deepEqual(await store.stats(), noStats);

    // A failed step ends the transaction even when the callback catches it and returns.
    const invalid = { ...bareAsset('10.0.0.1'), role: 'wizard' as Role };
    await rejectsWith(
      store.transaction(async (tx) => {
        await tx.upsertFlows([sampleFlow()]);
        await assert.rejects(tx.upsertAssets([invalid]));
        await rejectsWith(tx.hasCapture('a'.repeat(64)), ErrorCodes.STORE_FAILED, /earlier step/);
      }),
      ErrorCodes.STORE_INVALID_RECORD,
      /ip:10\.0\.0\.1/,
    );
    assert.deepEqual(await store.stats(), noStats);
  });

  test('the store refuses use from inside its own transaction, or through a finished one', async (t) => {
    const store = await open(t, await harness.newPlace());
    await rejectsWith(
      store.transaction(() => store.listAssets()),
      ErrorCodes.STORE_FAILED,
      /inside its own transaction/,
    );
    await rejectsWith(
      store.transaction(() => store.transaction(async () => 1)),
      ErrorCodes.STORE_FAILED,
      /inside its own transaction/,
    );
    let leaked: StoreTx | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    await rejectsWith(leaked!.getAssets(), ErrorCodes.STORE_FAILED, /already ended/);
    assert.deepEqual(await store.listAssets(), [], 'the store still works afterwards');
  });

  test('invalid records are refused before anything is written', async (t) => {
    const store = await open(t, await harness.newPlace());
    await rejectsWith(
      store.transaction((tx) =>
        tx.upsertAssets([sampleAsset(), { ...bareAsset('10.0.0.1'), roleConfidence: 1.5 }]),
      ),
      ErrorCodes.STORE_INVALID_RECORD,
      /asset "ip:10\.0\.0\.1"/,
      /roleConfidence/,
    );
    await rejectsWith(
      store.transaction((tx) => tx.upsertFlows([sampleFlow({ port: 70_000 })])),
      ErrorCodes.STORE_INVALID_RECORD,
      /port/,
    );
    await rejectsWith(
      store.transaction((tx) => tx.recordCapture(sampleCapture({ sha256: 'ABC' }))),
      ErrorCodes.STORE_INVALID_RECORD,
      /sha256/,
    );
    assert.deepEqual(await store.stats(), noStats);
  });

  test('a corrupt row gives an error naming its table, key and field', async (t) => {
    const place = await harness.newPlace();
    const store = await open(t, place);
    await store.transaction(async (tx) => {
      await tx.upsertAssets([sampleAsset(), bareAsset('10.0.0.1')]);
      await tx.upsertFlows([sampleFlow()]);
    });
    await place.raw(`update assets set role = 'wizard' where id = 'ip:10.0.0.1'`);
    await rejectsWith(
      store.listAssets(),
      ErrorCodes.STORE_CORRUPT_RECORD,
      /assets row "ip:10\.0\.0\.1"/,
      /role/,
    );
    await rejectsWith(store.getAsset('ip:10.0.0.1'), ErrorCodes.STORE_CORRUPT_RECORD, /role/);
    assert.deepEqual(await store.getAsset(sampleAsset().id), sampleAsset(), 'other rows still read');

    await place.raw(`update flows set operations = '{"functions": 3}'`);
    await rejectsWith(
      store.listFlows(),
      ErrorCodes.STORE_CORRUPT_RECORD,
      /flows row/,
      /operations\.functions/,
    );
  });

  test('a database with a foreign table of the same name is not migrated over', async () => {
    const place = await harness.newPlace();
    await place.raw('create table assets (x integer); insert into assets (x) values (42)');
    await rejectsWith(openStore(place.options), ErrorCodes.STORE_MIGRATION, /0001_foundation/, /rolled back/);
    assert.deepEqual(await place.raw('select x from assets'), [{ x: 42 }]);
    assert.equal(await place.tableExists('captures'), false, 'the failed migration left no table behind');
  });

  test('a database written by a newer Zoneward is refused and left untouched', async (t) => {
    const place = await harness.newPlace();
    const store = await open(t, place);
    await store.transaction((tx) => tx.upsertAssets([sampleAsset()]));
    await store.close();
    await place.raw(
      `insert into zoneward_migration (name, "timestamp") values ('9999_from_the_future', '2031-01-01T00:00:00.000Z')`,
    );
    await rejectsWith(
      openStore(place.options),
      ErrorCodes.STORE_MIGRATION,
      /newer Zoneward/,
      /9999_from_the_future/,
    );
    assert.deepEqual(await place.raw('select id from assets'), [{ id: sampleAsset().id }]);
    assert.equal((await place.raw('select name from zoneward_migration')).length, MIGRATIONS.length + 1);
  });

  test('close is idempotent, and a closed store refuses work', async (t) => {
    const store = await open(t, await harness.newPlace());
    await store.close();
    await store.close();
    await rejectsWith(store.listAssets(), ErrorCodes.STORE_FAILED, /closed/);
    await rejectsWith(
      store.transaction(async () => 1),
      ErrorCodes.STORE_FAILED,
      /closed/,
    );
  });
}

/** Behaviour that exists on one engine only; typed so that a new engine must say what it adds. */
const ENGINE_SPECIFIC: Record<EngineName, (harness: EngineHarness) => void> = {
  postgres: (harness) => {
    test('an unreachable server is named in the error, without its password', async () => {
      for (const url of [
        'postgres://zoneward:s3cret@127.0.0.1:1/test',
        'postgres://zoneward@127.0.0.1:1/test?password=s3cret',
      ]) {
        const error = await rejectsWith(
          openStore({ url }),
          ErrorCodes.STORE_UNAVAILABLE,
          /cannot open PostgreSQL postgres:\/\/zoneward@127\.0\.0\.1:1\/test/,
          /ECONNREFUSED/,
        );
        assert.doesNotMatch(error.message, /s3cret/);
      }
    });

    test('a database that does not exist is named in the error', async () => {
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = '/zoneward_no_such_database';
      await rejectsWith(
        openStore({ url: url.toString() }),
        ErrorCodes.STORE_UNAVAILABLE,
        /zoneward_no_such_database/,
        /does not exist/,
      );
    });

    test('schemas keep installations apart, each with its own migration record', async (t) => {
      const [one, two] = [await harness.newPlace(), await harness.newPlace()];
      const first = await open(t, one);
      const second = await open(t, two);
      await first.transaction((tx) => tx.upsertAssets([sampleAsset()]));
      assert.deepEqual(await second.stats(), noStats);
      assert.equal(await one.tableExists('zoneward_migration'), true);
      assert.equal(await two.tableExists('zoneward_migration'), true);
      assert.match(first.location, /^PostgreSQL postgres:\/\/.*\(schema zw_store_test_/);
    });
  },

  sqlite: (harness) => {
    test('creates the folder of a new database file, and uses WAL mode', async (t) => {
      const place = await harness.newPlace();
      const path = place.options.db!;
      assert.equal(existsSync(path), false);
      const store = await open(t, place);
      assert.equal(store.location, `SQLite file ${path}`);
      assert.equal(existsSync(path), true);
      assert.deepEqual(await place.raw('pragma journal_mode'), [{ journal_mode: 'wal' }]);
    });

    test('a file that is not a database is refused and left untouched', async () => {
      const place = await harness.newPlace();
      const folder = join(place.options.db!, '..');
      mkdirSync(folder, { recursive: true });
      const damaged = await (async () => {
        const path = join(folder, 'damaged.db');
        const store = await openStore({ db: path });
        await store.transaction((tx) => tx.upsertAssets([sampleAsset()]));
        await store.close();
        const bytes = readFileSync(path);
        bytes.fill(0x5a, 100); // keep the 100-byte header, destroy every page
        return bytes;
      })();
      const files: Record<string, Buffer> = {
        'notes.txt': Buffer.from('Line 2 PLC passwords are NOT kept here.\n'.repeat(20)),
        'tiny.db': Buffer.from('hello'),
        'random.db': randomBytes(8192),
        'capture.pcap': Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'),
        'damaged.db': damaged,
      };
      for (const [name, bytes] of Object.entries(files)) {
        const path = join(folder, name);
        writeFileSync(path, bytes);
        await rejectsWith(openStore({ db: path }), ErrorCodes.STORE_NOT_A_DATABASE, /left untouched/);
        const after = readFileSync(path);
        assert.equal(sha256(after), sha256(bytes), `${name} was modified`);
        assert.equal(existsSync(`${path}-wal`), false, `${name}: a WAL file was created`);
        assert.equal(existsSync(`${path}-journal`), false, `${name}: a journal was created`);
      }
    });

    test('a path that cannot hold a database gives ZW_STORE_UNAVAILABLE', async () => {
      const place = await harness.newPlace();
      const folder = join(place.options.db!, '..');
      mkdirSync(folder, { recursive: true });
      await rejectsWith(openStore({ db: folder }), ErrorCodes.STORE_UNAVAILABLE, /is a directory/);
      const file = join(folder, 'plain-file');
      writeFileSync(file, 'x');
      await rejectsWith(
        openStore({ db: join(file, 'zoneward.db') }),
        ErrorCodes.STORE_UNAVAILABLE,
        /cannot create its folder/,
      );
    });

    test('JSON text that does not parse is reported as a corrupt row', async (t) => {
      const place = await harness.newPlace();
      const store = await open(t, place);
      await store.transaction((tx) => tx.upsertAssets([sampleAsset()]));
      await place.raw(`update assets set evidence = '[{"field": ' where id = '${sampleAsset().id}'`);
      await rejectsWith(store.listAssets(), ErrorCodes.STORE_CORRUPT_RECORD, /evidence is not valid JSON/);
    });

    test('an in-memory database works for throw-away use', async (t) => {
      const store = await openStore({ db: ':memory:' });
      t.after(() => store.close());
      assert.equal(store.location, 'SQLite in-memory database');
      await store.transaction((tx) => tx.upsertFlows([sampleFlow()]));
      assert.deepEqual(await store.listFlows(), [sampleFlow()]);
    });
  },
};

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

test('the suite covers every registered engine', () => {
  assert.deepEqual(
    HARNESSES.map((h) => h.engine),
    ENGINES.map((e) => e.name),
  );
});

for (const harness of HARNESSES) {
  describe(`store on ${harness.engine}`, () => {
    before(() => harness.setup());
    after(() => harness.teardown());
    conformance(harness);
    ENGINE_SPECIFIC[harness.engine](harness);
  });
}
