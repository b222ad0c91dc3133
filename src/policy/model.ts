// The zones-and-conduits policy in its neutral form (IEC 62443-3-2; STYLE.md 9: parse, neutral
// form, one generator per target). The YAML file (parse.ts) becomes a `Policy`; members by asset,
// role or tag become addresses against an inventory (`ResolvedPolicy`); the simulator, every
// compiler target and the version store work on these types and nothing else.
//
// Default deny between zones: traffic between two zones crosses only a conduit that lists it.
// Traffic inside one zone is not filtered. Traffic to or from an address in no zone is "unzoned"
// and is reported apart (the compilers leave it to the host's own rules).

import type { Operation } from '../dissectors/operations.ts';
import type { PurdueLevel, Role } from '../inventory/types.ts';

/** Every policy file says which version of this format it is written in. */
export const POLICY_FORMAT_VERSION = 1;

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** How much a would-block on a conduit into a zone of this criticality weighs in a simulation. */
export const CRITICALITY_WEIGHT: Record<Criticality, number> = { low: 1, medium: 2, high: 5, critical: 10 };

/** IEC 62443-3-3 target security level. */
export type SecurityLevel = 1 | 2 | 3 | 4;

export const CONDUIT_MODES = ['monitor', 'enforce'] as const;
/** monitor: log, count and accept what the conduit would block; enforce: drop it. */
export type ConduitMode = (typeof CONDUIT_MODES)[number];

export const TRANSPORTS = ['tcp', 'udp', 'icmp'] as const;
export type PolicyTransport = (typeof TRANSPORTS)[number];

/** One service: a transport and an inclusive port range (ports are absent for icmp). */
export interface ServiceSpec {
  transport: PolicyTransport;
  /** Inclusive; equal for a single port. */
  ports: { from: number; to: number } | null;
}

/** Where a definition or rule was written in the source file, for errors and reports. */
export interface SourceRef {
  line: number;
  column: number;
}

export interface ZoneMembers {
  /** IPv4/IPv6 CIDRs or single addresses, with named networks already expanded. */
  cidrs: string[];
  /** Inventory asset ids (`mac:...`, `ip:...`). */
  assets: string[];
  roles: Role[];
  tags: string[];
}

export interface Zone {
  name: string;
  purdueLevel: PurdueLevel;
  securityLevel: SecurityLevel;
  criticality: Criticality;
  members: ZoneMembers;
  description: string | null;
  source: SourceRef | null;
}

/**
 * Application operations a conduit allows on top of its services. Absent: any operation on an
 * allowed service. Present: a message is allowed when one rule matches all of its given parts.
 */
export interface OperationRule {
  /** The application protocol the rule is about (`modbus`, `dnp3`, `s7comm`, ...). */
  protocol: string;
  /** Operation classes allowed (src/dissectors/operations.ts); empty means any. */
  classes: Operation[];
  /** Function names as the dissector prints them (`READ_HOLDING_REGISTERS`); empty means any. */
  functions: string[];
  /** Unit ids / outstation addresses; empty means any. */
  units: number[];
  /** Inclusive address ranges a read or write may touch; empty means any. */
  addresses: { from: number; to: number }[];
}

export interface Conduit {
  name: string;
  from: string;
  to: string;
  /** Resolved services (named services expanded); connections start in `from` towards `to`. */
  services: ServiceSpec[];
  /** The service names as written, kept for reports and comments. */
  serviceNames: string[];
  operations: OperationRule[] | null;
  mode: ConduitMode;
  owner: string | null;
  justification: string | null;
  source: SourceRef | null;
}

export interface Policy {
  format: number;
  name: string;
  description: string | null;
  definitions: {
    networks: Record<string, string[]>;
    services: Record<string, ServiceSpec[]>;
  };
  zones: Zone[];
  conduits: Conduit[];
}

/** A policy whose zone members are addresses, resolved against an inventory at one moment. */
export interface ResolvedPolicy {
  policy: Policy;
  /** Per zone name: the CIDRs it holds (asset, role and tag members became /32 or /128). */
  zoneAddresses: Map<string, string[]>;
  /** Members that matched nothing in the inventory, so the user sees them (not an error). */
  unmatched: { zone: string; member: string }[];
}

/** One problem found in a policy file; parse and check report all of them at once. */
export interface PolicyIssue {
  /** Stable code, e.g. `unknown-zone`, `overlapping-members`, `conduit-to-itself`. */
  code: string;
  message: string;
  /** 1-based; null when the problem is not tied to one place (e.g. the file is empty). */
  line: number | null;
  column: number | null;
  /** The path in the document, e.g. `conduits[2].to`. */
  path: string;
}
