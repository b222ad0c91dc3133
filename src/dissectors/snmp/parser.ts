// SNMP message parser: one UDP datagram holds one message (RFC 3417 §3), decoded here into the
// public event record. Versions 1 and 2c are decoded in full (RFC 1157, RFC 1901, RFC 3416);
// SNMPv3 (RFC 3412 §6, RFC 3414 §2.4) is decoded up to what travels in clear: header, security
// level and model, USM engine id and user name, and the PDU when it is not encrypted. Pure, never
// throws, bounded by ber.ts's limits; answers ok or violation. BER is big-endian throughout.

import type { Operation } from '../operations.ts';
import type { ParseResult } from '../types.ts';
import {
  type Element,
  MAX_BER_DEPTH,
  MAX_MESSAGE_LENGTH,
  readElement,
  readInteger,
  readOid,
  readUnsigned,
} from './ber.ts';
import {
  ENCRYPTED_PDU,
  ENTERPRISE_VENDORS,
  ENTERPRISES_PREFIX,
  ERROR_STATUSES,
  GENERIC_TRAPS,
  MSG_FLAGS,
  PDU_OPERATIONS,
  PDU_TYPES,
  type PduName,
  SECURITY_LEVELS,
  SECURITY_MODELS,
  SNMP_TRAP_OID,
  SYSTEM_OIDS,
  TAGS,
  VERSIONS,
} from './spec.ts';

/** Varbind names listed in `snmp.oids`; the rest are counted in `snmp.varbind_count` only. */
export const MAX_OIDS_LISTED = 16;
/** Characters kept of a text value (sysDescr and the like: DisplayString is at most 255, RFC 2579). */
export const MAX_TEXT_LENGTH = 255;
/** USM security model number (RFC 3411 §5). */
export const USM = 3;

/** One SNMP message, v1/v2c or v3. Keys are the public dotted names. */
export type SnmpFields = {
  /** `1`, `2c` or `3`, as Zeek prints it. */
  'snmp.version': string;
  /** v1/v2c community string: a shared secret, sent in clear (README, "Community"). */
  'snmp.community': string | null;
  'snmp.pdu_type': string;
  'snmp.operation': Operation;
  'snmp.request_id': number | null;
  /** Error status name when not NO_ERROR; null otherwise (the descriptor's errorField). */
  'snmp.error_status': string | null;
  'snmp.error_index': number | null;
  'snmp.non_repeaters': number | null;
  'snmp.max_repetitions': number | null;
  'snmp.varbind_count': number;
  'snmp.oids': string[];
  /** v1 Trap-PDU enterprise, or the snmpTrapOID.0 of a v2 notification. */
  'snmp.trap.oid': string | null;
  'snmp.trap.generic': string | null;
  'snmp.trap.specific': number | null;
  'snmp.trap.agent_addr': string | null;
  'snmp.sys_descr': string | null;
  'snmp.sys_object_id': string | null;
  'snmp.sys_uptime': number | null;
  'snmp.sys_contact': string | null;
  'snmp.sys_name': string | null;
  'snmp.sys_location': string | null;
  'snmp.device.name': string | null;
  'snmp.device.description': string | null;
  'snmp.device.vendor': string | null;
  'snmp.device.vendor_id': string | null;
  /** Responses: a request with the same request-id was seen (set by the session). */
  'snmp.matched': boolean | null;
  'snmp.v3.msg_id': number | null;
  'snmp.v3.max_size': number | null;
  'snmp.v3.security_level': string | null;
  'snmp.v3.reportable': boolean | null;
  'snmp.v3.security_model': string | null;
  'snmp.v3.engine_id': string | null;
  'snmp.v3.user': string | null;
  'snmp.v3.encrypted': boolean | null;
};

function record(version: string): SnmpFields {
  return {
    'snmp.version': version,
    'snmp.community': null,
    'snmp.pdu_type': 'UNKNOWN',
    'snmp.operation': 'other',
    'snmp.request_id': null,
    'snmp.error_status': null,
    'snmp.error_index': null,
    'snmp.non_repeaters': null,
    'snmp.max_repetitions': null,
    'snmp.varbind_count': 0,
    'snmp.oids': [],
    'snmp.trap.oid': null,
    'snmp.trap.generic': null,
    'snmp.trap.specific': null,
    'snmp.trap.agent_addr': null,
    'snmp.sys_descr': null,
    'snmp.sys_object_id': null,
    'snmp.sys_uptime': null,
    'snmp.sys_contact': null,
    'snmp.sys_name': null,
    'snmp.sys_location': null,
    'snmp.device.name': null,
    'snmp.device.description': null,
    'snmp.device.vendor': null,
    'snmp.device.vendor_id': null,
    'snmp.matched': null,
    'snmp.v3.msg_id': null,
    'snmp.v3.max_size': null,
    'snmp.v3.security_level': null,
    'snmp.v3.reportable': null,
    'snmp.v3.security_model': null,
    'snmp.v3.engine_id': null,
    'snmp.v3.user': null,
    'snmp.v3.encrypted': null,
  };
}

