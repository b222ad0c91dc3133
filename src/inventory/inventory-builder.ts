// Builds the asset inventory from the pipeline (DESIGN.md "The flow": dissectors -> inventory).
// While the capture runs it only records: ARP and DHCP address bindings, and per (MAC, IP)
// endpoint what it did as client and server of each service. event() runs for every application
// message, so each connection's endpoints and activity records are looked up once and kept under
// its ConnectionInfo object (flows/connection-table.ts). Deciding which endpoints form one device waits for result(), when all address
// evidence is in (assemble.ts). Builders that each saw one shard of the traffic (shard.ts) are
// combined through snapshot() and merge() (snapshot.ts).

import { ConnectionTable } from '../flows/connection-table.ts';
import { operationReaderFor, readModbus } from '../flows/operations.ts';
import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
  PipelineSink,
} from '../pipeline/events.ts';
import { AddressBook, type MacRecord } from './address-book.ts';
import { isDeviceMac, isGroupIp, isUnspecifiedIp } from './addresses.ts';
import { appObserverFor, funcFieldsOf, observeLinkIdentity, SIDES_FROM_MESSAGES } from './app-observers.ts';
import { assembleInventory } from './assemble.ts';
import { ConnectionState } from './connection-state.ts';
import { Endpoint } from './endpoint.ts';
import { MAX_ENDPOINTS } from './limits.ts';
import type { IdentityChange } from './merge.ts';
import { serviceKey } from './services.ts';
import { INVENTORY_SNAPSHOT_FORMAT, type InventorySnapshot } from './snapshot.ts';
import type { Asset } from './types.ts';

export type { InventorySnapshot } from './snapshot.ts';

export interface InventoryStats {
  /** (MAC, IP) pairs observed. */
  endpoints: number;
  /** Pairs not tracked because MAX_ENDPOINTS was reached. */
  droppedEndpoints: number;
  /** ARP/DHCP observations not recorded because MAX_MAC_RECORDS or MAX_DHCP_NAMED_IPS was reached. */
  droppedAddressFacts: number;
  openConnections: number;
}

export class InventoryBuilder implements PipelineSink {
  private readonly book = new AddressBook();
  private readonly endpoints = new Map<string, Endpoint>();
  /** Open connections only: an entry lives from the first event to the connection's summary. */
  private readonly open = new ConnectionTable<ConnectionState>();
  private droppedEndpoints = 0;
  private changes: IdentityChange[] = [];
  private lastLinkMac = '';
  private lastLinkRecord: MacRecord | null = null;
  private otherLinkMac = '';
  private otherLinkRecord: MacRecord | null = null;

  event(e: AppEvent): void {
    const state = this.open.get(e.conn) ?? this.stateOfNew(e);
    const ts = e.ts;
    if (ts > state.lastTs) state.lastTs = ts;
    const sender = e.dir === 0 ? state.client : state.server;
    if (sender !== null) sender.heard = true;
    if (e.kind !== 'message') return;
    const activity = e.dir === 0 ? state.clientActivity : state.serverActivity;
    if (activity !== null) activity.messages += 1;
    // A message the reader calls plain (a table read or write) holds nothing for the observers.
    let plain = false;
    if (state.reader !== null) {
      state.ts = ts;
      // Modbus gets a call site of its own (see FlowMapBuilder.event).
      plain =
        state.reader === readModbus
          ? readModbus(e.fields, e.dir, state)
          : state.reader(e.fields, e.dir, state);
    }
    if (!plain && state.observer !== null) state.observer(e, state, this.book);
  }

  arp(e: ArpEvent): void {
    this.book.arpSender(e.senderMac, e.senderIp, e.ts);
  }

  /** LLDP, CDP, PROFINET frames: the source MAC is a device; what it says about itself is kept. */
  link(e: LinkEvent): void {
    // Cyclic real-time frames come from a few MACs over and over, both ways: the last two are kept.
    let record: MacRecord | null;
    if (this.lastLinkMac === e.srcMac) record = this.lastLinkRecord;
    else if (this.otherLinkMac === e.srcMac) record = this.otherLinkRecord;
    else record = this.book.mac(e.srcMac);
    if (record === null) return;
    if (this.lastLinkMac !== e.srcMac) {
      this.otherLinkMac = this.lastLinkMac;
      this.otherLinkRecord = this.lastLinkRecord;
      this.lastLinkMac = e.srcMac;
      this.lastLinkRecord = record;
    }
    record.seen(e.ts);
    record.linkApps.add(e.app);
    if (e.kind === 'message') observeLinkIdentity(e, record, funcFieldsOf(e.app));
  }

  connection(c: ConnectionSummary): void {
    // Summaries follow the connection's events; without events, this is its first sighting.
    const state = this.open.get(c.conn) ?? this.createState(c.conn, c.app, c.firstTs);
    this.open.delete(c.conn);
    // A connection the dissector abandoned ends with app null although its events named the app.
    if (c.app === state.app) {
      if (state.clientActivity !== null) state.clientActivity.confirmed += 1;
      if (state.serverActivity !== null) state.serverActivity.confirmed += 1;
    }
    const { client, server } = state;
    if (client !== null) {
      client.seen(c.firstTs);
      client.seen(Math.max(c.lastTs, state.lastTs));
      if (c.packets[0] > 0) client.heard = true;
    }
    if (server !== null) {
      server.seen(c.firstTs);
      server.seen(Math.max(c.lastTs, state.lastTs));
      if (c.packets[1] > 0) server.heard = true;
    }
  }

