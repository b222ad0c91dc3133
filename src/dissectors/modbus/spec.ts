// Modbus code tables: function codes, diagnostic sub-functions, exception codes, MEI types and
// device identification objects, with the names Zeek and CISA ICSNPP print (DESIGN.md "Names"),
// plus what each function means in Zoneward's operation vocabulary and which data model table
// (address space) it touches. Everything the parser and dissector print comes from here; the
// lookup arrays at the bottom are built once at load so the per-message path never concatenates.
//
// Sources: MODBUS Application Protocol Specification V1.1b3 (2012), §5.1 (public function codes),
// §4.3 (data model), §6 (one section per function), §7 (exception codes). Where Zeek's names
// predate V1.1b3's wording (REPORT_SLAVE_ID, SLAVE_DEVICE_FAILURE) Zeek's are kept, so events
// line up with Zeek and ICSNPP logs of the same traffic.

import type { Operation } from '../operations.ts';

/** Public function codes (§5.1, table "Public Function Code Definition"). */
export const FUNCTION_CODES = {
  READ_COILS: 0x01, // §6.1
  READ_DISCRETE_INPUTS: 0x02, // §6.2
  READ_HOLDING_REGISTERS: 0x03, // §6.3
  READ_INPUT_REGISTERS: 0x04, // §6.4
  WRITE_SINGLE_COIL: 0x05, // §6.5
  WRITE_SINGLE_REGISTER: 0x06, // §6.6
  READ_EXCEPTION_STATUS: 0x07, // §6.7, serial line only
  DIAGNOSTICS: 0x08, // §6.8, serial line only
  GET_COMM_EVENT_COUNTER: 0x0b, // §6.9, serial line only
  GET_COMM_EVENT_LOG: 0x0c, // §6.10, serial line only
  WRITE_MULTIPLE_COILS: 0x0f, // §6.11
  WRITE_MULTIPLE_REGISTERS: 0x10, // §6.12
  REPORT_SLAVE_ID: 0x11, // §6.13 "Report Server ID", serial line only
  READ_FILE_RECORD: 0x14, // §6.14
  WRITE_FILE_RECORD: 0x15, // §6.15
  MASK_WRITE_REGISTER: 0x16, // §6.16
  READ_WRITE_MULTIPLE_REGISTERS: 0x17, // §6.17
  READ_FIFO_QUEUE: 0x18, // §6.18
  ENCAP_INTERFACE_TRANSPORT: 0x2b, // §6.19-6.21
} as const;

/**
 * Codes outside the public specification that Zeek names: legacy Modicon programming and polling
 * functions and vendor extensions (0x5A is Schneider's UMAS). They are not parsed (their payload
 * is vendor-defined) but naming them keeps `program` traffic visible instead of `UNKNOWN-90`.
 */
export const VENDOR_FUNCTION_CODES = {
  PROGRAM_484: 0x09,
  POLL_484: 0x0a,
  PROGRAM_584_984: 0x0d,
  POLL_584_984: 0x0e,
  PROGRAM_884_U84: 0x12,
  RESET_COMM_LINK_884_U84: 0x13,
  PROGRAM_CONCEPT: 0x28,
  MULTIPLE_FUNCTION_CODES: 0x29,
  PROGRAM_UNITY: 0x5a,
  OBJECT_MESSAGING: 0x5b,
  FIRMWARE_REPLACEMENT: 0x7d,
  PROGRAM_584_984_2: 0x7e,
  REPORT_LOCAL_ADDRESS: 0x7f,
} as const;

export type FunctionName = keyof typeof FUNCTION_CODES | keyof typeof VENDOR_FUNCTION_CODES;

/** Sub-function codes of DIAGNOSTICS (§6.8.1); 0x05-0x09, 0x13 and above 0x14 are reserved. */
export const DIAGNOSTIC_SUBFUNCTIONS = {
  RETURN_QUERY_DATA: 0x00,
  RESTART_COMMUNICATIONS_OPTION: 0x01,
  RETURN_DIAGNOSTIC_REGISTER: 0x02,
  CHANGE_ASCII_INPUT_DELIMITER: 0x03,
  FORCE_LISTEN_ONLY_MODE: 0x04,
  CLEAR_COUNTERS_AND_DIAGNOSTIC_REGISTER: 0x0a,
  RETURN_BUS_MESSAGE_COUNT: 0x0b,
  RETURN_BUS_COMMUNICATION_ERROR_COUNT: 0x0c,
  RETURN_BUS_EXCEPTION_ERROR_COUNT: 0x0d,
  RETURN_SERVER_MESSAGE_COUNT: 0x0e,
  RETURN_SERVER_NO_RESPONSE_COUNT: 0x0f,
  RETURN_SERVER_NAK_COUNT: 0x10,
  RETURN_SERVER_BUSY_COUNT: 0x11,
  RETURN_BUS_CHARACTER_OVERRUN_COUNT: 0x12,
  CLEAR_OVERRUN_COUNTER_AND_FLAG: 0x14,
} as const;

