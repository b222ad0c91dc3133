// SNMP code tables: versions, PDU types, error statuses, generic traps, the BER tags SNMP uses,
// the system-group objects that identify a device, SNMPv3 header values, and a few enterprise
// numbers of plant network vendors. Names in upper snake case (DESIGN.md "Names").
//
// Sources: RFC 1157 (SNMPv1: message, Trap-PDU §4.1.6, generic traps); RFC 1901 (community-based
// SNMPv2c, version 1); RFC 3416 (SNMPv2 PDUs §3, error statuses, GetBulk, Report); RFC 3417 §8
// (BER, definite lengths only); RFC 2578 (SMIv2 application types, §7.1.3 at most 128
// sub-identifiers); RFC 3412 §6 (SNMPv3 message, msgFlags); RFC 3414 §2.4 (USM security
// parameters); RFC 3418 (SNMPv2-MIB system group, snmpTrapOID); X.690 (BER). Enterprise numbers:
// IANA "Private Enterprise Numbers".

import type { Operation } from '../operations.ts';

/** Well-known ports: agents listen on 161, managers receive traps and informs on 162. */
export const SNMP_PORTS = { AGENT: 161, TRAP: 162 } as const;

/** msgVersion / version values and how Zeek prints them. */
export const VERSIONS: ReadonlyMap<number, string> = new Map([
  [0, '1'],
  [1, '2c'],
  [3, '3'],
]);

/** PDU choice tags: context-specific, constructed, [0]-[8] (RFC 3416 §3, RFC 1157 §4.1). */
export const PDU_TYPES = {
  GET_REQUEST: 0xa0,
  GET_NEXT_REQUEST: 0xa1,
  RESPONSE: 0xa2,
  SET_REQUEST: 0xa3,
  TRAP: 0xa4,
  GET_BULK_REQUEST: 0xa5,
  INFORM_REQUEST: 0xa6,
  SNMPV2_TRAP: 0xa7,
  REPORT: 0xa8,
} as const;
export type PduName = keyof typeof PDU_TYPES;

/**
 * Operation of each PDU type. A RESPONSE takes its request's operation (the session pairs them by
 * request-id). REPORT carries SNMPv3 USM errors and engine discovery (RFC 3414 §3.2, §4), so it is
 * auth; notifications are other.
 */
export const PDU_OPERATIONS = {
  GET_REQUEST: 'read',
  GET_NEXT_REQUEST: 'read',
  RESPONSE: 'other',
  SET_REQUEST: 'write',
  TRAP: 'other',
  GET_BULK_REQUEST: 'read',
  INFORM_REQUEST: 'other',
  SNMPV2_TRAP: 'other',
  REPORT: 'auth',
} as const satisfies Record<PduName, Operation>;

/** `snmp.pdu_type` of an SNMPv3 message whose ScopedPDU is encrypted (RFC 3412 §6: encryptedPDU). */
export const ENCRYPTED_PDU = 'ENCRYPTED_PDU';

/** error-status values (RFC 3416 §3; 0-5 are RFC 1157's). */
export const ERROR_STATUSES = [
  'NO_ERROR',
  'TOO_BIG',
  'NO_SUCH_NAME',
  'BAD_VALUE',
  'READ_ONLY',
  'GEN_ERR',
  'NO_ACCESS',
  'WRONG_TYPE',
  'WRONG_LENGTH',
  'WRONG_ENCODING',
  'WRONG_VALUE',
  'NO_CREATION',
  'INCONSISTENT_VALUE',
  'RESOURCE_UNAVAILABLE',
  'COMMIT_FAILED',
  'UNDO_FAILED',
  'AUTHORIZATION_ERROR',
  'NOT_WRITABLE',
  'INCONSISTENT_NAME',
] as const;

/** generic-trap values of an SNMPv1 Trap-PDU (RFC 1157 §4.1.6). */
export const GENERIC_TRAPS = [
  'COLD_START',
  'WARM_START',
  'LINK_DOWN',
  'LINK_UP',
  'AUTHENTICATION_FAILURE',
  'EGP_NEIGHBOR_LOSS',
  'ENTERPRISE_SPECIFIC',
] as const;

/** Universal and application tags SNMP uses (X.690 §8; RFC 2578 §7.1; RFC 3416 §3 exceptions). */
export const TAGS = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  SEQUENCE: 0x30,
  IP_ADDRESS: 0x40,
  COUNTER32: 0x41,
  GAUGE32: 0x42,
  TIMETICKS: 0x43,
  OPAQUE: 0x44,
  COUNTER64: 0x46,
  NO_SUCH_OBJECT: 0x80,
  NO_SUCH_INSTANCE: 0x81,
  END_OF_MIB_VIEW: 0x82,
} as const;

/** SNMPv2-MIB system group instances (RFC 3418) that say who an agent is. */
export const SYSTEM_OIDS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;

/** snmpTrapOID.0 (RFC 3418): the second varbind of an SNMPv2 notification names it. */
export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

/** Enterprise subtree (RFC 1155 `enterprises`): sysObjectID values below it name the vendor. */
export const ENTERPRISES_PREFIX = '1.3.6.1.4.1.';

/**
 * Private enterprise numbers of vendors common in plant networks (IANA registry). Only these are
 * named; any other number is kept as `snmp.device.vendor_id`.
 */
export const ENTERPRISE_VENDORS: ReadonlyMap<number, string> = new Map([
  [9, 'Cisco'],
  [11, 'Hewlett-Packard'],
  [248, 'Hirschmann'],
  [2636, 'Juniper Networks'],
  [3833, 'Schneider Electric'],
  [4329, 'Siemens'],
  [4346, 'Phoenix Contact'],
  [8691, 'Moxa'],
]);

/** msgFlags bits (RFC 3412 §6.4). */
export const MSG_FLAGS = { AUTH: 0x01, PRIV: 0x02, REPORTABLE: 0x04 } as const;

/** Security levels msgFlags encode (RFC 3411 §3.4.3); priv without auth is invalid. */
export const SECURITY_LEVELS = ['NO_AUTH_NO_PRIV', 'AUTH_NO_PRIV', 'INVALID', 'AUTH_PRIV'] as const;

/** msgSecurityModel values (RFC 3411 §5 SnmpSecurityModel; 4 is TSM, RFC 5591). */
export const SECURITY_MODELS = ['ANY', 'SNMPV1', 'SNMPV2C', 'USM', 'TSM'] as const;
