// Re-ingesting a device into the store: the stored asset and a freshly discovered one with the same
// id become one. Pure. Addresses and protocols unite; identity fields take the fresh values and
// every change is reported so the store can keep identity history; evidence is merged one
// statement per rule, newest wins, and role and level are derived from it again; a user's
// overrides always win.

import { evidenceKey, sortEvidence, strongestValue } from './evidence.ts';
import { MAX_ASSET_IPS, MAX_EVIDENCE } from './limits.ts';
import { LEVEL_OF_ROLE, levelFromRole } from './purdue.ts';
import {
  type Asset,
  type AssetOverrides,
  type Evidence,
  PURDUE_LEVELS,
  type PurdueLevel,
  ROLES,
  type Role,
} from './types.ts';

/**
 * Identity fields whose changes are reported, sorted; the same set and record shape as the
 * store's identity history (store/tables/asset-identity-history.ts), so changes go in as they are.
 */
export const IDENTITY_FIELDS = ['firmware', 'ip', 'model', 'name', 'serial', 'vendor'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** One change of an identity field between two discoveries: a row of the identity history. */
export interface IdentityChange {
  assetId: string;
  field: IdentityField;
  oldValue: string | null;
  newValue: string | null;
  /** Evidence source of the new value (`modbus`, `oui`, `dhcp`, `traffic`...). */
  source: string;
  /** When the new value was seen: the fresh discovery's last sighting. */
  ts: number;
}

export function mergeAsset(stored: Asset, fresh: Asset): { asset: Asset; changes: IdentityChange[] } {
  if (stored.id !== fresh.id) {
    throw new Error(`mergeAsset: cannot merge asset ${fresh.id} into a different asset ${stored.id}`);
  }
  const overrides: AssetOverrides = { ...fresh.overrides, ...stored.overrides };

  // An entry without a rule (from a store that did not keep the field) cannot be matched one to
  // one: any fresh statement about the same field from the same source supersedes it, so nothing
  // is counted twice.
  const freshTopics = new Set(fresh.evidence.map((e) => `${e.field}|${e.source}`));
  const statements = new Map<string, Evidence>();
  const rederived = (e: Evidence) => e.source === 'user' || e.rule === 'level-of-role'; // see withOverrides
  for (const e of stored.evidence) {
    if (rederived(e) || (e.rule === undefined && freshTopics.has(`${e.field}|${e.source}`))) continue;
    statements.set(evidenceKey(e), e);
  }
  for (const e of fresh.evidence) if (!rederived(e)) statements.set(evidenceKey(e), e);
  const observed = [...statements.values()];

  const changes: IdentityChange[] = [];
  const identity = {} as Record<IdentityField, string | null>;
  for (const field of IDENTITY_FIELDS) {
    const before = observedValue(stored, field);
    const now = fresh[field];
    identity[field] = now ?? before;
    if (now !== null && now !== before) {
      changes.push({
        assetId: stored.id,
        field,
        oldValue: before,
        newValue: now,
        source: field === 'ip' ? addressSource(fresh) : sourceOf(fresh.evidence, field, now),
        ts: fresh.lastSeen,
      });
    }
  }

  const merged: Asset = {
    id: stored.id,
    ip: identity.ip,
    ips: mergeIps(stored.ips, fresh.ips, identity.ip),
    mac: stored.mac ?? fresh.mac,
    vendor: identity.vendor,
    model: identity.model,
    firmware: identity.firmware,
    serial: identity.serial,
    name: identity.name,
    role: null,
    roleConfidence: null,
    purdueLevel: null,
    purdueConfidence: null,
    protocols: [...new Set([...stored.protocols, ...fresh.protocols])].sort(),
    evidence: observed,
    overrides: {},
    firstSeen: Math.min(stored.firstSeen, fresh.firstSeen),
    lastSeen: Math.max(stored.lastSeen, fresh.lastSeen),
    parent: fresh.parent ?? stored.parent,
    unit: fresh.unit ?? stored.unit,
  };
  return { asset: withOverrides(merged, overrides), changes };
}

/**
 * The asset with `overrides` applied: role, Purdue level and name take the user's values, with
 * confidence 1 and a `user` evidence entry each; without an override they come from the observed
 * evidence. Pure; also what the store uses when a user edits overrides.
 */
export function withOverrides(asset: Asset, overrides: AssetOverrides): Asset {
  const observedName = observedValue(asset, 'name');
  const evidence = asset.evidence.filter((e) => e.source !== 'user' && e.rule !== 'level-of-role');

  const observedRole = strongestValue(evidence, 'role', ROLES);
  const role = (overrides.role ?? observedRole?.value ?? null) as Role | null;
  const roleConfidence = overrides.role !== undefined ? 1 : (observedRole?.confidence ?? null);
  if (role !== null && roleConfidence !== null) {
    const level = levelFromRole(role, roleConfidence);
    if (level !== null) {
      evidence.push(
        overrides.role === undefined
          ? level
          : { ...level, source: 'user', detail: `${level.detail} (role set by a user)` },
      );
    }
  }

  const kept = sortEvidence(evidence)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, MAX_EVIDENCE);
  const observedLevel = strongestValue(kept, 'purdueLevel', PURDUE_LEVELS);
  let purdueLevel = (observedLevel?.value ?? null) as PurdueLevel | null;
  let purdueConfidence = observedLevel?.confidence ?? null;
  if (overrides.purdueLevel !== undefined) {
    purdueLevel = overrides.purdueLevel;
    purdueConfidence = 1;
  } else if (overrides.role !== undefined && LEVEL_OF_ROLE[overrides.role] !== null) {
    purdueLevel = LEVEL_OF_ROLE[overrides.role];
    purdueConfidence = 1;
  }

  const user: Evidence[] = [];
  if (overrides.role !== undefined) user.push(userEntry('role', overrides.role));
  if (overrides.purdueLevel !== undefined) user.push(userEntry('purdueLevel', overrides.purdueLevel));
  if (overrides.name !== undefined) user.push(userEntry('name', overrides.name));

  return {
    ...asset,
    name: overrides.name ?? observedName,
    role,
    roleConfidence,
    purdueLevel,
    purdueConfidence,
    evidence: sortEvidence([...user, ...kept]),
    overrides: structuredClone(overrides),
  };
}

function userEntry(field: string, value: string): Evidence {
  return { field, value, confidence: 1, source: 'user', rule: 'user-override', detail: 'set by a user' };
}

/** The value discovery found, under any override (an overridden name lives on in the evidence). */
function observedValue(asset: Asset, field: IdentityField): string | null {
  if (field === 'name' && asset.overrides.name !== undefined) {
    return strongestValue(asset.evidence, 'name')?.value ?? null;
  }
  return asset[field];
}

/** A device that leases its address got the new one from DHCP; otherwise traffic showed it. */
function addressSource(asset: Asset): string {
  return asset.protocols.includes('dhcp/client') ? 'dhcp' : 'traffic';
}

function sourceOf(evidence: readonly Evidence[], field: string, value: string): string {
  let best: Evidence | null = null;
  for (const e of evidence) {
    if (e.field === field && e.value === value && (best === null || e.confidence > best.confidence)) best = e;
  }
  return best?.source ?? 'traffic';
}

/** Oldest first; past MAX_ASSET_IPS the oldest go, never the current address. */
function mergeIps(stored: readonly string[], fresh: readonly string[], current: string | null): string[] {
  const ips = [...new Set([...stored, ...fresh])];
  while (ips.length > MAX_ASSET_IPS) {
    const oldest = ips.findIndex((ip) => ip !== current);
    ips.splice(oldest, 1);
  }
  return ips;
}
