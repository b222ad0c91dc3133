// Learns the semantic baseline (issue 4) from what the pipeline hands its sinks: which devices
// send, which pairs talk over what, and per channel (client, server, app) the functions and
// operation classes requested (the descriptors' vocabulary, src/dissectors/types.ts), the units
// addressed, the address and value ranges written, and the polling cadence. Every table is capped
// by a named constant: a learner fed for days keeps flat memory, and what a cap turned away is
// counted (dropped()).

import type { Operation } from '../dissectors/operations.ts';
import { isOperation } from '../dissectors/operations.ts';
import type { Fields, MessageVocabulary } from '../dissectors/types.ts';
import { messageFunction, vocabularyOf } from '../dissectors/vocabulary.ts';
import type { Asset } from '../inventory/types.ts';
import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
  PipelineSink,
} from '../pipeline/events.ts';
import { Cadence, combinePolling, type Polling } from './cadence.ts';
import { pollKey } from './poll-key.ts';
import { addRange, type Range } from './ranges.ts';
import {
  BASELINE_FORMAT,
  type BaselineAsset,
  type BaselineChannel,
  type BaselineDocument,
  type BaselinePair,
  type BaselineWrites,
} from './types.ts';
import { extractWrites, type WriteObservation } from './writes.ts';

/** Most devices kept. A plant has hundreds; a scan of spoofed sources must not grow this forever. */
export const MAX_ASSETS = 20_000;
/** Most (client, server, transport, port, app) pairs kept. */
export const MAX_PAIRS = 50_000;
/** Most (client, server, app) channels kept. */
export const MAX_CHANNELS = 20_000;
/** Most distinct function names per channel (Modbus has 127 codes, CIP a few hundred services). */
export const MAX_FUNCTIONS_PER_CHANNEL = 256;
/** Most distinct unit ids per channel (a Modbus unit id is one byte). */
export const MAX_UNITS_PER_CHANNEL = 256;
/** Most address spaces with writes per channel. */
export const MAX_WRITE_SPACES_PER_CHANNEL = 32;
/** Most distinct repeated reads whose cadence is tracked per channel. */
export const MAX_POLL_ITEMS_PER_CHANNEL = 64;

export interface ToDocumentOptions {
  readonly site: string;
  readonly sources?: readonly { readonly source: string; readonly sha256: string | null }[];
  /** Inventory assets: role and identity of the baseline's assets are taken from them. */
  readonly inventory?: readonly Asset[];
  /** Packets read (the pipeline's frame count); default: the packets of the connections seen. */
  readonly packets?: number;
}

export interface DroppedCounts {
  assets: number;
  pairs: number;
  channels: number;
  functions: number;
  units: number;
  writeSpaces: number;
  pollItems: number;
}

interface AssetState {
  readonly ip: string | null;
  mac: string | null;
}

interface PairState {
  readonly client: string;
  readonly server: string;
  readonly transport: 'tcp' | 'udp';
  readonly port: number;
  readonly app: string | null;
  connections: number;
  packets: number;
}

interface WritesState {
  ranges: Range[];
  min: number;
  max: number;
}

interface ChannelState {
  readonly client: string;
  readonly server: string;
  readonly app: string;
  readonly vocabulary: MessageVocabulary | null;
  readonly functions: Map<string, number>;
  readonly operations: Map<Operation, number>;
  readonly units: Set<number>;
  readonly writes: Map<string, WritesState>;
  /** One cadence per repeated read (function, unit, address, quantity). */
  readonly polls: Map<string, Cadence>;
  /** Requests in the current one-second window, when it started, and the most in any window. */
  second: number;
  secondStart: number;
  peakPerS: number;
  violations: number;
}

export class BaselineLearner implements PipelineSink {
  private readonly assets = new Map<string, AssetState>();
  private readonly pairs = new Map<string, PairState>();
  private readonly channels = new Map<string, ChannelState>();
  /** Events of one connection share its ConnectionInfo object: its channel is looked up once. */
  private readonly channelOfConn = new WeakMap<ConnectionInfo, ChannelState | null>();
  private firstTs = Number.POSITIVE_INFINITY;
  private lastTs = Number.NEGATIVE_INFINITY;
  private connectionPackets = 0;
  private readonly droppedCounts: DroppedCounts = {
    assets: 0,
    pairs: 0,
    channels: 0,
    functions: 0,
    units: 0,
    writeSpaces: 0,
    pollItems: 0,
  };

  event(e: AppEvent): void {
    this.time(e.ts);
    const conn = e.conn;
    if (e.dir === 0) this.asset(conn.clientIp, conn.clientMac);
    else this.asset(conn.serverIp, conn.serverMac);
    if (e.kind !== 'message' && e.kind !== 'violation') return;
    if (e.kind === 'message' && e.dir !== 0) return;
    let channel = this.channelOfConn.get(conn);
    if (channel === undefined) {
      channel = this.channel(conn.clientIp, conn.serverIp, e.app);
      this.channelOfConn.set(conn, channel);
    }
    if (channel === null) return;
    if (e.kind === 'violation') channel.violations += 1;
    else this.request(channel, e.ts, e.fields);
  }

