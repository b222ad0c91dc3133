// DNP3 code tables: data link functions, application function codes, internal indications,
// qualifier codes, the object library's sizes, control (CROB) codes and statuses, file object
// codes and the device attribute variations that identify an outstation. Names are the
// specification's, in the upper snake case Zeek and CISA ICSNPP print (DESIGN.md "Names"); what a
// function means in Zoneward's operation vocabulary is decided here too. The lookup arrays at the
// bottom are built once at load, so the per-message path indexes arrays and never concatenates.
//
// Source: IEEE Std 1815-2012 (DNP3), cited by clause: clause 4 for the application layer (fragment
// header: application control, function code, internal indications; object headers: group,
// variation, qualifier with its object prefix and range specifier codes), clause 8 for the transport
// function, clause 9 for the data link layer (frame format, primary and secondary function codes),
// and the data object library, cited by group number (group 0 device attributes, group 12 binary
// commands with the control status codes, group 70 file-control, ...).

import type { Operation } from '../operations.ts';

export type { Operation } from '../operations.ts';

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

// --- Data link layer (§9.2) ---------------------------------------------------------------------

/** The two start octets every frame begins with (clause 9, frame format). */
export const START_OCTET_1 = 0x05;
export const START_OCTET_2 = 0x64;

/** Control octet bits (clause 9, control field). */
export const LINK_CONTROL = {
  /** DIR: 1 when the frame comes from a master, 0 from an outstation. */
  DIR: 0x80,
  /** PRM: 1 for a primary (initiating) frame, 0 for a secondary (answering) one. */
  PRM: 0x40,
  /** FCB: frame count bit of primary frames. */
  FCB: 0x20,
  /** FCV: FCB is valid (primary) ; DFC: data flow control (secondary). */
  FCV_DFC: 0x10,
  /** The link function code, low nibble. */
  FUNCTION: 0x0f,
} as const;

/** Primary-to-secondary link function codes (PRM = 1), clause 9, primary function codes. */
export const LINK_PRIMARY_FUNCTIONS = {
  RESET_LINK_STATES: 0,
  RESET_USER_PROCESS: 1, // obsolete in 1815-2012, named so it is recognised
  TEST_LINK_STATES: 2,
  CONFIRMED_USER_DATA: 3,
  UNCONFIRMED_USER_DATA: 4,
  REQUEST_LINK_STATUS: 9,
} as const;

/** Secondary-to-primary link function codes (PRM = 0), clause 9, secondary function codes. */
export const LINK_SECONDARY_FUNCTIONS = {
  ACK: 0,
  NACK: 1,
  LINK_STATUS: 11,
  NOT_SUPPORTED: 15,
} as const;

/** The two primary functions whose frames carry transport segments (clause 9). */
export const USER_DATA_FUNCTIONS: readonly number[] = [
  LINK_PRIMARY_FUNCTIONS.CONFIRMED_USER_DATA,
  LINK_PRIMARY_FUNCTIONS.UNCONFIRMED_USER_DATA,
];

/** Broadcast destinations (clause 9, reserved addresses): 0xFFFD-0xFFFF. */
export const BROADCAST_ADDRESS_MIN = 0xfffd;

// --- Transport function (clause 8) -----------------------------------------------------------------

/** Transport header bits (clause 8, transport header): FIN, FIR, and a 6-bit sequence number. */
export const TRANSPORT = { FIN: 0x80, FIR: 0x40, SEQ: 0x3f } as const;

// --- Application layer (clause 4, fragment structure) ----------------------------------------------------------------

/** Application control octet (clause 4): FIR, FIN, CON, UNS and a 4-bit sequence number. */
export const APP_CONTROL = { FIR: 0x80, FIN: 0x40, CON: 0x20, UNS: 0x10, SEQ: 0x0f } as const;

