// PROFINET code tables: the frame id ranges of PN-RT (cyclic classes, alarms, DCP, PTCP), the DCP
// services, options and suboptions, the RTA alarm PDU types, and for the IO context manager the
// DCE/RPC connectionless packet types, the PNIO interface UUIDs, operation numbers, block types and
// control commands. Names are the specification's in upper snake case (DESIGN.md "Names");
// unknown codes print `UNKNOWN-<n>`. Each name maps to Zoneward's operation vocabulary.
//
// Sources: IEC 61158-6-10:2014 (PROFINET IO application layer protocol): §4.2.2 frame ids
// (Table "FrameID"), §4.3 DCP (DCP-PDU header, option/suboption, BlockInfo, BlockQualifier,
// BlockError), §4.4 RTA (alarm PDU), §4.10 CM over RPC (opnums, block types, IODControlReq's
// ControlCommand, I&M0), §5.2.2 PNIOStatus; The Open Group DCE 1.1 RPC (C706) §12.5 connectionless
// PDU header and §14.2 NDR data representation. Frame id sub-ranges follow Wireshark's
// packet-pn-rt.c reading of the same table.

import type { Operation } from '../operations.ts';

export type { Operation };

/** Ethernet type of PN-RT frames (IEC 61158-6-10 §4.2.1). */
export const ETHERTYPE_PROFINET = 0x8892;

// --- PN-RT frame ids (§4.2.2) --------------------------------------------------------------------

/** What a frame id range carries; cyclic classes end in a cycle counter and status octets. */
export interface FrameRange {
  readonly first: number;
  readonly last: number;
  readonly type: string;
  readonly cyclic: boolean;
  readonly operation: Operation;
}

const r = (first: number, last: number, type: string, cyclic: boolean, operation: Operation): FrameRange => ({
  first,
  last,
  type,
  cyclic,
  operation,
});

/**
 * Frame id ranges in order. Cyclic real-time data carries process inputs or outputs in both
 * directions, and the frame alone does not say which: `other`. Alarms report diagnosis and
 * process events (`diagnostic`); PTCP synchronises clocks (`diagnostic`); DCP's operation depends
 * on the service (DCP_OPERATION).
 */
export const FRAME_RANGES: readonly FrameRange[] = [
  r(0x0000, 0x001f, 'RESERVED', false, 'other'),
  r(0x0020, 0x0021, 'PTCP_SYNC_FOLLOW_UP', false, 'diagnostic'), // RTSync with follow-up
  r(0x0022, 0x007f, 'RESERVED', false, 'other'),
  r(0x0080, 0x0081, 'PTCP_SYNC', false, 'diagnostic'),
  r(0x0082, 0x00ff, 'RESERVED', false, 'other'),
  r(0x0100, 0x0fff, 'RT_CLASS_3', true, 'other'), // isochronous real time (IRT)
  r(0x1000, 0x47ff, 'RESERVED', false, 'other'),
  r(0x4800, 0xbfff, 'RT_CLASS_2', true, 'other'),
  r(0xc000, 0xfbff, 'RT_CLASS_1', true, 'other'), // 0xF800-0xFBFF multicast
  r(0xfc00, 0xfc00, 'RESERVED', false, 'other'),
  r(0xfc01, 0xfc01, 'ALARM_HIGH', false, 'diagnostic'),
  r(0xfc02, 0xfe00, 'RESERVED', false, 'other'),
  r(0xfe01, 0xfe01, 'ALARM_LOW', false, 'diagnostic'),
  r(0xfe02, 0xfefb, 'RESERVED', false, 'other'),
  r(0xfefc, 0xfefc, 'DCP_HELLO', false, 'discovery'),
  r(0xfefd, 0xfefd, 'DCP_GET_SET', false, 'read'),
  r(0xfefe, 0xfefe, 'DCP_IDENTIFY_REQUEST', false, 'discovery'),
  r(0xfeff, 0xfeff, 'DCP_IDENTIFY_RESPONSE', false, 'discovery'),
  r(0xff00, 0xff01, 'PTCP_ANNOUNCE', false, 'diagnostic'),
  r(0xff02, 0xff1f, 'RESERVED', false, 'other'),
  r(0xff20, 0xff21, 'PTCP_FOLLOW_UP', false, 'diagnostic'),
  r(0xff22, 0xff3f, 'RESERVED', false, 'other'),
  r(0xff40, 0xff43, 'PTCP_DELAY', false, 'diagnostic'),
  r(0xff44, 0xff7f, 'RESERVED', false, 'other'),
  r(0xff80, 0xffff, 'FRAGMENTATION', false, 'other'),
];