  arp(e: ArpEvent): void {
    this.time(e.ts);
    // RFC 5227 probes carry sender IP 0.0.0.0: the MAC is a device, the address is not its own.
    this.asset(e.senderIp === '0.0.0.0' ? null : e.senderIp, e.senderMac);
  }

  link(e: LinkEvent): void {
    this.time(e.ts);
    this.asset(null, e.srcMac);
  }

  connection(c: ConnectionSummary): void {
    this.time(c.firstTs);
    this.time(c.lastTs);
    const conn = c.conn;
    if (c.packets[0] > 0) this.asset(conn.clientIp, conn.clientMac);
    if (c.packets[1] > 0) this.asset(conn.serverIp, conn.serverMac);
    const packets = c.packets[0] + c.packets[1];
    this.connectionPackets += packets;
    const key = `${conn.clientIp}|${conn.serverIp}|${conn.transport}|${conn.serverPort}|${c.app ?? ''}`;
    let pair = this.pairs.get(key);
    if (pair === undefined) {
      if (this.pairs.size >= MAX_PAIRS) {
        this.droppedCounts.pairs += 1;
        return;
      }
      pair = {
        client: conn.clientIp,
        server: conn.serverIp,
        transport: conn.transport,
        port: conn.serverPort,
        app: c.app,
        connections: 0,
        packets: 0,
      };
      this.pairs.set(key, pair);
    }
    pair.connections += 1;
    pair.packets += packets;
  }

  /** What the caps turned away so far. */
  dropped(): Readonly<DroppedCounts> {
    return { ...this.droppedCounts };
  }

  toDocument(options: ToDocumentOptions): BaselineDocument {
    const seen = this.firstTs <= this.lastTs;
    return {
      format: BASELINE_FORMAT,
      site: options.site,
      mode: 'learning',
      confirmed: null,
      learned: {
        sources: [...(options.sources ?? [])].map((s) => ({ source: s.source, sha256: s.sha256 })),
        firstTs: seen ? this.firstTs : 0,
        lastTs: seen ? this.lastTs : 0,
        packets: options.packets ?? this.connectionPackets,
      },
      assets: sortAssets(this.assetList(options.inventory ?? [])),
      pairs: sortPairs([...this.pairs.values()].map((p) => ({ ...p }))),
      channels: sortChannels([...this.channels.values()].map(channelDocument)),
    };
  }

  private time(ts: number): void {
    if (ts < this.firstTs) this.firstTs = ts;
    if (ts > this.lastTs) this.lastTs = ts;
  }

  /** Devices with an IP are keyed by it (first MAC seen kept); devices without one by their MAC. */
  private asset(ip: string | null, mac: string | null): void {
    const key = ip ?? `mac:${mac}`;
    const known = this.assets.get(key);
    if (known !== undefined) {
      if (known.mac === null && mac !== null) known.mac = mac;
      return;
    }
    if (ip === null && mac === null) return;
    if (this.assets.size >= MAX_ASSETS) {
      this.droppedCounts.assets += 1;
      return;
    }
    this.assets.set(key, { ip, mac });
  }

  private assetList(inventory: readonly Asset[]): BaselineAsset[] {
    const byIp = new Map<string, Asset>();
    const byMac = new Map<string, Asset>();
    for (const a of inventory) {
      for (const ip of a.ips) byIp.set(ip, a);
      if (a.ip !== null) byIp.set(a.ip, a);
      if (a.mac !== null) byMac.set(a.mac, a);
    }
    const ipMacs = new Set<string>();
    for (const a of this.assets.values()) if (a.ip !== null && a.mac !== null) ipMacs.add(a.mac);
    const out: BaselineAsset[] = [];
    for (const a of this.assets.values()) {
      // A MAC seen only in ARP or link frames is its own asset unless it also sent with an IP.
      if (a.ip === null && a.mac !== null && ipMacs.has(a.mac)) continue;
      const known =
        (a.ip !== null ? byIp.get(a.ip) : undefined) ?? (a.mac !== null ? byMac.get(a.mac) : undefined);
      out.push({
        ip: a.ip,
        // The inventory knows which MAC is the device's own (a router's is not, for hosts beyond it).
        mac: known !== undefined ? known.mac : a.mac,
        role: known?.role ?? null,
        vendor: known?.vendor ?? null,
        model: known?.model ?? null,
        firmware: known?.firmware ?? null,
        serial: known?.serial ?? null,
      });
    }
    return out;
  }

  private channel(client: string, server: string, app: string): ChannelState | null {
    const key = `${client}|${server}|${app}`;
    const known = this.channels.get(key);
    if (known !== undefined) return known;
    if (this.channels.size >= MAX_CHANNELS) {
      this.droppedCounts.channels += 1;
      return null;
    }
    const channel: ChannelState = {
      client,
      server,
      app,
      vocabulary: vocabularyOf(app) ?? null,
      functions: new Map(),
      operations: new Map(),
      units: new Set(),
      writes: new Map(),
      polls: new Map(),
      second: 0,
      secondStart: Number.NEGATIVE_INFINITY,
      peakPerS: 0,
      violations: 0,
    };
    this.channels.set(key, channel);
    return channel;
  }

