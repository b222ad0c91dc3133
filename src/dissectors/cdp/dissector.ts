// The CDP link-layer dissector: IEEE 802.3 frames with LLC/SNAP OUI 00-00-0C protocol 0x2000, sent
// to 01:00:0c:cc:cc:cc. Each frame is one discovery event, or a violation when its header or TLVs
// do not frame. Decoding is in parser.ts.

import type { LinkContext, LinkDissectorDescriptor } from '../types.ts';
import { parseCdp } from './parser.ts';
import { CDP_SNAP_ID } from './spec.ts';

export const cdpDissector: LinkDissectorDescriptor = {
  name: 'cdp',
  transport: 'link',
  ethertypes: [],
  snap: [CDP_SNAP_ID],
  funcFields: ['cdp.type'],
  operationField: 'cdp.operation',
  coverage: {
    protocol: 'CDP',
    decoded: [
      'header: version 1 and 2, TTL, checksum verified',
      'device id, addresses (IPv4, IPv6), port id, capabilities',
      'software version, platform, VTP domain, native VLAN, duplex, voice VLAN',
      'system name, management addresses, location',
    ],
    recognised: [
      'other TLVs (power, trust, IP prefixes, protocol hello, vendor extensions) framed and skipped',
    ],
    notHandled: ['CDP over other link layers than Ethernet with LLC/SNAP'],
  },
  decode(_ts: number, payload: Uint8Array, ctx: LinkContext): void {
    const r = parseCdp(payload);
    if (r.kind === 'ok') ctx.message(r.message);
    else if (r.kind === 'violation')
      ctx.violation(r.reason, { 'cdp.device_id': r.partial?.['cdp.device_id'] ?? null });
  },
};
