// Purdue level (DESIGN.md "Names"; IEC 62443 reference model): mostly a consequence of the role,
// plus two rules that look at the neighbourhood once every role is known:
//   - dmz-host: a host that speaks no industrial protocol, serves data to IT hosts and exchanges
//     data with OT hosts (L0-L3) is where IT meets OT: L3.5.
//   - joined-networks: a network device sits at the highest plant level among the devices around
//     it (or the highest level at all when none is a plant device).

import { round2 } from './evidence.ts';
import type { AssetProfile } from './profile.ts';
import { speaksIndustrial } from './profile.ts';
import { count } from './sentences.ts';
import { itService } from './services.ts';
import type { Evidence, PurdueLevel, Role } from './types.ts';

/** Level of each role; a network device takes the level of the networks it joins instead. */
export const LEVEL_OF_ROLE: Readonly<Record<Role, PurdueLevel | null>> = {
  plc: 'L1',
  hmi: 'L2',
  'engineering-workstation': 'L2',
  historian: 'L3',
  'it-host': 'L4',
  'network-device': null,
};

/**
 * How surely a role fixes the level: controllers and operator stations have one place, while
 * historians and IT hosts are also found in the DMZ (L3.5), where dmz-host then outweighs this.
 */
const LEVEL_CERTAINTY: Readonly<Record<Role, number>> = {
  plc: 1,
  hmi: 1,
  'engineering-workstation': 1,
  historian: 0.8,
  'it-host': 0.8,
  'network-device': 0,
};

const ROLE_NAMES: Readonly<Record<Role, string>> = {
  plc: 'a PLC (basic control)',
  hmi: 'an HMI (supervisory control)',
  'engineering-workstation': 'an engineering workstation (supervisory control)',
  historian: 'a historian (site operations)',
  'it-host': 'an IT host (enterprise)',
  'network-device': 'a network device',
};

const OT_LEVELS: ReadonlySet<PurdueLevel> = new Set(['L0', 'L1', 'L2', 'L3']);
const IT_LEVELS: ReadonlySet<PurdueLevel> = new Set(['L4', 'L5']);

export function levelFromRole(role: Role, roleConfidence: number): Evidence | null {
  const level = LEVEL_OF_ROLE[role];
  if (level === null) return null;
  return {
    field: 'purdueLevel',
    value: level,
    confidence: round2(roleConfidence * LEVEL_CERTAINTY[role]),
    source: 'traffic',
    rule: 'level-of-role',
    detail: `as ${ROLE_NAMES[role]} it ${LEVEL_CERTAINTY[role] < 1 ? 'usually ' : ''}belongs at Purdue ${level}`,
  };
}

export function dmzHost(
  profile: AssetProfile,
  role: Role | null,
  levelOf: (assetId: string) => PurdueLevel | null,
): Evidence | null {
  if (role === 'network-device' || speaksIndustrial(profile)) return null;
  // Only data services count: an enterprise DNS server answering plant hosts is no DMZ host.
  const itClients = new Set<string>();
  const otPeers = new Set<string>();
  for (const [service, served] of profile.served) {
    if (itService(service)?.kind !== 'data') continue;
    for (const client of served.clients) {
      const level = levelOf(client);
      if (level !== null && IT_LEVELS.has(level)) itClients.add(client);
      if (level !== null && OT_LEVELS.has(level)) otPeers.add(client);
    }
  }
  for (const [service, used] of profile.used) {
    if (itService(service)?.kind !== 'data') continue;
    for (const server of used.servers) {
      const level = levelOf(server);
      if (level !== null && OT_LEVELS.has(level)) otPeers.add(server);
    }
  }
  if (itClients.size === 0 || otPeers.size === 0) return null;
  const extra = Math.min(3, itClients.size + otPeers.size - 2);
  return {
    field: 'purdueLevel',
    value: 'L3.5',
    confidence: 0.65 + 0.05 * extra,
    source: 'traffic',
    rule: 'dmz-host',
    detail: `serves ${count(itClients.size, 'IT host')} and exchanges data with ${count(otPeers.size, 'OT host')} (L0-L3): a DMZ host`,
  };
}

/**
 * A network device belongs to the plant when it joins any plant network: it sits at the highest
 * OT level (L0-L3) among the devices around it; joining only DMZ or IT networks, at the highest of
 * those.
 */
export function joinedNetworks(members: readonly PurdueLevel[]): Evidence | null {
  const levels = [...new Set(members)].sort();
  if (levels.length === 0) return null;
  const ot = levels.filter((l) => OT_LEVELS.has(l));
  const value: PurdueLevel = ot.length > 0 ? ot[ot.length - 1] : levels[levels.length - 1];
  const detail =
    levels.length === 1
      ? `joins the network of devices at ${value}`
      : `joins networks of devices at ${levels.join(', ')}; placed at the highest ${ot.length > 0 ? 'plant ' : ''}level`;
  return {
    field: 'purdueLevel',
    value,
    confidence: 0.5,
    source: 'traffic',
    rule: 'joined-networks',
    detail,
  };
}