export const FRAME_ID_DCP_HELLO = 0xfefc;
export const FRAME_ID_DCP_IDENTIFY_RESPONSE = 0xfeff;
export const FRAME_ID_ALARM_HIGH = 0xfc01;
export const FRAME_ID_ALARM_LOW = 0xfe01;

/** Range index by frame id, built once: the per-frame path is one typed-array read. */
export const RANGE_INDEX_BY_FRAME_ID: Uint8Array = (() => {
  const out = new Uint8Array(0x10000);
  FRAME_RANGES.forEach((range, i) => {
    out.fill(i, range.first, range.last + 1);
  });
  return out;
})();

/** DataStatus bits at the end of a cyclic frame (§4.2.3.2). */
export const DATA_STATUS = {
  PRIMARY: 0x01, // State: 1 primary, 0 backup
  REDUNDANCY: 0x02,
  DATA_VALID: 0x04,
  PROVIDER_RUN: 0x10, // ProviderState: 1 run, 0 stop
  STATION_OK: 0x20, // StationProblemIndicator: 1 normal operation, 0 problem detected
  IGNORE: 0x80,
} as const;

// --- DCP (§4.3) ----------------------------------------------------------------------------------

/** DCP ServiceID. */
export const DCP_SERVICES = { GET: 3, SET: 4, IDENTIFY: 5, HELLO: 6 } as const;
/** DCP ServiceType: 0 request, 1 response success, 5 response "request not supported". */
export const DCP_SERVICE_TYPES = { REQUEST: 0, RESPONSE_SUCCESS: 1, RESPONSE_UNSUPPORTED: 5 } as const;

/**
 * Operation per DCP service: Identify and Hello find devices (`discovery`); Get reads their
 * parameters (`read`); Set writes the name of station or IP suite (`write`), and a Set carrying
 * a Control block (signal, start/end transaction, factory reset) is `control` (DCP_CONTROL_SET).
 */
export const DCP_OPERATION: Readonly<Record<keyof typeof DCP_SERVICES, Operation>> = {
  GET: 'read',
  SET: 'write',
  IDENTIFY: 'discovery',
  HELLO: 'discovery',
};
export const DCP_CONTROL_SET: Operation = 'control';

/** DCP options (§4.3.1.3.x "Option"). */
export const DCP_OPTIONS = {
  IP: 0x01,
  DEVICE_PROPERTIES: 0x02,
  DHCP: 0x03,
  CONTROL: 0x05,
  DEVICE_INITIATIVE: 0x06,
  NME_DOMAIN: 0x07,
  ALL_SELECTOR: 0xff,
} as const;

