// Who owns which address. Three kinds of observation tell a MAC's own addresses apart from the
// addresses it merely carries:
//   - ARP (RFC 826): the sender announces its own (MAC, IP); ARP never crosses a router.
//   - DHCP (RFC 2131): the server leases an IP to the client hardware address in `chaddr`, even
//     through a relay; a new lease for the same MAC is the same device with a new address.
//   - Traffic: the Ethernet source of an IP packet is the sender, or the last router on its path.
// A MAC that carries many IPs it does not own is a router (MAX_FOREIGN_IPS_FOR_A_HOST, or fewer
// when it claims an address of its own: MAX_FOREIGN_IPV4_BESIDE_OWN); the IPs behind it are
// devices of their own, known by IP alone unless some other MAC owns them.

import { isDeviceMac, isIpv6, isLinkLocalIp, isUnspecifiedIp } from './addresses.ts';
import type { Endpoint } from './endpoint.ts';
import {
  MAX_DHCP_NAMED_IPS,
  MAX_FOREIGN_IPS_FOR_A_HOST,
  MAX_FOREIGN_IPV4_BESIDE_OWN,
  MAX_MAC_RECORDS,
  MAX_OWN_IPS_PER_MAC,
} from './limits.ts';
import { identityOf, type ReportedIdentity } from './reported-identity.ts';
import {
  type IpFactsSnapshot,
  type MacRecordSnapshot,
  newer,
  type SightingSnapshot,
  timeIn,
  timeOut,
} from './snapshot.ts';

export interface Sighting {
  first: number;
  last: number;
}

/** What ARP and DHCP said about one MAC. */
export class MacRecord {
  readonly arpIps = new Map<string, Sighting>();
  readonly dhcpIps = new Map<string, Sighting>();
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  dhcpClient = false;
  /** Latest DHCP host name (option 12) and vendor class (option 60), with when they were sent. */
  hostname: { value: string; ts: number } | null = null;
  vendorClass: { value: string; ts: number } | null = null;
  /** What the device said about itself in link-layer frames (LLDP, CDP, PROFINET DCP). */
  identity: ReportedIdentity | null = null;
  /** Link-layer protocols it sent (`lldp`, `profinet`). */
  readonly linkApps = new Set<string>();

  constructor(readonly mac: string) {}

  seen(ts: number): void {
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
  }

  ownsIp(ip: string): boolean {
    return this.arpIps.has(ip) || this.dhcpIps.has(ip);
  }

  ownsIpv4(): boolean {
    for (const ip of this.arpIps.keys()) if (!isIpv6(ip)) return true;
    for (const ip of this.dhcpIps.keys()) if (!isIpv6(ip)) return true;
    return false;
  }

  snapshot(): MacRecordSnapshot {
    return {
      mac: this.mac,
      firstSeen: timeOut(this.firstSeen),
      lastSeen: timeOut(this.lastSeen),
      arpIps: sightingsOut(this.arpIps),
      dhcpIps: sightingsOut(this.dhcpIps),
      dhcpClient: this.dhcpClient,
      hostname: copy(this.hostname),
      vendorClass: copy(this.vendorClass),
      identity: this.identity?.snapshot() ?? null,
      linkApps: [...this.linkApps],
    };
  }

  /** Folds in another builder's record of the same MAC. */
  merge(s: MacRecordSnapshot): void {
    this.seen(timeIn(s.firstSeen, Number.POSITIVE_INFINITY));
    this.seen(timeIn(s.lastSeen, Number.NEGATIVE_INFINITY));
    for (const { ip, first, last } of s.arpIps) sight(this.arpIps, ip, first, last);
    for (const { ip, first, last } of s.dhcpIps) sight(this.dhcpIps, ip, first, last);
    this.dhcpClient ||= s.dhcpClient;
    this.hostname = copy(newer(this.hostname, s.hostname));
    this.vendorClass = copy(newer(this.vendorClass, s.vendorClass));
    if (s.identity !== null) identityOf(this).merge(s.identity);
    for (const app of s.linkApps) this.linkApps.add(app);
  }
}

/** What DHCP said about one IP address (RFC 2132 options 3 and 54, RFC 2131 `giaddr`). */
export interface IpFacts {
  dhcpServer: boolean;
  /** Hosts that were told this is their router (option 3). */
  routerFor: number;
  dhcpRelay: boolean;
  firstSeen: number;
  lastSeen: number;
}

export class AddressBook {
  readonly macs = new Map<string, MacRecord>();
  readonly ips = new Map<string, IpFacts>();
  /** Observations not recorded because MAX_MAC_RECORDS or MAX_DHCP_NAMED_IPS was reached. */
  dropped = 0;

  /** A MAC record, or null when the address cannot name a device (group or all-zero addresses). */
  mac(mac: string): MacRecord | null {
    let record = this.macs.get(mac);
    if (record === undefined) {
      if (!isDeviceMac(mac)) return null;
      if (this.macs.size >= MAX_MAC_RECORDS) {
        this.dropped += 1;
        return null;
      }
      record = new MacRecord(mac);
      this.macs.set(mac, record);
    }
    return record;
  }

  /** Facts about an IP; past MAX_DHCP_NAMED_IPS a detached record that nobody reads. */
  ipFacts(ip: string, ts: number): IpFacts {
    let facts = this.ips.get(ip);
    if (facts === undefined) {
      facts = { dhcpServer: false, routerFor: 0, dhcpRelay: false, firstSeen: ts, lastSeen: ts };
      if (this.ips.size >= MAX_DHCP_NAMED_IPS) this.dropped += 1;
      else this.ips.set(ip, facts);
    }
    if (ts < facts.firstSeen) facts.firstSeen = ts;
    if (ts > facts.lastSeen) facts.lastSeen = ts;
    return facts;
  }