/** Exception codes (§7, table "MODBUS Exception Codes"), Zeek's spelling. */
export const EXCEPTION_CODES = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SLAVE_DEVICE_FAILURE: 0x04, // V1.1b3: SERVER DEVICE FAILURE
  ACKNOWLEDGE: 0x05,
  SLAVE_DEVICE_BUSY: 0x06, // V1.1b3: SERVER DEVICE BUSY
  MEMORY_PARITY_ERROR: 0x08,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND: 0x0b,
} as const;

/** MEI types carried by ENCAP_INTERFACE_TRANSPORT (§6.19; 13 is §6.20, 14 is §6.21). */
export const MEI_TYPES = {
  CANOPEN_GENERAL_REFERENCE: 0x0d,
  READ_DEVICE_IDENTIFICATION: 0x0e,
} as const;

/** Read Device ID codes of a READ_DEVICE_IDENTIFICATION request (§6.21). */
export const READ_DEVICE_ID_CODES = {
  BASIC: 0x01, // stream access to objects 0x00-0x02
  REGULAR: 0x02, // stream access to objects 0x00-0x06 (and 0x07-0x7F)
  EXTENDED: 0x03, // stream access including private objects 0x80-0xFF
  SPECIFIC: 0x04, // one object, individual access
} as const;

/** Conformity levels a server may answer with (§6.21: 0x01-0x03 stream only, 0x81-0x83 with individual access). */
export const CONFORMITY_LEVELS = {
  BASIC_STREAM: 0x01,
  REGULAR_STREAM: 0x02,
  EXTENDED_STREAM: 0x03,
  BASIC_STREAM_AND_INDIVIDUAL: 0x81,
  REGULAR_STREAM_AND_INDIVIDUAL: 0x82,
  EXTENDED_STREAM_AND_INDIVIDUAL: 0x83,
} as const;

/** "More Follows" of a device identification response (§6.21): 0x00 no, 0xFF yes. */
export const MORE_FOLLOWS = { NO: 0x00, YES: 0xff } as const;

/** Basic and regular device identification objects (§6.21, object id table), the spec's names. */
export const DEVICE_ID_OBJECTS = {
  VendorName: 0x00,
  ProductCode: 0x01,
  MajorMinorRevision: 0x02,
  VendorUrl: 0x03,
  ProductName: 0x04,
  ModelName: 0x05,
  UserApplicationName: 0x06,
} as const;

/** The event field that carries each device identification object, indexed by object id. */
export const DEVICE_ID_FIELDS = [
  'modbus.device_id.vendor_name',
  'modbus.device_id.product_code',
  'modbus.device_id.revision',
  'modbus.device_id.vendor_url',
  'modbus.device_id.product_name',
  'modbus.device_id.model_name',
  'modbus.device_id.user_application_name',
] as const;

export { OPERATIONS, type Operation } from '../operations.ts';

/**
 * Operation of each function. DIAGNOSTICS and ENCAP_INTERFACE_TRANSPORT are refined per message
 * (DIAGNOSTIC_SUBFUNCTION_OPERATIONS, MEI_OPERATIONS). File record functions read and write
 * registers inside files (§6.14, §6.15), so they count as reads and writes of that data.
 */
