// EtherNet/IP and CIP code tables: encapsulation commands and statuses, Common Packet Format item
// types, CIP services (common and per object class), general status codes, object classes, device
// types, Identity object states, and PCCC commands and functions, each with the operation it
// performs in Zoneward's vocabulary (operations.ts). Everything the parser and dissector print
// comes from here; the lookup arrays at the bottom are built once at load so the per-message path
// only indexes arrays.
//
// Sources: THE CIP NETWORKS LIBRARY, Volume 1 (CIP Common Specification): §2-4 (message router
// request/response format), Appendix A (Table common services), Appendix B (general status
// codes), Appendix C (EPATH segments), §5-2 (Identity object), §3-5.5 (Connection Manager services);
// Volume 2 (EtherNet/IP Adaptation of CIP): §2-3 (encapsulation header, Table 2-3.2 commands,
// Table 2-3.3 status codes), §2-4 (command formats), §2-6 (Common Packet Format, Table 2-6.3 item
// ids). Logix services: Rockwell Automation publication 1756-PM020 ("Logix 5000 Controllers Data
// Access"). PCCC: Allen-Bradley DF1 Protocol and Command Set Reference Manual 1770-6.5.16, chapter 7
// (command and function codes, STS byte), carried by CIP service 0x4B of the PCCC object (class
// 0x67). Names are the specifications' names in upper snake case, as Zeek and CISA ICSNPP print
// them (DESIGN.md "Names"); where ICSNPP's wording differs, README.md says so.

import type { Operation } from '../operations.ts';
import { CIP_VENDORS } from './vendors.ts';

export { OPERATIONS, type Operation } from '../operations.ts';

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

// ---------------------------------------------------------------------------------------------
// Encapsulation (Volume 2 §2-3)

/** Encapsulation commands (Vol 2 Table 2-3.2). 0x0001-0x0003 are reserved legacy codes. */
export const ENCAP_COMMANDS = {
  NOP: 0x0000, // §2-4.1, TCP only, no reply
  LIST_SERVICES: 0x0004, // §2-4.6
  LIST_IDENTITY: 0x0063, // §2-4.2
  LIST_INTERFACES: 0x0064, // §2-4.3
  REGISTER_SESSION: 0x0065, // §2-4.4
  UNREGISTER_SESSION: 0x0066, // §2-4.5
  SEND_RR_DATA: 0x006f, // §2-4.7, unconnected request/reply
  SEND_UNIT_DATA: 0x0070, // §2-4.8, connected (class 3) messages
  INDICATE_STATUS: 0x0072,
  CANCEL: 0x0073,
  START_DTLS: 0x00c8, // Volume 8 (CIP Security) §3-5
} as const;
export type EncapCommandName = keyof typeof ENCAP_COMMANDS;

/**
 * What each command does. Session setup is `auth`: the vocabulary files sessions there, and every
 * explicit message afterwards runs inside the handle RegisterSession returns (Vol 2 §2-4.4), even
 * though EtherNet/IP carries no credential in it. SendRRData/SendUnitData are classified by the CIP
 * service they carry; these entries apply only when they carry none.
 */
export const ENCAP_COMMAND_OPERATIONS = {
  NOP: 'other',
  LIST_SERVICES: 'discovery',
  LIST_IDENTITY: 'discovery',
  LIST_INTERFACES: 'discovery',
  REGISTER_SESSION: 'auth',
  UNREGISTER_SESSION: 'auth',
  SEND_RR_DATA: 'other',
  SEND_UNIT_DATA: 'other',
  INDICATE_STATUS: 'other',
  CANCEL: 'other',
  START_DTLS: 'auth',
} as const satisfies Record<EncapCommandName, Operation>;

/** Encapsulation status codes (Vol 2 Table 2-3.3), named as ICSNPP words them. */
export const ENCAP_STATUSES = {
  SUCCESS: 0x0000,
  INVALID_OR_UNSUPPORTED_COMMAND: 0x0001,
  INSUFFICIENT_MEMORY_RESOURCES: 0x0002,
  MALFORMED_OR_INCORRECT_DATA: 0x0003,
  INVALID_SESSION_HANDLE: 0x0064,
  INVALID_LENGTH: 0x0065,
  UNSUPPORTED_PROTOCOL_VERSION: 0x0069,
  CIP_SERVICE_NOT_ALLOWED: 0x006a, // encapsulated CIP service not allowed on this port
} as const;

/** Common Packet Format item type ids (Vol 2 Table 2-6.3). */
export const CPF_ITEMS = {
  NULL_ADDRESS: 0x0000,
  CIP_IDENTITY: 0x000c, // ListIdentity reply
  CIP_SECURITY_INFORMATION: 0x0086,
  ENIP_CAPABILITY: 0x0087,
  ENIP_USAGE: 0x0088,
  CONNECTED_ADDRESS: 0x00a1,
  CONNECTED_DATA: 0x00b1,
  UNCONNECTED_DATA: 0x00b2,
  LIST_SERVICES: 0x0100, // ListServices reply
  SOCKADDR_O_T: 0x8000,
  SOCKADDR_T_O: 0x8001,
  SEQUENCED_ADDRESS: 0x8002,
  UNCONNECTED_DATA_UDP: 0x8003,
} as const;

