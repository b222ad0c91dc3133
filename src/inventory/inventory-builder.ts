// Builds the asset inventory from the pipeline (DESIGN.md "The flow": dissectors -> inventory).
// While the capture runs it only records: ARP and DHCP address bindings, and per (MAC, IP)
// endpoint what it did as client and server of each service. event() runs for every application
// message, so each connection's endpoints and activity records are looked up once and cached on
// its ConnectionInfo object (with a one-entry cache in front, as a connection's messages tend to
// come in a row). Deciding which endpoints form one device waits for result(), when all address
// evidence is in (assemble.ts).

import { operationReaderFor } from '../flows/operations.ts';
import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  PipelineSink,
} from '../pipeline/events.ts';
import { AddressBook } from './address-book.ts';
import { isDeviceMac, isGroupIp, isUnspecifiedIp } from './addresses.ts';
import { appObserverFor, SIDES_FROM_MESSAGES } from './app-observers.ts';
import { assembleInventory } from './assemble.ts';
import { ConnectionState } from './connection-state.ts';
import { Endpoint } from './endpoint.ts';
import { MAX_ENDPOINTS } from './limits.ts';
import { serviceKey } from './services.ts';
import type { Asset } from './types.ts';

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
  private readonly open = new Map<ConnectionInfo, ConnectionState>();
  private lastConnection: ConnectionInfo | null = null;
  private lastState: ConnectionState | null = null;
  private droppedEndpoints = 0;

  event(e: AppEvent): void {
    const state = e.conn === this.lastConnection ? this.lastState! : this.stateOfEvent(e);
    const ts = e.ts;
    if (ts > state.lastTs) state.lastTs = ts;
    const sender = e.dir === 0 ? state.client : state.server;
    if (sender !== null) sender.heard = true;
    if (e.kind !== 'message') return;
    const activity = e.dir === 0 ? state.clientActivity : state.serverActivity;
    if (activity !== null) activity.messages += 1;
    if (state.reader !== null) {
      state.ts = ts;
      state.reader(e.fields, e.dir, state);
    }
    if (state.observer !== null) state.observer(e, state, this.book);
  }

  arp(e: ArpEvent): void {
    this.book.arpSender(e.senderMac, e.senderIp, e.ts);
  }

  connection(c: ConnectionSummary): void {
    // Summaries follow the connection's events; without events, this is its first sighting.
    const state = this.open.get(c.conn) ?? this.createState(c.conn, c.app, c.firstTs);
    this.open.delete(c.conn);
    if (this.lastConnection === c.conn) {
      this.lastConnection = null;
      this.lastState = null;
    }
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
    for (const state of this.open.values()) {
      state.client?.seen(state.lastTs);
      state.server?.seen(state.lastTs);
    }
    return assembleInventory(this.book, [...this.endpoints.values()]);
  }

  stats(): InventoryStats {
    return {
      endpoints: this.endpoints.size,
      droppedEndpoints: this.droppedEndpoints,
      droppedAddressFacts: this.book.dropped,
      openConnections: this.open.size,
    };
  }

  private stateOfEvent(e: AppEvent): ConnectionState {
    let state = this.open.get(e.conn);
    if (state === undefined) {
      state = this.createState(e.conn, e.app, e.ts);
      this.open.set(e.conn, state);
    }
    this.lastConnection = e.conn;
    this.lastState = state;
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

  /** The endpoint for a (MAC, IP) pair; null when neither can name a device. */
  private endpoint(mac: string | null, ip: string): Endpoint | null {
    if (isGroupIp(ip)) return null;
    const deviceMac = mac !== null && isDeviceMac(mac) ? mac : null;
    const deviceIp = isUnspecifiedIp(ip) ? null : ip;
    if (deviceMac === null && deviceIp === null) return null;
    const key = `${deviceMac ?? ''}|${deviceIp ?? ''}`;
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      if (this.endpoints.size >= MAX_ENDPOINTS) {
        this.droppedEndpoints += 1;
        return null;
      }
      endpoint = new Endpoint(deviceMac, deviceIp);
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }
}
