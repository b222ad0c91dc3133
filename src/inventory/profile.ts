// A device's behaviour, summed over the endpoints it turned out to be: the input of the role
// rules. Peers are asset ids here, so "polls 10 servers" counts devices, not addresses.

import { countedAs } from '../flows/operations.ts';
import type { ReportedIdentity } from './reported-identity.ts';
import { industrialLabel, itService } from './services.ts';

export interface ServedService {
  readonly clients: Set<string>;
  readonly ports: Set<number>;
  connections: number;
}

export interface UsedService {
  readonly servers: Set<string>;
  connections: number;
  requests: number;
  readonly operations: Map<string, number>;
  readonly functions: Set<string>;
  coilWrites: number;
  firstRequest: number;
  lastRequest: number;
}

export interface AssetProfile {
  readonly id: string;
  readonly mac: string | null;
  /** By service key (`modbus`, `tcp/443`). */
  readonly served: Map<string, ServedService>;
  readonly used: Map<string, UsedService>;
  readonly peers: Set<string>;
  /** Vendor as identified so far (OUI or the device itself), for the vendor rule. */
  vendor: { name: string; source: string } | null;
  identity: ReportedIdentity | null;
  dhcpVendorClass: string | null;
  /** Got its address from DHCP (RFC 2131 client). */
  dhcpClient: boolean;
  /** IPs this MAC carried without owning them; non-zero only for routers. */
  foreignIps: number;
  /** Addresses the device itself uses, oldest first (a router's: those it claims by ARP or DHCP). */
  ownIps: string[];
  dhcpServer: boolean;
  /** Number of DHCP replies that named this device as a router (option 3). */
  routerFor: number;
  dhcpRelay: boolean;
}

export function emptyProfile(id: string, mac: string | null): AssetProfile {
  return {
    id,
    mac,
    served: new Map(),
    used: new Map(),
    peers: new Set(),
    vendor: null,
    identity: null,
    dhcpVendorClass: null,
    dhcpClient: false,
    foreignIps: 0,
    ownIps: [],
    dhcpServer: false,
    routerFor: 0,
    dhcpRelay: false,
  };
}

/** What the device serves over industrial protocols, biggest audience first. */
export function industrialServices(p: AssetProfile): { label: string; served: ServedService }[] {
  const out: { label: string; served: ServedService }[] = [];
  for (const [service, served] of p.served) {
    const label = industrialLabel(service);
    if (label !== undefined) out.push({ label, served });
  }
  return out.sort((a, b) => b.served.clients.size - a.served.clients.size || (a.label < b.label ? -1 : 1));
}

/** The device as a client of industrial protocols, summed over them. */
export interface IndustrialUse {
  readonly labels: string[];
  readonly servers: number;
  readonly requests: number;
  readonly reads: number;
  readonly writes: number;
  readonly operations: ReadonlyMap<string, number>;
  readonly functions: ReadonlySet<string>;
  readonly coilWrites: number;
  /** Seconds between two requests to the same server, on average; null without two to one server. */
  readonly intervalPerServer: number | null;
}

export function industrialUse(p: AssetProfile): IndustrialUse | null {
  const labels: string[] = [];
  const servers = new Set<string>();
  const operations = new Map<string, number>();
  const functions = new Set<string>();
  let requests = 0;
  let reads = 0;
  let writes = 0;
  let coilWrites = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const [service, used] of p.used) {
    const label = industrialLabel(service);
    if (label === undefined) continue;
    labels.push(label);
    for (const s of used.servers) servers.add(s);
    for (const f of used.functions) functions.add(f);
    for (const [op, n] of used.operations) {
      operations.set(op, (operations.get(op) ?? 0) + n);
      const counted = countedAs(op);
      if (counted === 'read' || counted === 'both') reads += n;
      if (counted === 'write' || counted === 'both') writes += n;
    }
    requests += used.requests;
    coilWrites += used.coilWrites;
    first = Math.min(first, used.firstRequest);
    last = Math.max(last, used.lastRequest);
  }
  if (labels.length === 0) return null;
  // Each server's requests leave (its requests - 1) gaps across the span, so with S servers polled
  // alike the gap per server is span * S / (requests - S).
  const span = last - first;
  const pollers = Math.max(servers.size, 1);
  return {
    labels: labels.sort(),
    servers: servers.size,
    requests,
    reads,
    writes,
    operations,
    functions,
    coilWrites,
    intervalPerServer: requests > pollers && span > 0 ? (span * pollers) / (requests - pollers) : null,
  };
}

/**
 * IT services the device serves and uses, by label (neutral ones left out), and whether it moves
 * data to or from the IT side (serves or uses a `data` service).
 */
export function itActivity(p: AssetProfile): { serves: string[]; uses: string[]; dataSide: boolean } {
  const serves = new Set<string>();
  const uses = new Set<string>();
  let dataSide = false;
  for (const [services, labels] of [
    [p.served.keys(), serves],
    [p.used.keys(), uses],
  ] as const) {
    for (const service of services) {
      const it = itService(service);
      if (it === undefined || it.kind === 'neutral') continue;
      labels.add(it.label);
      if (it.kind === 'data') dataSide = true;
    }
  }
  return { serves: [...serves].sort(), uses: [...uses].sort(), dataSide };
}

export function speaksIndustrial(p: AssetProfile): boolean {
  for (const service of p.served.keys()) if (industrialLabel(service) !== undefined) return true;
  for (const service of p.used.keys()) if (industrialLabel(service) !== undefined) return true;
  return false;
}