/**
 * Application function codes (clause 4, function codes). 0x21 is AUTH_REQ_NO_ACK in 1815-2012; Zeek's base
 * table calls it AUTHENTICATE_ERR and ICSNPP's AUTHENTICATE_REQ_NR, both older names.
 */
export const FUNCTION_CODES = {
  CONFIRM: 0x00,
  READ: 0x01,
  WRITE: 0x02,
  SELECT: 0x03,
  OPERATE: 0x04,
  DIRECT_OPERATE: 0x05,
  DIRECT_OPERATE_NR: 0x06,
  IMMED_FREEZE: 0x07,
  IMMED_FREEZE_NR: 0x08,
  FREEZE_CLEAR: 0x09,
  FREEZE_CLEAR_NR: 0x0a,
  FREEZE_AT_TIME: 0x0b,
  FREEZE_AT_TIME_NR: 0x0c,
  COLD_RESTART: 0x0d,
  WARM_RESTART: 0x0e,
  INITIALIZE_DATA: 0x0f, // obsolete
  INITIALIZE_APPL: 0x10,
  START_APPL: 0x11,
  STOP_APPL: 0x12,
  SAVE_CONFIG: 0x13, // deprecated
  ENABLE_UNSOLICITED: 0x14,
  DISABLE_UNSOLICITED: 0x15,
  ASSIGN_CLASS: 0x16,
  DELAY_MEASURE: 0x17,
  RECORD_CURRENT_TIME: 0x18,
  OPEN_FILE: 0x19,
  CLOSE_FILE: 0x1a,
  DELETE_FILE: 0x1b,
  GET_FILE_INFO: 0x1c,
  AUTHENTICATE_FILE: 0x1d,
  ABORT_FILE: 0x1e,
  ACTIVATE_CONFIG: 0x1f,
  AUTHENTICATE_REQ: 0x20,
  AUTH_REQ_NO_ACK: 0x21,
  RESPONSE: 0x81,
  UNSOLICITED_RESPONSE: 0x82,
  AUTHENTICATE_RESP: 0x83,
} as const;

export type FunctionName = keyof typeof FUNCTION_CODES;

/** Function codes from 0x80 up are sent by outstations and carry IIN (clause 4). */
export const RESPONSE_FUNCTION_MIN = 0x80;

/**
 * What each function does, in Zoneward's words. Restarts, application start/stop, unsolicited
 * reporting switches and freezes change the device's state (`control`), as select/operate do.
 * Responses take the operation of the request they answer (dissector.ts); an unsolicited response
 * reports process data the way a read response does.
 */
export const FUNCTION_OPERATIONS = {
  CONFIRM: 'other',
  READ: 'read',
  WRITE: 'write',
  SELECT: 'control',
  OPERATE: 'control',
  DIRECT_OPERATE: 'control',
  DIRECT_OPERATE_NR: 'control',
  IMMED_FREEZE: 'control',
  IMMED_FREEZE_NR: 'control',
  FREEZE_CLEAR: 'control',
  FREEZE_CLEAR_NR: 'control',
  FREEZE_AT_TIME: 'control',
  FREEZE_AT_TIME_NR: 'control',
  COLD_RESTART: 'control',
  WARM_RESTART: 'control',
  INITIALIZE_DATA: 'control',
  INITIALIZE_APPL: 'control',
  START_APPL: 'control',
  STOP_APPL: 'control',
  // Stores the configuration; ACTIVATE_CONFIG puts a downloaded one into service: both change what
  // the device runs, as a program download does.
  SAVE_CONFIG: 'program',
  ENABLE_UNSOLICITED: 'control',
  DISABLE_UNSOLICITED: 'control',
  // Changes which event class points report in: configuration, written.
  ASSIGN_CLASS: 'write',
  DELAY_MEASURE: 'diagnostic',
  RECORD_CURRENT_TIME: 'diagnostic',
  OPEN_FILE: 'file',
  CLOSE_FILE: 'file',
  DELETE_FILE: 'file',
  GET_FILE_INFO: 'file',
  // Exchanges a user name and password for a file authentication key (g70v2).
  AUTHENTICATE_FILE: 'auth',
  ABORT_FILE: 'file',
  ACTIVATE_CONFIG: 'program',
  AUTHENTICATE_REQ: 'auth',
  AUTH_REQ_NO_ACK: 'auth',
  RESPONSE: 'other',
  UNSOLICITED_RESPONSE: 'read',
  AUTHENTICATE_RESP: 'auth',
} as const satisfies Record<FunctionName, Operation>;