  /** The inventory so far, sorted by IP numerically. Connections still open count as seen. */
  result(): Asset[] {
    this.settleOpenConnections();
    const changes: IdentityChange[] = [];
    const assets = assembleInventory(this.book, [...this.endpoints.values()], changes);
    this.changes = changes;
    return assets;
  }

  /**
   * Identity changes devices reported within the traffic seen (a firmware that differed between
   * two reports), as of the last result(): rows for the identity history.
   */
  identityChanges(): readonly IdentityChange[] {
    return this.changes;
  }

  /**
   * Everything result() reads, as plain data (snapshot.ts), for merge() into another builder,
   * typically in another thread. Take it when the pipeline has finished; connections still open
   * count as seen, as in result().
   */
  snapshot(): InventorySnapshot {
    this.settleOpenConnections();
    const endpoints = [...this.endpoints.values()];
    const index = new Map<Endpoint, number>(endpoints.map((endpoint, i) => [endpoint, i]));
    const indexes = { indexOf: (endpoint: Endpoint) => index.get(endpoint)! };
    const book = this.book.snapshot();
    return {
      format: INVENTORY_SNAPSHOT_FORMAT,
      endpoints: endpoints.map((endpoint) => endpoint.snapshot(indexes)),
      macs: book.macs,
      ips: book.ips,
      droppedEndpoints: this.droppedEndpoints,
      droppedAddressFacts: this.book.dropped,
    };
  }

  /**
   * Folds in another builder's snapshot: afterwards result() is what one builder that had seen
   * both builders' traffic would give, provided they saw disjoint shards (shard.ts). README,
   * "Parallel discovery", says where it can differ.
   */
  merge(snapshot: InventorySnapshot): void {
    if (snapshot.format !== INVENTORY_SNAPSHOT_FORMAT) {
      throw new Error(`InventoryBuilder.merge: unknown snapshot format ${String(snapshot.format)}`);
    }
    const local = snapshot.endpoints.map((e) => this.endpointOf(e.mac, e.ip));
    const at = (i: number) => local[i] ?? null;
    snapshot.endpoints.forEach((e, i) => {
      local[i]?.merge(e, at);
    });
    this.book.merge(snapshot.macs, snapshot.ips, snapshot.droppedAddressFacts);
    this.droppedEndpoints += snapshot.droppedEndpoints;
  }

  stats(): InventoryStats {
    return {
      endpoints: this.endpoints.size,
      droppedEndpoints: this.droppedEndpoints,
      droppedAddressFacts: this.book.dropped,
      openConnections: this.open.size,
    };
  }

  /** The state of a connection seen for the first time, by its first event. */
  private stateOfNew(e: AppEvent): ConnectionState {
    const state = this.createState(e.conn, e.app, e.ts);
    this.open.set(e.conn, state);
    return state;
  }

  private createState(conn: ConnectionInfo, app: string | null, ts: number): ConnectionState {
    const client = this.endpoint(conn.clientMac, conn.clientIp);
    const server = this.endpoint(conn.serverMac, conn.serverIp);
    // Not yet `heard`: that takes a message or packet from the side (a scan target stays silent).
    client?.seen(ts);
    server?.seen(ts);
    if (client !== null && server !== null) {
      client.addPeer(server);
      server.addPeer(client);
    }
    let clientActivity = null;
    let serverActivity = null;
    if (app === null || !SIDES_FROM_MESSAGES.has(app)) {
      const service = serviceKey(app, conn.transport, conn.serverPort);
      if (client !== null) {
        clientActivity = client.client(service);
        clientActivity.connections += 1;
        if (server !== null) clientActivity.addServer(server);
      }
      if (server !== null) {
        serverActivity = server.server(service);
        serverActivity.connections += 1;
        serverActivity.addPort(conn.serverPort);
        if (client !== null) serverActivity.addClient(client);
      }
    }
    return new ConnectionState(
      app,
      client,
      server,
      clientActivity,
      serverActivity,
      operationReaderFor(app),
      appObserverFor(app),
      ts,
    );
  }

  /** Open connections' endpoints count as seen until the connection's last message. */
  private settleOpenConnections(): void {
    for (const state of this.open.values()) {
      state.client?.seen(state.lastTs);
      state.server?.seen(state.lastTs);
    }
  }

  /** The endpoint for a (MAC, IP) pair; null when neither can name a device. */
  private endpoint(mac: string | null, ip: string): Endpoint | null {
    if (isGroupIp(ip)) return null;
    const deviceMac = mac !== null && isDeviceMac(mac) ? mac : null;
    const deviceIp = isUnspecifiedIp(ip) ? null : ip;
    if (deviceMac === null && deviceIp === null) return null;
    return this.endpointOf(deviceMac, deviceIp);
  }

  /** The endpoint of a pair that names a device, created when new; null past MAX_ENDPOINTS. */
  private endpointOf(mac: string | null, ip: string | null): Endpoint | null {
    const key = `${mac ?? ''}|${ip ?? ''}`;
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      if (this.endpoints.size >= MAX_ENDPOINTS) {
        this.droppedEndpoints += 1;
        return null;
      }
      endpoint = new Endpoint(mac, ip);
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }
}
