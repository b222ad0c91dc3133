// Builders of realistic SNMP datagrams (BER, RFC 3417 §8), for tests and for the synthetic demo
// plant (src/demo): an HMI or NMS polling the system group of switches and PLC network modules,
// their answers with realistic identities, sets, GetBulk walks, v1 and v2 traps, and SNMPv3
// discovery, reports and encrypted requests. Each returns one UDP payload.

import type { ConformanceSample } from '../testing.ts';
import { PDU_TYPES, SNMP_TRAP_OID, SYSTEM_OIDS, TAGS } from './spec.ts';

/** A BER element: tag, definite length (short or long form), contents. */
export function ber(tag: number, contents: readonly number[]): number[] {
  const n = contents.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return [tag, ...length, ...contents];
}

/** INTEGER in the fewest two's complement octets (X.690 §8.3). */
export function berInteger(v: number, tag: number = TAGS.INTEGER): number[] {
  const out: number[] = [];
  let x = v;
  do {
    out.unshift(x & 0xff);
    x = Math.floor(x / 256);
  } while (x !== 0 && x !== -1);
  if (v >= 0 && out[0] & 0x80) out.unshift(0);
  if (v < 0 && !(out[0] & 0x80)) out.unshift(0xff);
  return ber(tag, out);
}

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function berOid(dotted: string): number[] {
  const arcs = dotted.split('.').map(Number);
  const subs = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const out: number[] = [];
  for (const s of subs) {
    const chunk = [s & 0x7f];
    let x = Math.floor(s / 128);
    while (x > 0) {
      chunk.unshift((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(...chunk);
  }
  return ber(TAGS.OBJECT_IDENTIFIER, out);
}

export function berString(s: string): number[] {
  return ber(TAGS.OCTET_STRING, [...new TextEncoder().encode(s)]);
}

const NULL = ber(TAGS.NULL, []);

/** A varbind value: text, OID (`oid:` prefix), TimeTicks ({ ticks }), or NULL for requests. */
export type Value = string | { oid: string } | { ticks: number } | null;

function value(v: Value): number[] {
  if (v === null) return NULL;
  if (typeof v === 'string') return berString(v);
  if ('oid' in v) return berOid(v.oid);
  return berInteger(v.ticks, TAGS.TIMETICKS);
}

function varbindList(binds: readonly (readonly [string, Value])[]): number[] {
  return ber(
    TAGS.SEQUENCE,
    binds.flatMap(([oid, v]) => ber(TAGS.SEQUENCE, [...berOid(oid), ...value(v)])),
  );
}

/** A v1/v2c PDU: request-id, error-status (or non-repeaters), error-index (or max-repetitions), varbinds. */
export function pduBytes(
  tag: number,
  requestId: number,
  binds: readonly (readonly [string, Value])[],
  a = 0,
  b = 0,
): number[] {
  return ber(tag, [...berInteger(requestId), ...berInteger(a), ...berInteger(b), ...varbindList(binds)]);
}

/** A community-based message: version 0 (v1) or 1 (v2c), community, PDU. */
export function communityMessage(version: 0 | 1, community: string, pdu: readonly number[]): Uint8Array {
  return Uint8Array.from(ber(TAGS.SEQUENCE, [...berInteger(version), ...berString(community), ...pdu]));
}

const SYSTEM = [
  SYSTEM_OIDS.sysDescr,
  SYSTEM_OIDS.sysObjectID,
  SYSTEM_OIDS.sysUpTime,
  SYSTEM_OIDS.sysName,
  SYSTEM_OIDS.sysLocation,
];

/** GetRequest for the system group, as an NMS polls every device (v2c, community `public`). */
export function snmpSystemGet(requestId: number, community = 'public'): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(
      PDU_TYPES.GET_REQUEST,
      requestId,
      SYSTEM.map((o) => [o, null] as const),
    ),
  );
}

/** What an agent says about itself. */
export interface SystemIdentity {
  sysDescr: string;
  sysObjectID: string;
  sysUpTime: number;
  sysName: string;
  sysLocation: string;
}

/** A managed industrial switch (Hirschmann, enterprise 248). */
export const HIRSCHMANN_SWITCH: SystemIdentity = {
  sysDescr: 'Hirschmann Railswitch RS20-0800T1T1SDAE HiOS-2S-09.0.02',
  sysObjectID: '1.3.6.1.4.1.248.14.10.20',
  sysUpTime: 81_234_567,
  sysName: 'rs20-cell3',
  sysLocation: 'Hall 2, cabinet 3B',
};

/** A PLC Ethernet module (Schneider, enterprise 3833). */
export const SCHNEIDER_NOC: SystemIdentity = {
  sysDescr: 'Schneider Electric BMX NOC 0401 Ethernet communication module V2.11',
  sysObjectID: '1.3.6.1.4.1.3833.1.7.255.15',
  sysUpTime: 4_512_300,
  sysName: 'plc-line1-noc',
  sysLocation: 'Line 1 control panel',
};

/** The RESPONSE to snmpSystemGet with an agent's identity. */
export function snmpSystemResponse(
  requestId: number,
  id: SystemIdentity = HIRSCHMANN_SWITCH,
  community = 'public',
): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(PDU_TYPES.RESPONSE, requestId, [
      [SYSTEM_OIDS.sysDescr, id.sysDescr],
      [SYSTEM_OIDS.sysObjectID, { oid: id.sysObjectID }],
      [SYSTEM_OIDS.sysUpTime, { ticks: id.sysUpTime }],
      [SYSTEM_OIDS.sysName, id.sysName],
      [SYSTEM_OIDS.sysLocation, id.sysLocation],
    ]),
  );
}