// ---------------------------------------------------------------------------------------------
// CIP services (Volume 1 Appendix A)

/** The bit a reply sets in the service code (Vol 1 §2-4.2). */
export const REPLY_BIT = 0x80;

/** Services every object may implement (Vol 1 Table ). */
export const COMMON_SERVICES = {
  GET_ATTRIBUTES_ALL: 0x01,
  SET_ATTRIBUTES_ALL: 0x02,
  GET_ATTRIBUTE_LIST: 0x03,
  SET_ATTRIBUTE_LIST: 0x04,
  RESET: 0x05,
  START: 0x06,
  STOP: 0x07,
  CREATE: 0x08,
  DELETE: 0x09,
  MULTIPLE_SERVICE_PACKET: 0x0a,
  APPLY_ATTRIBUTES: 0x0d,
  GET_ATTRIBUTE_SINGLE: 0x0e,
  SET_ATTRIBUTE_SINGLE: 0x10,
  FIND_NEXT_OBJECT_INSTANCE: 0x11,
  ERROR_RESPONSE: 0x14, // DeviceNet only
  RESTORE: 0x15,
  SAVE: 0x16,
  NO_OPERATION: 0x17,
  GET_MEMBER: 0x18,
  SET_MEMBER: 0x19,
  INSERT_MEMBER: 0x1a,
  REMOVE_MEMBER: 0x1b,
  GROUP_SYNC: 0x1c,
  GET_CONNECTION_POINT_MEMBER_LIST: 0x1d,
} as const;
export type CommonServiceName = keyof typeof COMMON_SERVICES;

export const COMMON_SERVICE_OPERATIONS = {
  GET_ATTRIBUTES_ALL: 'read',
  SET_ATTRIBUTES_ALL: 'write',
  GET_ATTRIBUTE_LIST: 'read',
  SET_ATTRIBUTE_LIST: 'write',
  RESET: 'control',
  START: 'control',
  STOP: 'control',
  CREATE: 'write',
  DELETE: 'write',
  // Refined per message from the services it carries (see operationPrecedence).
  MULTIPLE_SERVICE_PACKET: 'other',
  APPLY_ATTRIBUTES: 'write',
  GET_ATTRIBUTE_SINGLE: 'read',
  SET_ATTRIBUTE_SINGLE: 'write',
  FIND_NEXT_OBJECT_INSTANCE: 'read',
  ERROR_RESPONSE: 'other',
  // Restore loads stored attribute values into the object; Save stores them (§A-4.14/15).
  RESTORE: 'write',
  SAVE: 'write',
  NO_OPERATION: 'other',
  GET_MEMBER: 'read',
  SET_MEMBER: 'write',
  INSERT_MEMBER: 'write',
  REMOVE_MEMBER: 'write',
  GROUP_SYNC: 'other',
  GET_CONNECTION_POINT_MEMBER_LIST: 'read',
} as const satisfies Record<CommonServiceName, Operation>;

/** Object class ids with class-specific services below. */
export const CLASS_IDS = {
  IDENTITY: 0x01,
  MESSAGE_ROUTER: 0x02,
  CONNECTION_MANAGER: 0x06,
  FILE: 0x37,
  MODBUS: 0x44,
  PCCC: 0x67,
  SYMBOL: 0x6b, // Logix (1756-PM020)
  TEMPLATE: 0x6c, // Logix (1756-PM020)
  ETHERNET_LINK: 0xf6,
} as const;

/** A class-specific service (codes 0x4B-0x63, Vol 1 §A-2) with its operation. */
export interface ClassService {
  readonly code: number;
  readonly name: string;
  readonly operation: Operation;
}

/** Connection Manager services (Vol 1 §3-5.5). Unconnected_Send is classified by what it carries. */
export const CONNECTION_MANAGER_SERVICES: readonly ClassService[] = [
  { code: 0x4e, name: 'FORWARD_CLOSE', operation: 'other' },
  { code: 0x52, name: 'UNCONNECTED_SEND', operation: 'other' },
  { code: 0x54, name: 'FORWARD_OPEN', operation: 'other' },
  { code: 0x56, name: 'GET_CONNECTION_DATA', operation: 'read' },
  { code: 0x57, name: 'SEARCH_CONNECTION_DATA', operation: 'read' },
  { code: 0x5a, name: 'GET_CONNECTION_OWNER', operation: 'read' },
  { code: 0x5b, name: 'LARGE_FORWARD_OPEN', operation: 'other' },
];

/** File object services (Vol 1 §5-42): all of them move or change files. */
export const FILE_SERVICES: readonly ClassService[] = [
  { code: 0x4b, name: 'INITIATE_UPLOAD', operation: 'file' },
  { code: 0x4c, name: 'INITIATE_DOWNLOAD', operation: 'file' },
  { code: 0x4d, name: 'INITIATE_PARTIAL_READ', operation: 'file' },
  { code: 0x4e, name: 'INITIATE_PARTIAL_WRITE', operation: 'file' },
  { code: 0x4f, name: 'UPLOAD_TRANSFER', operation: 'file' },
  { code: 0x50, name: 'DOWNLOAD_TRANSFER', operation: 'file' },
  { code: 0x51, name: 'CLEAR_FILE', operation: 'file' },
];

