// What a device is, from what it does: one table of plain rules, each a role, a weight and a
// sentence. Explainable over clever: every rule that fires becomes an evidence entry the user can
// read and disagree with, and entries for one role add up (evidence.ts). Thresholds are named.
//
// | rule                   | role                    | fires when                                          |
// |------------------------|-------------------------|-----------------------------------------------------|
// | industrial-server      | plc                     | serves an industrial protocol to clients            |
// | automation-vendor      | plc                     | made by an industrial automation company            |
// | device-identification  | plc                     | answers Modbus device identification itself         |
// | industrial-poller      | hmi                     | polls industrial servers steadily, mostly reading   |
// | engineering-access     | engineering-workstation | diagnostics, identification, coil writes, many      |
// |                        |                         | function codes, occasional use                      |
// | historian-collector    | historian               | only reads from industrial servers and talks to IT  |
// | historian-mirror (*)   | historian               | a historian sends it data over an IT data service   |
// | windows-dhcp-client    | it-host                 | DHCP vendor class MSFT, no industrial protocol      |
// | it-services            | it-host                 | uses DNS/web/file services, no industrial protocol  |
// | it-server              | it-host                 | serves IT services, no industrial protocol          |
// | dhcp-client            | it-host                 | leases its address, no industrial protocol          |
// | many-ips               | network-device          | its MAC carries many IPs it does not own            |
// | dhcp-router-option     | network-device          | DHCP names it as the router (option 3)              |
// | dhcp-relay             | network-device          | relays DHCP (giaddr)                                |
//
// (*) looks at the neighbours' roles, so it runs once every device has a role from the others.

import { isIndustrialAutomationVendor } from './industrial-vendors.ts';
import {
  type AssetProfile,
  type IndustrialUse,
  industrialServices,
  industrialUse,
  itActivity,
  speaksIndustrial,
} from './profile.ts';
import { count, countPeers, percent, seconds } from './sentences.ts';
import { industrialLabel, itService } from './services.ts';
import type { Role } from './types.ts';

/** A poll is steady when each server sees at least this many requests... */
export const POLL_MIN_REQUESTS_PER_SERVER = 10;
/** ...at most this many seconds apart on average: an HMI screen refreshes within seconds. */
export const POLL_MAX_INTERVAL_S = 5;
/** Share of reads among a poller's requests: HMIs mostly display, and write now and then. */
export const POLL_MIN_READ_SHARE = 0.7;
/** Distinct function codes that make a client's use "mixed": pollers use two or three. */
export const MIXED_FUNCTIONS = 4;
/** Operations only engineering tools use routinely. */
/** Control protocols whose identification answers come from field devices (PLC, RTU, IED, I/O). */
const FIELD_DEVICE_PROTOCOLS: ReadonlySet<string> = new Set([
  'bacnet',
  'dnp3',
  'enip',
  'iec104',
  'modbus',
  'profinet',
  'profinet_cm',
  's7comm',
]);

const ENGINEERING_OPERATIONS: Readonly<Record<string, string>> = {
  diagnostic: 'diagnostics',
  discovery: 'device identification',
  file: 'file transfer',
  control: 'control commands',
  program: 'programming',
};

/** Operations that change the process or the device: a historian sends none. */
const CHANGING_OPERATIONS = ['write', 'read_write', 'read-write', 'readwrite', 'program', 'control', 'file'];

function changesProcess(use: IndustrialUse): boolean {
  return CHANGING_OPERATIONS.some((op) => (use.operations.get(op) ?? 0) > 0);
}

/** Uses no industrial protocol but PROFINET IO connection management, and serves others itself. */
function isIoController(p: AssetProfile, use: IndustrialUse): boolean {
  return (
    use.labels.length === 1 &&
    use.labels[0] === industrialLabel('profinet_cm') &&
    industrialServices(p).length > 0
  );
}

export interface RoleFinding {
  readonly confidence: number;
  readonly detail: string;
  /** When the source depends on the case (vendor from the OUI or from the device itself). */
  readonly source?: string;
}

export interface RoleRule {
  readonly id: string;
  readonly role: Role;
  readonly source: string;
  match(profile: AssetProfile): RoleFinding | null;
}

/** What a neighbourhood rule may know about other devices: their role from the first pass. */
export interface Neighbourhood {
  roleOf(assetId: string): Role | null;
}

export interface NeighbourhoodRoleRule {
  readonly id: string;
  readonly role: Role;
  readonly source: string;
  match(profile: AssetProfile, neighbours: Neighbourhood): RoleFinding | null;
}

