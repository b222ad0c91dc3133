// The LLDP link-layer dissector (IEEE 802.1AB-2016): EtherType 0x88cc frames, each decoded on its
// own into one discovery event, or a violation when the TLVs do not follow §8. Decoding is in
// parser.ts.

import type { LinkContext, LinkDissectorDescriptor } from '../types.ts';
import { parseLldpdu } from './parser.ts';
import { LLDP_ETHERTYPE } from './spec.ts';

export const lldpDissector: LinkDissectorDescriptor = {
  name: 'lldp',
  transport: 'link',
  ethertypes: [LLDP_ETHERTYPE],
  snap: [],
  funcFields: ['lldp.type'],
  operationField: 'lldp.operation',
  coverage: {
    protocol: 'LLDP',
    decoded: [
      'chassis id, port id (MAC, network address, text), TTL, shutdown',
      'port description, system name, system description',
      'system capabilities and enabled capabilities',
      'management addresses (IPv4, IPv6, MAC)',
      '802.1 Port VLAN ID; LLDP-MED inventory (manufacturer, model, firmware, hardware, serial)',
      'PROFINET chassis MAC; NameOfStation as the device name',
    ],
    recognised: ['organizationally specific TLVs by OUI and subtype (802.1, 802.3, LLDP-MED, PROFINET)'],
    notHandled: [
      'contents of other organizationally specific TLVs (802.3 MAC/PHY, PoE, PROFINET delay and port status)',
      'LLDP frames longer than 1500 octets (the rest is not read)',
    ],
  },
  decode(_ts: number, payload: Uint8Array, ctx: LinkContext): void {
    const r = parseLldpdu(payload);
    if (r.kind === 'ok') ctx.message(r.message);
    else if (r.kind === 'violation') ctx.violation(r.reason, violationFields(r.partial));
  },
};

/** What a bad LLDPDU still says about its sender: the ids, when they came before the fault. */
function violationFields(partial: ReturnType<typeof parseLldpdu>['partial']) {
  return {
    'lldp.chassis_id': partial?.['lldp.chassis_id'] ?? null,
    'lldp.port_id': partial?.['lldp.port_id'] ?? null,
  };
}
