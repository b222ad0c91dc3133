// Code tables of ISO-on-TCP (TPKT + COTP), Siemens S7comm and S7comm-plus, with the names Zoneward
// prints (DESIGN.md "Names": upper snake case, `UNKNOWN-<n>` for codes no table names), and what
// each function means in the shared operation vocabulary (operations.ts). The parser and the
// dissector print nothing that does not come from here; the lookup arrays at the bottom are built
// once at load so the per-message path never concatenates.
//
// Sources:
// - RFC 1006 §6 (TPKT: version 3, reserved 0, 16-bit length) and RFC 905 (the text of ISO 8073,
//   the connection-oriented transport protocol): §13.1 TPDU codes, §13.3-§13.12 the TPDU layouts,
//   §13.3.4 CR/CC parameters, §13.5.3 disconnect reasons, §13.12.3 reject causes.
// - S7comm has no public specification. Its layout and names follow the reverse-engineered
//   descriptions in Wireshark's packet-s7comm.c (Thomas Wiens) and the CISA ICSNPP-S7comm Zeek
//   parser (consts.zeek): where ICSNPP names a code, its name in upper snake case is used, so
//   events line up with ICSNPP logs of the same traffic ("Read SZL" -> READ_SZL). READ_VAR and
//   WRITE_VAR are Wireshark's "Read Var" / "Write Var" (ICSNPP: "Read Variable").
// - SZL (System status list, SSL) record layouts: Siemens, "System Software for S7-300/400 System
//   and Standard Functions", chapter "System Status Lists (SSL)", SSL-ID W#16#xy11 (module
//   identification) and W#16#xy1C (component identification).
// - S7comm-plus: Wireshark's s7comm_plus plugin (packet-s7comm_plus.c) and ICSNPP's consts.zeek.

import type { Operation } from '../operations.ts';

export { OPERATIONS, type Operation } from '../operations.ts';

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

