// What the inventory accumulates while the capture runs, before it knows which device is which.
// An Endpoint is one (MAC, IP) pair as seen on the wire: behind a router many IPs share the
// router's MAC, and a DHCP client changes IP under one MAC, so deciding which endpoints form a
// device waits until result() (see address-book.ts). Activities are per service: what the endpoint
// did as a client and as a server of `modbus`, `udp/53`...

import { RecentCache } from '../flows/recent.ts';
import { MAX_FUNCTIONS, MAX_PEERS, MAX_PORTS, MAX_UNITS_PER_ENDPOINT } from './limits.ts';
import { identityOf, type ReportedIdentity, type ReportedValues } from './reported-identity.ts';
import type {
  ClientActivitySnapshot,
  EndpointIndex,
  EndpointSnapshot,
  ServerActivitySnapshot,
  UnitSnapshot,
} from './snapshot.ts';
import { timeIn, timeOut } from './snapshot.ts';

/** An endpoint's index in the snapshot being written. */
export interface EndpointIndexes {
  indexOf(endpoint: Endpoint): EndpointIndex;
}

/** The endpoint (of the builder merging) that a snapshot's index stands for; null if dropped. */
export type EndpointAt = (index: EndpointIndex) => Endpoint | null;

/**
 * A device behind this endpoint's address (a Modbus unit id behind a serial gateway, a BACnet device
 * behind a router, a module in a CIP chassis), named by its `unit` label (`unit 3`, `slot 2`).
 */
export class UnitRecord {
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  /** Requests addressed to it. */
  requests = 0;
  identity: ReportedIdentity | null = null;
  /**
   * True when a message said outright that the unit is a device of its own (`<app>.device.unit`);
   * false when only requests addressed it (a Modbus unit id may just name the device itself).
   */
  declared = false;

  constructor(readonly app: string) {}

  seen(ts: number): void {
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
  }

  snapshot(label: string): UnitSnapshot {
    return {
      label,
      app: this.app,
      firstSeen: timeOut(this.firstSeen),
      lastSeen: timeOut(this.lastSeen),
      requests: this.requests,
      declared: this.declared,
      identity: this.identity?.snapshot() ?? null,
    };
  }

  merge(s: UnitSnapshot): void {
    this.seen(timeIn(s.firstSeen, Number.POSITIVE_INFINITY));
    this.seen(timeIn(s.lastSeen, Number.NEGATIVE_INFINITY));
    this.requests += s.requests;
    this.declared ||= s.declared;
    if (s.identity !== null) identityOf(this).merge(s.identity);
  }
}

/** Functions and operations a ClientActivity keeps at hand: a poller cycles through a few. */
const RECENT_KEYS = 4;

/** A count kept in a box, so that a hot path can hold on to it and count with one increment. */
interface Count {
  n: number;
}

export class ClientActivity {
  readonly servers = new Set<Endpoint>();
  connections = 0;
  /** Connections whose summary confirmed the service (the dissector kept the connection). */
  confirmed = 0;
  /** Valid messages sent; with `confirmed`, the proof that it really speaks the protocol. */
  messages = 0;
  requests = 0;
  /** Requests by operation (`read`, `write`, `diagnostic`, `discovery`...). */
  readonly operations = new Map<string, Count>();
  readonly functions = new Set<string>();
  coilWrites = 0;
  firstRequest = Number.POSITIVE_INFINITY;
  lastRequest = Number.NEGATIVE_INFINITY;
  /** Functions of recent requests, whose add to `functions` would change nothing. */
  private readonly recentFunctions = new RecentCache<true>(RECENT_KEYS);
  /** Operations of recent requests, with their counts. */
  private readonly recentOperations = new RecentCache<Count>(RECENT_KEYS);

  /** Nothing shows it speaks the service: only malformed bytes, and the dissector gave up. */
  get unproven(): boolean {
    return this.confirmed === 0 && this.messages === 0;
  }

  addServer(server: Endpoint): void {
    if (this.servers.size < MAX_PEERS) this.servers.add(server);
  }

  request(ts: number, func: string, operation: string): void {
    this.requests += 1;
    let count = this.recentOperations.get(operation);
    if (count === undefined) {
      count = this.operationCount(operation);
      this.recentOperations.remember(operation, count);
    }
    count.n += 1;
    if (this.recentFunctions.get(func) === undefined) {
      // Past the bound an unknown function is not added, now or ever: as good as known.
      if (this.functions.size < MAX_FUNCTIONS) this.functions.add(func);
      this.recentFunctions.remember(func, true);
    }
    if (ts < this.firstRequest) this.firstRequest = ts;
    if (ts > this.lastRequest) this.lastRequest = ts;
  }

  /** The count of requests of an operation, created at 0. */
  private operationCount(operation: string): Count {
    let count = this.operations.get(operation);
    if (count === undefined) {
      count = { n: 0 };
      this.operations.set(operation, count);
    }
    return count;
  }

  snapshot(service: string, indexes: EndpointIndexes): ClientActivitySnapshot {
    return {
      service,
      servers: [...this.servers].map((e) => indexes.indexOf(e)),
      connections: this.connections,
      confirmed: this.confirmed,
      messages: this.messages,
      requests: this.requests,
      operations: [...this.operations].map(([op, count]) => [op, count.n] as const),
      functions: [...this.functions],
      coilWrites: this.coilWrites,
      firstRequest: timeOut(this.firstRequest),
      lastRequest: timeOut(this.lastRequest),
    };
  }