const PDU_NAMES: readonly (PduName | undefined)[] = (() => {
  const names: (PduName | undefined)[] = new Array(256).fill(undefined);
  for (const [name, tag] of Object.entries(PDU_TYPES)) names[tag] = name as PduName;
  return names;
})();

function violation(reason: string): ParseResult<SnmpFields> {
  return { kind: 'violation', consumed: 0, reason };
}

/** Reads the next element of a container, checking its tag and the depth it is at. */
function next(
  b: Uint8Array,
  p: number,
  limit: number,
  depth: number,
  out: Element,
  tag: number,
  what: string,
): string | null {
  if (depth > MAX_BER_DEPTH) return `${what} nested deeper than ${MAX_BER_DEPTH}`;
  if (p >= limit) return `${what} missing`;
  const problem = readElement(b, p, limit, out);
  if (problem !== null) return `${what}: ${problem}`;
  if (tag >= 0 && out.tag !== tag)
    return `${what} has tag 0x${out.tag.toString(16)}, expected 0x${tag.toString(16)}`;
  return null;
}

/** Parses the SNMP message that fills `datagram`. */
export function parseSnmp(datagram: Uint8Array): ParseResult<SnmpFields> {
  const b = datagram;
  if (b.length > MAX_MESSAGE_LENGTH)
    return violation(`datagram of ${b.length} octets above ${MAX_MESSAGE_LENGTH}`);
  const msg: Element = { tag: 0, start: 0, end: 0 };
  let problem = next(b, 0, b.length, 1, msg, TAGS.SEQUENCE, 'message');
  if (problem !== null) return violation(problem);
  if (msg.end !== b.length) return violation(`${b.length - msg.end} octets after the message`);
  const e: Element = { tag: 0, start: 0, end: 0 };
  problem = next(b, msg.start, msg.end, 2, e, TAGS.INTEGER, 'version');
  if (problem !== null) return violation(problem);
  const versionNumber = readInteger(b, e);
  const version = versionNumber === null ? undefined : VERSIONS.get(versionNumber);
  if (version === undefined) return violation(`version ${versionNumber} is not 0 (v1), 1 (v2c) or 3 (v3)`);
  const m = record(version);
  let p = e.end;
  if (versionNumber === 3) {
    const r = v3(b, p, msg.end, m);
    if (r !== null) return violation(r);
    return { kind: 'ok', consumed: b.length, message: m };
  }
  problem = next(b, p, msg.end, 2, e, TAGS.OCTET_STRING, 'community');
  if (problem !== null) return violation(problem);
  m['snmp.community'] = latin1(b, e.start, e.end);
  p = e.end;
  problem = pdu(b, p, msg.end, 2, m, versionNumber ?? 0);
  if (problem !== null) return violation(problem);
  return { kind: 'ok', consumed: b.length, message: m };
}