/** SetRequest of sysContact (v2c, community `private`): a write. */
export function snmpSetContact(
  requestId: number,
  contact = 'ot-ops@plant.example',
  community = 'private',
): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(PDU_TYPES.SET_REQUEST, requestId, [[SYSTEM_OIDS.sysContact, contact]]),
  );
}

/** A RESPONSE with an error status (RFC 3416 §3), e.g. 17 notWritable, 6 noAccess. */
export function snmpErrorResponse(
  requestId: number,
  status: number,
  index = 1,
  community = 'private',
): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(PDU_TYPES.RESPONSE, requestId, [[SYSTEM_OIDS.sysContact, null]], status, index),
  );
}

/** GetBulkRequest walking ifTable (v2c): non-repeaters 0, max-repetitions 10. */
export function snmpGetBulk(requestId: number, community = 'public'): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(PDU_TYPES.GET_BULK_REQUEST, requestId, [['1.3.6.1.2.1.2.2.1.2', null]], 0, 10),
  );
}

/** SNMPv1 linkDown trap from a switch (RFC 1157 §4.1.6), to port 162. */
export function snmpV1LinkDownTrap(agent = '10.10.0.7', community = 'public'): Uint8Array {
  const pdu = ber(PDU_TYPES.TRAP, [
    ...berOid('1.3.6.1.4.1.248.14'),
    ...ber(TAGS.IP_ADDRESS, agent.split('.').map(Number)),
    ...berInteger(2),
    ...berInteger(0),
    ...berInteger(123456, TAGS.TIMETICKS),
    ...varbindList([['1.3.6.1.2.1.2.2.1.1.3', null]]),
  ]);
  return communityMessage(0, community, pdu);
}

/** SNMPv2 coldStart notification (RFC 3418: sysUpTime.0, snmpTrapOID.0 = coldStart). */
export function snmpV2ColdStartTrap(requestId: number, community = 'public'): Uint8Array {
  return communityMessage(
    1,
    community,
    pduBytes(PDU_TYPES.SNMPV2_TRAP, requestId, [
      [SYSTEM_OIDS.sysUpTime, { ticks: 42 }],
      [SNMP_TRAP_OID, { oid: '1.3.6.1.6.3.1.1.5.1' }],
    ]),
  );
}