/** Modbus object services (Vol 1 §5-47): Modbus functions tunnelled through CIP. */
export const MODBUS_SERVICES: readonly ClassService[] = [
  { code: 0x4b, name: 'READ_DISCRETE_INPUTS', operation: 'read' },
  { code: 0x4c, name: 'READ_COILS', operation: 'read' },
  { code: 0x4d, name: 'READ_INPUT_REGISTERS', operation: 'read' },
  { code: 0x4e, name: 'READ_HOLDING_REGISTERS', operation: 'read' },
  { code: 0x4f, name: 'WRITE_COILS', operation: 'write' },
  { code: 0x50, name: 'WRITE_HOLDING_REGISTERS', operation: 'write' },
  { code: 0x51, name: 'MODBUS_PASSTHROUGH', operation: 'other' },
];

/** PCCC object services (1756-PM020 "CIP over the controller serial port"; 0x4B is the common one). */
export const PCCC_SERVICES: readonly ClassService[] = [
  { code: 0x4b, name: 'EXECUTE_PCCC', operation: 'other' },
  { code: 0x4c, name: 'EXECUTE_DH_PLUS', operation: 'other' },
  { code: 0x4d, name: 'EXECUTE_LOCAL_PCCC', operation: 'other' },
];

/**
 * Logix data-access services (1756-PM020 chapter 1), used with symbolic request paths (ANSI
 * extended symbol segments) or the Symbol class: reading and writing controller tags by name.
 */
export const LOGIX_SERVICES: readonly ClassService[] = [
  { code: 0x4c, name: 'READ_TAG', operation: 'read' },
  { code: 0x4d, name: 'WRITE_TAG', operation: 'write' },
  { code: 0x4e, name: 'READ_MODIFY_WRITE_TAG', operation: 'write' },
  { code: 0x52, name: 'READ_TAG_FRAGMENTED', operation: 'read' },
  { code: 0x53, name: 'WRITE_TAG_FRAGMENTED', operation: 'write' },
  { code: 0x55, name: 'GET_INSTANCE_ATTRIBUTE_LIST', operation: 'read' },
];

/** Template object (1756-PM020 "Template object"): reading a structure's definition. */
export const TEMPLATE_SERVICES: readonly ClassService[] = [
  { code: 0x4c, name: 'READ_TEMPLATE', operation: 'read' },
];

/** Ethernet Link object (Vol 2 §5-5.4): Get_And_Clear returns and resets the interface counters. */
export const ETHERNET_LINK_SERVICES: readonly ClassService[] = [
  { code: 0x4c, name: 'GET_AND_CLEAR', operation: 'diagnostic' },
];

/**
 * Order in which a Multiple_Service_Packet or any message carrying several services takes the
 * operation of its most consequential member: a packet with one write among many reads is a write.
 */
export const OPERATION_PRECEDENCE: readonly Operation[] = [
  'program',
  'control',
  'write',
  'file',
  'auth',
  'other',
  'diagnostic',
  'discovery',
  'read',
];

/** CIP general status codes (Vol 1 Appendix B, Table B-1.1), ICSNPP's wording in snake case. */
export const GENERAL_STATUSES = {
  SUCCESS: 0x00,
  CONNECTION_FAILURE: 0x01,
  RESOURCE_UNAVAILABLE: 0x02,
  INVALID_PARAMETER_VALUE: 0x03,
  PATH_SEGMENT_ERROR: 0x04,
  PATH_DESTINATION_UNKNOWN: 0x05,
  PARTIAL_TRANSFER: 0x06,
  CONNECTION_LOST: 0x07,
  SERVICE_NOT_SUPPORTED: 0x08,
  INVALID_ATTRIBUTE_VALUE: 0x09,
  ATTRIBUTE_LIST_ERROR: 0x0a,
  ALREADY_IN_REQUESTED_MODE_STATE: 0x0b,
  OBJECT_STATE_CONFLICT: 0x0c,
  OBJECT_ALREADY_EXISTS: 0x0d,
  ATTRIBUTE_NOT_SETTABLE: 0x0e,
  PRIVILEGE_VIOLATION: 0x0f,
  DEVICE_STATE_CONFLICT: 0x10,
  REPLY_DATA_TOO_LARGE: 0x11,
  FRAGMENTATION_OF_A_PRIMITIVE_VALUE: 0x12,
  NOT_ENOUGH_DATA: 0x13,
  ATTRIBUTE_NOT_SUPPORTED: 0x14,
  TOO_MUCH_DATA: 0x15,
  OBJECT_DOES_NOT_EXIST: 0x16,
  SERVICE_FRAGMENTATION_SEQUENCE_NOT_IN_PROGRESS: 0x17,
  NO_STORED_ATTRIBUTE_DATA: 0x18,
  STORE_OPERATION_FAILURE: 0x19,
  ROUTING_FAILURE_REQUEST_PACKET_TOO_LARGE: 0x1a,
  ROUTING_FAILURE_RESPONSE_PACKET_TOO_LARGE: 0x1b,
  MISSING_ATTRIBUTE_LIST_ENTRY_DATA: 0x1c,
  INVALID_ATTRIBUTE_VALUE_LIST: 0x1d,
  EMBEDDED_SERVICE_ERROR: 0x1e,
  VENDOR_SPECIFIC_ERROR: 0x1f,
  INVALID_PARAMETER: 0x20,
  WRITE_ONCE_VALUE_OR_MEDIUM_ALREADY_WRITTEN: 0x21,
  INVALID_REPLY_RECEIVED: 0x22,
  BUFFER_OVERFLOW: 0x23,
  INVALID_MESSAGE_FORMAT: 0x24,
  KEY_FAILURE_IN_PATH: 0x25,
  PATH_SIZE_INVALID: 0x26,
  UNEXPECTED_ATTRIBUTE_IN_LIST: 0x27,
  INVALID_MEMBER_ID: 0x28,
  MEMBER_NOT_SETTABLE: 0x29,
  GROUP_2_ONLY_SERVER_GENERAL_FAILURE: 0x2a,
  UNKNOWN_MODBUS_ERROR: 0x2b,
  ATTRIBUTE_NOT_GETTABLE: 0x2c,
  INSTANCE_NOT_DELETABLE: 0x2d,
  SERVICE_NOT_SUPPORTED_FOR_SPECIFIED_PATH: 0x2e,
} as const;

