// How assets and flows look on a terminal and in a pipe. Shared by `discover`, `assets`, `flows`
// and the main job so the same record always reads the same way.

import type { Flow } from '../flows/types.ts';
import type { Asset } from '../inventory/types.ts';
import { PURDUE_LEVELS } from '../inventory/types.ts';
import { ipSortKey } from '../pipeline/format.ts';
import { type Column, formatBytes, formatCount, formatTime, renderTable } from './output.ts';

const LEVEL_TITLES: Record<string, string> = {
  L0: 'L0 process',
  L1: 'L1 basic control (PLC, RTU, IED)',
  L2: 'L2 supervisory (HMI, SCADA, engineering)',
  L3: 'L3 site operations',
  'L3.5': 'L3.5 OT DMZ',
  L4: 'L4 enterprise IT',
  L5: 'L5 enterprise IT',
};

const pct = (c: number | null) => (c === null ? '' : ` (${Math.round(c * 100)}%)`);

const ASSET_COLUMNS: Column<Asset>[] = [
  { header: 'IP', value: (a) => a.ip },
  // A device behind a gateway has no MAC of its own on this network: show where it sits instead.
  { header: 'MAC', value: (a) => (a.unit !== null ? `behind: ${a.unit}` : a.mac) },
  { header: 'VENDOR', value: (a) => a.vendor },
  { header: 'MODEL', value: (a) => a.model },
  { header: 'FIRMWARE', value: (a) => a.firmware },
  { header: 'NAME', value: (a) => a.name },
  { header: 'ROLE', value: (a) => (a.role === null ? null : `${a.role}${pct(a.roleConfidence)}`) },
  { header: 'LEVEL', value: (a) => a.purdueLevel },
  { header: 'PROTOCOLS', value: (a) => a.protocols.join(',') },
];

const levelRank = (l: string | null) =>
  l === null ? PURDUE_LEVELS.length : PURDUE_LEVELS.indexOf(l as never);

export function sortAssetsByLevel(assets: readonly Asset[]): Asset[] {
  return [...assets].sort(
    (a, b) =>
      levelRank(a.purdueLevel) - levelRank(b.purdueLevel) ||
      ipSortKey(a.ip) - ipSortKey(b.ip) ||
      a.id.localeCompare(b.id),
  );
}

/** Inventory table. On a terminal: one titled block per Purdue level. Piped: TSV with a LEVEL column. */
export function renderAssets(assets: readonly Asset[], tty: boolean): string {
  const sorted = sortAssetsByLevel(assets);
  if (!tty) return renderTable(sorted, ASSET_COLUMNS, false);
  if (sorted.length === 0) return 'no assets stored yet: run `zoneward discover <capture>` first\n';
  const blocks: string[] = [];
  const levels = [...new Set(sorted.map((a) => a.purdueLevel))];
  for (const level of levels) {
    const group = sorted.filter((a) => a.purdueLevel === level);
    const title = level === null ? 'Purdue level unknown' : (LEVEL_TITLES[level] ?? level);
    blocks.push(
      `${title}: ${group.length} asset${group.length === 1 ? '' : 's'}\n${renderTable(
        group,
        ASSET_COLUMNS.filter((c) => c.header !== 'LEVEL'),
        true,
      )}`,
    );
  }
  return blocks.join('\n');
}

export function operationsSummary(f: Flow): string {
  const o = f.operations;
  const funcs = Object.entries(o.functions)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${name}×${formatCount(n)}`);
  const parts: string[] = [];
  if (funcs.length > 0)
    parts.push(funcs.slice(0, 4).join(' ') + (funcs.length > 4 ? ` +${funcs.length - 4} more` : ''));
  if (o.reads + o.writes + o.other > 0) parts.push(`r/w/other ${o.reads}/${o.writes}/${o.other}`);
  if (o.exceptions > 0) parts.push(`${o.exceptions} exceptions`);
  if (o.units.length > 0)
    parts.push(`unit ${o.units.length > 6 ? `${o.units.slice(0, 6).join(',')}…` : o.units.join(',')}`);
  if (o.addressRanges.length > 0) {
    const r = o.addressRanges.slice(0, 3).map((x) => `${x.space} ${x.start}-${x.end}`);
    parts.push(r.join(' ') + (o.addressRanges.length > 3 ? ` +${o.addressRanges.length - 3}` : ''));
  }
  return parts.join('; ');
}

const FLOW_COLUMNS: Column<Flow>[] = [
  { header: 'CLIENT', value: (f) => f.client },
  { header: 'SERVER', value: (f) => f.server },
  { header: 'SERVICE', value: (f) => `${f.transport}/${f.port}${f.app === null ? '' : ` ${f.app}`}` },
  { header: 'CONNS', value: (f) => f.connections, align: 'right' },
  { header: 'PACKETS', value: (f) => f.packets, align: 'right' },
  { header: 'BYTES', value: (f) => f.bytes, align: 'right' },
  { header: 'FIRST SEEN', value: (f) => formatTime(f.firstSeen) },
  { header: 'LAST SEEN', value: (f) => formatTime(f.lastSeen) },
  { header: 'OPERATIONS', value: (f) => operationsSummary(f) },
];

export function renderFlows(flows: readonly Flow[], tty: boolean): string {
  if (tty && flows.length === 0) return 'no flows stored yet: run `zoneward discover <capture>` first\n';
  return renderTable(flows, FLOW_COLUMNS, tty);
}

interface ServiceRow {
  service: string;
  flows: number;
  clients: number;
  servers: number;
  packets: number;
  bytes: number;
}

/** The communication map in one screen: traffic per application protocol and service. */
export function renderCommunicationSummary(flows: readonly Flow[], tty: boolean): string {
  const rows = new Map<string, ServiceRow & { c: Set<string>; s: Set<string> }>();
  for (const f of flows) {
    const service = `${f.app ?? 'unrecognised'} (${f.transport}/${f.port})`;
    let r = rows.get(service);
    if (r === undefined) {
      r = { service, flows: 0, clients: 0, servers: 0, packets: 0, bytes: 0, c: new Set(), s: new Set() };
      rows.set(service, r);
    }
    r.flows++;
    r.packets += f.packets;
    r.bytes += f.bytes;
    r.c.add(f.client);
    r.s.add(f.server);
  }
  const list = [...rows.values()]
    .map((r) => ({ ...r, clients: r.c.size, servers: r.s.size }))
    .sort((a, b) => b.packets - a.packets || a.service.localeCompare(b.service));
  const cols: Column<ServiceRow>[] = [
    { header: 'SERVICE', value: (r) => r.service },
    { header: 'FLOWS', value: (r) => r.flows, align: 'right' },
    { header: 'CLIENTS', value: (r) => r.clients, align: 'right' },
    { header: 'SERVERS', value: (r) => r.servers, align: 'right' },
    { header: 'PACKETS', value: (r) => (tty ? formatCount(r.packets) : r.packets), align: 'right' },
    { header: 'BYTES', value: (r) => (tty ? formatBytes(r.bytes) : r.bytes), align: 'right' },
  ];
  return renderTable(list, cols, tty);
}