/** An SNMPv3 message (RFC 3412 §6) with USM parameters (RFC 3414 §2.4) and plaintext or encrypted data. */
export function snmpV3Message(o: {
  msgId: number;
  flags: number;
  engineId?: readonly number[];
  user?: string;
  scopedPdu?: readonly number[];
  encrypted?: readonly number[];
}): Uint8Array {
  const usm = ber(TAGS.SEQUENCE, [
    ...ber(TAGS.OCTET_STRING, [...(o.engineId ?? [])]),
    ...berInteger(o.engineId ? 3 : 0),
    ...berInteger(o.engineId ? 86400 : 0),
    ...berString(o.user ?? ''),
    ...ber(TAGS.OCTET_STRING, o.flags & 1 ? new Array(12).fill(0xa5) : []),
    ...ber(TAGS.OCTET_STRING, o.flags & 2 ? [0, 0, 0, 1, 0, 0, 0, 2] : []),
  ]);
  const data =
    o.encrypted !== undefined
      ? ber(TAGS.OCTET_STRING, [...o.encrypted])
      : ber(TAGS.SEQUENCE, [
          ...ber(TAGS.OCTET_STRING, [...(o.engineId ?? [])]),
          ...berString(''),
          ...(o.scopedPdu ?? []),
        ]);
  return Uint8Array.from(
    ber(TAGS.SEQUENCE, [
      ...berInteger(3),
      ...ber(TAGS.SEQUENCE, [
        ...berInteger(o.msgId),
        ...berInteger(65507),
        ...ber(TAGS.OCTET_STRING, [o.flags]),
        ...berInteger(3),
      ]),
      ...ber(TAGS.OCTET_STRING, usm),
      ...data,
    ]),
  );
}

/** An engine id in RFC 3411 format: enterprise 248 (Hirschmann), MAC-based. */
export const ENGINE_ID = [0x80, 0x00, 0x00, 0xf8, 0x03, 0xec, 0xe5, 0x55, 0x01, 0x02, 0x03];

/** SNMPv3 engine discovery (RFC 3414 §4): reportable, no auth, no user, empty GET. */
export function snmpV3Discovery(msgId: number): Uint8Array {
  return snmpV3Message({ msgId, flags: 0x04, scopedPdu: pduBytes(PDU_TYPES.GET_REQUEST, msgId, []) });
}

/** The agent's REPORT: usmStatsUnknownEngineIDs.0 with its engine id. */
export function snmpV3DiscoveryReport(msgId: number): Uint8Array {
  return snmpV3Message({
    msgId,
    flags: 0x00,
    engineId: ENGINE_ID,
    scopedPdu: pduBytes(PDU_TYPES.REPORT, msgId, [['1.3.6.1.6.3.15.1.1.4.0', { ticks: 1 }]]),
  });
}

/** An authPriv request from user `nms-ro`: the PDU is encrypted. */
export function snmpV3EncryptedGet(msgId: number, user = 'nms-ro'): Uint8Array {
  return snmpV3Message({
    msgId,
    flags: 0x07,
    engineId: ENGINE_ID,
    user,
    encrypted: Array.from({ length: 48 }, (_, i) => (i * 29 + 7) & 0xff),
  });
}

/** Valid SNMP exchanges for the shared conformance suite (../registry.test.ts). */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'snmp',
    name: 'v2c system group poll of a Hirschmann switch and its answer',
    transmissions: [
      [0, 1, snmpSystemGet(1001)],
      [1, 1.002, snmpSystemResponse(1001)],
    ],
  },
  {
    dissector: 'snmp',
    name: 'v2c set refused with notWritable',
    transmissions: [
      [0, 2, snmpSetContact(1002)],
      [1, 2.002, snmpErrorResponse(1002, 17)],
    ],
  },
  { dissector: 'snmp', name: 'v1 linkDown trap', transmissions: [[0, 3, snmpV1LinkDownTrap()]] },
  {
    dissector: 'snmp',
    name: 'SNMPv3 engine discovery, report, encrypted get',
    transmissions: [
      [0, 4, snmpV3Discovery(77)],
      [1, 4.001, snmpV3DiscoveryReport(77)],
      [0, 4.01, snmpV3EncryptedGet(78)],
    ],
  },
];