/** Object class names (Vol 1 Table 5-1.1 and Vol 2 chapter 5; 0x6B/0x6C from 1756-PM020). */
export const CLASS_NAMES: Readonly<Record<number, string>> = {
  1: 'IDENTITY',
  2: 'MESSAGE_ROUTER',
  3: 'DEVICENET',
  4: 'ASSEMBLY',
  5: 'CONNECTION',
  6: 'CONNECTION_MANAGER',
  7: 'REGISTER',
  8: 'DISCRETE_INPUT_POINT',
  9: 'DISCRETE_OUTPUT_POINT',
  10: 'ANALOG_INPUT_POINT',
  11: 'ANALOG_OUTPUT_POINT',
  14: 'PRESENCE_SENSING',
  15: 'PARAMETER',
  16: 'PARAMETER_GROUP',
  18: 'GROUP',
  29: 'DISCRETE_INPUT_GROUP',
  30: 'DISCRETE_OUTPUT_GROUP',
  31: 'DISCRETE_GROUP',
  32: 'ANALOG_INPUT_GROUP',
  33: 'ANALOG_OUTPUT_GROUP',
  34: 'ANALOG_GROUP',
  35: 'POSITION_SENSOR',
  36: 'POSITION_CONTROLLER_SUPERVISOR',
  37: 'POSITION_CONTROLLER',
  38: 'BLOCK_SEQUENCER',
  39: 'COMMAND_BLOCK',
  40: 'MOTOR_DATA',
  41: 'CONTROL_SUPERVISOR',
  42: 'AC_DC_DRIVE',
  43: 'ACKNOWLEDGE_HANDLER',
  44: 'OVERLOAD',
  45: 'SOFTSTART',
  46: 'SELECTION',
  48: 'S_DEVICE_SUPERVISOR',
  49: 'S_ANALOG_SENSOR',
  50: 'S_ANALOG_ACTUATOR',
  51: 'S_SINGLE_STAGE_CONTROLLER',
  52: 'S_GAS_CALIBRATION',
  53: 'TRIP_POINT',
  55: 'FILE',
  56: 'S_PARTIAL_PRESSURE',
  57: 'SAFETY_SUPERVISOR',
  58: 'SAFETY_VALIDATOR',
  59: 'SAFETY_DISCRETE_OUTPUT_POINT',
  60: 'SAFETY_DISCRETE_OUTPUT_GROUP',
  61: 'SAFETY_DISCRETE_INPUT_POINT',
  62: 'SAFETY_DISCRETE_INPUT_GROUP',
  63: 'SAFETY_DUAL_CHANNEL_OUTPUT',
  64: 'S_SENSOR_CALIBRATION',
  65: 'EVENT_LOG',
  66: 'MOTION_DEVICE_AXIS',
  67: 'TIME_SYNC',
  68: 'MODBUS',
  69: 'ORIGINATOR_CONNECTION_LIST',
  70: 'MODBUS_SERIAL_LINK',
  71: 'DEVICE_LEVEL_RING',
  72: 'QOS',
  73: 'SAFETY_ANALOG_INPUT_POINT',
  74: 'SAFETY_ANALOG_INPUT_GROUP',
  75: 'SAFETY_DUAL_CHANNEL_ANALOG_INPUT',
  76: 'SERCOS_III_LINK',
  77: 'TARGET_CONNECTION_LIST',
  78: 'BASE_ENERGY',
  79: 'ELECTRICAL_ENERGY',
  80: 'NON_ELECTRICAL_ENERGY',
  81: 'BASE_SWITCH',
  82: 'SNMP',
  83: 'POWER_MANAGEMENT',
  84: 'RSTP_BRIDGE',
  85: 'RSTP_PORT',
  86: 'PRP_HSR_PROTOCOL',
  87: 'PRP_HSR_NODES_TABLE',
  88: 'SAFETY_FEEDBACK',
  89: 'SAFETY_DUAL_CHANNEL_FEEDBACK',
  90: 'SAFETY_STOP_FUNCTIONS',
  91: 'SAFETY_LIMIT_FUNCTIONS',
  92: 'POWER_CURTAILMENT',
  93: 'CIP_SECURITY',
  94: 'ETHERNET_IP_SECURITY',
  95: 'CERTIFICATE_MANAGEMENT',
  103: 'PCCC',
  107: 'SYMBOL',
  108: 'TEMPLATE',
  240: 'CONTROLNET',
  241: 'CONTROLNET_KEEPER',
  242: 'CONTROLNET_SCHEDULING',
  243: 'CONNECTION_CONFIGURATION',
  244: 'PORT',
  245: 'TCP_IP_INTERFACE',
  246: 'ETHERNET_LINK',
  247: 'COMPONET_LINK',
  248: 'COMPONET_REPEATER',
};

