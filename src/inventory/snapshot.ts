// What one InventoryBuilder has recorded, as plain data, so that builders that each decoded one
// shard of a capture (shard.ts) can be merged into one: `InventoryBuilder.snapshot()` writes it,
// `InventoryBuilder.merge()` folds it in. It holds everything result() reads, and only that: the
// records are those of endpoint.ts and address-book.ts, each written and merged next to its class.
//
// The format is plain JSON data (no Maps, Sets, class instances, undefined or non-finite numbers),
// so it survives structuredClone, postMessage and JSON.stringify alike. Lists instead of objects
// keyed by data (a key such as `__proto__` would be unsafe), and endpoints refer to each other by
// their index in `endpoints`.
//
// How merging combines each record (see README "Parallel discovery" for what is exact):
//   counters add up; first/last times take min/max; flags OR; sets unite (under the same bounds as
//   the builder); values that the builder replaces with the newer one (DHCP host name, vendor
//   class, each part of a device's reported identity) keep the one with the later time.

import type { ReportedIdentitySnapshot } from './reported-identity.ts';

/** The format's name and version; merge() refuses anything else. */
export const INVENTORY_SNAPSHOT_FORMAT = 'zoneward.inventory-snapshot/2';

export interface InventorySnapshot {
  readonly format: typeof INVENTORY_SNAPSHOT_FORMAT;
  /** Every (MAC, IP) endpoint, in the order the builder met them. */
  readonly endpoints: readonly EndpointSnapshot[];
  /** What ARP and DHCP said about each MAC. */
  readonly macs: readonly MacRecordSnapshot[];
  /** What DHCP said about IP addresses (servers, routers, relays). */
  readonly ips: readonly IpFactsSnapshot[];
  /** Counted in stats(); they add up. */
  readonly droppedEndpoints: number;
  readonly droppedAddressFacts: number;
}

/** Index of an endpoint in `InventorySnapshot.endpoints`. */
export type EndpointIndex = number;

/** A value the builder replaces with a newer one, and when it was seen. */
export interface TimedValue {
  readonly value: string;
  readonly ts: number;
}

export interface EndpointSnapshot {
  readonly mac: string | null;
  readonly ip: string | null;
  /** Null when never seen. */
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
  readonly heard: boolean;
  readonly peers: readonly EndpointIndex[];
  readonly asClient: readonly ClientActivitySnapshot[];
  readonly asServer: readonly ServerActivitySnapshot[];
  /** Parts keep the later report; changes unite (reported-identity.ts). */
  readonly identity: ReportedIdentitySnapshot | null;
  readonly units: readonly UnitSnapshot[];
}

export interface ClientActivitySnapshot {
  /** Service key (`modbus`, `tls`, `udp/47808`), see services.ts. */
  readonly service: string;
  readonly servers: readonly EndpointIndex[];
  readonly connections: number;
  readonly confirmed: number;
  readonly messages: number;
  readonly requests: number;
  /** [operation, requests], e.g. ['read', 1200]. */
  readonly operations: readonly (readonly [string, number])[];
  readonly functions: readonly string[];
  readonly coilWrites: number;
  /** Null without requests. */
  readonly firstRequest: number | null;
  readonly lastRequest: number | null;
}

export interface ServerActivitySnapshot {
  readonly service: string;
  readonly clients: readonly EndpointIndex[];
  readonly ports: readonly number[];
  readonly connections: number;
  readonly confirmed: number;
  readonly messages: number;
}

/** A device behind an endpoint's address (endpoint.ts UnitRecord). */
export interface UnitSnapshot {
  readonly label: string;
  readonly app: string;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
  readonly requests: number;
  readonly declared: boolean;
  readonly identity: ReportedIdentitySnapshot | null;
}

export interface MacRecordSnapshot {
  readonly mac: string;
  readonly firstSeen: number | null;
  readonly lastSeen: number | null;
  readonly arpIps: readonly SightingSnapshot[];
  readonly dhcpIps: readonly SightingSnapshot[];
  readonly dhcpClient: boolean;
  readonly hostname: TimedValue | null;
  readonly vendorClass: TimedValue | null;
  readonly identity: ReportedIdentitySnapshot | null;
  readonly linkApps: readonly string[];
}

export interface SightingSnapshot {
  readonly ip: string;
  readonly first: number;
  readonly last: number;
}

export interface IpFactsSnapshot {
  readonly ip: string;
  readonly dhcpServer: boolean;
  readonly routerFor: number;
  readonly dhcpRelay: boolean;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** A time for the snapshot: the builder's ±Infinity ("never") becomes null. */
export function timeOut(ts: number): number | null {
  return Number.isFinite(ts) ? ts : null;
}

/** A time from a snapshot: null back to `never` (+Infinity for a first, -Infinity for a last time). */
export function timeIn(ts: number | null, never: number): number {
  return ts ?? never;
}

/** The newer of two timed values; on equal times the incoming one, as the builder's `>=` does. */
export function newer<T extends { readonly ts: number }>(current: T | null, incoming: T | null): T | null {
  if (incoming === null) return current;
  if (current === null || incoming.ts >= current.ts) return incoming;
  return current;
}