export const FUNCTION_OPERATIONS = {
  READ_COILS: 'read',
  READ_DISCRETE_INPUTS: 'read',
  READ_HOLDING_REGISTERS: 'read',
  READ_INPUT_REGISTERS: 'read',
  WRITE_SINGLE_COIL: 'write',
  WRITE_SINGLE_REGISTER: 'write',
  READ_EXCEPTION_STATUS: 'diagnostic',
  DIAGNOSTICS: 'diagnostic',
  GET_COMM_EVENT_COUNTER: 'diagnostic',
  GET_COMM_EVENT_LOG: 'diagnostic',
  WRITE_MULTIPLE_COILS: 'write',
  WRITE_MULTIPLE_REGISTERS: 'write',
  REPORT_SLAVE_ID: 'discovery',
  READ_FILE_RECORD: 'read',
  WRITE_FILE_RECORD: 'write',
  MASK_WRITE_REGISTER: 'write',
  // It writes before it reads (§6.17: "the write operation is performed before the read"): the
  // write is what changes the process, so it is classified by that.
  READ_WRITE_MULTIPLE_REGISTERS: 'write',
  READ_FIFO_QUEUE: 'read',
  ENCAP_INTERFACE_TRANSPORT: 'other',
  PROGRAM_484: 'program',
  POLL_484: 'program',
  PROGRAM_584_984: 'program',
  POLL_584_984: 'program',
  PROGRAM_884_U84: 'program',
  RESET_COMM_LINK_884_U84: 'control',
  PROGRAM_CONCEPT: 'program',
  MULTIPLE_FUNCTION_CODES: 'other',
  PROGRAM_UNITY: 'program',
  OBJECT_MESSAGING: 'other',
  FIRMWARE_REPLACEMENT: 'program',
  PROGRAM_584_984_2: 'program',
  REPORT_LOCAL_ADDRESS: 'discovery',
} as const satisfies Record<FunctionName, Operation>;

/**
 * Sub-functions that change the device's communication state rather than report on it: restart
 * (§6.8.1 sub-function 01) and listen-only mode (04, the device stops answering until restarted).
 */
export const DIAGNOSTIC_SUBFUNCTION_OPERATIONS: Partial<
  Record<keyof typeof DIAGNOSTIC_SUBFUNCTIONS, Operation>
> = {
  RESTART_COMMUNICATIONS_OPTION: 'control',
  FORCE_LISTEN_ONLY_MODE: 'control',
};

/** Device identification is discovery; CANopen general reference tunnels arbitrary SDO traffic. */
export const MEI_OPERATIONS = {
  CANOPEN_GENERAL_REFERENCE: 'other',
  READ_DEVICE_IDENTIFICATION: 'discovery',
} as const satisfies Record<keyof typeof MEI_TYPES, Operation>;

/** The four primary tables of the data model (§4.3), plus files (§6.14) and FIFO queues (§6.18). */
export const SPACES = [
  'coil',
  'discrete_input',
  'holding_register',
  'input_register',
  'file_record',
  'fifo',
] as const;
export type Space = (typeof SPACES)[number];

/** Which table a function addresses; functions that address none are absent. */
export const FUNCTION_SPACES = {
  READ_COILS: 'coil',
  READ_DISCRETE_INPUTS: 'discrete_input',
  READ_HOLDING_REGISTERS: 'holding_register',
  READ_INPUT_REGISTERS: 'input_register',
  WRITE_SINGLE_COIL: 'coil',
  WRITE_SINGLE_REGISTER: 'holding_register',
  WRITE_MULTIPLE_COILS: 'coil',
  WRITE_MULTIPLE_REGISTERS: 'holding_register',
  READ_FILE_RECORD: 'file_record',
  WRITE_FILE_RECORD: 'file_record',
  MASK_WRITE_REGISTER: 'holding_register',
  READ_WRITE_MULTIPLE_REGISTERS: 'holding_register',
  READ_FIFO_QUEUE: 'fifo',
} as const satisfies Partial<Record<FunctionName, Space>>;

// Lookup arrays, built once. Indexing an array by a byte is the per-message path.

/** The function code bit that marks an exception response (§7). */
export const EXCEPTION_BIT = 0x80;

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

const ALL_FUNCTION_CODES: Record<FunctionName, number> = { ...FUNCTION_CODES, ...VENDOR_FUNCTION_CODES };

/**
 * Name of a function code byte as it appears on the wire, 0-255. Codes with the exception bit set
 * print as `<FUNC>_EXCEPTION` (Zeek's build_func); for a function no table names that gives
 * `UNKNOWN-<n>_EXCEPTION`, where Zeek prints `unknown-<n|0x80>`: keeping n lets the exception be
 * read next to the `UNKNOWN-<n>` request it answers.
 */