/** Requests that get no application response (clause 4: the _NR codes, AUTH_REQ_NO_ACK, CONFIRM). */
export const NO_RESPONSE_FUNCTIONS: readonly FunctionName[] = [
  'CONFIRM',
  'DIRECT_OPERATE_NR',
  'IMMED_FREEZE_NR',
  'FREEZE_CLEAR_NR',
  'FREEZE_AT_TIME_NR',
  'AUTH_REQ_NO_ACK',
];

/**
 * Requests whose object headers carry no object data (clause 4: READ names what to read; freezes,
 * class assignment and the unsolicited switches name points or classes only). Every other request
 * carries data after each header (WRITE, SELECT/OPERATE, file and authentication objects).
 */
export const HEADERS_ONLY_FUNCTIONS: readonly FunctionName[] = [
  'READ',
  'IMMED_FREEZE',
  'IMMED_FREEZE_NR',
  'FREEZE_CLEAR',
  'FREEZE_CLEAR_NR',
  'ENABLE_UNSOLICITED',
  'DISABLE_UNSOLICITED',
  'ASSIGN_CLASS',
];

/** Internal indication bits, first octet (IIN1) then second (IIN2), bit 0 first (clause 4, internal indications). */
export const IIN1_BITS = [
  'BROADCAST',
  'CLASS_1_EVENTS',
  'CLASS_2_EVENTS',
  'CLASS_3_EVENTS',
  'NEED_TIME',
  'LOCAL_CONTROL',
  'DEVICE_TROUBLE',
  'DEVICE_RESTART',
] as const;
export const IIN2_BITS = [
  'NO_FUNC_CODE_SUPPORT',
  'OBJECT_UNKNOWN',
  'PARAMETER_ERROR',
  'EVENT_BUFFER_OVERFLOW',
  'ALREADY_EXECUTING',
  'CONFIG_CORRUPT',
  'RESERVED_2',
  'RESERVED_1',
] as const;

/**
 * IIN2 bits that say the outstation refused or could not parse the request, most specific first:
 * the first one set becomes `dnp3.error`. EVENT_BUFFER_OVERFLOW is a condition, not a refusal.
 */
export const IIN2_ERROR_BITS = [0, 1, 2, 4, 5] as const;

/** Object prefix codes, bits 6-4 of the qualifier (clause 4, object prefix code). */
export const PREFIX_CODES = {
  NONE: 0,
  INDEX_1: 1,
  INDEX_2: 2,
  INDEX_4: 3,
  SIZE_1: 4,
  SIZE_2: 5,
  SIZE_4: 6,
} as const;

/** Range specifier codes, bits 3-0 of the qualifier (clause 4, range specifier code). */
export const RANGE_CODES = {
  START_STOP_1: 0x0,
  START_STOP_2: 0x1,
  START_STOP_4: 0x2,
  VIRTUAL_START_STOP_1: 0x3, // obsolete
  VIRTUAL_START_STOP_2: 0x4, // obsolete
  VIRTUAL_START_STOP_4: 0x5, // obsolete
  ALL_OBJECTS: 0x6,
  COUNT_1: 0x7,
  COUNT_2: 0x8,
  COUNT_4: 0x9,
  FREE_FORMAT_COUNT_1: 0xb,
} as const;

// --- Object library (data object library) --------------------------------------------------------------------