/** Block names by option * 256 + suboption (§4.3.1.3). Manufacturer options 0x80-0xFE are MANUFACTURER_SPECIFIC. */
export const DCP_BLOCKS = {
  MAC_ADDRESS: 0x0101,
  IP_PARAMETER: 0x0102,
  FULL_IP_SUITE: 0x0103,
  TYPE_OF_STATION: 0x0201, // "DeviceVendorValue": the device's product text
  NAME_OF_STATION: 0x0202,
  DEVICE_ID: 0x0203, // VendorID, DeviceID
  DEVICE_ROLE: 0x0204,
  DEVICE_OPTIONS: 0x0205,
  ALIAS_NAME: 0x0206,
  DEVICE_INSTANCE: 0x0207,
  OEM_DEVICE_ID: 0x0208,
  STANDARD_GATEWAY: 0x0209,
  RSI_PROPERTIES: 0x020a,
  DHCP_HOST_NAME: 0x030c,
  DHCP_VENDOR_SPECIFIC: 0x032b,
  DHCP_SERVER_IDENTIFIER: 0x0336,
  DHCP_PARAMETER_REQUEST_LIST: 0x0337,
  DHCP_CLASS_IDENTIFIER: 0x033c,
  DHCP_CLIENT_IDENTIFIER: 0x033d,
  DHCP_FQDN: 0x0351,
  DHCP_UUID_CLIENT_IDENTIFIER: 0x0361,
  DHCP_CONTROL: 0x03ff,
  START_TRANSACTION: 0x0501,
  END_TRANSACTION: 0x0502,
  SIGNAL: 0x0503, // flash the device's LED
  RESPONSE: 0x0504, // the result of a Set, per block
  RESET_FACTORY_SETTINGS: 0x0505,
  RESET_TO_FACTORY: 0x0506,
  DEVICE_INITIATIVE: 0x0601, // the device sends Hello at power-on
  NME_DOMAIN: 0x0701,
  ALL_SELECTOR: 0xffff,
} as const;

/** DeviceRole bits of the DEVICE_ROLE block (§4.3.1.3.5). */
export const DEVICE_ROLES = [
  [0x01, 'IO_DEVICE'],
  [0x02, 'IO_CONTROLLER'],
  [0x04, 'IO_MULTIDEVICE'],
  [0x08, 'PN_SUPERVISOR'],
] as const;

/** BlockError of a Set response (RESPONSE block), §4.3.1.3.4. */
export const DCP_BLOCK_ERRORS = [
  'OK',
  'OPTION_UNSUPPORTED',
  'SUBOPTION_UNSUPPORTED',
  'SUBOPTION_NOT_SET',
  'RESOURCE_ERROR',
  'SET_NOT_POSSIBLE',
  'IN_OPERATION',
] as const;

/**
 * PROFINET vendor ids (the PI manufacturer id of GSDML `DeviceIdentity VendorID`) of
 * manufacturers we can name with evidence: each one seen in a GSDML file or a public capture
 * together with the manufacturer's own MAC OUI or order number. Others stay numeric.
 */
export const VENDOR_NAMES: ReadonlyMap<number, string> = new Map([
  [0x002a, 'Siemens'], // GSDML-V2.x-SIEMENS-*: VendorID="0x002A"
  [0x00b0, 'Phoenix Contact'], // PLC with OUI 00:a0:45 (Phoenix Contact) in profinet_io_cm_mixed_1
  [0x010a, 'SEW-EURODRIVE'], // GSDML-V2.25-DFE-DFS (SEW MOVIDRIVE option)
  [0x010c, 'HMS Industrial Networks'], // GSDML-V2.34-PNET-ANYBUS
  [0x015a, 'GE Intelligent Platforms'], // IC200PNS001 VersaMax, OUI 00:09:91 in profinet_io_cm_mixed_1
  [0x0493, 'RT-Labs'], // p-net sample application
]);

// --- RTA alarms (§4.4) ----------------------------------------------------------------------------

/** PDUType.Type of an RTA-PDU (low nibble; the high nibble is the version). */
export const RTA_PDU_TYPES = ['UNKNOWN-0', 'DATA', 'NACK', 'ACK', 'ERR'] as const;

/** AlarmType of AlarmNotification (§5.2.8.x "AlarmType"). */
export const ALARM_TYPES = {
  DIAGNOSIS: 0x0001,
  PROCESS: 0x0002,
  PULL: 0x0003,
  PLUG: 0x0004,
  STATUS: 0x0005,
  UPDATE: 0x0006,
  MEDIA_REDUNDANCY: 0x0007,
  CONTROLLED_BY_SUPERVISOR: 0x0008,
  RELEASED: 0x0009,
  PLUG_WRONG_SUBMODULE: 0x000a,
  RETURN_OF_SUBMODULE: 0x000b,
  DIAGNOSIS_DISAPPEARS: 0x000c,
  MULTICAST_COMMUNICATION_MISMATCH: 0x000d,
  PORT_DATA_CHANGE: 0x000e,
  SYNC_DATA_CHANGED: 0x000f,
  ISOCHRONOUS_MODE_PROBLEM: 0x0010,
  NETWORK_COMPONENT_PROBLEM: 0x0011,
  TIME_DATA_CHANGED: 0x0012,
  DYNAMIC_FRAME_PACKING_PROBLEM: 0x0013,
  MRPD_PROBLEM: 0x0014,
  MULTIPLE_INTERFACE_MISMATCH: 0x0016,
  UPLOAD_AND_RETRIEVAL: 0x001e,
  PULL_MODULE: 0x001f,
} as const;