/** Device types (Identity attribute 2; Vol 1 Table 6-7.1, "device profiles"). */
export const DEVICE_TYPES: Readonly<Record<number, string>> = {
  0: 'Generic Device (deprecated)',
  2: 'AC Drive',
  3: 'Motor Overload',
  4: 'Limit Switch',
  5: 'Inductive Proximity Switch',
  6: 'Photoelectric Sensor',
  7: 'General Purpose Discrete I/O',
  9: 'Resolver',
  12: 'Communications Adapter',
  14: 'Programmable Logic Controller',
  16: 'Position Controller',
  19: 'DC Drive',
  21: 'Contactor',
  22: 'Motor Starter',
  23: 'Soft Start',
  24: 'Human-Machine Interface',
  26: 'Mass Flow Controller',
  27: 'Pneumatic Valve',
  28: 'Vacuum Pressure Gauge',
  29: 'Process Control Value',
  30: 'Residual Gas Analyzer',
  31: 'DC Power Generator',
  32: 'RF Power Generator',
  33: 'Turbomolecular Vacuum Pump',
  34: 'Encoder',
  35: 'Safety Discrete I/O Device',
  36: 'Fluid Flow Controller',
  37: 'CIP Motion Drive',
  38: 'CompoNet Repeater',
  39: 'Mass Flow Controller, Enhanced',
  40: 'CIP Modbus Device',
  41: 'CIP Modbus Translator',
  42: 'Safety Analog I/O Device',
  43: 'Generic Device (keyable)',
  44: 'Managed Ethernet Switch',
  45: 'CIP Motion Safety Drive Device',
  46: 'Safety Drive Device',
  47: 'CIP Motion Encoder',
  48: 'CIP Motion Converter',
  49: 'CIP Motion I/O',
  50: 'ControlNet Physical Layer Component',
  200: 'Embedded Component',
};

/** Identity object attribute 8, State (Vol 1 §5-2.2.1.8). */
export const IDENTITY_STATES: Readonly<Record<number, string>> = {
  0: 'NONEXISTENT',
  1: 'DEVICE_SELF_TESTING',
  2: 'STANDBY',
  3: 'OPERATIONAL',
  4: 'MAJOR_RECOVERABLE_FAULT',
  5: 'MAJOR_UNRECOVERABLE_FAULT',
  255: 'DEFAULT_GET_ATTRIBUTES_ALL',
};

/** Identity attribute ids decoded from Get_Attribute_Single/List replies (Vol 1 Table 5-2.3). */
export const IDENTITY_ATTRIBUTES = {
  VENDOR_ID: 1,
  DEVICE_TYPE: 2,
  PRODUCT_CODE: 3,
  REVISION: 4,
  STATUS: 5,
  SERIAL_NUMBER: 6,
  PRODUCT_NAME: 7,
  STATE: 8,
} as const;

// ---------------------------------------------------------------------------------------------
// PCCC (DF1 manual 1770-6.5.16 chapter 7)

/** A PCCC command (CMD byte) or function (FNC byte of CMD 0x06/0x07/0x0F) with its operation. */
export interface PcccFunction {
  readonly code: number;
  readonly name: string;
  readonly operation: Operation;
}

/** Commands without a function byte (PLC-2 command set). */
export const PCCC_PLAIN_COMMANDS: readonly PcccFunction[] = [
  { code: 0x00, name: 'PROTECTED_WRITE', operation: 'write' },
  { code: 0x01, name: 'UNPROTECTED_READ', operation: 'read' },
  { code: 0x02, name: 'PROTECTED_BIT_WRITE', operation: 'write' },
  { code: 0x04, name: 'PHYSICAL_READ', operation: 'read' },
  { code: 0x05, name: 'UNPROTECTED_BIT_WRITE', operation: 'write' },
  { code: 0x08, name: 'UNPROTECTED_WRITE', operation: 'write' },
];

/** Commands whose request carries a function byte after the transaction number. */
export const PCCC_FUNCTION_COMMANDS = [0x06, 0x07, 0x0f] as const;

/** CMD 0x06: diagnostics of the link interface. Diagnostic Status returns the catalog number. */
export const PCCC_06_FUNCTIONS: readonly PcccFunction[] = [
  { code: 0x00, name: 'ECHO', operation: 'diagnostic' },
  { code: 0x01, name: 'READ_DIAGNOSTIC_COUNTERS', operation: 'diagnostic' },
  { code: 0x02, name: 'SET_VARIABLES', operation: 'other' },
  { code: 0x03, name: 'DIAGNOSTIC_STATUS', operation: 'discovery' },
  { code: 0x04, name: 'SET_TIMEOUT', operation: 'other' },
  { code: 0x05, name: 'SET_NAKS', operation: 'other' },
  { code: 0x06, name: 'SET_ENQS', operation: 'other' },
  { code: 0x07, name: 'RESET_DIAGNOSTIC_COUNTERS', operation: 'diagnostic' },
  { code: 0x08, name: 'SET_DATA_TABLE_SIZE', operation: 'program' },
  { code: 0x09, name: 'READ_LINK_PARAMETERS', operation: 'diagnostic' },
  { code: 0x0a, name: 'SET_LINK_PARAMETERS', operation: 'other' },
];