/**
 * How the data of one object of a group/variation is laid out, as the parser needs it to step
 * over objects to the next header. Positive: a fixed size in octets. The negative codes:
 */
export const SIZE = {
  /** Not in the tables: the parser cannot step over it. */
  UNKNOWN: 0,
  /** One bit per point, packed (object library, "packed format"): octets = ceil(count / 8). */
  PACKED_1: -1,
  /** Two bits per point, packed (double-bit binary input): octets = ceil(count / 4). */
  PACKED_2: -2,
  /** The variation is the size in octets (octet strings g110/g111, virtual terminal g112/g113). */
  BY_VARIATION: -3,
  /** Device attribute (g0): data type, length and value octets, self-describing (object library, group 0). */
  ATTRIBUTE: -4,
  /** Carries no data in any function (class data g60). */
  NONE: -5,
} as const;

/**
 * Fixed object sizes by group, variation 1 first (index 0 is variation 1). Counts: flag 1, value
 * 4 or 2; DNP3 time 6; relative time 2; floats 4 and 8. Object library, per group.
 */
const FIXED_SIZES: Readonly<Record<number, readonly number[]>> = {
  1: [SIZE.PACKED_1, 1], // binary input: packed, with flags
  2: [1, 7, 3], // binary input event: without time, absolute time, relative time
  3: [SIZE.PACKED_2, 1], // double-bit binary input
  4: [1, 7, 3], // double-bit binary input event
  10: [SIZE.PACKED_1, 1], // binary output
  11: [1, 7], // binary output event
  12: [11, 11, SIZE.PACKED_1], // CROB, pattern control block, pattern mask
  13: [1, 7], // binary output command event
  20: [5, 3, 5, 3, 4, 2, 4, 2], // counter: 32/16 with flag, delta (obsolete), without flag
  21: [5, 3, 5, 3, 11, 9, 11, 9, 4, 2, 4, 2], // frozen counter
  22: [5, 3, 5, 3, 11, 9, 11, 9], // counter event
  23: [5, 3, 5, 3, 11, 9, 11, 9], // frozen counter event
  30: [5, 3, 4, 2, 5, 9], // analog input
  31: [5, 3, 11, 9, 4, 2, 5, 9], // frozen analog input
  32: [5, 3, 11, 9, 5, 9, 11, 15], // analog input event
  33: [5, 3, 11, 9, 5, 9, 11, 15], // frozen analog input event
  34: [2, 4, 4], // analog input deadband
  40: [5, 3, 5, 9], // analog output status
  41: [5, 3, 5, 9], // analog output block: value and control status
  42: [5, 3, 11, 9, 5, 9, 11, 15], // analog output event
  43: [5, 3, 11, 9, 5, 9, 11, 15], // analog output command event
  50: [6, 10, 6, 11], // time and date: absolute, with interval, last recorded, indexed
  51: [6, 6], // common time of occurrence
  52: [2, 2], // time delay coarse, fine
  60: [SIZE.NONE, SIZE.NONE, SIZE.NONE, SIZE.NONE], // class 0-3 data
  80: [SIZE.PACKED_1], // internal indications
  101: [2, 4, 8], // binary-coded decimal: small, medium, large
  102: [1], // unsigned 8-bit integer
  // Secure authentication (clause 7; object library, group 120): variations 3 and 4 are fixed; the others travel with a size
  // prefix (qualifier 0x5B) and are sized by it.
  120: [0, 0, 6, 2],
  121: [7], // security statistic
  122: [7, 13], // security statistic event
};

/** Groups whose variation is the object size in octets (object library, groups 110-113). */
export const SIZED_BY_VARIATION_GROUPS: readonly number[] = [110, 111, 112, 113];

/** Group numbers with meaning of their own. */
export const GROUPS = {
  DEVICE_ATTRIBUTES: 0,
  BINARY_COMMAND: 12,
  ANALOG_OUTPUT: 41,
  TIME_AND_DATE: 50,
  CLASS_DATA: 60,
  FILE: 70,
  INTERNAL_INDICATIONS: 80,
} as const;