// --- IO context manager over DCE/RPC (§4.10, C706 §12.5) -------------------------------------------

/** Well-known UDP port of the PNIO CM server (the RPC endpoint mapper port of PROFINET, 0x8894). */
export const PNIO_CM_PORT = 34964;

/** Connectionless PDU types (C706 §12.5.3.1, "ptype"). */
export const PACKET_TYPES = [
  'REQUEST',
  'PING',
  'RESPONSE',
  'FAULT',
  'WORKING',
  'NOCALL',
  'REJECT',
  'ACK',
  'CL_CANCEL',
  'FACK',
  'CANCEL_ACK',
] as const;
export const PTYPE_REQUEST = 0;
export const PTYPE_RESPONSE = 2;
export const PTYPE_FAULT = 3;
export const PTYPE_REJECT = 6;

/** flags1 and flags2 of the connectionless header (C706 §12.5.3.3, §12.5.3.4). */
export const FLAGS1 = [
  [0x02, 'LAST_FRAGMENT'],
  [0x04, 'FRAGMENT'],
  [0x08, 'NO_FACK'],
  [0x10, 'MAYBE'],
  [0x20, 'IDEMPOTENT'],
  [0x40, 'BROADCAST'],
] as const;
export const FLAG1_FRAGMENT = 0x04;
export const FLAGS2_CANCEL_PENDING = 0x02;

/**
 * PNIO interfaces: DEA0000x-6C97-11D1-8271-00A02442DF7D (§4.10.2.2), x = 1 device, 2 controller,
 * 3 supervisor, 4 parameter server. The object UUID of a PNIO server is
 * DEA00000-6C97-11D1-8271-{instance}{device id}{vendor id}.
 */
export const PNIO_UUID_TIME_HIGH = 0xdea0; // upper 16 bits of time_low
export const PNIO_UUID_TIME_MID = 0x6c97;
export const PNIO_UUID_TIME_HI_VERSION = 0x11d1;
export const PNIO_UUID_CLOCK_SEQ = 0x8271;
export const PNIO_INTERFACE_NODE = [0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d] as const;
export const PNIO_INTERFACES = [
  'UNKNOWN-0',
  'IO_DEVICE',
  'IO_CONTROLLER',
  'IO_SUPERVISOR',
  'PARAMETER_SERVER',
] as const;

/** PNIO operation numbers (§4.10.3.2). */
export const OPNUMS = ['CONNECT', 'RELEASE', 'READ', 'WRITE', 'CONTROL', 'READ_IMPLICIT'] as const;

/**
 * Operation per opnum. Connect sets up the application relation through which the controller
 * drives the device's outputs, and Release ends it: both change the device's state (`control`),
 * as do the Control requests (parameterisation end, application ready).
 */
export const OPNUM_OPERATION: readonly Operation[] = [
  'control',
  'control',
  'read',
  'write',
  'control',
  'read',
];