/** RFC 3412 §6: msgGlobalData, msgSecurityParameters, msgData. */
function v3(b: Uint8Array, p: number, end: number, m: SnmpFields): string | null {
  const header: Element = { tag: 0, start: 0, end: 0 };
  const e: Element = { tag: 0, start: 0, end: 0 };
  let problem = next(b, p, end, 2, header, TAGS.SEQUENCE, 'msgGlobalData');
  if (problem !== null) return problem;
  problem = next(b, header.start, header.end, 3, e, TAGS.INTEGER, 'msgID');
  if (problem !== null) return problem;
  m['snmp.v3.msg_id'] = readInteger(b, e);
  problem = next(b, e.end, header.end, 3, e, TAGS.INTEGER, 'msgMaxSize');
  if (problem !== null) return problem;
  m['snmp.v3.max_size'] = readInteger(b, e);
  problem = next(b, e.end, header.end, 3, e, TAGS.OCTET_STRING, 'msgFlags');
  if (problem !== null) return problem;
  if (e.end - e.start !== 1) return `msgFlags of ${e.end - e.start} octets, expected 1`;
  const flags = b[e.start];
  m['snmp.v3.security_level'] = SECURITY_LEVELS[flags & (MSG_FLAGS.AUTH | MSG_FLAGS.PRIV)];
  m['snmp.v3.reportable'] = (flags & MSG_FLAGS.REPORTABLE) !== 0;
  problem = next(b, e.end, header.end, 3, e, TAGS.INTEGER, 'msgSecurityModel');
  if (problem !== null) return problem;
  const model = readInteger(b, e);
  m['snmp.v3.security_model'] =
    model !== null && model >= 0 && model < SECURITY_MODELS.length
      ? SECURITY_MODELS[model]
      : `UNKNOWN-${model}`;
  problem = next(b, header.end, end, 2, e, TAGS.OCTET_STRING, 'msgSecurityParameters');
  if (problem !== null) return problem;
  const dataAt = e.end;
  if (model === USM && e.end > e.start) {
    problem = usm(b, e.start, e.end, m);
    if (problem !== null) return problem;
  }
  // msgData: a plaintext ScopedPDU (SEQUENCE) or an encryptedPDU (OCTET STRING).
  const data: Element = { tag: 0, start: 0, end: 0 };
  problem = next(b, dataAt, end, 2, data, -1, 'msgData');
  if (problem !== null) return problem;
  if (data.tag === TAGS.OCTET_STRING) {
    m['snmp.v3.encrypted'] = true;
    m['snmp.pdu_type'] = ENCRYPTED_PDU;
    m['snmp.operation'] = 'other';
    return data.end === end ? null : `${end - data.end} octets after msgData`;
  }
  if (data.tag !== TAGS.SEQUENCE)
    return `msgData has tag 0x${data.tag.toString(16)}, neither ScopedPDU nor encryptedPDU`;
  m['snmp.v3.encrypted'] = false;
  problem = next(b, data.start, data.end, 3, e, TAGS.OCTET_STRING, 'contextEngineID');
  if (problem !== null) return problem;
  problem = next(b, e.end, data.end, 3, e, TAGS.OCTET_STRING, 'contextName');
  if (problem !== null) return problem;
  problem = pdu(b, e.end, data.end, 3, m, 3);
  if (problem !== null) return problem;
  // RFC 3414 §4: engine discovery is a reportable, unauthenticated request with no user name and
  // no varbinds; the agent answers with a REPORT carrying its engine id. It is the auth handshake.
  if (
    m['snmp.pdu_type'] === 'GET_REQUEST' &&
    m['snmp.v3.user'] === null &&
    m['snmp.varbind_count'] === 0 &&
    m['snmp.v3.reportable'] === true
  ) {
    m['snmp.operation'] = 'auth';
  }
  return data.end === end ? null : `${end - data.end} octets after msgData`;
}

/** RFC 3414 §2.4: UsmSecurityParameters, BER inside the msgSecurityParameters OCTET STRING. */
function usm(b: Uint8Array, p: number, end: number, m: SnmpFields): string | null {
  const seq: Element = { tag: 0, start: 0, end: 0 };
  const e: Element = { tag: 0, start: 0, end: 0 };
  let problem = next(b, p, end, 3, seq, TAGS.SEQUENCE, 'UsmSecurityParameters');
  if (problem !== null) return problem;
  problem = next(b, seq.start, seq.end, 4, e, TAGS.OCTET_STRING, 'msgAuthoritativeEngineID');
  if (problem !== null) return problem;
  m['snmp.v3.engine_id'] = e.end > e.start ? hex(b, e.start, e.end) : null;
  problem = next(b, e.end, seq.end, 4, e, TAGS.INTEGER, 'msgAuthoritativeEngineBoots');
  if (problem !== null) return problem;
  problem = next(b, e.end, seq.end, 4, e, TAGS.INTEGER, 'msgAuthoritativeEngineTime');
  if (problem !== null) return problem;
  problem = next(b, e.end, seq.end, 4, e, TAGS.OCTET_STRING, 'msgUserName');
  if (problem !== null) return problem;
  m['snmp.v3.user'] = e.end > e.start ? latin1(b, e.start, e.end) : null;
  // Authentication and privacy parameters (digest, salt) follow; they are not reported.
  return null;
}