// --- Controls: CROB (g12v1, object library group 12) and analog output block (g41) ---------------

/** Operation type, bits 3-0 of the CROB control code. */
export const CROB_OP_TYPES = ['NUL', 'PULSE_ON', 'PULSE_OFF', 'LATCH_ON', 'LATCH_OFF'] as const;
/** Trip-close code, bits 7-6 of the CROB control code. */
export const CROB_TCC = ['NUL', 'CLOSE', 'TRIP', 'RESERVED'] as const;
/** Control code bit 5: clear the queue (CR); bit 4 (QU, queue) is obsolete. */
export const CROB_CLEAR_BIT = 0x20;

/** Control status codes (object library, group 12: control status codes): CROB and analog output status octet. */
export const COMMAND_STATUS = {
  SUCCESS: 0,
  TIMEOUT: 1,
  NO_SELECT: 2,
  FORMAT_ERROR: 3,
  NOT_SUPPORTED: 4,
  ALREADY_ACTIVE: 5,
  HARDWARE_ERROR: 6,
  LOCAL: 7,
  TOO_MANY_OPS: 8,
  NOT_AUTHORIZED: 9,
  AUTOMATION_INHIBIT: 10,
  PROCESSING_LIMITED: 11,
  OUT_OF_RANGE: 12,
  DOWNSTREAM_LOCAL: 13,
  ALREADY_COMPLETE: 14,
  BLOCKED: 15,
  CANCELLED: 16,
  BLOCKED_OTHER_MASTER: 17,
  DOWNSTREAM_FAIL: 18,
  NON_PARTICIPATING: 126,
  UNDEFINED: 127,
} as const;

// --- Files (group 70, object library: file-control) ------------------------------------------------------

/** Group 70 variations. */
export const FILE_VARIATIONS = {
  FILE_IDENTIFIER: 1, // obsolete
  AUTHENTICATION: 2,
  FILE_COMMAND: 3,
  FILE_COMMAND_STATUS: 4,
  FILE_TRANSPORT: 5,
  FILE_TRANSPORT_STATUS: 6,
  FILE_DESCRIPTOR: 7,
  FILE_SPECIFICATION_STRING: 8,
} as const;

/** Operational mode of a g70v3 file command. */
export const FILE_MODES = ['NULL', 'READ', 'WRITE', 'APPEND'] as const;

/** File status codes of g70v4 and g70v6. */
export const FILE_STATUS = {
  SUCCESS: 0,
  PERMISSION_DENIED: 1,
  INVALID_MODE: 2,
  FILE_NOT_FOUND: 3,
  FILE_LOCKED: 4,
  TOO_MANY_OPEN: 5,
  INVALID_HANDLE: 6,
  WRITE_BLOCK_SIZE: 7,
  COMM_LOST: 8,
  CANNOT_ABORT: 9,
  NOT_OPENED: 16,
  HANDLE_EXPIRED: 17,
  BUFFER_OVERRUN: 18,
  FATAL: 19,
  BLOCK_SEQ: 20,
  UNDEFINED: 255,
} as const;

/** Fixed parts before the strings of the variable file objects (object library, group 70). */
export const FILE_LAYOUT = {
  /** g70v2: user name offset, size, password offset, size (2 each), authentication key (4). */
  AUTHENTICATION_HEADER: 12,
  /** g70v3: name offset, size, time of creation (6), permissions, key (4), size (4), mode, block size, request id. */
  FILE_COMMAND_HEADER: 26,
  /** g70v4: handle (4), size (4), max block size, request id, status (1). */
  FILE_COMMAND_STATUS_HEADER: 13,
  /** g70v5 and g70v6: handle (4), block number (4, bit 31 marks the last block). */
  FILE_TRANSPORT_HEADER: 8,
  /** g70v7: name offset, size, file type, file size (4), time of creation (6), permissions, request id. */
  FILE_DESCRIPTOR_HEADER: 20,
  /** Bit 31 of a block number: this is the last block. */
  LAST_BLOCK: 0x80000000,
} as const;