function buildNames(table: Record<string, number>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

function buildOperations(
  codes: Record<string, number>,
  ops: Record<string, Operation>,
  size: number,
  fallback: Operation,
): Operation[] {
  const out = new Array<Operation>(size).fill(fallback);
  for (const [name, op] of Object.entries(ops)) out[codes[name]] = op;
  return out;
}

// ---------------------------------------------------------------------------------------------
// TPKT (RFC 1006 §6) and COTP (RFC 905 / ISO 8073)
// ---------------------------------------------------------------------------------------------

/** TPKT version (RFC 1006 §6: "vrsn 8 bits: This field is always 3"). */
export const TPKT_VERSION = 3;

/** Well-known ISO-TSAP port (RFC 1006 §3). A probing hint only: MMS and ICCP use it too. */
export const ISO_TSAP_PORT = 102;

/** TPDU codes, the high nibble of the second header byte (RFC 905 §13.1). */
export const COTP_PDU_TYPES = {
  EXPEDITED_DATA: 0x1,
  EXPEDITED_DATA_ACKNOWLEDGEMENT: 0x2,
  REJECT: 0x5,
  DATA_ACKNOWLEDGEMENT: 0x6,
  TPDU_ERROR: 0x7,
  DISCONNECT_REQUEST: 0x8,
  DISCONNECT_CONFIRM: 0xc,
  CONNECTION_CONFIRM: 0xd,
  CONNECTION_REQUEST: 0xe,
  DATA: 0xf,
} as const;

/** The abbreviations RFC 905 §13.1 and ICSNPP's cotp.log use for the TPDU codes. */
export const COTP_SHORT_NAMES = {
  EXPEDITED_DATA: 'ED',
  EXPEDITED_DATA_ACKNOWLEDGEMENT: 'EA',
  REJECT: 'RJ',
  DATA_ACKNOWLEDGEMENT: 'AK',
  TPDU_ERROR: 'ER',
  DISCONNECT_REQUEST: 'DR',
  DISCONNECT_CONFIRM: 'DC',
  CONNECTION_CONFIRM: 'CC',
  CONNECTION_REQUEST: 'CR',
  DATA: 'DT',
} as const satisfies Record<keyof typeof COTP_PDU_TYPES, string>;

/** CR/CC parameter codes decoded (RFC 905 §13.3.4). Others are skipped by their length. */
export const COTP_PARAMETERS = {
  TPDU_SIZE: 0xc0,
  CALLING_TSAP: 0xc1,
  CALLED_TSAP: 0xc2,
} as const;

/** DR reasons (RFC 905 §13.5.3). */
export const COTP_DISCONNECT_REASONS = {
  NOT_SPECIFIED: 0,
  CONGESTION_AT_TSAP: 1,
  SESSION_ENTITY_NOT_ATTACHED: 2,
  ADDRESS_UNKNOWN: 3,
  NORMAL_DISCONNECT: 128,
  REMOTE_TRANSPORT_ENTITY_CONGESTION: 129,
  CONNECTION_NEGOTIATION_FAILED: 130,
  DUPLICATE_SOURCE_REFERENCE: 131,
  MISMATCHED_REFERENCES: 132,
  PROTOCOL_ERROR: 133,
  REFERENCE_OVERFLOW: 135,
  CONNECTION_REQUEST_REFUSED: 136,
  HEADER_OR_PARAMETER_LENGTH_INVALID: 138,
} as const;

/** ER reject causes (RFC 905 §13.12.3). */
export const COTP_REJECT_CAUSES = {
  REASON_NOT_SPECIFIED: 0,
  INVALID_PARAMETER_CODE: 1,
  INVALID_TPDU_TYPE: 2,
  INVALID_PARAMETER_VALUE: 3,
} as const;

export type CotpPduType = keyof typeof COTP_PDU_TYPES;

/** TPDU code (0-15) -> event function name, `COTP_<NAME>`; DT never becomes an event of its own. */
export const COTP_FUNCTION_BY_CODE: readonly string[] = (() => {
  const names = buildNames(COTP_PDU_TYPES, 16);
  return names.map((n) => (n.startsWith('UNKNOWN-') ? n : `COTP_${n}`));
})();

/** TPDU code (0-15) -> short name (`CR`), null for codes RFC 905 does not define. */
export const COTP_SHORT_BY_CODE: readonly (string | null)[] = (() => {
  const out = new Array<string | null>(16).fill(null);
  for (const [name, code] of Object.entries(COTP_PDU_TYPES))
    out[code] = COTP_SHORT_NAMES[name as CotpPduType];
  return out;
})();

/**
 * First byte of a two-byte S7 called TSAP: the connection resource (Snap7 documentation,
 * "Connection type": PG = programming device, OP = operator panel, S7_BASIC = other clients); the
 * second byte is rack (3 bits) and slot (5 bits).
 */
export const TSAP_CONNECTION_TYPES = {
  PG: 0x01,
  OP: 0x02,
  S7_BASIC: 0x03,
} as const;

export const TSAP_CONNECTION_TYPE_NAMES: readonly string[] = buildNames(TSAP_CONNECTION_TYPES, 256);

export const COTP_DISCONNECT_REASON_NAMES: readonly string[] = buildNames(COTP_DISCONNECT_REASONS, 256);
export const COTP_REJECT_CAUSE_NAMES: readonly string[] = buildNames(COTP_REJECT_CAUSES, 256);

// ---------------------------------------------------------------------------------------------
// S7comm header (Wireshark packet-s7comm.c: protocol id 0x32, 10-byte header, 12 with errors)
// ---------------------------------------------------------------------------------------------

/** The first byte of every S7comm PDU. */
export const S7COMM_PROTOCOL_ID = 0x32;
/** The first byte of every S7comm-plus PDU. */
export const S7COMM_PLUS_PROTOCOL_ID = 0x72;

/** Remote Operating Service Control: the PDU type (Wireshark's names, upper snake case). */
export const ROSCTR = {
  JOB: 0x01,
  ACK: 0x02,
  ACK_DATA: 0x03,
  USERDATA: 0x07,
} as const;

/** Error classes of the ACK and ACK_DATA header (Wireshark errcls_names). */
export const ERROR_CLASSES = {
  NO_ERROR: 0x00,
  APPLICATION_RELATIONSHIP: 0x81,
  OBJECT_DEFINITION: 0x82,
  NO_RESOURCES_AVAILABLE: 0x83,
  ERROR_ON_SERVICE_PROCESSING: 0x84,
  ERROR_ON_SUPPLIES: 0x85,
  ACCESS_ERROR: 0x87,
} as const;

/**
 * Error codes (header class << 8 | code, or the userdata parameter's 16-bit error code), named in
 * Zoneward's words after the descriptions Wireshark's param_errcode_names gives. Codes not listed
 * print `UNKNOWN-<n>`; `s7comm.error_code` always carries the number.
 */
export const ERROR_CODES = {
  INVALID_BLOCK_NUMBER: 0x0110,
  INVALID_REQUEST_LENGTH: 0x0111,
  INVALID_PARAMETER: 0x0112,
  INVALID_BLOCK_TYPE: 0x0113,
  BLOCK_NOT_FOUND: 0x0114,
  BLOCK_ALREADY_EXISTS: 0x0115,
  BLOCK_WRITE_PROTECTED: 0x0116,
  BLOCK_TOO_LARGE: 0x0117,
  INCORRECT_PASSWORD: 0x0119,
  PG_RESOURCE_ERROR: 0x011a,
  PLC_RESOURCE_ERROR: 0x011b,
  PROTOCOL_ERROR: 0x011c,
  TOO_MANY_BLOCKS: 0x011d,
  RESULT_BUFFER_TOO_SMALL: 0x011f,
  END_OF_BLOCK_LIST: 0x0120,
  INSUFFICIENT_MEMORY: 0x0140,
  LACK_OF_RESOURCES: 0x0141,
  BLOCK_STATUS_PREVENTS_SERVICE: 0x8001,
  BLOCK_TRANSFER_ERROR: 0x8003,
  SERVICE_UNKNOWN: 0x8100,
  SERVICE_NOT_IMPLEMENTED: 0x8104,
  OBJECT_TYPE_INCONSISTENT: 0x8204,
  UNLINKED_COPY_EXISTS: 0x8205,
  INSUFFICIENT_MEMORY_ON_MODULE: 0x8301,
  TOO_FEW_RESOURCES: 0x8302,
  NO_FURTHER_PARALLEL_UPLOAD: 0x8304,
  FUNCTION_NOT_AVAILABLE: 0x8305,
  INSUFFICIENT_WORK_MEMORY: 0x8306,
  INSUFFICIENT_RETENTIVE_MEMORY: 0x8307,
  INVALID_SERVICE_SEQUENCE: 0x8401,
  OBJECT_STATUS_PREVENTS_SERVICE: 0x8402,
  FUNCTION_CANNOT_BE_PERFORMED: 0x8404,
  REMOTE_BLOCK_DISABLED: 0x8405,
  WRONG_FRAMES: 0x8500,
  SERVICE_CANCELED: 0x8503,
  OBJECT_ADDRESSING_ERROR: 0x8701,
  SERVICE_NOT_SUPPORTED: 0x8702,
  ACCESS_REFUSED: 0x8703,
  OBJECT_DAMAGED: 0x8704,
  ILLEGAL_SZL_ID: 0xd041,
  NOT_PERMITTED_IN_CURRENT_MODE: 0xd081,
  PROTECTION_LEVEL_INSUFFICIENT: 0xd0a1,
  OPERATING_MODE_ALREADY_SET: 0xd0ad,
  BLOCK_NAME_SYNTAX_ERROR: 0xd201,
  FUNCTION_PARAMETER_SYNTAX_ERROR: 0xd202,
  BLOCK_NOT_FOUND_ON_MODULE: 0xd209,
  OB_PRIORITY_CLASS_MISSING: 0xd20c,
  NO_FURTHER_BLOCK: 0xd20e,
  BLOCK_NUMBER_INVALID: 0xd210,
} as const;

// ---------------------------------------------------------------------------------------------
// Job / Ack_Data functions (the first parameter byte)
// ---------------------------------------------------------------------------------------------

export const FUNCTION_CODES = {
  CPU_SERVICES: 0x00,
  READ_VAR: 0x04,
  WRITE_VAR: 0x05,
  REQUEST_DOWNLOAD: 0x1a,
  DOWNLOAD_BLOCK: 0x1b,
  DOWNLOAD_ENDED: 0x1c,
  START_UPLOAD: 0x1d,
  UPLOAD: 0x1e,
  END_UPLOAD: 0x1f,
  PLC_CONTROL: 0x28, // Wireshark: "PI-Service" (program invocation)
  PLC_STOP: 0x29,
  SETUP_COMMUNICATION: 0xf0,
} as const;
export type FunctionName = keyof typeof FUNCTION_CODES;

/**
 * Operation of each job function. Uploads read the logic out of the PLC, but they are program
 * transfers all the same (issue 3: "program (download/upload/block changes)"). PLC_CONTROL is
 * refined by its PI service (PI_SERVICE_OPERATIONS).
 */
export const FUNCTION_OPERATIONS = {
  CPU_SERVICES: 'other',
  READ_VAR: 'read',
  WRITE_VAR: 'write',
  REQUEST_DOWNLOAD: 'program',
  DOWNLOAD_BLOCK: 'program',
  DOWNLOAD_ENDED: 'program',
  START_UPLOAD: 'program',
  UPLOAD: 'program',
  END_UPLOAD: 'program',
  PLC_CONTROL: 'control',
  PLC_STOP: 'control',
  SETUP_COMMUNICATION: 'other',
} as const satisfies Record<FunctionName, Operation>;

/**
 * Program invocation services (PLC_CONTROL), as the PI service name travels on the wire
 * (Wireshark pi_service_names, ICSNPP s7comm_plc_control_services). The `_N_` services are
 * SINUMERIK NC services. Unlisted services are `control`; `_N_F_*` (NC file services) are `file`.
 */
export const PI_SERVICE_OPERATIONS: Readonly<Record<string, Operation>> = {
  _INSE: 'program', // activate a downloaded block
  _INS2: 'program',
  _DELE: 'program', // delete blocks
  P_PROGRAM: 'control', // start / stop the program
  _MODU: 'program', // copy RAM to ROM
  _GARB: 'program', // compress PLC memory
  _N_LOGIN_: 'auth',
  _N_LOGOUT: 'auth',
  _N_NEWPWD: 'auth',
};

/** PI services whose parameter block lists blocks (Wireshark s7comm_decode_pi_service). */
export const PI_SERVICES_WITH_BLOCKS: ReadonlySet<string> = new Set(['_INSE', '_INS2', '_DELE']);

/** Operation of a PI service name. */
export function piServiceOperation(service: string): Operation {
  const op = PI_SERVICE_OPERATIONS[service];
  if (op !== undefined) return op;
  return service.startsWith('_N_F_') ? 'file' : 'control';
}

// ---------------------------------------------------------------------------------------------
// Read/write variable items
// ---------------------------------------------------------------------------------------------

/** Variable specification type of a request item (always 0x12). */
export const VAR_SPEC_TYPE = 0x12;

/** Syntax ids of request items; only S7ANY is decoded into area/db/address. */
export const SYNTAX_IDS = {
  S7ANY: 0x10,
  PBC_ID: 0x13,
  ALARM_LOCKFREE: 0x15,
  ALARM_IND: 0x16,
  ALARM_ACK: 0x19,
  ALARM_QUERYREQ: 0x1a,
  NOTIFY_IND: 0x1c,
  DRIVEESANY: 0x82,
  NCK: 0xa2,
  DBREAD: 0xb0,
  SYM1200: 0xb2,
} as const;

/** Memory areas, by the mnemonics of S7 addressing (Wireshark item_areanames). */
export const AREAS = {
  SYSINFO_200: 0x03,
  SYSFLAGS_200: 0x05,
  ANAIN_200: 0x06,
  ANAOUT_200: 0x07,
  C: 0x1c, // S7 counters
  T: 0x1d, // S7 timers
  IEC_C: 0x1e, // IEC counters (200 family)
  IEC_T: 0x1f, // IEC timers (200 family)
  P: 0x80, // direct peripheral access
  I: 0x81, // inputs
  Q: 0x82, // outputs
  M: 0x83, // flags (Merker)
  DB: 0x84, // data blocks
  DI: 0x85, // instance data blocks
  L: 0x86, // local data
  V: 0x87, // previous local data
} as const;

/** Transport sizes of request items (Wireshark item_transportsizenames). */
export const ITEM_TRANSPORT_SIZES = {
  BIT: 0x01,
  BYTE: 0x02,
  CHAR: 0x03,
  WORD: 0x04,
  INT: 0x05,
  DWORD: 0x06,
  DINT: 0x07,
  REAL: 0x08,
  DATE: 0x09,
  TOD: 0x0a,
  TIME: 0x0b,
  S5TIME: 0x0c,
  DATE_AND_TIME: 0x0f,
  COUNTER: 0x1c,
  TIMER: 0x1d,
  IEC_TIMER: 0x1e,
  IEC_COUNTER: 0x1f,
  HS_COUNTER: 0x20,
} as const;

/**
 * Transport sizes of data items (Wireshark data_transportsizenames). BIT, BYTE_WORD_DWORD and
 * INTEGER give their length in bits, the others in bytes (DATA_SIZE_IN_BITS).
 */
export const DATA_TRANSPORT_SIZES = {
  NULL: 0x00,
  BIT: 0x03,
  BYTE_WORD_DWORD: 0x04,
  INTEGER: 0x05,
  DINTEGER: 0x06,
  REAL: 0x07,
  OCTET_STRING: 0x09,
} as const;

/** Data transport sizes whose length field counts bits. */
export const DATA_SIZE_IN_BITS: readonly boolean[] = (() => {
  const out = new Array<boolean>(256).fill(false);
  out[DATA_TRANSPORT_SIZES.BIT] = true;
  out[DATA_TRANSPORT_SIZES.BYTE_WORD_DWORD] = true;
  out[DATA_TRANSPORT_SIZES.INTEGER] = true;
  return out;
})();

/** Return codes of data items and userdata data (ICSNPP s7comm_userdata_return_codes). */
export const RETURN_CODES = {
  RESERVED: 0x00,
  HARDWARE_ERROR: 0x01,
  ACCESS_DENIED: 0x03, // "Accessing the object not allowed"
  INVALID_ADDRESS: 0x05,
  DATA_TYPE_NOT_SUPPORTED: 0x06,
  DATA_TYPE_INCONSISTENT: 0x07,
  OBJECT_DOES_NOT_EXIST: 0x0a,
  SUCCESS: 0xff,
} as const;

// ---------------------------------------------------------------------------------------------
// Blocks and file names (upload, download, PI services, block functions)
// ---------------------------------------------------------------------------------------------

/** Block types as the two ASCII characters of a file name (`_0B00000A`: SDB 0, active). */
export const BLOCK_TYPES: Readonly<Record<string, string>> = {
  '08': 'OB',
  '0A': 'DB',
  '0B': 'SDB',
  '0C': 'FC',
  '0D': 'SFC',
  '0E': 'FB',
  '0F': 'SFB',
};

/** Destination file system, the last character of a file name. */
export const FILESYSTEMS: Readonly<Record<string, string>> = {
  A: 'ACTIVE',
  P: 'PASSIVE',
  B: 'ACTIVE_AND_PASSIVE',
};

// ---------------------------------------------------------------------------------------------
// Userdata: type, function group, sub-functions
// ---------------------------------------------------------------------------------------------

/** Userdata parameter head: 0x00 0x01 0x12. */
export const USERDATA_PARAM_HEAD = 0x000112;

/** High nibble of the type/group byte. */
export const USERDATA_TYPES = {
  PUSH: 0x0,
  REQUEST: 0x4,
  RESPONSE: 0x8,
  NC_PUSH: 0x3,
  NC_REQUEST: 0x7,
  NC_RESPONSE: 0xb,
} as const;

/** Low nibble of the type/group byte (ICSNPP s7comm_userdata_functions). */
export const USERDATA_GROUPS = {
  MODE_TRANSITION: 0x0,
  PROGRAMMER_CONTROLS: 0x1,
  CYCLIC_SERVICES: 0x2,
  BLOCK_FUNCTIONS: 0x3,
  CPU_FUNCTIONS: 0x4,
  SECURITY: 0x5,
  PBC_BSEND_BRECV: 0x6,
  TIME_FUNCTIONS: 0x7,
  NC_PROGRAMMING: 0xf,
} as const;
export type UserdataGroup = keyof typeof USERDATA_GROUPS;

export const MODE_TRANSITION_SUBFUNCTIONS = {
  STOP: 0x00,
  WARM_RESTART: 0x01,
  RUN: 0x02,
  HOT_RESTART: 0x03,
  HOLD: 0x04,
  COLD_RESTART: 0x06,
  RUN_R: 0x09,
  LINK_UP: 0x0b,
  UPDATE: 0x0c,
} as const;

export const PROGRAMMER_SUBFUNCTIONS = {
  BLOCK_STATUS: 0x01,
  VARIABLE_STATUS: 0x02,
  OUTPUT_ISTACK: 0x03,
  OUTPUT_BSTACK: 0x04,
  OUTPUT_LSTACK: 0x05,
  TIME_MEASUREMENT: 0x06,
  FORCE_SELECTION: 0x07,
  MODIFY_VARIABLE: 0x08,
  FORCE: 0x09,
  BREAKPOINT: 0x0a,
  EXIT_HOLD: 0x0b,
  MEMORY_RESET: 0x0c,
  DISABLE_JOB: 0x0d,
  ENABLE_JOB: 0x0e,
  DELETE_JOB: 0x0f,
  READ_JOB_LIST: 0x10,
  READ_JOB: 0x11,
  REPLACE_JOB: 0x12,
  BLOCK_STATUS_V2: 0x13,
  FLASH_LED: 0x16,
} as const;

export const CYCLIC_SUBFUNCTIONS = {
  CYCLIC_TRANSFER: 0x01,
  UNSUBSCRIBE: 0x04,
  CHANGE_DRIVEN_TRANSFER: 0x05,
  CHANGE_DRIVEN_TRANSFER_MODIFY: 0x07,
  RDREC: 0x08,
} as const;

export const BLOCK_SUBFUNCTIONS = {
  LIST_BLOCKS: 0x01,
  LIST_BLOCKS_OF_TYPE: 0x02,
  GET_BLOCK_INFO: 0x03,
} as const;

export const CPU_SUBFUNCTIONS = {
  READ_SZL: 0x01,
  MESSAGE_SERVICE: 0x02,
  DIAGNOSTIC_MESSAGE: 0x03,
  ALARM_8_INDICATION: 0x04,
  NOTIFY_INDICATION: 0x05,
  ALARM_8_LOCK: 0x06,
  ALARM_8_UNLOCK: 0x07,
  SCAN_INDICATION: 0x08,
  ALARM_S_INDICATION: 0x0b,
  ALARM_SQ_INDICATION: 0x0c,
  ALARM_QUERY: 0x0d,
  ALARM_ACK: 0x0e,
  ALARM_ACK_INDICATION: 0x11,
  ALARM_LOCK_INDICATION: 0x12,
  ALARM_UNLOCK_INDICATION: 0x13,
  NOTIFY_8_INDICATION: 0x16,
} as const;

export const SECURITY_SUBFUNCTIONS = {
  PLC_PASSWORD: 0x01,
} as const;

export const TIME_SUBFUNCTIONS = {
  READ_CLOCK: 0x01,
  SET_CLOCK: 0x02,
  READ_CLOCK_FOLLOWING: 0x03,
  SET_CLOCK_2: 0x04,
} as const;

/** Sub-function tables per group; groups without one print every sub-function `UNKNOWN-<n>`. */
export const SUBFUNCTIONS: Readonly<Record<UserdataGroup, Record<string, number>>> = {
  MODE_TRANSITION: MODE_TRANSITION_SUBFUNCTIONS,
  PROGRAMMER_CONTROLS: PROGRAMMER_SUBFUNCTIONS,
  CYCLIC_SERVICES: CYCLIC_SUBFUNCTIONS,
  BLOCK_FUNCTIONS: BLOCK_SUBFUNCTIONS,
  CPU_FUNCTIONS: CPU_SUBFUNCTIONS,
  SECURITY: SECURITY_SUBFUNCTIONS,
  PBC_BSEND_BRECV: {},
  TIME_FUNCTIONS: TIME_SUBFUNCTIONS,
  NC_PROGRAMMING: {},
};

/**
 * Operation of a userdata group when its sub-function has no entry below. Mode transitions are
 * indications the CPU pushes after its mode changed (diagnostic, not a command); cyclic services
 * subscribe to variables (read); block functions list and describe the blocks in the PLC's file
 * system (file); BSEND/BRECV move process data between programs (write); the clock is time
 * synchronisation (diagnostic, operations.ts); NC programming transfers part programs (program).
 */
export const GROUP_OPERATIONS = {
  MODE_TRANSITION: 'diagnostic',
  PROGRAMMER_CONTROLS: 'diagnostic',
  CYCLIC_SERVICES: 'read',
  BLOCK_FUNCTIONS: 'file',
  CPU_FUNCTIONS: 'diagnostic',
  SECURITY: 'auth',
  PBC_BSEND_BRECV: 'write',
  TIME_FUNCTIONS: 'diagnostic',
  NC_PROGRAMMING: 'program',
} as const satisfies Record<UserdataGroup, Operation>;

/**
 * Sub-functions whose operation differs from their group's. Modify variable and force change
 * process values (write); breakpoints and leaving HOLD change the CPU's state, as do alarm
 * acknowledgement and locking (control); a memory reset wipes the user program (program).
 * READ_SZL is refined by the SZL id (SZL_DISCOVERY_LISTS).
 */
export const SUBFUNCTION_OPERATIONS: Readonly<Partial<Record<UserdataGroup, Record<string, Operation>>>> = {
  PROGRAMMER_CONTROLS: {
    MODIFY_VARIABLE: 'write',
    FORCE: 'write',
    FORCE_SELECTION: 'write',
    BREAKPOINT: 'control',
    EXIT_HOLD: 'control',
    MEMORY_RESET: 'program',
  },
  CPU_FUNCTIONS: {
    ALARM_8_LOCK: 'control',
    ALARM_8_UNLOCK: 'control',
    ALARM_ACK: 'control',
  },
};

// ---------------------------------------------------------------------------------------------
// SZL (system status list)
// ---------------------------------------------------------------------------------------------

/**
 * Partial lists by number (the low byte of the SZL id; the high byte selects the extract), named
 * after ICSNPP's s7comm_szl_id descriptions.
 */
export const SZL_LISTS = {
  SZL_ID_LIST: 0x00,
  MODULE_IDENTIFICATION: 0x11,
  CPU_CHARACTERISTICS: 0x12,
  USER_MEMORY_AREAS: 0x13,
  SYSTEM_AREAS: 0x14,
  BLOCK_TYPES: 0x15,
  PRIORITY_CLASSES: 0x16,
  PERMITTED_SDBS: 0x17,
  MAX_IO_CONFIGURATION: 0x18,
  MODULE_LEDS: 0x19,
  COMPONENT_IDENTIFICATION: 0x1c,
  INTERRUPT_ERROR_ASSIGNMENT: 0x21,
  INTERRUPT_STATUS: 0x22,
  PRIORITY_CLASS_STATUS: 0x23,
  MODES: 0x24,
  PROCESS_IMAGE_PARTITIONS: 0x25,
  COMMUNICATION_CAPABILITY_PARAMETERS: 0x31,
  COMMUNICATION_STATUS_DATA: 0x32,
  DEVICE_LOGON_LIST: 0x33,
  ETHERNET_DETAILS: 0x37,
  H_CPU_GROUP_INFORMATION: 0x71,
  LED_STATUS: 0x74,
  SWITCHED_DP_SLAVES: 0x75,
  START_INFORMATION_LIST: 0x81,
  START_EVENT_LIST: 0x82,
  MODULE_STATUS_INFORMATION: 0x91,
  RACK_STATION_STATUS: 0x92,
  RACK_STATION_STATUS_PN: 0x94,
  EXTENDED_DP_MASTER_SYSTEM_INFORMATION: 0x95,
  MODULE_STATUS_PN_DP: 0x96,
  DIAGNOSTIC_BUFFER: 0xa0,
  MODULE_DIAGNOSTIC_DATA_RECORD_0: 0xb1,
  MODULE_DIAGNOSTIC_DATA_RECORD_1_GEOGRAPHICAL: 0xb2,
  MODULE_DIAGNOSTIC_DATA_RECORD_1_LOGICAL: 0xb3,
  DP_SLAVE_DIAGNOSTIC_DATA: 0xb4,
} as const;

/**
 * Partial lists that say who the device is: reading them is discovery (operations.ts: "SZL
 * identity reads"); every other SZL read is a diagnostic.
 */
export const SZL_DISCOVERY_LISTS: ReadonlySet<number> = new Set([
  SZL_LISTS.SZL_ID_LIST,
  SZL_LISTS.MODULE_IDENTIFICATION,
  SZL_LISTS.COMPONENT_IDENTIFICATION,
]);

/** SZL xy11 record indexes (SSL-ID W#16#xy11). */
export const MODULE_IDENT_INDEX = {
  MODULE: 0x0001, // order number of the module, hardware product version
  BASIC_HARDWARE: 0x0006,
  BASIC_FIRMWARE: 0x0007, // 'V' and the firmware version
} as const;

/** SZL xy1C record indexes (SSL-ID W#16#xy1C) whose 32 bytes are text. */
export const COMPONENT_IDENT_INDEX = {
  SYSTEM_NAME: 0x0001, // name of the automation system
  MODULE_NAME: 0x0002, // name of the module
  PLANT_ID: 0x0003, // plant designation of the module
  COPYRIGHT: 0x0004,
  SERIAL: 0x0005, // serial number of the module
  MODULE_TYPE: 0x0007, // module type name
  MEMORY_CARD_SERIAL: 0x0008,
  LOCATION: 0x000b, // location designation
} as const;

/** SZL xy11 record: index (2), order number (20), BGTyp (2), Ausbg (2), Ausbe (2). */
export const MODULE_IDENT_RECORD_LENGTH = 28;
/** SZL xy1C record: index (2) and 32 bytes. */
export const COMPONENT_IDENT_RECORD_LENGTH = 34;

/** What Siemens modules report as copyright in SZL xy1C index 4. */
export const SIEMENS_COPYRIGHT = 'Original Siemens Equipment';

/**
 * Order number (MLFB) prefixes of Siemens automation products: SIMATIC S7 (6ES7), SIPLUS (6AG1),
 * LOGO! (6ED1), HMI (6AV), network components (6GK). The vendor is only claimed on this evidence
 * or on the copyright string: S7comm is also spoken by third-party PLCs (VIPA, Yaskawa, Inat).
 */
export const SIEMENS_ORDER_PREFIXES: readonly string[] = ['6ES', '6AG', '6ED', '6AV', '6GK'];
export const SIEMENS = 'Siemens';

// ---------------------------------------------------------------------------------------------
// S7comm-plus (Wireshark s7comm_plus plugin; ICSNPP consts.zeek)
// ---------------------------------------------------------------------------------------------

/** Protocol versions: 1 and 2 without, 3 with an integrity digest before the data. */
export const PLUS_VERSIONS = {
  V1: 0x01,
  V2: 0x02,
  V3: 0x03,
  EXTENDED_KEEP_ALIVE: 0xfe,
  KEEP_ALIVE: 0xff,
} as const;

export const PLUS_OPCODES = {
  RESPONSE2: 0x02,
  REQUEST: 0x31,
  RESPONSE: 0x32,
  NOTIFICATION: 0x33,
} as const;

export const PLUS_FUNCTIONS = {
  EXPLORE: 0x04bb,
  CREATE_OBJECT: 0x04ca,
  DELETE_OBJECT: 0x04d4,
  SET_VARIABLE: 0x04f2,
  GET_VARIABLE: 0x04fc,
  GET_LINK: 0x0524,
  SET_MULTI_VARIABLES: 0x0542,
  GET_MULTI_VARIABLES: 0x054c,
  BEGIN_SEQUENCE: 0x0556,
  END_SEQUENCE: 0x0560,
  INVOKE: 0x056b,
  SET_VAR_SUB_STREAMED: 0x057c,
  GET_VAR_SUB_STREAMED: 0x0586,
  GET_VARIABLES_ADDRESS: 0x0590,
  ABORT: 0x059a,
  ERROR: 0x05a9,
  INIT_SSL: 0x05b3,
} as const;
export type PlusFunctionName = keyof typeof PLUS_FUNCTIONS;

/**
 * Operation of each S7comm-plus function. CREATE_OBJECT and DELETE_OBJECT open and close the
 * session (their usual object is the ServerSession), INIT_SSL starts TLS: auth. EXPLORE browses
 * the PLC's object tree (read). BEGIN_SEQUENCE / END_SEQUENCE bracket a download (program);
 * INVOKE calls methods such as start and stop (control).
 */
export const PLUS_FUNCTION_OPERATIONS = {
  EXPLORE: 'read',
  CREATE_OBJECT: 'auth',
  DELETE_OBJECT: 'auth',
  SET_VARIABLE: 'write',
  GET_VARIABLE: 'read',
  GET_LINK: 'read',
  SET_MULTI_VARIABLES: 'write',
  GET_MULTI_VARIABLES: 'read',
  BEGIN_SEQUENCE: 'program',
  END_SEQUENCE: 'program',
  INVOKE: 'control',
  SET_VAR_SUB_STREAMED: 'write',
  GET_VAR_SUB_STREAMED: 'read',
  GET_VARIABLES_ADDRESS: 'read',
  ABORT: 'other',
  ERROR: 'other',
  INIT_SSL: 'auth',
} as const satisfies Record<PlusFunctionName, Operation>;

/** Notifications push subscribed values to the client. */
export const PLUS_NOTIFICATION_OPERATION: Operation = 'read';

// ---------------------------------------------------------------------------------------------
// Lookup arrays, built once
// ---------------------------------------------------------------------------------------------

export const ROSCTR_NAMES: readonly string[] = buildNames(ROSCTR, 256);
export const ERROR_CLASS_NAMES: readonly string[] = buildNames(ERROR_CLASSES, 256);
export const FUNCTION_NAMES: readonly string[] = buildNames(FUNCTION_CODES, 256);
export const FUNCTION_OPERATION_BY_CODE: readonly Operation[] = buildOperations(
  FUNCTION_CODES,
  FUNCTION_OPERATIONS,
  256,
  'other',
);
export const SYNTAX_ID_NAMES: readonly string[] = buildNames(SYNTAX_IDS, 256);
export const AREA_NAMES: readonly string[] = buildNames(AREAS, 256);
export const ITEM_TRANSPORT_SIZE_NAMES: readonly string[] = buildNames(ITEM_TRANSPORT_SIZES, 256);
export const RETURN_CODE_NAMES: readonly string[] = buildNames(RETURN_CODES, 256);
export const USERDATA_TYPE_NAMES: readonly string[] = buildNames(USERDATA_TYPES, 16);
export const USERDATA_GROUP_NAMES: readonly string[] = buildNames(USERDATA_GROUPS, 16);
export const SZL_LIST_NAMES: readonly string[] = buildNames(SZL_LISTS, 256);

const ERROR_NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(ERROR_CODES).map(([name, code]) => [code, name]),
);