export const ROLE_RULES: readonly RoleRule[] = [
  {
    id: 'industrial-server',
    role: 'plc',
    source: 'traffic',
    match(p) {
      const [top] = industrialServices(p);
      if (top === undefined) return null;
      const clients = top.served.clients.size;
      const ports = [...top.served.ports].sort((a, b) => a - b).join(', ');
      return {
        confidence: Math.min(0.9, 0.7 + 0.05 * clients),
        detail: `serves ${top.label} (port ${ports}) to ${countPeers(clients, 'client')}`,
      };
    },
  },
  {
    id: 'automation-vendor',
    role: 'plc',
    source: 'oui',
    match(p) {
      if (p.vendor === null || !isIndustrialAutomationVendor(p.vendor.name)) return null;
      return {
        confidence: 0.3,
        detail: `made by ${p.vendor.name}, an industrial automation company`,
        source: p.vendor.source,
      };
    },
  },
  {
    id: 'device-identification',
    role: 'plc',
    source: 'modbus',
    match(p) {
      // Controllers answer identification requests of their control protocol; an HTTP server
      // header or an LLDP system name says nothing about being one.
      const reported = p.identity?.entries().find(([, v]) => FIELD_DEVICE_PROTOCOLS.has(v.source));
      if (reported === undefined) return null;
      return {
        confidence: 0.3,
        source: reported[1].source,
        detail: `answers ${reported[1].via} itself, as field devices do`,
      };
    },
  },
  {
    id: 'industrial-poller',
    role: 'hmi',
    source: 'traffic',
    match(p) {
      const use = industrialUse(p);
      if (use === null || !isSteadyPoll(use) || use.reads < POLL_MIN_READ_SHARE * use.requests) return null;
      let confidence = use.servers >= 2 ? Math.min(0.85, 0.6 + 0.025 * use.servers) : 0.45;
      let detail =
        `polls ${countPeers(use.servers, `${use.labels.join('/')} server`)} with reads about every ` +
        `${seconds(use.intervalPerServer!)} (${count(use.requests, 'request')}, ${percent(use.reads, use.requests)} reads)`;
      if (industrialServices(p).length > 0) {
        // A controller polling its remote I/O reads steadily too; serving the protocol says PLC.
        confidence /= 2;
        detail += ', but also serves it, as a controller polling its I/O would';
      } else if (use.writes === 0 && itActivity(p).dataSide) {
        // Operators act through an HMI, so it writes now and then; a collector never does.
        confidence *= 0.75;
        detail += ', but never writes and moves data to the IT side, as historians do';
      }
      return { confidence, detail };
    },
  },
  {
    id: 'engineering-access',
    role: 'engineering-workstation',
    source: 'traffic',
    match(p) {
      const use = industrialUse(p);
      if (use === null) return null;
      // A PROFINET IO controller (a PLC) connects and parameterises its IO devices at start-up:
      // control requests, but no engineering.
      if (isIoController(p, use)) return null;
      const strong = Object.keys(ENGINEERING_OPERATIONS)
        .filter((op) => (use.operations.get(op) ?? 0) > 0)
        .map((op) => ENGINEERING_OPERATIONS[op]);
      if (strong.length === 0) return null;
      const signals = [...strong];
      if (use.coilWrites > 0) signals.push('coil writes');
      if (use.functions.size >= MIXED_FUNCTIONS) signals.push(`${use.functions.size} different functions`);
      const steady = isSteadyPoll(use);
      if (!steady) signals.push('occasional use');
      if (signals.length < 2) return null;
      let confidence = Math.min(0.9, 0.3 + 0.15 * signals.length);
      let detail =
        `${signals.join(', ')} towards ${countPeers(use.servers, `${use.labels.join('/')} server`)} ` +
        `(${count(use.requests, 'request')})`;
      if (steady) {
        confidence *= 0.6;
        detail += ', but it also polls steadily, as HMIs do';
      }
      return { confidence, detail };
    },
  },
  {
    id: 'historian-collector',
    role: 'historian',
    source: 'traffic',
    match(p) {
      const use = industrialUse(p);
      // Session set-up (OPC UA's channel and session, EtherNet/IP's RegisterSession) is no change.
      if (use === null || use.reads === 0 || changesProcess(use)) return null;
      const it = itActivity(p);
      if (!it.dataSide) return null;
      const slow = use.intervalPerServer === null || use.intervalPerServer > POLL_MAX_INTERVAL_S;
      const itPart = [
        it.serves.length > 0 ? `serves ${it.serves.join(', ')}` : '',
        it.uses.length > 0 ? `uses ${it.uses.join(', ')}` : '',
      ]
        .filter((s) => s !== '')
        .join(' and ');
      const rate = use.intervalPerServer === null ? '' : `, about every ${seconds(use.intervalPerServer)}`;
      return {
        confidence: slow ? 0.75 : 0.6,
        detail: `only reads from ${countPeers(use.servers, `${use.labels.join('/')} server`)}${rate}, and ${itPart} on the IT side`,
      };
    },
  },
  {
    id: 'windows-dhcp-client',
    role: 'it-host',
    source: 'dhcp',
    match(p) {
      if (p.dhcpVendorClass === null || !/^MSFT/i.test(p.dhcpVendorClass) || speaksIndustrial(p)) return null;
      return {
        confidence: 0.5,
        detail: `DHCP vendor class "${p.dhcpVendorClass}" is Windows, and it speaks no industrial protocol`,
      };
    },
  },
  {
    id: 'it-services',
    role: 'it-host',
    source: 'traffic',
    match(p) {
      if (speaksIndustrial(p)) return null;
      const { uses } = itActivity(p);
      if (uses.length === 0) return null;
      return {
        confidence: Math.min(0.7, 0.35 + 0.1 * (uses.length - 1)),
        detail: `uses ${uses.join(', ')}, and no industrial protocol`,
      };
    },
  },
  {
    id: 'it-server',
    role: 'it-host',
    source: 'traffic',
    match(p) {
      if (speaksIndustrial(p)) return null;
      const serves = itActivity(p).serves;
      if (p.dhcpServer) serves.unshift('DHCP');
      if (serves.length === 0) return null;
      return { confidence: 0.4, detail: `serves ${serves.join(', ')}, and no industrial protocol` };
    },
  },
  {
    id: 'dhcp-client',
    role: 'it-host',
    source: 'dhcp',
    match(p) {
      if (!p.dhcpClient || speaksIndustrial(p)) return null;
      return {
        confidence: 0.3,
        detail: 'leases its address by DHCP, as office devices do, and speaks no industrial protocol',
      };
    },
  },
  {
    id: 'many-ips',
    role: 'network-device',
    source: 'traffic',
    match(p) {
      if (p.foreignIps === 0) return null;
      const shown = p.ownIps.slice(0, 3).join(', ') + (p.ownIps.length > 3 ? ', ...' : '');
      const own = p.ownIps.length === 0 ? '' : ` (its own: ${shown})`;
      return {
        confidence: 0.9,
        detail: `its MAC carries traffic for ${count(p.foreignIps, 'IP address', 'IP addresses')} it does not own${own}: a router or gateway`,
      };
    },
  },
  {
    id: 'dhcp-router-option',
    role: 'network-device',
    source: 'dhcp',
    match(p) {
      if (p.routerFor === 0) return null;
      return {
        confidence: 0.7,
        detail: `named as the router (DHCP option 3) in ${count(p.routerFor, 'DHCP reply', 'DHCP replies')}`,
      };
    },
  },
  {
    id: 'dhcp-relay',
    role: 'network-device',
    source: 'dhcp',
    match(p) {
      return p.dhcpRelay ? { confidence: 0.6, detail: 'relays DHCP for other hosts (giaddr)' } : null;
    },
  },
];