// --- Device attributes (group 0, object library) -----------------------------------------------------------

/** Data type codes of an attribute value. */
export const ATTRIBUTE_TYPES = {
  VSTR: 1, // visible string
  UINT: 2,
  INT: 3,
  FLT: 4,
  OSTR: 5, // octet string
  BSTR: 6, // bit string
  TIME: 7,
  U8BS8LIST: 254,
  U8BS8EXLIST: 255,
} as const;

/**
 * The device attribute variations that say who the device is, with the identity part
 * (device.ts) each fills. 245 (location) and 246 (user-assigned id) have no identity part;
 * they become `dnp3.attr.location` and `dnp3.attr.user_id`.
 */
export const DEVICE_ATTRIBUTES = {
  242: { name: 'DEVICE_MANUFACTURER_SOFTWARE_VERSION', part: 'firmware' },
  243: { name: 'DEVICE_MANUFACTURER_HARDWARE_VERSION', part: 'hardware' },
  245: { name: 'USER_ASSIGNED_LOCATION', part: null },
  246: { name: 'USER_ASSIGNED_ID', part: null },
  247: { name: 'USER_ASSIGNED_DEVICE_NAME', part: 'name' },
  248: { name: 'DEVICE_SERIAL_NUMBER', part: 'serial' },
  250: { name: 'PRODUCT_NAME_AND_MODEL', part: 'model' },
  252: { name: 'DEVICE_MANUFACTURER_NAME', part: 'vendor' },
} as const;

/** g0 variations a master reads to get every attribute (254) or the list of them (255). */
export const ALL_ATTRIBUTES_VARIATION = 254;
export const ATTRIBUTE_LIST_VARIATION = 255;

// --- Lookup arrays, built once ---------------------------------------------------------------

