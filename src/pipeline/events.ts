// What the capture pipeline hands to everything above it (DESIGN.md, "The flow"): application
// events from dissectors, ARP observations from the link layer, and a summary of every transport
// connection when it ends. Inventory, the communication map, `decode` and later the detectors are
// all sinks of these; none of them sees packets.

import type { Direction, Fields } from '../dissectors/types.ts';

export type Transport = 'tcp' | 'udp';

/** The identity of one transport connection (a 5-tuple with its roles). Shared by all its events. */
export interface ConnectionInfo {
  /** Unique within one pipeline run, e.g. `C12`. */
  readonly uid: string;
  readonly transport: Transport;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly serverIp: string;
  readonly serverPort: number;
  /**
   * Ethernet address of each side in the first frame seen (its source or destination address),
   * `aa:bb:cc:dd:ee:ff`; a router's when the peer is beyond one; null when the link has none.
   */
  readonly clientMac: string | null;
  readonly serverMac: string | null;
  /** Innermost 802.1Q VLAN id, null when untagged. */
  readonly vlan: number | null;
}

export type AppEventKind = 'message' | 'violation';

/** One application message (or protocol violation) decoded by a dissector. */
export interface AppEvent {
  /** Seconds since the Unix epoch, microsecond precision. */
  readonly ts: number;
  readonly conn: ConnectionInfo;
  /** 0: sent by the client, 1: sent by the server. */
  readonly dir: Direction;
  /** Dissector name, e.g. `modbus`. */
  readonly app: string;
  readonly kind: AppEventKind;
  /** Dotted fields (`modbus.func`). For violations also `reason`. */
  readonly fields: Fields;
}

/** An ARP packet (RFC 826) as seen on the wire. MACs as `aa:bb:cc:dd:ee:ff`. */
export interface ArpEvent {
  readonly ts: number;
  readonly op: 'request' | 'reply' | 'other';
  readonly senderMac: string;
  readonly senderIp: string;
  readonly targetMac: string;
  readonly targetIp: string;
  /** The Ethernet source address of the frame (can differ from senderMac when spoofed). */
  readonly frameSrcMac: string;
  readonly vlan: number | null;
}

/**
 * A frame decoded by a link-layer dissector (LLDP, CDP, PROFINET DCP/RT): no IP, no connection,
 * just the Ethernet addresses. MACs as `aa:bb:cc:dd:ee:ff`; `dstMac` is null when the link layer
 * does not carry it (Linux cooked captures).
 */
export interface LinkEvent {
  readonly ts: number;
  /** Dissector name, e.g. `lldp`. */
  readonly app: string;
  readonly kind: AppEventKind;
  readonly srcMac: string;
  readonly dstMac: string | null;
  readonly vlan: number | null;
  /** Dotted fields; violations also carry `reason`. */
  readonly fields: Fields;
}

/** A transport connection that ended (FIN/RST, idle eviction or end of input). */
export interface ConnectionSummary {
  readonly conn: ConnectionInfo;
  /** Application protocol the connection was pinned to, null when none was recognised. */
  readonly app: string | null;
  readonly firstTs: number;
  readonly lastTs: number;
  /** Index 0: client to server, 1: server to client. Bytes are IP packet lengths. */
  readonly packets: readonly [number, number];
  readonly bytes: readonly [number, number];
  /** Payload bytes never seen because of capture loss, per direction (TCP only). */
  readonly missedBytes: readonly [number, number];
  /** True when the client was known from the handshake, false when guessed (stream picked up mid-way). */
  readonly rolesFromHandshake: boolean;
}

/** Receives what the pipeline finds. Every method is called synchronously from the packet loop. */
export interface PipelineSink {
  event(e: AppEvent): void;
  arp(e: ArpEvent): void;
  /** A frame of a link-layer protocol (see LinkEvent). */
  link(e: LinkEvent): void;
  /**
   * A connection's first packet was seen (a SYN, a first datagram): optional, for sinks that must
   * react before the connection ends (floods of half-open connections never send a summary soon).
   */
  connectionStart?(conn: ConnectionInfo, ts: number): void;
  connection(c: ConnectionSummary): void;
}
