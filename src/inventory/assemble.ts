// From what was observed to Asset records, once, when the inventory is asked for: decide which
// endpoints are one device (address-book.ts), sum their behaviour into a profile, then derive
// identity, role and Purdue level with their evidence. Runs in time linear in endpoints and peers.

import { type AddressBook, type MacRecord, resolveAddresses } from './address-book.ts';
import { compareIps } from './addresses.ts';
import { SIDES_FROM_MESSAGES } from './app-observers.ts';
import type { Endpoint, UnitRecord } from './endpoint.ts';
import { round2, sortEvidence, strongestValue } from './evidence.ts';
import {
  dhcpHostNameEvidence,
  dhcpVendorClassEvidence,
  ouiEvidence,
  reportedIdentityEvidence,
} from './identity.ts';
import type { IdentityChange } from './merge.ts';
import { type AssetProfile, emptyProfile } from './profile.ts';
import { dmzHost, joinedNetworks, levelFromRole } from './purdue.ts';
import { identityOf } from './reported-identity.ts';
import { NEIGHBOURHOOD_ROLE_RULES, type Neighbourhood, ROLE_RULES, type RoleFinding } from './role-rules.ts';
import { isNamedService } from './services.ts';
import { type Asset, type Evidence, PURDUE_LEVELS, type PurdueLevel, ROLES, type Role } from './types.ts';
import { combineUnits, devicesBehind, gatewayEvidence, reportedChanges, unitAsset } from './units.ts';

interface IpSighting {
  first: number;
  last: number;
  /** Last DHCP binding of this IP to the device; leases decide the current address. */
  dhcpLast: number | null;
}

class Draft {
  readonly ips = new Map<string, IpSighting>();
  readonly endpoints: Endpoint[] = [];
  readonly protocols = new Set<string>();
  record: MacRecord | null = null;
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  readonly profile: AssetProfile;
  evidence: Evidence[] = [];
  /** Devices behind this one's address (units.ts), by label. */
  behind: [string, UnitRecord][] = [];

  constructor(
    readonly id: string,
    readonly mac: string | null,
  ) {
    this.profile = emptyProfile(id, mac);
  }

  seen(first: number, last: number): void {
    if (first < this.firstSeen) this.firstSeen = first;
    if (last > this.lastSeen) this.lastSeen = last;
  }

  addIp(ip: string, first: number, last: number, dhcpLast: number | null): void {
    const s = this.ips.get(ip);
    if (s === undefined) {
      this.ips.set(ip, { first, last, dhcpLast });
      return;
    }
    s.first = Math.min(s.first, first);
    s.last = Math.max(s.last, last);
    if (dhcpLast !== null) s.dhcpLast = Math.max(s.dhcpLast ?? dhcpLast, dhcpLast);
  }
}

/**
 * The assets, sorted by IP. Identity changes devices reported within this input (a firmware
 * that changed between two reports) are appended to `changes` when given.
 */