export const FUNCTION_NAME_BY_BYTE: readonly string[] = (() => {
  const names = buildNames(ALL_FUNCTION_CODES, EXCEPTION_BIT);
  for (let i = 0; i < EXCEPTION_BIT; i++) names.push(`${names[i]}_EXCEPTION`);
  return names;
})();

/** Operation of a function code 0-127 (without the exception bit); unnamed codes are `other`. */
export const OPERATION_BY_FUNCTION: readonly Operation[] = (() => {
  const ops: Operation[] = new Array<Operation>(EXCEPTION_BIT).fill('other');
  for (const [name, op] of Object.entries(FUNCTION_OPERATIONS))
    ops[ALL_FUNCTION_CODES[name as FunctionName]] = op;
  return ops;
})();

/** Address space of a function code 0-127, null for functions that address no table. */
export const SPACE_BY_FUNCTION: readonly (Space | null)[] = (() => {
  const spaces: (Space | null)[] = new Array<Space | null>(EXCEPTION_BIT).fill(null);
  for (const [name, space] of Object.entries(FUNCTION_SPACES))
    spaces[ALL_FUNCTION_CODES[name as FunctionName]] = space;
  return spaces;
})();

/** True for every code a table above names: the probe's evidence that a stream speaks Modbus. */
export const NAMED_FUNCTION: readonly boolean[] = (() => {
  const known: boolean[] = new Array<boolean>(EXCEPTION_BIT).fill(false);
  for (const code of Object.values(ALL_FUNCTION_CODES)) known[code] = true;
  return known;
})();

/** Exception code byte -> name. */
export const EXCEPTION_NAME_BY_CODE: readonly string[] = buildNames(EXCEPTION_CODES, 256);

/** MEI type byte -> name. */
export const MEI_NAME_BY_CODE: readonly string[] = buildNames(MEI_TYPES, 256);

/** MEI type byte -> operation. */
export const OPERATION_BY_MEI: readonly Operation[] = (() => {
  const ops: Operation[] = new Array<Operation>(256).fill('other');
  for (const [name, op] of Object.entries(MEI_OPERATIONS))
    ops[MEI_TYPES[name as keyof typeof MEI_TYPES]] = op;
  return ops;
})();

const LAST_DIAGNOSTIC_SUBFUNCTION = DIAGNOSTIC_SUBFUNCTIONS.CLEAR_OVERRUN_COUNTER_AND_FLAG;
const DIAGNOSTIC_NAMES: readonly string[] = buildNames(
  DIAGNOSTIC_SUBFUNCTIONS,
  LAST_DIAGNOSTIC_SUBFUNCTION + 1,
);
const DIAGNOSTIC_OPERATIONS: readonly Operation[] = (() => {
  const ops: Operation[] = new Array<Operation>(LAST_DIAGNOSTIC_SUBFUNCTION + 1).fill('diagnostic');
  for (const [name, op] of Object.entries(DIAGNOSTIC_SUBFUNCTION_OPERATIONS)) {
    ops[DIAGNOSTIC_SUBFUNCTIONS[name as keyof typeof DIAGNOSTIC_SUBFUNCTIONS]] = op;
  }
  return ops;
})();

/** Name of a 16-bit diagnostic sub-function; reserved codes print `UNKNOWN-<n>` (rare, so built on demand). */
export function diagnosticSubfunctionName(code: number): string {
  return code <= LAST_DIAGNOSTIC_SUBFUNCTION ? DIAGNOSTIC_NAMES[code] : unknownName(code);
}

/** Operation of a diagnostic sub-function; reserved codes count as diagnostics. */
export function diagnosticSubfunctionOperation(code: number): Operation {
  return code <= LAST_DIAGNOSTIC_SUBFUNCTION ? DIAGNOSTIC_OPERATIONS[code] : 'diagnostic';
}

