// Devices behind gateways are devices (issue 3): serial slaves behind a Modbus/TCP gateway (one IP,
// several unit ids), BACnet devices behind a router (told apart by the network layer's source
// address), modules in a CIP chassis. Each becomes an asset of its own, linked to the gateway.
//
// A unit is declared when a message said outright that a device sits behind the address
// (`<app>.device.unit`). Unit ids and station addresses (the descriptor's unitField) are only
// addresses: a TCP device ignores the Modbus unit id or answers to one, a DNP3 outstation has one
// address; so a server counts as a gateway only when clients address at least MIN_GATEWAY_UNITS
// distinct ones (for Modbus, other than the "this device" ids 0 and 255).

import { MODBUS_SELF_UNITS } from './app-observers.ts';
import { UnitRecord } from './endpoint.ts';
import { sortEvidence, strongestValue } from './evidence.ts';
import { assetFieldOfPart, reportedIdentityEvidence } from './identity.ts';
import type { IdentityChange } from './merge.ts';
import { levelFromRole } from './purdue.ts';
import type { ReportedIdentity } from './reported-identity.ts';
import type { Asset, Evidence } from './types.ts';

/**
 * Distinct addresses clients use at one IP (Modbus unit ids, DNP3 outstation addresses) that make
 * it a gateway to the devices behind it: one address is the device itself.
 */
export const MIN_GATEWAY_UNITS = 2;

/** One label's records of every endpoint of a device, combined. */
export function combineUnits(records: Iterable<[string, UnitRecord]>): Map<string, UnitRecord> {
  const out = new Map<string, UnitRecord>();
  for (const [label, r] of records) {
    let u = out.get(label);
    if (u === undefined) {
      u = new UnitRecord(r.app);
      out.set(label, u);
    }
    u.merge(r.snapshot(label));
  }
  return out;
}

/**
 * Splits a device's units into those that are devices of their own and those that name the
 * device itself (their identity then belongs to the device).
 */
export function devicesBehind(units: ReadonlyMap<string, UnitRecord>): {
  behind: [string, UnitRecord][];
  itself: UnitRecord[];
} {
  // Per protocol, the addresses clients used (Modbus: other than the "this device" ids 0 and 255).
  const addressed = new Map<string, number>();
  for (const [label, u] of units) {
    if (u.declared || u.requests === 0) continue;
    if (u.app === 'modbus' && MODBUS_SELF_UNITS.has(unitNumber(label))) continue;
    addressed.set(u.app, (addressed.get(u.app) ?? 0) + 1);
  }
  const behind: [string, UnitRecord][] = [];
  const itself: UnitRecord[] = [];
  for (const [label, u] of units) {
    const gateway = (addressed.get(u.app) ?? 0) >= MIN_GATEWAY_UNITS;
    const own = u.declared || (gateway && !(u.app === 'modbus' && MODBUS_SELF_UNITS.has(unitNumber(label))));
    if (own) behind.push([label, u]);
    else itself.push(u);
  }
  behind.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  return { behind, itself };
}

/**
 * The gateway's own record of what sits behind it: an observation, not a role (a Modbus gateway
 * on a control network is part of basic control, whatever it relays).
 */
export function gatewayEvidence(behind: readonly [string, UnitRecord][]): Evidence | null {
  if (behind.length === 0) return null;
  const apps = [...new Set(behind.map(([, u]) => u.app))].sort().join(', ');
  const labels = behind.slice(0, 8).map(([label]) => label);
  const more = behind.length > labels.length ? ` and ${behind.length - labels.length} more` : '';
  return {
    field: 'device.behind',
    value: behind.map(([label]) => label).join(', '),
    confidence: 1,
    source: behind[0][1].app,
    rule: 'protocol-gateway',
    detail: `relays ${apps} to ${behind.length} device${behind.length === 1 ? '' : 's'} behind it (${labels.join(', ')}${more})`,
  };
}

/** The asset of a device behind `gateway`, named by its label. */
export function unitAsset(gateway: Asset, label: string, u: UnitRecord): Asset {
  const evidence: Evidence[] = [
    {
      field: 'role',
      value: 'plc',
      confidence: 0.6,
      source: u.app,
      rule: 'device-behind-gateway',
      detail: `answers ${u.app} as ${label} behind ${gateway.ip ?? gateway.id}, as field devices on a serial bus or in a chassis do`,
    },
  ];
  if (u.identity !== null) evidence.push(...reportedIdentityEvidence(u.identity));
  const level = levelFromRole('plc', 0.6);
  if (level !== null) evidence.push(level);
  const sorted = sortEvidence(evidence);
  const best = (field: string) => strongestValue(sorted, field)?.value ?? null;
  const bounded = Number.isFinite(u.firstSeen);
  return {
    id: unitAssetId(gateway.id, label),
    ip: gateway.ip,
    ips: gateway.ip === null ? [] : [gateway.ip],
    mac: null,
    vendor: best('vendor'),
    model: best('model'),
    firmware: best('firmware'),
    serial: best('serial'),
    name: best('name'),
    role: 'plc',
    roleConfidence: 0.6,
    purdueLevel: level === null ? null : (level.value as Asset['purdueLevel']),
    purdueConfidence: level?.confidence ?? null,
    protocols: [`${u.app}/server`],
    evidence: sorted,
    overrides: {},
    firstSeen: bounded ? u.firstSeen : gateway.firstSeen,
    lastSeen: bounded ? u.lastSeen : gateway.lastSeen,
    parent: gateway.id,
    unit: label,
  };
}

/** `ip:192.0.2.7/unit-3`: the gateway's id and the label, with no spaces. */
export function unitAssetId(gatewayId: string, label: string): string {
  return `${gatewayId}/${label.replace(/\s+/g, '-')}`;
}

/** Identity changes reported within one capture, as rows of the identity history. */
export function reportedChanges(assetId: string, identity: ReportedIdentity | null): IdentityChange[] {
  if (identity === null) return [];
  const out: IdentityChange[] = [];
  for (const c of identity.changes()) {
    const field = assetFieldOfPart(c.part);
    if (field === null) continue;
    out.push({
      assetId,
      field,
      oldValue: c.before.value,
      newValue: c.after.value,
      source: c.after.source,
      ts: c.after.ts,
    });
  }
  return out;
}

function unitNumber(label: string): number {
  const n = Number(label.slice(label.lastIndexOf(' ') + 1));
  return Number.isInteger(n) ? n : -1;
}