/** Name of a 16-bit error code; null for 0 (no error). */
export function errorName(code: number): string | null {
  if (code === 0) return null;
  return ERROR_NAME_BY_CODE.get(code) ?? unknownName(code);
}

/** Group (0-15) -> sub-function (0-255) -> name. */
export const SUBFUNCTION_NAMES: readonly (readonly string[])[] = (() => {
  const out: string[][] = [];
  for (let g = 0; g < 16; g++) {
    const group = USERDATA_GROUP_NAMES[g] as UserdataGroup;
    out.push(buildNames(SUBFUNCTIONS[group] ?? {}, 256));
  }
  return out;
})();

/** Group (0-15) -> sub-function (0-255) -> operation. */
export const SUBFUNCTION_OPERATION: readonly (readonly Operation[])[] = (() => {
  const out: Operation[][] = [];
  for (let g = 0; g < 16; g++) {
    const group = USERDATA_GROUP_NAMES[g] as UserdataGroup;
    const table = SUBFUNCTIONS[group];
    const fallback: Operation = table === undefined ? 'other' : GROUP_OPERATIONS[group];
    out.push(buildOperations(table ?? {}, SUBFUNCTION_OPERATIONS[group] ?? {}, 256, fallback));
  }
  return out;
})();

export const PLUS_OPCODE_NAMES: readonly string[] = buildNames(PLUS_OPCODES, 256);

const PLUS_FUNCTION_NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(PLUS_FUNCTIONS).map(([name, code]) => [code, name]),
);

/** Name of a 16-bit S7comm-plus function code. */
export function plusFunctionName(code: number): string {
  return PLUS_FUNCTION_NAME_BY_CODE.get(code) ?? unknownName(code);
}

/** Operation of a 16-bit S7comm-plus function code; unknown functions are `other`. */
export function plusFunctionOperation(code: number): Operation {
  const name = PLUS_FUNCTION_NAME_BY_CODE.get(code);
  return name === undefined ? 'other' : PLUS_FUNCTION_OPERATIONS[name as PlusFunctionName];
}