/** CMD 0x07: PLC-2/PLC-3 mode commands. */
export const PCCC_07_FUNCTIONS: readonly PcccFunction[] = [
  { code: 0x00, name: 'DISABLE_OUTPUTS', operation: 'control' },
  { code: 0x01, name: 'ENABLE_OUTPUTS', operation: 'control' },
  { code: 0x03, name: 'ENABLE_PLC_SCANNING', operation: 'control' },
  { code: 0x04, name: 'ENTER_DOWNLOAD_MODE', operation: 'program' },
  { code: 0x05, name: 'EXIT_DOWNLOAD_UPLOAD_MODE', operation: 'program' },
  { code: 0x06, name: 'ENTER_UPLOAD_MODE', operation: 'program' },
];

/**
 * CMD 0x0F: the PLC-5, SLC 500 and MicroLogix command set. Physical reads and writes, the
 * download/upload requests and the edit resource are how programming software moves logic, so they
 * are `program`; mode changes and forces are `control`.
 */
export const PCCC_0F_FUNCTIONS: readonly PcccFunction[] = [
  { code: 0x00, name: 'WORD_RANGE_WRITE', operation: 'write' },
  { code: 0x01, name: 'WORD_RANGE_READ', operation: 'read' },
  { code: 0x02, name: 'BIT_WRITE', operation: 'write' },
  { code: 0x03, name: 'FILE_WRITE', operation: 'file' },
  { code: 0x04, name: 'FILE_READ', operation: 'file' },
  { code: 0x05, name: 'DOWNLOAD_REQUEST', operation: 'program' },
  { code: 0x06, name: 'UPLOAD', operation: 'program' },
  { code: 0x07, name: 'SHUTDOWN', operation: 'control' },
  { code: 0x08, name: 'PHYSICAL_WRITE', operation: 'program' },
  { code: 0x09, name: 'PHYSICAL_READ', operation: 'program' },
  { code: 0x0a, name: 'RESTART_REQUEST', operation: 'control' },
  { code: 0x11, name: 'GET_EDIT_RESOURCE', operation: 'program' },
  { code: 0x12, name: 'RETURN_EDIT_RESOURCE', operation: 'program' },
  { code: 0x17, name: 'READ_BYTES_PHYSICAL', operation: 'program' },
  { code: 0x18, name: 'WRITE_BYTES_PHYSICAL', operation: 'program' },
  { code: 0x26, name: 'READ_MODIFY_WRITE', operation: 'write' },
  { code: 0x29, name: 'READ_SECTION_SIZE', operation: 'read' },
  { code: 0x3a, name: 'SET_CPU_MODE', operation: 'control' },
  { code: 0x41, name: 'DISABLE_FORCES', operation: 'control' },
  { code: 0x50, name: 'DOWNLOAD_ALL_REQUEST', operation: 'program' },
  { code: 0x52, name: 'DOWNLOAD_COMPLETED', operation: 'program' },
  { code: 0x53, name: 'UPLOAD_ALL_REQUEST', operation: 'program' },
  { code: 0x55, name: 'UPLOAD_COMPLETED', operation: 'program' },
  { code: 0x57, name: 'INITIALIZE_MEMORY', operation: 'program' },
  { code: 0x5e, name: 'MODIFY_PLC2_COMPATIBILITY_FILE', operation: 'write' },
  { code: 0x67, name: 'TYPED_WRITE', operation: 'write' },
  { code: 0x68, name: 'TYPED_READ', operation: 'read' },
  { code: 0x79, name: 'READ_MODIFY_WRITE_N', operation: 'write' },
  { code: 0x80, name: 'CHANGE_CPU_MODE', operation: 'control' },
  { code: 0x81, name: 'OPEN_FILE', operation: 'file' },
  { code: 0x82, name: 'CLOSE_FILE', operation: 'file' },
  { code: 0x88, name: 'EXECUTE_MULTIPLE_COMMANDS', operation: 'other' },
  { code: 0x8f, name: 'APPLY_PORT_CONFIGURATION', operation: 'other' },
  { code: 0xa1, name: 'PROTECTED_TYPED_LOGICAL_READ_2_ADDRESS_FIELDS', operation: 'read' },
  { code: 0xa2, name: 'PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS', operation: 'read' },
  { code: 0xa7, name: 'PROTECTED_TYPED_FILE_READ', operation: 'file' },
  { code: 0xa9, name: 'PROTECTED_TYPED_LOGICAL_WRITE_2_ADDRESS_FIELDS', operation: 'write' },
  { code: 0xaa, name: 'PROTECTED_TYPED_LOGICAL_WRITE_3_ADDRESS_FIELDS', operation: 'write' },
  { code: 0xab, name: 'PROTECTED_TYPED_LOGICAL_MASKED_WRITE_3_ADDRESS_FIELDS', operation: 'write' },
  { code: 0xaf, name: 'PROTECTED_TYPED_FILE_WRITE', operation: 'file' },
];