  private request(channel: ChannelState, ts: number, fields: Fields): void {
    if (ts - channel.secondStart >= 1) {
      channel.secondStart = ts;
      channel.second = 0;
    }
    if (++channel.second > channel.peakPerS) channel.peakPerS = channel.second;
    const vocabulary = channel.vocabulary;
    if (vocabulary === null) return;
    const func = functionOf(vocabulary, fields);
    if (func !== null) {
      const count = channel.functions.get(func);
      if (count !== undefined) channel.functions.set(func, count + 1);
      else if (channel.functions.size < MAX_FUNCTIONS_PER_CHANNEL) channel.functions.set(func, 1);
      else this.droppedCounts.functions += 1;
    }
    const operation = fields[vocabulary.operationField];
    if (isOperation(operation))
      channel.operations.set(operation, (channel.operations.get(operation) ?? 0) + 1);
    let unit: number | null = null;
    if (vocabulary.unitField !== undefined) {
      const value = fields[vocabulary.unitField];
      if (typeof value === 'number' && Number.isInteger(value)) {
        unit = value;
        if (!channel.units.has(value)) {
          if (channel.units.size < MAX_UNITS_PER_CHANNEL) channel.units.add(value);
          else this.droppedCounts.units += 1;
        }
      }
    }
    for (const w of extractWrites(channel.app, fields)) this.write(channel, w);
    // Polling is a repeated read: one cadence per distinct read, since a client's scan classes
    // each keep their own period (an HMI reads one block every 250 ms, another every second).
    if (operation === 'read') {
      const key = pollKey(channel.app, func, unit, fields);
      let cadence = channel.polls.get(key);
      if (cadence === undefined) {
        if (channel.polls.size >= MAX_POLL_ITEMS_PER_CHANNEL) {
          this.droppedCounts.pollItems += 1;
          return;
        }
        cadence = new Cadence();
        channel.polls.set(key, cadence);
      }
      cadence.add(ts);
    }
  }

  private write(channel: ChannelState, w: WriteObservation): void {
    let state = channel.writes.get(w.space);
    if (state === undefined) {
      if (channel.writes.size >= MAX_WRITE_SPACES_PER_CHANNEL) {
        this.droppedCounts.writeSpaces += 1;
        return;
      }
      state = { ranges: [], min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
      channel.writes.set(w.space, state);
    }
    state.ranges = addRange(state.ranges, w.first, w.last);
    for (const v of w.values) {
      if (v < state.min) state.min = v;
      if (v > state.max) state.max = v;
    }
  }
}

/** The first of the descriptor's funcFields that holds a non-empty string (types.ts). */
/** The message's function (dissectors/vocabulary.ts). */
export const functionOf: (vocabulary: MessageVocabulary, fields: Fields) => string | null = messageFunction;

/** What distinguishes one repeated read from another beyond its function and unit. */
function channelDocument(c: ChannelState): BaselineChannel {
  let polling: Polling | null = null;
  for (const [request, cadence] of c.polls) {
    const p = cadence.polling();
    polling = fastest(polling, p === null ? null : { ...p, request });
  }
  return {
    client: c.client,
    server: c.server,
    app: c.app,
    functions: sortedRecord(c.functions),
    operations: sortedRecord(c.operations) as Partial<Record<Operation, number>>,
    units: [...c.units].sort((a, b) => a - b),
    writes: [...c.writes.entries()]
      .map(
        ([space, w]): BaselineWrites => ({
          space,
          ranges: w.ranges.map((r) => [r[0], r[1]] as const),
          values: w.min <= w.max ? { min: w.min, max: w.max } : null,
        }),
      )
      .sort((a, b) => compare(a.space, b.space)),
    peakPerS: c.peakPerS,
    ...(c.violations > 0 ? { violations: c.violations } : {}),
    polling,
  };
}

/** A channel's polling is its fastest steady read: the one whose absence shows first. */
function fastest(a: Polling | null, b: Polling | null): Polling | null {
  if (a === null || b === null) return combinePolling(a, b);
  return b.periodS < a.periodS ? b : a;
}

function sortedRecord<K extends string>(map: ReadonlyMap<K, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort(compare)) out[key] = map.get(key) as number;
  return out;
}

export function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

export function sortAssets<T extends BaselineAsset>(assets: T[]): T[] {
  return assets.sort((a, b) => compare(a.ip, b.ip) || compare(a.mac, b.mac));
}

export function sortPairs<T extends BaselinePair>(pairs: T[]): T[] {
  return pairs.sort(
    (a, b) =>
      compare(a.client, b.client) ||
      compare(a.server, b.server) ||
      compare(a.transport, b.transport) ||
      compare(a.port, b.port) ||
      compare(a.app, b.app),
  );
}

export function sortChannels<T extends BaselineChannel>(channels: T[]): T[] {
  return channels.sort(
    (a, b) => compare(a.client, b.client) || compare(a.server, b.server) || compare(a.app, b.app),
  );
}