/** A PDU (RFC 3416 §3) or an SNMPv1 Trap-PDU (RFC 1157 §4.1.6). */
function pdu(
  b: Uint8Array,
  p: number,
  end: number,
  depth: number,
  m: SnmpFields,
  version: number,
): string | null {
  const body: Element = { tag: 0, start: 0, end: 0 };
  const e: Element = { tag: 0, start: 0, end: 0 };
  let problem = next(b, p, end, depth, body, -1, 'PDU');
  if (problem !== null) return problem;
  if (body.end !== end) return `${end - body.end} octets after the PDU`;
  const name = PDU_NAMES[body.tag];
  if (name === undefined) return `PDU tag 0x${body.tag.toString(16)} is none of [0]-[8]`;
  // RFC 3416 §3: v1 has no GetBulk, Inform, v2-Trap or Report; RFC 1157 has no v2 trap layout.
  if (version === 0 && body.tag >= PDU_TYPES.GET_BULK_REQUEST) return `${name} in an SNMPv1 message`;
  if (version !== 0 && body.tag === PDU_TYPES.TRAP)
    return `SNMPv1 TRAP in a version ${version === 1 ? '2c' : '3'} message`;
  m['snmp.pdu_type'] = name;
  m['snmp.operation'] = PDU_OPERATIONS[name];
  const inner = depth + 1;
  let q = body.start;
  if (body.tag === PDU_TYPES.TRAP) {
    problem = next(b, q, body.end, inner, e, TAGS.OBJECT_IDENTIFIER, 'enterprise');
    if (problem !== null) return problem;
    const enterprise = readOid(b, e);
    if (enterprise === null) return 'enterprise is not a valid OBJECT IDENTIFIER';
    m['snmp.trap.oid'] = enterprise;
    problem = next(b, e.end, body.end, inner, e, TAGS.IP_ADDRESS, 'agent-addr');
    if (problem !== null) return problem;
    if (e.end - e.start !== 4) return `agent-addr of ${e.end - e.start} octets, expected 4`;
    m['snmp.trap.agent_addr'] = `${b[e.start]}.${b[e.start + 1]}.${b[e.start + 2]}.${b[e.start + 3]}`;
    problem = next(b, e.end, body.end, inner, e, TAGS.INTEGER, 'generic-trap');
    if (problem !== null) return problem;
    const generic = readInteger(b, e);
    m['snmp.trap.generic'] =
      generic !== null && generic >= 0 && generic < GENERIC_TRAPS.length
        ? GENERIC_TRAPS[generic]
        : `UNKNOWN-${generic}`;
    problem = next(b, e.end, body.end, inner, e, TAGS.INTEGER, 'specific-trap');
    if (problem !== null) return problem;
    m['snmp.trap.specific'] = readInteger(b, e);
    problem = next(b, e.end, body.end, inner, e, TAGS.TIMETICKS, 'time-stamp');
    if (problem !== null) return problem;
    q = e.end;
  } else {
    problem = next(b, q, body.end, inner, e, TAGS.INTEGER, 'request-id');
    if (problem !== null) return problem;
    const requestId = readInteger(b, e);
    if (requestId === null) return 'request-id is not a 32-bit INTEGER';
    m['snmp.request_id'] = requestId;
    problem = next(b, e.end, body.end, inner, e, TAGS.INTEGER, 'error-status');
    if (problem !== null) return problem;
    const status = readInteger(b, e);
    problem = next(b, e.end, body.end, inner, e, TAGS.INTEGER, 'error-index');
    if (problem !== null) return problem;
    const index = readInteger(b, e);
    if (body.tag === PDU_TYPES.GET_BULK_REQUEST) {
      // RFC 3416 §4.2.3: the two fields are non-repeaters and max-repetitions.
      m['snmp.non_repeaters'] = status;
      m['snmp.max_repetitions'] = index;
    } else {
      if (status !== 0) {
        m['snmp.error_status'] =
          status !== null && status > 0 && status < ERROR_STATUSES.length
            ? ERROR_STATUSES[status]
            : `UNKNOWN-${status}`;
      }
      m['snmp.error_index'] = index;
    }
    q = e.end;
  }
  return varbinds(b, q, body.end, inner, m, body.tag);
}