// Schneider Electric UMAS, carried in function code 90 (PROGRAM_UNITY). UMAS has no public
// specification: the names and layouts below are those of the public reverse-engineering work,
// cross-checked between sources: "The Unity (UMAS) protocol", parts I-IV (lirasenlared, 2017);
// Kaspersky ICS CERT, "The secrets of Schneider Electric's UMAS protocol" (2022); the Wireshark
// UMAS dissector (packet-umas.c/.h, 2024); Digital Bond's modicon-info.nse; and, for the codes in
// UMAS_EXTENDED_FUNCTION_CODES, the dissector published with "From Pass-the-Hash to Code
// Execution on Schneider Electric M340 PLCs" (Black Hat Europe 2024).
//
// PDU layout (all sources agree): function code 0x5A, one session byte (the "pairing key" a
// reservation hands out, 0x00 outside one), then in a request the UMAS function code and its
// data, in a response a status byte (0xFE success, 0xFD error) and its data. Multi-byte UMAS
// fields are little-endian, unlike Modbus.
//
// "Upload" and "download" are named from the sources' tables, which disagree on the direction
// each word means; both families change or copy the PLC's program and are classified `program`.

/** UMAS function codes named by every source above. */
export const UMAS_FUNCTION_CODES = {
  INIT_COMM: 0x01,
  READ_ID: 0x02,
  READ_PROJECT_INFO: 0x03,
  READ_PLC_INFO: 0x04,
  READ_CARD_INFO: 0x06,
  REPEAT: 0x0a,
  TAKE_PLC_RESERVATION: 0x10,
  RELEASE_PLC_RESERVATION: 0x11,
  KEEP_ALIVE: 0x12,
  READ_MEMORY_BLOCK: 0x20,
  READ_VARIABLES: 0x22,
  WRITE_VARIABLES: 0x23,
  READ_COILS_REGISTERS: 0x24,
  WRITE_COILS_REGISTERS: 0x25,
  DATA_DICTIONARY: 0x26, // Wireshark's packet-umas.h; not in the 2017 tables
  INITIALIZE_UPLOAD: 0x30,
  UPLOAD_BLOCK: 0x31,
  END_STRATEGY_UPLOAD: 0x32,
  INITIALIZE_DOWNLOAD: 0x33,
  DOWNLOAD_BLOCK: 0x34,
  END_STRATEGY_DOWNLOAD: 0x35,
  READ_ETH_MASTER_DATA: 0x39,
  START_PLC: 0x40,
  STOP_PLC: 0x41,
  MONITOR_PLC: 0x50,
  CHECK_PLC: 0x58,
  READ_IO_OBJECT: 0x70,
  WRITE_IO_OBJECT: 0x71,
  GET_STATUS_MODULE: 0x73,
} as const;

/**
 * Codes only the Black Hat Europe 2024 dissector names (one source, so recognised by name and
 * classified, never decoded). 0x38 wraps a signed request: a magic byte, a 32-byte signature, and
 * then a whole UMAS request (0x5A, session, function, data), which the parser unwraps.
 */
export const UMAS_EXTENDED_FUNCTION_CODES = {
  READ_LOADER_INFO: 0x05,
  READ_BLOCK_INFO: 0x07,
  WRITE_MEMORY_BLOCK: 0x21,
  DATA_DICTIONARY_PRELOAD: 0x27,
  READ_PHYSICAL_ADDRESS: 0x28,
  WRITE_PHYSICAL_ADDRESS: 0x29,
  BROWSE_EVENTS: 0x2a,
  UMAS_BACKUP: 0x36,
  PRELOAD_BLOCKS: 0x37,
  UMAS_RESERVED: 0x38,
  INIT_PLC: 0x42,
  SWAP: 0x43,
  GET_AUTO_MODIF: 0x51,
  GET_FORCED_BITS: 0x52,
  GET_SELECTED_BLOCKS: 0x53,
  BKPT_SET: 0x60,
  BKPT_DEL: 0x61,
  STEP_OVER: 0x62,
  STEP_IN: 0x63,
  STEP_OUT: 0x64,
  GET_CALL_STACK: 0x65,
  CHECK_DEBUG_ALLOWED: 0x66,
  PROCESS_MSG: 0x6c,
  PRIVATE: 0x6d,
  RESERVATION_NONCES: 0x6e,
  READ_RACK: 0x72,
  READ_DEVICE_DATA: 0x74,
} as const;

export type UmasFunctionName = keyof typeof UMAS_FUNCTION_CODES | keyof typeof UMAS_EXTENDED_FUNCTION_CODES;

/** The status byte that opens every UMAS response (packet-umas.h RESPONSE_OK / RESPONSE_ERROR). */
export const UMAS_STATUS_CODES = {
  OK: 0xfe,
  ERROR: 0xfd,
} as const;