/** PN-IO block types (§5.2.1.x "BlockType"), the ones CM exchanges name; others UNKNOWN-<n>. */
export const BLOCK_TYPES = {
  ALARM_NOTIFICATION_HIGH: 0x0001,
  ALARM_NOTIFICATION_LOW: 0x0002,
  IOD_WRITE_REQ_HEADER: 0x0008,
  IOD_READ_REQ_HEADER: 0x0009,
  DIAGNOSIS_DATA: 0x0010,
  EXPECTED_IDENTIFICATION_DATA: 0x0012,
  REAL_IDENTIFICATION_DATA: 0x0013,
  SUBSTITUTE_VALUE: 0x0014,
  RECORD_INPUT_DATA_OBJECT_ELEMENT: 0x0015,
  RECORD_OUTPUT_DATA_OBJECT_ELEMENT: 0x0016,
  AR_DATA: 0x0018,
  LOG_BOOK_DATA: 0x0019,
  API_DATA: 0x001a,
  SRL_DATA: 0x001b,
  IM0: 0x0020,
  IM1: 0x0021,
  IM2: 0x0022,
  IM3: 0x0023,
  IM4: 0x0024,
  IM0_FILTER_DATA_SUBMODULE: 0x0030,
  IM0_FILTER_DATA_MODULE: 0x0031,
  IM0_FILTER_DATA_DEVICE: 0x0032,
  AR_BLOCK_REQ: 0x0101,
  IOCR_BLOCK_REQ: 0x0102,
  ALARM_CR_BLOCK_REQ: 0x0103,
  EXPECTED_SUBMODULE_BLOCK_REQ: 0x0104,
  PRM_SERVER_BLOCK_REQ: 0x0105,
  MCR_BLOCK_REQ: 0x0106,
  AR_RPC_BLOCK_REQ: 0x0107,
  AR_VENDOR_BLOCK_REQ: 0x0108,
  IR_INFO_BLOCK: 0x0109,
  SR_INFO_BLOCK: 0x010a,
  AR_FSU_BLOCK: 0x010b,
  RS_INFO_BLOCK: 0x010c,
  IOD_CONTROL_REQ_PRM_END: 0x0110,
  IOD_CONTROL_REQ_PLUG_PRM_END: 0x0111,
  IOX_CONTROL_REQ_APPLICATION_READY: 0x0112,
  IOX_CONTROL_REQ_PLUG_APPLICATION_READY: 0x0113,
  IOD_RELEASE_REQ: 0x0114,
  IOX_CONTROL_REQ_READY_FOR_COMPANION: 0x0116,
  IOX_CONTROL_REQ_READY_FOR_RT_CLASS_3: 0x0117,
  IOD_CONTROL_REQ_PRM_BEGIN: 0x0118,
  SUBMODULE_LIST_BLOCK: 0x0119,
  PD_PORT_DATA_CHECK: 0x0200,
  PD_EV_DATA: 0x0201,
  PD_PORT_DATA_ADJUST: 0x0202,
  PD_SYNC_DATA: 0x0203,
  ISOCHRONOUS_MODE_DATA: 0x0204,
  PD_IR_DATA: 0x0205,
  PD_PORT_DATA_REAL: 0x020f,
  PD_INTERFACE_MRP_DATA_ADJUST: 0x0211,
  PD_INTERFACE_MRP_DATA_REAL: 0x0212,
  PD_INTERFACE_DATA_REAL: 0x0240,
  PD_INTERFACE_ADJUST: 0x0250,
  PD_PORT_STATISTIC: 0x0251,
  MULTIPLE_BLOCK_HEADER: 0x0400,
  CO_CONTAINER_CONTENT: 0x0401,
  RECORD_DATA_READ_QUERY: 0x0500,
  ALARM_ACK_HIGH: 0x8001,
  ALARM_ACK_LOW: 0x8002,
  IOD_WRITE_RES_HEADER: 0x8008,
  IOD_READ_RES_HEADER: 0x8009,
  AR_BLOCK_RES: 0x8101,
  IOCR_BLOCK_RES: 0x8102,
  ALARM_CR_BLOCK_RES: 0x8103,
  MODULE_DIFF_BLOCK: 0x8104,
  PRM_SERVER_BLOCK_RES: 0x8105,
  AR_SERVER_BLOCK: 0x8106,
  AR_RPC_BLOCK_RES: 0x8107,
  AR_VENDOR_BLOCK_RES: 0x8108,
  IOD_CONTROL_RES_PRM_END: 0x8110,
  IOD_CONTROL_RES_PLUG_PRM_END: 0x8111,
  IOX_CONTROL_RES_APPLICATION_READY: 0x8112,
  IOX_CONTROL_RES_PLUG_APPLICATION_READY: 0x8113,
  IOD_RELEASE_RES: 0x8114,
  IOX_CONTROL_RES_READY_FOR_COMPANION: 0x8116,
  IOX_CONTROL_RES_READY_FOR_RT_CLASS_3: 0x8117,
  IOD_CONTROL_RES_PRM_BEGIN: 0x8118,
} as const;