/** The reply bit of the PCCC CMD byte (DF1 manual §7: a reply's CMD is the command's + 0x40). */
export const PCCC_REPLY_BIT = 0x40;

/** CMD bits 0-4 are the command; bit 5 is the priority bit and bit 6 the reply bit (DF1 §6). */
export const PCCC_COMMAND_MASK = 0x1f;

/** STS byte (DF1 manual §8): the high nibble reports remote errors, the low nibble local ones. */
export const PCCC_REMOTE_STATUSES: readonly string[] = [
  'SUCCESS',
  'ILLEGAL_COMMAND_OR_FORMAT',
  'HOST_PROBLEM',
  'REMOTE_NODE_MISSING',
  'HARDWARE_FAULT',
  'ADDRESSING_PROBLEM',
  'COMMAND_PROTECTION',
  'PROGRAM_MODE',
  'COMPATIBILITY_FILE_MISSING',
  'REMOTE_BUFFER_FULL',
  'WAIT_ACK',
  'REMOTE_DOWNLOAD_PROBLEM',
  'WAIT_ACK_BUFFER_FULL',
  'UNKNOWN-13',
  'UNKNOWN-14',
  'EXTENDED_STATUS',
];

/** `EXT STS` follows the transaction number when STS is this value (DF1 manual §8). */
export const PCCC_EXTENDED_STATUS = 0xf0;

// ---------------------------------------------------------------------------------------------
// Lookup arrays, built once. Indexing an array by a code is the per-message path.

function buildNames(table: Readonly<Record<string, number>>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

function buildFromList(list: readonly { code: number; name: string }[], size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const s of list) names[s.code] = s.name;
  return names;
}

function buildOperations(list: readonly { code: number; operation: Operation }[], size: number): Operation[] {
  const ops = new Array<Operation>(size).fill('other');
  for (const s of list) ops[s.code] = s.operation;
  return ops;
}

/** Encapsulation command names for codes 0-255; higher codes print `UNKNOWN-<n>` on demand. */
const ENCAP_COMMAND_NAMES: readonly string[] = buildNames(ENCAP_COMMANDS, 256);
const ENCAP_COMMAND_OPS: readonly Operation[] = (() => {
  const ops = new Array<Operation>(256).fill('other');
  for (const [name, code] of Object.entries(ENCAP_COMMANDS))
    ops[code] = ENCAP_COMMAND_OPERATIONS[name as EncapCommandName];
  return ops;
})();

/** True for the commands Table 2-3.2 defines: the resynchroniser's evidence of a header. */
export const KNOWN_ENCAP_COMMAND: readonly boolean[] = (() => {
  const known = new Array<boolean>(256).fill(false);
  for (const code of Object.values(ENCAP_COMMANDS)) known[code] = true;
  return known;
})();

export function encapCommandName(code: number): string {
  return code < 256 ? ENCAP_COMMAND_NAMES[code] : unknownName(code);
}

export function encapCommandOperation(code: number): Operation {
  return code < 256 ? ENCAP_COMMAND_OPS[code] : 'other';
}

const ENCAP_STATUS_NAMES: readonly string[] = buildNames(ENCAP_STATUSES, 0x6b);

export function encapStatusName(status: number): string {
  return status < ENCAP_STATUS_NAMES.length ? ENCAP_STATUS_NAMES[status] : unknownName(status);
}

const COMMON_SERVICE_NAMES: readonly string[] = buildNames(COMMON_SERVICES, 128);
const COMMON_SERVICE_OPS: readonly Operation[] = (() => {
  const ops = new Array<Operation>(128).fill('other');
  for (const [name, code] of Object.entries(COMMON_SERVICES))
    ops[code] = COMMON_SERVICE_OPERATIONS[name as CommonServiceName];
  return ops;
})();

/** A class-specific service table as lookup arrays (128 entries: the code without the reply bit). */
interface ServiceTable {
  readonly names: readonly string[];
  readonly operations: readonly Operation[];
}

function serviceTable(list: readonly ClassService[]): ServiceTable {
  const names = COMMON_SERVICE_NAMES.slice();
  const operations = COMMON_SERVICE_OPS.slice();
  for (const s of list) {
    names[s.code] = s.name;
    operations[s.code] = s.operation;
  }
  return { names, operations };
}

const GENERIC_TABLE: ServiceTable = { names: COMMON_SERVICE_NAMES, operations: COMMON_SERVICE_OPS };
const LOGIX_TABLE = serviceTable(LOGIX_SERVICES);

/** Class id -> its service table, for the classes with class-specific services (the rest: generic). */
const CLASS_TABLES: ReadonlyMap<number, ServiceTable> = new Map([
  [CLASS_IDS.CONNECTION_MANAGER, serviceTable(CONNECTION_MANAGER_SERVICES)],
  [CLASS_IDS.FILE, serviceTable(FILE_SERVICES)],
  [CLASS_IDS.MODBUS, serviceTable(MODBUS_SERVICES)],
  [CLASS_IDS.PCCC, serviceTable(PCCC_SERVICES)],
  [CLASS_IDS.SYMBOL, LOGIX_TABLE],
  [CLASS_IDS.TEMPLATE, serviceTable(TEMPLATE_SERVICES)],
  [CLASS_IDS.ETHERNET_LINK, serviceTable(ETHERNET_LINK_SERVICES)],
]);