/**
 * Operation of each UMAS function. Identity reads (READ_ID, READ_PLC_INFO, project and card
 * information) are discovery, as are INIT_COMM (its answer carries the firmware version and frame
 * size every client asks for first) and READ_RACK. The reservation, which makes one client the
 * PLC's owner, is auth. Program transfer in either direction and block swaps are program; run
 * state and debugger stepping are control.
 */
export const UMAS_FUNCTION_OPERATIONS = {
  INIT_COMM: 'discovery',
  READ_ID: 'discovery',
  READ_PROJECT_INFO: 'discovery',
  READ_PLC_INFO: 'discovery',
  READ_CARD_INFO: 'discovery',
  REPEAT: 'diagnostic',
  TAKE_PLC_RESERVATION: 'auth',
  RELEASE_PLC_RESERVATION: 'auth',
  KEEP_ALIVE: 'diagnostic',
  READ_MEMORY_BLOCK: 'read',
  READ_VARIABLES: 'read',
  WRITE_VARIABLES: 'write',
  READ_COILS_REGISTERS: 'read',
  WRITE_COILS_REGISTERS: 'write',
  DATA_DICTIONARY: 'read',
  INITIALIZE_UPLOAD: 'program',
  UPLOAD_BLOCK: 'program',
  END_STRATEGY_UPLOAD: 'program',
  INITIALIZE_DOWNLOAD: 'program',
  DOWNLOAD_BLOCK: 'program',
  END_STRATEGY_DOWNLOAD: 'program',
  READ_ETH_MASTER_DATA: 'read',
  START_PLC: 'control',
  STOP_PLC: 'control',
  MONITOR_PLC: 'diagnostic',
  CHECK_PLC: 'diagnostic',
  READ_IO_OBJECT: 'read',
  WRITE_IO_OBJECT: 'write',
  GET_STATUS_MODULE: 'diagnostic',
  READ_LOADER_INFO: 'discovery',
  READ_BLOCK_INFO: 'read',
  WRITE_MEMORY_BLOCK: 'write',
  DATA_DICTIONARY_PRELOAD: 'read',
  READ_PHYSICAL_ADDRESS: 'read',
  WRITE_PHYSICAL_ADDRESS: 'write',
  BROWSE_EVENTS: 'diagnostic',
  UMAS_BACKUP: 'program',
  PRELOAD_BLOCKS: 'program',
  UMAS_RESERVED: 'other',
  INIT_PLC: 'control',
  SWAP: 'program',
  GET_AUTO_MODIF: 'diagnostic',
  GET_FORCED_BITS: 'diagnostic',
  GET_SELECTED_BLOCKS: 'diagnostic',
  BKPT_SET: 'control',
  BKPT_DEL: 'control',
  STEP_OVER: 'control',
  STEP_IN: 'control',
  STEP_OUT: 'control',
  GET_CALL_STACK: 'diagnostic',
  CHECK_DEBUG_ALLOWED: 'diagnostic',
  PROCESS_MSG: 'other',
  PRIVATE: 'other',
  RESERVATION_NONCES: 'auth',
  READ_RACK: 'discovery',
  READ_DEVICE_DATA: 'read',
} as const satisfies Record<UmasFunctionName, Operation>;

/** Who makes every PLC that speaks UMAS: the vendor a READ_ID answer identifies. */
export const UMAS_VENDOR = 'Schneider Electric';

const ALL_UMAS_CODES: Record<UmasFunctionName, number> = {
  ...UMAS_FUNCTION_CODES,
  ...UMAS_EXTENDED_FUNCTION_CODES,
};

/** UMAS function byte -> name, 0-255. */
export const UMAS_FUNCTION_NAME_BY_CODE: readonly string[] = buildNames(ALL_UMAS_CODES, 256);

/** UMAS function byte -> operation; codes no source names are `other`. */
export const UMAS_OPERATION_BY_CODE: readonly Operation[] = (() => {
  const ops: Operation[] = new Array<Operation>(256).fill('other');
  for (const [name, op] of Object.entries(UMAS_FUNCTION_OPERATIONS))
    ops[ALL_UMAS_CODES[name as UmasFunctionName]] = op;
  return ops;
})();

/** UMAS response status byte -> name (`OK`, `ERROR`, else `UNKNOWN-<n>`). */
export const UMAS_STATUS_NAME_BY_CODE: readonly string[] = buildNames(UMAS_STATUS_CODES, 256);