/** ControlCommand bits of IODControlReq/IOXControlReq (§5.2.3.x "ControlCommand"). */
export const CONTROL_COMMANDS = [
  [0x0001, 'PRM_END'],
  [0x0002, 'APPLICATION_READY'],
  [0x0004, 'RELEASE'],
  [0x0008, 'DONE'],
  [0x0010, 'READY_FOR_COMPANION'],
  [0x0020, 'READY_FOR_RT_CLASS_3'],
  [0x0040, 'PRM_BEGIN'],
] as const;

/** ARType of ARBlockReq (§5.2.4.x "ARType"). */
export const AR_TYPES: ReadonlyMap<number, string> = new Map([
  [0x0001, 'IOC_AR_SINGLE'],
  [0x0006, 'IOS_AR'],
  [0x0010, 'IOC_AR_SINGLE_RT_CLASS_3'],
  [0x0020, 'IOC_AR_SR'],
]);

/** Record indexes with a name (§5.2.x "Index"): identification & maintenance and the common multiples. */
export const RECORD_INDEXES = {
  IM0: 0xaff0,
  IM1: 0xaff1,
  IM2: 0xaff2,
  IM3: 0xaff3,
  IM4: 0xaff4,
  MULTIPLE_WRITE: 0xe040,
  PD_REAL_DATA: 0xf841,
  PD_EXPECTED_DATA: 0xf842,
  AR_DATA: 0xf820,
  LOG_BOOK_DATA: 0xf830,
  API_DATA: 0xf821,
  REAL_IDENTIFICATION_DATA: 0xf000,
} as const;

/** PNIOStatus ErrorCode (first octet) names (§5.2.6). */
export const PNIO_ERROR_CODES: ReadonlyMap<number, string> = new Map([
  [0x81, 'PNIO'],
  [0xcf, 'RTA_ERROR'],
  [0xda, 'ALARM_ACK'],
  [0xdb, 'IOD_CONNECT_RES'],
  [0xdc, 'IOD_RELEASE_RES'],
  [0xdd, 'IOX_CONTROL_RES'],
  [0xde, 'IOD_READ_RES'],
  [0xdf, 'IOD_WRITE_RES'],
]);

// --- lookup arrays, built once ---------------------------------------------------------------------

function unknownNames(size: number): string[] {
  return Array.from({ length: size }, (_, i) => `UNKNOWN-${i}`);
}

export const DCP_SERVICE_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(256);
  for (const [name, code] of Object.entries(DCP_SERVICES)) out[code] = name;
  return out;
})();

export const DCP_SERVICE_TYPE_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(256);
  for (const [name, code] of Object.entries(DCP_SERVICE_TYPES)) out[code] = name;
  return out;
})();

/** DCP block name by option * 256 + suboption. */
export const DCP_BLOCK_NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(DCP_BLOCKS).map(([name, code]) => [code, name]),
);

export const BLOCK_TYPE_NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(BLOCK_TYPES).map(([name, code]) => [code, name]),
);

export const ALARM_TYPE_NAME_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(ALARM_TYPES).map(([name, code]) => [code, name]),
);

export const PACKET_TYPE_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(256);
  PACKET_TYPES.forEach((name, i) => {
    out[i] = name;
  });
  return out;
})();

export const OPNUM_NAME_BY_CODE: readonly string[] = (() => {
  const out = unknownNames(OPNUMS.length);
  OPNUMS.forEach((name, i) => {
    out[i] = name;
  });
  return out;
})();

/** `UNKNOWN-<n>` for codes outside a table. */
export function unknown(code: number): string {
  return `UNKNOWN-${code}`;
}
