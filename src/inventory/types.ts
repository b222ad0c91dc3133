// The asset inventory's records (DESIGN.md "Names" and the `discover --json` contract). Every
// inferred value carries the evidence that led to it, so a person can see why Zoneward thinks so.

export const ROLES = [
  'plc', // PLC, RTU or IED: a field controller (Purdue L1)
  'hmi', // HMI or SCADA server (L2)
  'engineering-workstation', // programs controllers (L2)
  'historian', // collects process data (L3)
  'it-host', // ordinary IT host
  'network-device', // router, switch, firewall, gateway
] as const;
export type Role = (typeof ROLES)[number];

export const PURDUE_LEVELS = ['L0', 'L1', 'L2', 'L3', 'L3.5', 'L4', 'L5'] as const;
export type PurdueLevel = (typeof PURDUE_LEVELS)[number];

export interface Evidence {
  /** Which asset field this supports: `role`, `purdueLevel`, `vendor`, `model`, ... */
  readonly field: string;
  readonly value: string;
  /** 0..1 */
  readonly confidence: number;
  /** Where it came from: `oui`, `modbus`, `dhcp`, `traffic`, `user`, ... */
  readonly source: string;
  /** A plain sentence, e.g. "serves Modbus/TCP (port 502) to 3 clients". */
  readonly detail: string;
  /**
   * Id of the inventory rule that produced it (`industrial-server`), so a later discovery replaces
   * that rule's earlier statement instead of adding to it (see inventory/merge.ts).
   */
  readonly rule?: string;
}

/** A user's correction; survives every later discovery. */
export interface AssetOverrides {
  role?: Role;
  purdueLevel?: PurdueLevel;
  name?: string;
  criticality?: 'low' | 'medium' | 'high' | 'critical';
  tags?: string[];
}

export interface Asset {
  /** Stable id: `mac:aa:bb:cc:dd:ee:ff` for a device known by its MAC, `ip:192.0.2.7` otherwise. */
  id: string;
  /** Most recently seen address. */
  ip: string | null;
  /** Every address the device has used, oldest first. */
  ips: string[];
  mac: string | null;
  vendor: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  name: string | null;
  role: Role | null;
  roleConfidence: number | null;
  purdueLevel: PurdueLevel | null;
  purdueConfidence: number | null;
  /** Application protocols with the side spoken, sorted: `modbus/server`, `dhcp/client`. */
  protocols: string[];
  evidence: Evidence[];
  overrides: AssetOverrides;
  firstSeen: number;
  lastSeen: number;
  /** The asset of the gateway this device sits behind (a Modbus gateway, BACnet router, CIP chassis). */
  parent: string | null;
  /** Its address behind the gateway: `unit 3`, `net 5 mac 0a`, `slot 2`. */
  unit: string | null;
}