export function assembleInventory(
  book: AddressBook,
  endpointList: readonly Endpoint[],
  changes?: IdentityChange[],
): Asset[] {
  const resolution = resolveAddresses(book, endpointList);
  const idOf = new Map<Endpoint, string>();
  for (const endpoint of endpointList) idOf.set(endpoint, resolution.assetIdOf(endpoint));

  const drafts = new Map<string, Draft>();
  const draft = (id: string): Draft => {
    let d = drafts.get(id);
    if (d === undefined) {
      d = new Draft(id, id.startsWith('mac:') ? id.slice(4) : null);
      drafts.set(id, d);
    }
    return d;
  };

  for (const endpoint of endpointList) {
    if (!endpoint.heard) continue;
    const d = draft(idOf.get(endpoint)!);
    d.endpoints.push(endpoint);
    d.seen(endpoint.firstSeen, endpoint.lastSeen);
    if (endpoint.ip !== null) d.addIp(endpoint.ip, endpoint.firstSeen, endpoint.lastSeen, null);
    // A router is a device even when all it did was forward: its MAC was the source of the frames.
    if (endpoint.mac !== null && resolution.routers.has(endpoint.mac)) {
      draft(`mac:${endpoint.mac}`).seen(endpoint.firstSeen, endpoint.lastSeen);
    }
  }
  for (const record of book.macs.values()) {
    const d = draft(`mac:${record.mac}`);
    d.record = record;
    d.seen(record.firstSeen, record.lastSeen);
    for (const [ip, s] of record.arpIps) d.addIp(ip, s.first, s.last, null);
    for (const [ip, s] of record.dhcpIps) d.addIp(ip, s.first, s.last, s.last);
  }
  for (const [ip, facts] of book.ips) {
    const d = draft(resolution.assetIdOfIp(ip));
    d.addIp(ip, facts.firstSeen, facts.lastSeen, null);
    d.seen(facts.firstSeen, facts.lastSeen);
  }

  for (const d of drafts.values()) sumBehaviour(d, idOf, book, resolution.routers);

  // Pass 1: identity, and the role each device's own behaviour suggests.
  for (const d of drafts.values()) {
    d.evidence.push(...identityEvidence(d));
    const gateway = gatewayEvidence(d.behind);
    if (gateway !== null) d.evidence.push(gateway);
    const vendor = strongestValue(d.evidence, 'vendor');
    if (vendor !== null) {
      const source =
        d.evidence.find((e) => e.field === 'vendor' && e.value === vendor.value)?.source ?? 'oui';
      d.profile.vendor = { name: vendor.value, source };
    }
    for (const rule of ROLE_RULES) addRoleFinding(d, rule, rule.match(d.profile));
  }

  // Pass 2: roles that depend on the neighbours' roles, then the level each role implies.
  const firstRoles = new Map<string, Role | null>();
  for (const d of drafts.values()) firstRoles.set(d.id, roleOf(d));
  const neighbours: Neighbourhood = { roleOf: (id) => firstRoles.get(id) ?? null };
  for (const d of drafts.values()) {
    for (const rule of NEIGHBOURHOOD_ROLE_RULES) addRoleFinding(d, rule, rule.match(d.profile, neighbours));
    const role = strongestValue(d.evidence, 'role', ROLES);
    const level = role === null ? null : levelFromRole(role.value as Role, role.confidence);
    if (level !== null) d.evidence.push(level);
  }

  // Pass 3: DMZ hosts, from the levels their roles give the neighbours; then network devices,
  // from the hosts' final levels.
  const roleLevels = levelsNow(drafts);
  for (const d of drafts.values()) {
    const dmz = dmzHost(d.profile, roleOf(d), (id) => roleLevels.get(id) ?? null);
    if (dmz !== null) d.evidence.push({ ...dmz, confidence: round2(dmz.confidence) });
  }
  const hostLevels = levelsNow(drafts);
  for (const d of drafts.values()) {
    if (roleOf(d) !== 'network-device') continue;
    const members = networkMembers(d, drafts, resolution.routers, resolution.assetIdOfIp);
    const levels = [...members].map((id) => hostLevels.get(id) ?? null).filter((l) => l !== null);
    const joined = joinedNetworks(levels);
    if (joined !== null) d.evidence.push(joined);
  }

  const assets: Asset[] = [];
  for (const d of drafts.values()) {
    const asset = toAsset(d);
    assets.push(asset);
    changes?.push(...reportedChanges(asset.id, d.profile.identity));
    for (const [label, unit] of d.behind) {
      const sub = unitAsset(asset, label, unit);
      assets.push(sub);
      changes?.push(...reportedChanges(sub.id, unit.identity));
    }
  }
  return assets.sort(compareAssets);
}

