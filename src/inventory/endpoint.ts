// What the inventory accumulates while the capture runs, before it knows which device is which.
// An Endpoint is one (MAC, IP) pair as seen on the wire: behind a router many IPs share the
// router's MAC, and a DHCP client changes IP under one MAC, so deciding which endpoints form a
// device waits until result() (see address-book.ts). Activities are per service: what the endpoint
// did as a client and as a server of `modbus`, `udp/53`...

import { MAX_FUNCTIONS, MAX_PEERS, MAX_PORTS } from './limits.ts';

/** Device identity reported by the device itself (Modbus 43/14 Read Device Identification). */
export interface ReportedIdentity {
  readonly source: string;
  /** Sentence naming the mechanism, e.g. "Modbus device identification (FC 43/14)". */
  readonly via: string;
  readonly ts: number;
  readonly vendor: string | null;
  readonly productCode: string | null;
  readonly revision: string | null;
  readonly productName: string | null;
  readonly modelName: string | null;
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
  readonly operations = new Map<string, number>();
  readonly functions = new Set<string>();
  coilWrites = 0;
  firstRequest = Number.POSITIVE_INFINITY;
  lastRequest = Number.NEGATIVE_INFINITY;
  private lastFunction = '';

  /** Nothing shows it speaks the service: only malformed bytes, and the dissector gave up. */
  get unproven(): boolean {
    return this.confirmed === 0 && this.messages === 0;
  }

  addServer(server: Endpoint): void {
    if (this.servers.size < MAX_PEERS) this.servers.add(server);
  }

  request(ts: number, func: string, operation: string): void {
    this.requests += 1;
    this.operations.set(operation, (this.operations.get(operation) ?? 0) + 1);
    if (func !== this.lastFunction) {
      this.lastFunction = func;
      if (this.functions.size < MAX_FUNCTIONS) this.functions.add(func);
    }
    if (ts < this.firstRequest) this.firstRequest = ts;
    if (ts > this.lastRequest) this.lastRequest = ts;
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
}

export class Endpoint {
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  /** It sent at least one packet: a silent address (a scan target) is no device. */
  heard = false;
  readonly asClient = new Map<string, ClientActivity>();
  readonly asServer = new Map<string, ServerActivity>();
  readonly peers = new Set<Endpoint>();
  identity: ReportedIdentity | null = null;

  /** `mac` is null without a link layer; `ip` is null for a MAC with no address yet (DHCP DISCOVER). */
  constructor(
    readonly mac: string | null,
    readonly ip: string | null,
  ) {}

  seen(ts: number): void {
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
  }

  addPeer(peer: Endpoint): void {
    if (this.peers.size < MAX_PEERS) this.peers.add(peer);
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