function buildNames(table: Record<string, number>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

/** Application function code byte -> name. */
export const FUNCTION_NAME_BY_CODE: readonly string[] = buildNames(FUNCTION_CODES, 256);

/** Application function code byte -> operation; unnamed codes are `other`. */
export const OPERATION_BY_CODE: readonly Operation[] = (() => {
  const ops = new Array<Operation>(256).fill('other');
  for (const [name, op] of Object.entries(FUNCTION_OPERATIONS))
    ops[FUNCTION_CODES[name as FunctionName]] = op;
  return ops;
})();

function flagsByCode(names: readonly FunctionName[]): readonly boolean[] {
  const out = new Array<boolean>(256).fill(false);
  for (const n of names) out[FUNCTION_CODES[n]] = true;
  return out;
}

/** Function code byte -> the request expects no response. */
export const NO_RESPONSE_BY_CODE = flagsByCode(NO_RESPONSE_FUNCTIONS);
/** Function code byte -> the request's object headers carry no data. */
export const HEADERS_ONLY_BY_CODE = flagsByCode(HEADERS_ONLY_FUNCTIONS);
/** Function code byte -> named by the specification (the probe's evidence). */
export const NAMED_FUNCTION_BY_CODE: readonly boolean[] = (() => {
  const out = new Array<boolean>(256).fill(false);
  for (const code of Object.values(FUNCTION_CODES)) out[code] = true;
  return out;
})();

/** Link control octet's low six bits (PRM and function) -> link function name. */
export const LINK_FUNCTION_NAME: readonly string[] = (() => {
  const names: string[] = [];
  for (let i = 0; i < 32; i++) names.push(unknownName(i & LINK_CONTROL.FUNCTION));
  const prm = (LINK_CONTROL.PRM >> 2) & 0x10; // index bit 4 = PRM
  for (const [n, c] of Object.entries(LINK_SECONDARY_FUNCTIONS)) names[c] = n;
  for (const [n, c] of Object.entries(LINK_PRIMARY_FUNCTIONS)) names[prm | c] = n;
  return names;
})();

/** Index into LINK_FUNCTION_NAME for a control octet: PRM as bit 4, the function below it. */
export function linkFunctionIndex(control: number): number {
  return ((control & LINK_CONTROL.PRM) >> 2) | (control & LINK_CONTROL.FUNCTION);
}

/** The 256 IIN1 or IIN2 values -> the names of the bits set, built once (no per-message array). */
function iinNames(bits: readonly string[]): readonly (readonly string[])[] {
  const out: string[][] = [];
  for (let v = 0; v < 256; v++) {
    const names: string[] = [];
    for (let b = 0; b < 8; b++) if (v & (1 << b)) names.push(bits[b]);
    out.push(names);
  }
  return out;
}
export const IIN1_NAMES = iinNames(IIN1_BITS);
export const IIN2_NAMES = iinNames(IIN2_BITS);

/** Both IIN octets -> one name list, IIN1 bits first. Shared, frozen arrays; built on first use. */
const IIN_CACHE: (readonly string[] | undefined)[] = new Array(65536);
export function iinFlagNames(iin1: number, iin2: number): readonly string[] {
  const key = (iin1 << 8) | iin2;
  let names = IIN_CACHE[key];
  if (names === undefined) {
    names = Object.freeze([...IIN1_NAMES[iin1], ...IIN2_NAMES[iin2]]);
    IIN_CACHE[key] = names;
  }
  return names;
}

/** IIN2 value -> `dnp3.error` (the first refusal bit set) or null. */
export const IIN2_ERROR: readonly (string | null)[] = (() => {
  const out: (string | null)[] = [];
  for (let v = 0; v < 256; v++) {
    const bit = IIN2_ERROR_BITS.find((b) => (v & (1 << b)) !== 0);
    out.push(bit === undefined ? null : IIN2_BITS[bit]);
  }
  return out;
})();

/** group * 256 + variation -> SIZE code or fixed octets. */
export const OBJECT_SIZE: Int16Array = (() => {
  const sizes = new Int16Array(65536);
  for (const [group, list] of Object.entries(FIXED_SIZES)) {
    list.forEach((size, i) => {
      sizes[Number(group) * 256 + i + 1] = size;
    });
  }
  for (const g of SIZED_BY_VARIATION_GROUPS)
    for (let v = 1; v < 256; v++) sizes[g * 256 + v] = SIZE.BY_VARIATION;
  for (let v = 1; v < 256; v++) sizes[GROUPS.DEVICE_ATTRIBUTES * 256 + v] = SIZE.ATTRIBUTE;
  return sizes;
})();

/** `g<group>v<variation>` labels, made on first use and kept (at most 65536 short strings). */
const LABELS: (string | undefined)[] = new Array(65536);
export function objectLabel(group: number, variation: number): string {
  const key = group * 256 + variation;
  let label = LABELS[key];
  if (label === undefined) {
    label = `g${group}v${variation}`;
    LABELS[key] = label;
  }
  return label;
}

/** CROB control code -> names, indexed by the code's bits. */
export const CROB_OP_TYPE_NAME: readonly string[] = (() => {
  const out: string[] = [];
  for (let i = 0; i < 16; i++) out.push(CROB_OP_TYPES[i] ?? unknownName(i));
  return out;
})();

/** Command status octet -> name (bit 7 is reserved; the status is bits 6-0). */
export const COMMAND_STATUS_NAME: readonly string[] = buildNames(COMMAND_STATUS, 128);

/** File status octet -> name. */
export const FILE_STATUS_NAME: readonly string[] = buildNames(FILE_STATUS, 256);

/** File mode -> name (NULL, READ, WRITE, APPEND; others UNKNOWN-<n>). */
export function fileModeName(mode: number): string {
  return FILE_MODES[mode] ?? unknownName(mode);
}
