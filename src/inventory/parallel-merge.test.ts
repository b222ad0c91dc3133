// Parallel discovery, emulated: the demo plant's capture is decoded once by one inventory and one
// communication map, and once more with the traffic split into shards the way the pipeline splits
// it: by the unordered pair of IP addresses (hashed, shard.ts, or least loaded first), ARP to
// shard 0. Each shard's builders are snapshotted, the snapshots cloned as postMessage would, and
// merged into fresh builders, whose results must equal the single pass exactly.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeDemoCapture } from '../demo/generate.ts';
import { FlowMapBuilder, type FlowMapSnapshot } from '../flows/flow-map.ts';
import type { Flow } from '../flows/types.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import type { AppEvent, ArpEvent, ConnectionSummary, LinkEvent, PipelineSink } from '../pipeline/events.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { InventoryBuilder, type InventorySnapshot } from './inventory-builder.ts';
import { shardOf } from './shard.ts';
import type { Asset } from './types.ts';

const PACKETS = 60_000;
const SEED = 3;

/** Which shard the traffic between two addresses goes to. */
type Assign = (ipA: string, ipB: string) => number;

/**
 * Like the pipeline's load-aware assignment (src/pipeline/shard.ts): a host pair seen for the
 * first time goes to the shard that got the fewest events so far. Merging must not care how pairs
 * are spread, only that each pair stays in one shard.
 */
function leastLoaded(count: number): Assign {
  const pairs = new Map<string, number>();
  const load = new Array<number>(count).fill(0);
  return (a, b) => {
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let shard = pairs.get(key);
    if (shard === undefined) {
      shard = load.indexOf(Math.min(...load));
      pairs.set(key, shard);
    }
    load[shard] += 1;
    return shard;
  };
}

/** Hands each shard's builders only what that shard's pipeline would have decoded. */
class Split implements PipelineSink {
  readonly shards: { inventory: InventoryBuilder; flows: FlowMapBuilder }[];

  constructor(
    readonly name: string,
    count: number,
    private readonly assign: Assign,
  ) {
    this.shards = Array.from({ length: count }, () => ({
      inventory: new InventoryBuilder(),
      flows: new FlowMapBuilder(),
    }));
  }

  event(e: AppEvent): void {
    const shard = this.shards[this.assign(e.conn.clientIp, e.conn.serverIp)];
    shard.inventory.event(e);
    shard.flows.event(e);
  }

  arp(e: ArpEvent): void {
    this.shards[0].inventory.arp(e);
    this.shards[0].flows.arp(e);
  }

  link(e: LinkEvent): void {
    this.shards[0].inventory.link(e);
    this.shards[0].flows.link(e);
  }

  connection(c: ConnectionSummary): void {
    const shard = this.shards[this.assign(c.conn.clientIp, c.conn.serverIp)];
    shard.inventory.connection(c);
    shard.flows.connection(c);
  }
}

interface Shard {
  inventory: InventorySnapshot;
  flows: FlowMapSnapshot;
}

function merged(shards: readonly Shard[]): { assets: Asset[]; flows: Flow[] } {
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  for (const s of shards) {
    inventory.merge(s.inventory);
    flows.merge(s.flows);
  }
  return { assets: inventory.result(), flows: flows.result() };
}

describe('discovery split into shards merges to the single-pass result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneward-shards-'));
  let single: { assets: Asset[]; flows: Flow[] };
  let splits: Map<string, Shard[]>;

  before(async () => {
    const capture = join(dir, 'plant.pcap');
    await writeDemoCapture({ out: capture, packets: PACKETS, seed: SEED });
    const inventory = new InventoryBuilder();
    const map = new FlowMapBuilder();
    await decodeCaptureFile(capture, new FanOut([inventory, map]));
    single = { assets: inventory.result(), flows: map.result() };

    const ways = [
      new Split('2 shards by hash', 2, (a, b) => shardOf(a, b, 2)),
      new Split('3 shards by hash', 3, (a, b) => shardOf(a, b, 3)),
      new Split('2 shards by load', 2, leastLoaded(2)),
    ];
    await decodeCaptureFile(capture, new FanOut(ways));
    splits = new Map();
    for (const way of ways) {
      // structuredClone is what postMessage does to the snapshots of worker threads.
      const shards = way.shards.map((s) =>
        structuredClone({ inventory: s.inventory.snapshot(), flows: s.flows.snapshot() }),
      );
      splits.set(way.name, shards);
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the split is a real one: every shard has flows, and hosts appear in several shards', () => {
    for (const [name, shards] of splits) {
      for (const s of shards) assert.ok(s.flows.flows.length > 0, `${name}: a shard is empty`);
      const shardsOfHost = new Map<string, number>();
      for (const s of shards) {
        for (const e of s.inventory.endpoints) {
          const key = `${e.mac}|${e.ip}`;
          shardsOfHost.set(key, (shardsOfHost.get(key) ?? 0) + 1);
        }
      }
      assert.ok(
        [...shardsOfHost.values()].some((n) => n > 1),
        `${name}: no host in two shards`,
      );
      assert.ok(shards[0].inventory.macs.length > 0, 'ARP and DHCP facts reach the merge');
    }
  });

  for (const name of ['2 shards by hash', '3 shards by hash', '2 shards by load']) {
    test(`${name}: the same assets and flows, whatever the merge order`, () => {
      const shards = splits.get(name)!;
      const forward = merged(shards);
      assert.deepEqual(forward.assets, single.assets);
      assert.deepEqual(forward.flows, single.flows);
      const backward = merged([...shards].reverse());
      assert.deepEqual(backward.assets, single.assets);
      assert.deepEqual(backward.flows, single.flows);
    });
  }

  test('snapshots are plain JSON data', () => {
    for (const s of splits.get('3 shards by hash')!) assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });

  test('merging one snapshot into an empty builder reproduces that builder', () => {
    const whole = merged(splits.get('2 shards by hash')!);
    const inventory = new InventoryBuilder();
    const flows = new FlowMapBuilder();
    for (const s of splits.get('2 shards by hash')!) {
      inventory.merge(s.inventory);
      flows.merge(s.flows);
    }
    const again = { inventory: new InventoryBuilder(), flows: new FlowMapBuilder() };
    again.inventory.merge(structuredClone(inventory.snapshot()));
    again.flows.merge(structuredClone(flows.snapshot()));
    assert.deepEqual(again.inventory.result(), whole.assets);
    assert.deepEqual(again.flows.result(), whole.flows);
  });
});