  merge(s: ClientActivitySnapshot, at: EndpointAt): void {
    for (const i of s.servers) {
      const server = at(i);
      if (server !== null) this.addServer(server);
    }
    this.connections += s.connections;
    this.confirmed += s.confirmed;
    this.messages += s.messages;
    this.requests += s.requests;
    for (const [op, n] of s.operations) this.operationCount(op).n += n;
    for (const f of s.functions) if (this.functions.size < MAX_FUNCTIONS) this.functions.add(f);
    this.coilWrites += s.coilWrites;
    this.firstRequest = Math.min(this.firstRequest, timeIn(s.firstRequest, Number.POSITIVE_INFINITY));
    this.lastRequest = Math.max(this.lastRequest, timeIn(s.lastRequest, Number.NEGATIVE_INFINITY));
  }
}

export class ServerActivity {
  readonly clients = new Set<Endpoint>();
  readonly ports = new Set<number>();
  connections = 0;
  /** Connections whose summary confirmed the service (the dissector kept the connection). */
  confirmed = 0;
  /** Valid messages the server sent; with `confirmed`, the proof that it really speaks the protocol. */
  messages = 0;

  /** Nothing shows it speaks the service: only malformed bytes, and the dissector gave up. */
  get unproven(): boolean {
    return this.confirmed === 0 && this.messages === 0;
  }

  addClient(client: Endpoint): void {
    if (this.clients.size < MAX_PEERS) this.clients.add(client);
  }

  addPort(port: number): void {
    if (this.ports.size < MAX_PORTS) this.ports.add(port);
  }

  snapshot(service: string, indexes: EndpointIndexes): ServerActivitySnapshot {
    return {
      service,
      clients: [...this.clients].map((e) => indexes.indexOf(e)),
      ports: [...this.ports],
      connections: this.connections,
      confirmed: this.confirmed,
      messages: this.messages,
    };
  }

  merge(s: ServerActivitySnapshot, at: EndpointAt): void {
    for (const i of s.clients) {
      const client = at(i);
      if (client !== null) this.addClient(client);
    }
    for (const port of s.ports) this.addPort(port);
    this.connections += s.connections;
    this.confirmed += s.confirmed;
    this.messages += s.messages;
  }
}

export class Endpoint {
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  /** It sent at least one packet: a silent address (a scan target) is no device. */
  heard = false;
  readonly asClient = new Map<string, ClientActivity>();
  readonly asServer = new Map<string, ServerActivity>();
  readonly peers = new Set<Endpoint>();
  /** What the device reports about itself, set through reportIdentity(). */
  identity: ReportedIdentity | null = null;
  /** Devices behind this address, by label (`unit 3`); at most MAX_UNITS_PER_ENDPOINT. */
  readonly units = new Map<string, UnitRecord>();

  /** `mac` is null without a link layer; `ip` is null for a MAC with no address yet (DHCP DISCOVER). */
  constructor(
    readonly mac: string | null,
    readonly ip: string | null,
  ) {}

  seen(ts: number): void {
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
  }

  /** A report of the device's identity at `ts` by `source` (the app) in message `via`. */
  reportIdentity(source: string, via: string, ts: number, values: ReportedValues): void {
    identityOf(this).report(source, via, ts, values);
  }

  /** The device `label` behind this address, created when new; null past MAX_UNITS_PER_ENDPOINT. */
  unit(label: string, app: string): UnitRecord | null {
    let record = this.units.get(label);
    if (record === undefined) {
      if (this.units.size >= MAX_UNITS_PER_ENDPOINT) return null;
      record = new UnitRecord(app);
      this.units.set(label, record);
    }
    return record;
  }

  addPeer(peer: Endpoint): void {
    if (this.peers.size < MAX_PEERS) this.peers.add(peer);
  }

  snapshot(indexes: EndpointIndexes): EndpointSnapshot {
    return {
      mac: this.mac,
      ip: this.ip,
      firstSeen: timeOut(this.firstSeen),
      lastSeen: timeOut(this.lastSeen),
      heard: this.heard,
      peers: [...this.peers].map((e) => indexes.indexOf(e)),
      asClient: [...this.asClient].map(([service, a]) => a.snapshot(service, indexes)),
      asServer: [...this.asServer].map(([service, a]) => a.snapshot(service, indexes)),
      identity: this.identity?.snapshot() ?? null,
      units: [...this.units].map(([label, unit]) => unit.snapshot(label)),
    };
  }

  /** Folds in another builder's record of the same (MAC, IP); `at` finds this builder's endpoints. */
  merge(s: EndpointSnapshot, at: EndpointAt): void {
    this.seen(timeIn(s.firstSeen, Number.POSITIVE_INFINITY));
    this.seen(timeIn(s.lastSeen, Number.NEGATIVE_INFINITY));
    this.heard ||= s.heard;
    for (const i of s.peers) {
      const peer = at(i);
      if (peer !== null) this.addPeer(peer);
    }
    for (const a of s.asClient) this.client(a.service).merge(a, at);
    for (const a of s.asServer) this.server(a.service).merge(a, at);
    if (s.identity !== null) identityOf(this).merge(s.identity);
    for (const u of s.units) this.unit(u.label, u.app)?.merge(u);
  }

  client(service: string): ClientActivity {
    let activity = this.asClient.get(service);
    if (activity === undefined) {
      activity = new ClientActivity();
      this.asClient.set(service, activity);
    }
    return activity;
  }

  server(service: string): ServerActivity {
    let activity = this.asServer.get(service);
    if (activity === undefined) {
      activity = new ServerActivity();
      this.asServer.set(service, activity);
    }
    return activity;
  }
}