function sumBehaviour(
  d: Draft,
  idOf: ReadonlyMap<Endpoint, string>,
  book: AddressBook,
  routers: ReadonlyMap<string, readonly string[]>,
): void {
  const p = d.profile;
  for (const endpoint of d.endpoints) {
    for (const [service, activity] of endpoint.asClient) {
      if (activity.unproven) continue;
      let used = p.used.get(service);
      if (used === undefined) {
        used = {
          servers: new Set(),
          connections: 0,
          requests: 0,
          operations: new Map(),
          functions: new Set(),
          coilWrites: 0,
          firstRequest: Number.POSITIVE_INFINITY,
          lastRequest: Number.NEGATIVE_INFINITY,
        };
        p.used.set(service, used);
      }
      for (const server of activity.servers) {
        const id = idOf.get(server)!;
        if (id !== d.id) used.servers.add(id);
      }
      used.connections += activity.connections;
      used.requests += activity.requests;
      for (const [op, { n }] of activity.operations)
        used.operations.set(op, (used.operations.get(op) ?? 0) + n);
      for (const f of activity.functions) used.functions.add(f);
      used.coilWrites += activity.coilWrites;
      used.firstRequest = Math.min(used.firstRequest, activity.firstRequest);
      used.lastRequest = Math.max(used.lastRequest, activity.lastRequest);
      if (isNamedService(service) && !SIDES_FROM_MESSAGES.has(service)) d.protocols.add(`${service}/client`);
    }
    for (const [service, activity] of endpoint.asServer) {
      if (activity.unproven) continue;
      let served = p.served.get(service);
      if (served === undefined) {
        served = { clients: new Set(), ports: new Set(), connections: 0 };
        p.served.set(service, served);
      }
      for (const client of activity.clients) {
        const id = idOf.get(client)!;
        if (id !== d.id) served.clients.add(id);
      }
      for (const port of activity.ports) served.ports.add(port);
      served.connections += activity.connections;
      if (isNamedService(service) && !SIDES_FROM_MESSAGES.has(service)) d.protocols.add(`${service}/server`);
    }
    for (const peer of endpoint.peers) {
      const id = idOf.get(peer)!;
      if (id !== d.id) p.peers.add(id);
    }
    if (endpoint.identity !== null) identityOf(p).mergeFrom(endpoint.identity);
  }
  const { behind, itself } = devicesBehind(combineUnits(d.endpoints.flatMap((e) => [...e.units])));
  d.behind = behind;
  for (const u of itself) if (u.identity !== null) identityOf(p).mergeFrom(u.identity);
  if (d.record !== null) {
    if (d.record.identity !== null) identityOf(p).mergeFrom(d.record.identity);
    for (const app of d.record.linkApps) d.protocols.add(`${app}/sender`);
  }
  if (d.record !== null) {
    p.dhcpVendorClass = d.record.vendorClass?.value ?? null;
    p.dhcpClient = d.record.dhcpClient;
    if (d.record.dhcpClient) d.protocols.add('dhcp/client');
  }
  if (d.mac !== null) p.foreignIps = routers.get(d.mac)?.length ?? 0;
  p.ownIps = orderedIps(d).map(([ip]) => ip);
  for (const ip of d.ips.keys()) {
    const facts = book.ips.get(ip);
    if (facts === undefined) continue;
    if (facts.dhcpServer) {
      p.dhcpServer = true;
      d.protocols.add('dhcp/server');
    }
    p.routerFor += facts.routerFor;
    if (facts.dhcpRelay) {
      p.dhcpRelay = true;
      d.protocols.add('dhcp/relay');
    }
  }
}

function addRoleFinding(
  d: Draft,
  rule: { id: string; role: Role; source: string },
  finding: RoleFinding | null,
): void {
  if (finding === null) return;
  d.evidence.push({
    field: 'role',
    value: rule.role,
    confidence: round2(finding.confidence),
    source: finding.source ?? rule.source,
    rule: rule.id,
    detail: finding.detail,
  });
}

function levelsNow(drafts: ReadonlyMap<string, Draft>): Map<string, PurdueLevel | null> {
  const levels = new Map<string, PurdueLevel | null>();
  for (const d of drafts.values()) {
    levels.set(
      d.id,
      (strongestValue(d.evidence, 'purdueLevel', PURDUE_LEVELS)?.value ?? null) as PurdueLevel | null,
    );
  }
  return levels;
}