/**
 * The service table for a request path: the class's own when it has class-specific services, the
 * Logix tag services when the path names a tag (no class, a symbol), else the common services, so
 * a class-specific code on a class we do not know prints `UNKNOWN-<n>`.
 */
function tableFor(classId: number | null, symbolic: boolean): ServiceTable {
  if (classId === null) return symbolic ? LOGIX_TABLE : GENERIC_TABLE;
  return CLASS_TABLES.get(classId) ?? GENERIC_TABLE;
}

/** Name of a service code (reply bit removed) addressed to `classId` (null: none in the path). */
export function serviceName(code: number, classId: number | null, symbolic: boolean): string {
  return tableFor(classId, symbolic).names[code & 0x7f];
}

/**
 * Operation of a service addressed to `classId`. The Identity object is how a device says who it
 * is, so reading it is `discovery` (as an SZL identity read is for S7) and resetting it restarts the
 * device (`control`, already Reset's class); everything on the File object moves files.
 */
export function serviceOperation(code: number, classId: number | null, symbolic: boolean): Operation {
  const op = tableFor(classId, symbolic).operations[code & 0x7f];
  if (classId === CLASS_IDS.IDENTITY && op === 'read') return 'discovery';
  if (classId === CLASS_IDS.FILE) return 'file';
  return op;
}

/** The more consequential of two operations (OPERATION_PRECEDENCE). */
export function strongerOperation(a: Operation, b: Operation): Operation {
  return OPERATION_PRECEDENCE.indexOf(a) <= OPERATION_PRECEDENCE.indexOf(b) ? a : b;
}

const GENERAL_STATUS_NAMES: readonly string[] = buildNames(GENERAL_STATUSES, 256);

export function generalStatusName(code: number): string {
  return GENERAL_STATUS_NAMES[code & 0xff];
}

const CLASS_NAME_ARRAY: readonly string[] = (() => {
  const names: string[] = [];
  for (let i = 0; i < 256; i++) names.push(CLASS_NAMES[i] ?? unknownName(i));
  return names;
})();

export function className(classId: number): string {
  return classId < 256 ? CLASS_NAME_ARRAY[classId] : unknownName(classId);
}

export function vendorName(vendorId: number): string {
  return CIP_VENDORS[vendorId] ?? unknownName(vendorId);
}

export function deviceTypeName(deviceType: number): string {
  return DEVICE_TYPES[deviceType] ?? unknownName(deviceType);
}

export function identityStateName(state: number): string {
  return IDENTITY_STATES[state] ?? unknownName(state);
}

const PCCC_PLAIN_NAMES = buildFromList(PCCC_PLAIN_COMMANDS, PCCC_COMMAND_MASK + 1);
const PCCC_PLAIN_OPS = buildOperations(PCCC_PLAIN_COMMANDS, PCCC_COMMAND_MASK + 1);
const PCCC_FNC_NAMES: readonly (readonly string[])[] = [
  buildFromList(PCCC_06_FUNCTIONS, 256),
  buildFromList(PCCC_07_FUNCTIONS, 256),
  buildFromList(PCCC_0F_FUNCTIONS, 256),
];
const PCCC_FNC_OPS: readonly (readonly Operation[])[] = [
  buildOperations(PCCC_06_FUNCTIONS, 256),
  buildOperations(PCCC_07_FUNCTIONS, 256),
  buildOperations(PCCC_0F_FUNCTIONS, 256),
];

/** Index of a command in PCCC_FUNCTION_COMMANDS, or -1 when its requests carry no FNC byte. */
export function pcccFunctionTable(cmd: number): number {
  const c = cmd & PCCC_COMMAND_MASK;
  return c === 0x06 ? 0 : c === 0x07 ? 1 : c === 0x0f ? 2 : -1;
}

/** Name of a PCCC request: its function's for CMD 0x06/0x07/0x0F, else its command's. */
export function pcccName(cmd: number, fnc: number | null): string {
  const t = pcccFunctionTable(cmd);
  if (t >= 0) return fnc === null ? unknownName(cmd & PCCC_COMMAND_MASK) : PCCC_FNC_NAMES[t][fnc & 0xff];
  return PCCC_PLAIN_NAMES[cmd & PCCC_COMMAND_MASK];
}

export function pcccOperation(cmd: number, fnc: number | null): Operation {
  const t = pcccFunctionTable(cmd);
  if (t >= 0) return fnc === null ? 'other' : PCCC_FNC_OPS[t][fnc & 0xff];
  return PCCC_PLAIN_OPS[cmd & PCCC_COMMAND_MASK];
}

/** Name of a PCCC STS byte: the remote error when set, else the local one, else SUCCESS. */
export function pcccStatusName(sts: number): string {
  if (sts >> 4 !== 0) return PCCC_REMOTE_STATUSES[sts >> 4];
  return sts === 0 ? 'SUCCESS' : unknownName(sts);
}