  /** The sender of an ARP packet owns its sender address (RFC 826; 0.0.0.0 is an RFC 5227 probe). */
  arpSender(mac: string, ip: string, ts: number): void {
    const record = this.mac(mac);
    if (record === null) return;
    record.seen(ts);
    if (!isUnspecifiedIp(ip)) sight(record.arpIps, ip, ts, ts);
  }

  /** A DHCP lease or claim: `chaddr` uses `ip` from `ts` on. */
  dhcpBinding(mac: string, ip: string, ts: number): void {
    const record = this.mac(mac);
    if (record === null || isUnspecifiedIp(ip)) return;
    sight(record.dhcpIps, ip, ts, ts);
  }

  snapshot(): { macs: MacRecordSnapshot[]; ips: IpFactsSnapshot[] } {
    return {
      macs: [...this.macs.values()].map((record) => record.snapshot()),
      ips: [...this.ips].map(([ip, f]) => ({
        ip,
        dhcpServer: f.dhcpServer,
        routerFor: f.routerFor,
        dhcpRelay: f.dhcpRelay,
        firstSeen: f.firstSeen,
        lastSeen: f.lastSeen,
      })),
    };
  }

  /** Folds in another builder's book, under the same bounds. */
  merge(macs: readonly MacRecordSnapshot[], ips: readonly IpFactsSnapshot[], dropped: number): void {
    this.dropped += dropped;
    for (const s of macs) this.mac(s.mac)?.merge(s);
    for (const s of ips) {
      const facts = this.ipFacts(s.ip, s.firstSeen);
      if (s.lastSeen > facts.lastSeen) facts.lastSeen = s.lastSeen;
      facts.dhcpServer ||= s.dhcpServer;
      facts.routerFor += s.routerFor;
      facts.dhcpRelay ||= s.dhcpRelay;
    }
  }
}

function sight(sightings: Map<string, Sighting>, ip: string, first: number, last: number): void {
  const s = sightings.get(ip);
  if (s !== undefined) {
    if (first < s.first) s.first = first;
    if (last > s.last) s.last = last;
  } else if (sightings.size < MAX_OWN_IPS_PER_MAC) {
    sightings.set(ip, { first, last });
  }
}

function sightingsOut(sightings: ReadonlyMap<string, Sighting>): SightingSnapshot[] {
  return [...sightings].map(([ip, s]) => ({ ip, first: s.first, last: s.last }));
}

function copy(value: { value: string; ts: number } | null): { value: string; ts: number } | null {
  return value === null ? null : { value: value.value, ts: value.ts };
}

/** The outcome of address resolution: which MACs are routers, which device each endpoint is. */
export interface AddressResolution {
  /** Router MAC -> the IPs it carried without owning them. */
  readonly routers: ReadonlyMap<string, readonly string[]>;
  /** Asset id of an endpoint: `mac:<mac>` or `ip:<ip>`. */
  assetIdOf(endpoint: Endpoint): string;
  /** Asset id for a bare IP (DHCP server id, router option): its owner's MAC or the IP itself. */
  assetIdOfIp(ip: string): string;
}

export function resolveAddresses(book: AddressBook, endpoints: Iterable<Endpoint>): AddressResolution {
  const byMac = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    if (endpoint.mac === null || endpoint.ip === null) continue;
    const list = byMac.get(endpoint.mac);
    if (list === undefined) byMac.set(endpoint.mac, [endpoint]);
    else list.push(endpoint);
  }

  const routers = new Map<string, string[]>();
  for (const [mac, list] of byMac) {
    const record = book.macs.get(mac);
    const foreign = list
      .map((e) => e.ip!)
      .filter((ip) => !isLinkLocalIp(ip) && !(record?.ownsIp(ip) ?? false));
    const foreignIpv4 = foreign.filter((ip) => !isIpv6(ip)).length;
    if (
      foreign.length > MAX_FOREIGN_IPS_FOR_A_HOST ||
      (foreignIpv4 > MAX_FOREIGN_IPV4_BESIDE_OWN && (record?.ownsIpv4() ?? false))
    ) {
      routers.set(mac, foreign);
    }
  }

  // Owner of each IP: the latest MAC that claimed it by ARP/DHCP or sent it as a host. At the
  // same time an ARP/DHCP claim (made first) beats traffic, and else the lower MAC wins, so that
  // the owner does not depend on the order MACs were met in (merged shards meet them otherwise).
  const owners = new Map<string, { mac: string; last: number; byTraffic: boolean }>();
  const claim = (ip: string, mac: string, last: number, byTraffic: boolean) => {
    const current = owners.get(ip);
    if (
      current === undefined ||
      last > current.last ||
      (last === current.last && byTraffic === current.byTraffic && mac < current.mac)
    ) {
      owners.set(ip, { mac, last, byTraffic });
    }
  };
  for (const record of book.macs.values()) {
    for (const [ip, s] of record.arpIps) claim(ip, record.mac, s.last, false);
    for (const [ip, s] of record.dhcpIps) claim(ip, record.mac, s.last, false);
  }
  for (const [mac, list] of byMac) {
    if (routers.has(mac)) continue;
    for (const e of list) claim(e.ip!, mac, e.lastSeen, true);
  }

  const assetIdOfIp = (ip: string): string => {
    const owner = owners.get(ip);
    return owner === undefined ? `ip:${ip}` : `mac:${owner.mac}`;
  };
  return {
    routers,
    assetIdOfIp,
    assetIdOf(endpoint: Endpoint): string {
      if (endpoint.mac !== null && !routers.has(endpoint.mac)) return `mac:${endpoint.mac}`;
      if (endpoint.ip === null) return `mac:${endpoint.mac}`;
      return assetIdOfIp(endpoint.ip);
    },
  };
}