/** VarBindList: SEQUENCE OF SEQUENCE { name OBJECT IDENTIFIER, value }. */
function varbinds(
  b: Uint8Array,
  p: number,
  end: number,
  depth: number,
  m: SnmpFields,
  pduTag: number,
): string | null {
  const list: Element = { tag: 0, start: 0, end: 0 };
  const bind: Element = { tag: 0, start: 0, end: 0 };
  const name: Element = { tag: 0, start: 0, end: 0 };
  const value: Element = { tag: 0, start: 0, end: 0 };
  let problem = next(b, p, end, depth, list, TAGS.SEQUENCE, 'variable-bindings');
  if (problem !== null) return problem;
  if (list.end !== end) return `${end - list.end} octets after variable-bindings`;
  const response = pduTag === PDU_TYPES.RESPONSE;
  const notification = pduTag === PDU_TYPES.SNMPV2_TRAP || pduTag === PDU_TYPES.INFORM_REQUEST;
  let count = 0;
  for (let q = list.start; q < list.end; q = bind.end) {
    problem = next(b, q, list.end, depth + 1, bind, TAGS.SEQUENCE, `varbind ${count + 1}`);
    if (problem !== null) return problem;
    problem = next(
      b,
      bind.start,
      bind.end,
      depth + 2,
      name,
      TAGS.OBJECT_IDENTIFIER,
      `varbind ${count + 1} name`,
    );
    if (problem !== null) return problem;
    const oid = readOid(b, name);
    if (oid === null) return `varbind ${count + 1} name is not a valid OBJECT IDENTIFIER`;
    problem = next(b, name.end, bind.end, depth + 2, value, -1, `varbind ${count + 1} value`);
    if (problem !== null) return problem;
    if (value.end !== bind.end) return `varbind ${count + 1}: octets after its value`;
    count++;
    if (m['snmp.oids'].length < MAX_OIDS_LISTED) m['snmp.oids'].push(oid);
    if (response) systemValue(b, oid, value, m);
    else if (notification && oid === SNMP_TRAP_OID && value.tag === TAGS.OBJECT_IDENTIFIER)
      m['snmp.trap.oid'] = readOid(b, value);
  }
  m['snmp.varbind_count'] = count;
  if (response) {
    m['snmp.device.name'] = m['snmp.sys_name'];
    m['snmp.device.description'] = m['snmp.sys_descr'];
  }
  return null;
}

/** The system group values a RESPONSE carries (RFC 3418); exceptions and other types are ignored. */
function systemValue(b: Uint8Array, oid: string, v: Element, m: SnmpFields): void {
  if (oid.length !== 17 || !oid.startsWith('1.3.6.1.2.1.1.')) return;
  switch (oid) {
    case SYSTEM_OIDS.sysDescr:
      if (v.tag === TAGS.OCTET_STRING) m['snmp.sys_descr'] = text(b, v.start, v.end);
      break;
    case SYSTEM_OIDS.sysObjectID:
      if (v.tag === TAGS.OBJECT_IDENTIFIER) {
        const id = readOid(b, v);
        m['snmp.sys_object_id'] = id;
        if (id?.startsWith(ENTERPRISES_PREFIX)) {
          const rest = id.slice(ENTERPRISES_PREFIX.length);
          const dot = rest.indexOf('.');
          const number = dot < 0 ? rest : rest.slice(0, dot);
          m['snmp.device.vendor_id'] = number;
          m['snmp.device.vendor'] = ENTERPRISE_VENDORS.get(Number(number)) ?? null;
        }
      }
      break;
    case SYSTEM_OIDS.sysUpTime:
      if (v.tag === TAGS.TIMETICKS) m['snmp.sys_uptime'] = readUnsigned(b, v);
      break;
    case SYSTEM_OIDS.sysContact:
      if (v.tag === TAGS.OCTET_STRING) m['snmp.sys_contact'] = text(b, v.start, v.end);
      break;
    case SYSTEM_OIDS.sysName:
      if (v.tag === TAGS.OCTET_STRING) m['snmp.sys_name'] = text(b, v.start, v.end);
      break;
    case SYSTEM_OIDS.sysLocation:
      if (v.tag === TAGS.OCTET_STRING) m['snmp.sys_location'] = text(b, v.start, v.end);
      break;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });
const LATIN1 = new TextDecoder('latin1');

/** A DisplayString (RFC 2579): trailing NULs and blanks dropped, capped; null when empty. */
function text(b: Uint8Array, start: number, end: number): string | null {
  let e = Math.min(end, start + MAX_TEXT_LENGTH);
  while (e > start && (b[e - 1] === 0 || b[e - 1] === 0x20)) e--;
  return e > start ? UTF8.decode(b.subarray(start, e)) : null;
}

/** Community strings and user names are octets; latin1 maps each to one character. */
function latin1(b: Uint8Array, start: number, end: number): string {
  return LATIN1.decode(b.subarray(start, Math.min(end, start + MAX_TEXT_LENGTH)));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < start + 32; i++) s += HEX[b[i]];
  return s;
}