export const NEIGHBOURHOOD_ROLE_RULES: readonly NeighbourhoodRoleRule[] = [
  {
    id: 'historian-mirror',
    role: 'historian',
    source: 'traffic',
    match(p, neighbours) {
      if (speaksIndustrial(p)) return null;
      const historians = new Set<string>();
      const others = new Set<string>();
      const labels = new Set<string>();
      for (const [service, served] of p.served) {
        const it = itService(service);
        if (it?.kind !== 'data') continue;
        for (const client of served.clients) {
          if (neighbours.roleOf(client) === 'historian') {
            historians.add(client);
            labels.add(it.label);
          } else {
            others.add(client);
          }
        }
      }
      if (historians.size === 0) return null;
      const rest = others.size === 0 ? '' : ` and serves ${count(others.size, 'other host')}`;
      return {
        confidence: others.size === 0 ? 0.5 : 0.6,
        detail: `receives data from ${count(historians.size, 'historian')} over ${[...labels].sort().join(', ')}${rest}: a historian mirror`,
      };
    },
  },
];

function isSteadyPoll(use: IndustrialUse): boolean {
  return (
    use.intervalPerServer !== null &&
    use.intervalPerServer <= POLL_MAX_INTERVAL_S &&
    use.requests >= POLL_MIN_REQUESTS_PER_SERVER * Math.max(use.servers, 1)
  );
}