function roleOf(d: Draft): Role | null {
  return (strongestValue(d.evidence, 'role', ROLES)?.value ?? null) as Role | null;
}

function identityEvidence(d: Draft): Evidence[] {
  const out: Evidence[] = [];
  if (d.mac !== null) out.push(...ouiEvidence(d.mac));
  if (d.profile.identity !== null) out.push(...reportedIdentityEvidence(d.profile.identity));
  if (d.record?.hostname) out.push(dhcpHostNameEvidence(d.record.hostname.value));
  if (d.record?.vendorClass) out.push(dhcpVendorClassEvidence(d.record.vendorClass.value));
  return out;
}

/** Devices around a network device: those it forwards for, their peers, and its own peers. */
function networkMembers(
  d: Draft,
  drafts: ReadonlyMap<string, Draft>,
  routers: ReadonlyMap<string, readonly string[]>,
  assetIdOfIp: (ip: string) => string,
): Set<string> {
  const members = new Set<string>(d.profile.peers);
  for (const ip of (d.mac === null ? undefined : routers.get(d.mac)) ?? []) {
    const id = assetIdOfIp(ip);
    members.add(id);
    for (const peer of drafts.get(id)?.profile.peers ?? []) members.add(peer);
  }
  members.delete(d.id);
  return members;
}

/** The device's addresses, oldest first. */
function orderedIps(d: Draft): [string, IpSighting][] {
  return [...d.ips.entries()].sort(([ipA, a], [ipB, b]) => a.first - b.first || compareIps(ipA, ipB));
}

function toAsset(d: Draft): Asset {
  const ips = orderedIps(d);
  const evidence = sortEvidence(d.evidence);
  const role = strongestValue(evidence, 'role', ROLES);
  const level = strongestValue(evidence, 'purdueLevel', PURDUE_LEVELS);
  const bounded = Number.isFinite(d.firstSeen);
  return {
    id: d.id,
    ip: currentIp(ips),
    ips: ips.map(([ip]) => ip),
    mac: d.mac,
    vendor: strongestValue(evidence, 'vendor')?.value ?? null,
    model: strongestValue(evidence, 'model')?.value ?? null,
    firmware: strongestValue(evidence, 'firmware')?.value ?? null,
    serial: strongestValue(evidence, 'serial')?.value ?? null,
    name: strongestValue(evidence, 'name')?.value ?? null,
    role: (role?.value ?? null) as Role | null,
    roleConfidence: role?.confidence ?? null,
    purdueLevel: (level?.value ?? null) as PurdueLevel | null,
    purdueConfidence: level?.confidence ?? null,
    protocols: [...d.protocols].sort(),
    evidence,
    overrides: {},
    firstSeen: bounded ? d.firstSeen : 0,
    lastSeen: bounded ? d.lastSeen : 0,
    parent: null,
    unit: null,
  };
}

/** The address in use now: the latest DHCP lease when there is one, else the latest seen. */
function currentIp(ips: readonly [string, IpSighting][]): string | null {
  let best: [string, IpSighting] | null = null;
  const leased = ips.some(([, s]) => s.dhcpLast !== null);
  for (const entry of ips) {
    const s = entry[1];
    if (leased && s.dhcpLast === null) continue;
    const at = leased ? s.dhcpLast! : s.last;
    const bestAt = best === null ? Number.NEGATIVE_INFINITY : leased ? best[1].dhcpLast! : best[1].last;
    if (best === null || at > bestAt || (at === bestAt && s.first >= best[1].first)) best = entry;
  }
  return best?.[0] ?? null;
}

/** By current IP numerically, devices without an IP last; then by id. */
function compareAssets(a: Asset, b: Asset): number {
  if (a.ip !== null && b.ip !== null) {
    const byIp = compareIps(a.ip, b.ip);
    if (byIp !== 0) return byIp;
  } else if (a.ip !== b.ip) {
    return a.ip === null ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
