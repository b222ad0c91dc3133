// DNP3 parsers, pure and bounded (STYLE.md 4): the data link frame (start octets, length,
// control, addresses, CRC-16/DNP over the header and over every 16-octet block of user data), and
// the application fragment that the transport function reassembles from the frames' user data
// (header, internal indications, object headers with their qualifiers and ranges, and the objects
// that matter to a monitor: controls, files, device attributes). Nothing here keeps state between
// calls or throws on any bytes; the session in dissector.ts buffers, reassembles and pairs.
//
// IEEE Std 1815-2012: clause 9 (data link frame), clause 8 (transport header), clause 4
// (application fragment, object headers), and the data object library by group. DNP3 sends every
// multi-octet field least significant octet first (little-endian): the u16le/u32le helpers below
// read that way, from the Uint8Array without a DataView (only floats need one).

import { deviceFields } from '../device.ts';
import type { Fields, ParseResult } from '../types.ts';
import {
  ALL_ATTRIBUTES_VARIATION,
  APP_CONTROL,
  ATTRIBUTE_LIST_VARIATION,
  ATTRIBUTE_TYPES,
  COMMAND_STATUS_NAME,
  CROB_CLEAR_BIT,
  CROB_OP_TYPE_NAME,
  CROB_TCC,
  DEVICE_ATTRIBUTES,
  FUNCTION_CODES as FC,
  FILE_LAYOUT,
  FILE_STATUS_NAME,
  FILE_VARIATIONS,
  FUNCTION_NAME_BY_CODE,
  fileModeName,
  GROUPS,
  HEADERS_ONLY_BY_CODE,
  IIN2_ERROR,
  iinFlagNames,
  LINK_CONTROL,
  LINK_FUNCTION_NAME,
  linkFunctionIndex,
  OBJECT_SIZE,
  OPERATION_BY_CODE,
  type Operation,
  objectLabel,
  RESPONSE_FUNCTION_MIN,
  SIZE,
  START_OCTET_1,
  START_OCTET_2,
  TRANSPORT,
  USER_DATA_FUNCTIONS,
} from './spec.ts';

// --- Limits -----------------------------------------------------------------------------------

/** Start (2), length, control, destination (2), source (2), header CRC (2): clause 9. */
export const LINK_HEADER_LENGTH = 10;
/** The header CRC covers the first eight octets (clause 9). */
export const LINK_HEADER_CRC_OFFSET = 8;
/** The length octet counts control, destination and source (5) plus user data, never CRCs. */
export const MIN_LINK_LENGTH = 5;
export const MAX_LINK_LENGTH = 255;
/** User data travels in blocks of 16 octets, each followed by its CRC (clause 9). */
export const BLOCK_SIZE = 16;
export const CRC_SIZE = 2;
/** Most user data one frame carries: 255 - 5 (clause 9). */
export const MAX_USER_DATA = MAX_LINK_LENGTH - MIN_LINK_LENGTH;
/** The longest frame: header, 250 octets of user data and 16 block CRCs = 292 (clause 9). */
export const MAX_FRAME_LENGTH = frameLength(MAX_LINK_LENGTH);
/**
 * Largest application fragment reassembled. The size is a device parameter (device profile
 * 1.5.x, "maximum application fragment size"); 2048 octets is the size every DNP3 device must be
 * able to receive and the usual configured maximum. Twice that still decodes fragments from
 * devices configured larger; a fragment beyond it is a violation and its segments are dropped,
 * which bounds the reassembly buffer of each direction.
 */
export const MAX_FRAGMENT_SIZE = 4096;
/** Request header: application control and function code (clause 4). */
export const REQUEST_HEADER_LENGTH = 2;
/** Response header: application control, function code, IIN1 and IIN2 (clause 4). */
export const RESPONSE_HEADER_LENGTH = 4;
/** Group, variation and qualifier: the fixed part of an object header (clause 4). */
export const OBJECT_HEADER_LENGTH = 3;
/**
 * Object headers listed in an event (`dnp3.objects` and the parallel arrays). A READ of class data
 * names four; integrity responses carry a dozen at most. The walk itself goes on past the cap
 * (it is bounded by the fragment), and `dnp3.object_headers` counts them all.
 */
export const MAX_LISTED_OBJECT_HEADERS = 32;
/**
 * Control points (CROB, analog output block) listed in an event. Devices accept a handful per
 * request (device profile 1.5.5 and 1.5.6, typically 1 to 16); the rest are counted, not listed.
 */
export const MAX_LISTED_CONTROLS = 32;
/** Characters kept of a file name, user name or device attribute string (attributes: 255 octets). */
export const MAX_STRING_LENGTH = 255;

/** Frame length for a length octet: header, user data, one CRC per started block of 16. */
export function frameLength(lengthOctet: number): number {
  const user = lengthOctet - MIN_LINK_LENGTH;
  return LINK_HEADER_LENGTH + user + CRC_SIZE * Math.ceil(user / BLOCK_SIZE);
}

// --- CRC-16/DNP (clause 9): polynomial 0x3D65, reflected, initial 0, final complement ----------

const CRC_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    // 0xA6BC is 0x3D65 bit-reversed: the reflected form processes the least significant bit first.
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xa6bc : crc >>> 1;
    table[i] = crc;
  }
  return table;
})();

/** CRC-16/DNP of buf[start, end). Sent least significant octet first. */
export function crc16Dnp(buf: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ buf[i]) & 0xff];
  return ~crc & 0xffff;
}

function u16le(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

function u32le(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

// --- Data link frame ---------------------------------------------------------------------------

/** checkFrameHeader verdicts below zero: what is wrong with the header at that offset. */
export const HEADER_BAD_START = -1;
export const HEADER_BAD_LENGTH = -2;
export const HEADER_BAD_CRC = -3;

/** Why a header is rejected, by the negated verdict. */
export const HEADER_PROBLEMS = [
  '',
  'no DNP3 start octets 0x05 0x64',
  'link length below 5',
  'link header CRC error',
] as const;

/**
 * Checks the frame header at buf[off]: the frame's total length when its start octets, length and
 * header CRC are right; 0 when fewer than 10 octets are there and those are consistent with a
 * header; a negative HEADER_* verdict otherwise.
 */
export function checkFrameHeader(buf: Uint8Array, off: number): number {
  const available = buf.length - off;
  if (available <= 0) return 0;
  if (buf[off] !== START_OCTET_1) return HEADER_BAD_START;
  if (available < 2) return 0;
  if (buf[off + 1] !== START_OCTET_2) return HEADER_BAD_START;
  if (available < 3) return 0;
  const length = buf[off + 2];
  if (length < MIN_LINK_LENGTH) return HEADER_BAD_LENGTH;
  if (available < LINK_HEADER_LENGTH) return 0;
  const crc = u16le(buf, off + LINK_HEADER_CRC_OFFSET);
  if (crc16Dnp(buf, off, off + LINK_HEADER_CRC_OFFSET) !== crc) return HEADER_BAD_CRC;
  return frameLength(length);
}

/**
 * Copies the user data of the whole frame at buf[off] (its header checked, `total` octets long)
 * to dest[destOff], checking each block's CRC. Returns the octets copied, or -(n + 1) when block
 * n (0-based) fails its CRC.
 */
export function copyUserData(
  buf: Uint8Array,
  off: number,
  total: number,
  dest: Uint8Array,
  destOff: number,
): number {
  let p = off + LINK_HEADER_LENGTH;
  const end = off + total;
  let out = destOff;
  for (let block = 0; p < end; block++) {
    const dataEnd = Math.min(p + BLOCK_SIZE, end - CRC_SIZE);
    if (crc16Dnp(buf, p, dataEnd) !== u16le(buf, dataEnd)) return -(block + 1);
    for (let i = p; i < dataEnd; i++) dest[out++] = buf[i];
    p = dataEnd + CRC_SIZE;
  }
  return out - destOff;
}

/** One data link frame, for tests and tools; the session reads frames in place instead. */
export interface LinkFrame {
  readonly control: number;
  /** DIR: sent by a master. */
  readonly fromMaster: boolean;
  /** PRM: a primary (initiating) frame. */
  readonly primary: boolean;
  readonly func: string;
  readonly destination: number;
  readonly source: number;
  /** The user data without its CRCs: a transport segment when func is a user data function. */
  readonly userData: Uint8Array;
}

/** Parses the frame at buf[off]. A bad header costs one octet (framing is lost), a bad block the frame. */
export function parseLinkFrame(buf: Uint8Array, off: number): ParseResult<LinkFrame> {
  const total = checkFrameHeader(buf, off);
  if (total < 0) return { kind: 'violation', consumed: 1, reason: HEADER_PROBLEMS[-total] };
  const available = buf.length - off;
  if (total === 0) return { kind: 'incomplete', needed: LINK_HEADER_LENGTH - available };
  if (available < total) return { kind: 'incomplete', needed: total - available };
  const userData = new Uint8Array(buf[off + 2] - MIN_LINK_LENGTH);
  const copied = copyUserData(buf, off, total, userData, 0);
  if (copied < 0) return { kind: 'violation', consumed: total, reason: blockCrcProblem(-copied - 1) };
  const control = buf[off + 3];
  return {
    kind: 'ok',
    consumed: total,
    message: {
      control,
      fromMaster: (control & LINK_CONTROL.DIR) !== 0,
      primary: (control & LINK_CONTROL.PRM) !== 0,
      func: LINK_FUNCTION_NAME[linkFunctionIndex(control)],
      destination: u16le(buf, off + 4),
      source: u16le(buf, off + 6),
      userData,
    },
  };
}

export function blockCrcProblem(block: number): string {
  return `CRC error in user data block ${block}`;
}

/** True when a frame with this control octet carries a transport segment (clause 9). */
export function carriesUserData(control: number): boolean {
  return (control & LINK_CONTROL.PRM) !== 0 && USER_DATA_FUNCTIONS.includes(control & LINK_CONTROL.FUNCTION);
}

// --- Transport header (clause 8) ---------------------------------------------------------------

export interface TransportHeader {
  readonly fir: boolean;
  readonly fin: boolean;
  readonly seq: number;
}

export function transportHeader(octet: number): TransportHeader {
  return {
    fir: (octet & TRANSPORT.FIR) !== 0,
    fin: (octet & TRANSPORT.FIN) !== 0,
    seq: octet & TRANSPORT.SEQ,
  };
}

// --- Application fragment (clause 4) -----------------------------------------------------------

/** What the link layer knew about the frames that carried a fragment. */
export interface LinkInfo {
  readonly source: number;
  readonly destination: number;
  /** DIR bit of the frames: the master sent them. */
  readonly fromMaster: boolean;
  /** Link function of the last frame (CONFIRMED_ or UNCONFIRMED_USER_DATA). */
  readonly linkFunc: string;
  /** Transport segments (frames) the fragment was reassembled from. */
  readonly segments: number;
}

/** Fields common to every DNP3 event, link frames and application fragments alike. */
export function linkFields(link: LinkInfo): Fields {
  return {
    'dnp3.src': link.source,
    'dnp3.dst': link.destination,
    'dnp3.master': link.fromMaster ? link.source : link.destination,
    'dnp3.outstation': link.fromMaster ? link.destination : link.source,
    'dnp3.link_func': link.linkFunc,
  };
}

/**
 * Parses the application fragment in buf[start, end) into the event record, or says why it is
 * malformed. Requests and responses are told apart by the function code (0x80 and up are sent by
 * outstations), not by the connection's direction: the spec lets either end open the connection.
 */
export function parseFragment(buf: Uint8Array, start: number, end: number, link: LinkInfo): Fields | string {
  try {
    return fragment(buf, start, end, link);
  } catch (e) {
    // Nothing above throws; the net under that promise turns a parser bug into a violation.
    return `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function fragment(buf: Uint8Array, start: number, end: number, link: LinkInfo): Fields | string {
  const length = end - start;
  if (length < REQUEST_HEADER_LENGTH) return `application fragment of ${length} octets has no header`;
  const ac = buf[start];
  const fc = buf[start + 1];
  const response = fc >= RESPONSE_FUNCTION_MIN;
  if (response && length < RESPONSE_HEADER_LENGTH) {
    return `${FUNCTION_NAME_BY_CODE[fc]} of ${length} octets has no internal indications`;
  }
  const iin1 = response ? buf[start + 2] : 0;
  const iin2 = response ? buf[start + 3] : 0;
  const fields: Fields = {
    'dnp3.src': link.source,
    'dnp3.dst': link.destination,
    'dnp3.master': link.fromMaster ? link.source : link.destination,
    'dnp3.outstation': link.fromMaster ? link.destination : link.source,
    'dnp3.link_func': link.linkFunc,
    'dnp3.func_code': fc,
    'dnp3.func': FUNCTION_NAME_BY_CODE[fc],
    'dnp3.operation': OPERATION_BY_CODE[fc],
    'dnp3.fir': (ac & APP_CONTROL.FIR) !== 0,
    'dnp3.fin': (ac & APP_CONTROL.FIN) !== 0,
    'dnp3.con': (ac & APP_CONTROL.CON) !== 0,
    'dnp3.uns': (ac & APP_CONTROL.UNS) !== 0,
    'dnp3.seq': ac & APP_CONTROL.SEQ,
    'dnp3.iin': response ? iinFlagNames(iin1, iin2) : null,
    // Zeek's dnp3.log prints IIN as one number, IIN1 in the high octet.
    'dnp3.iin_code': response ? (iin1 << 8) | iin2 : null,
    'dnp3.error': response ? IIN2_ERROR[iin2] : null,
    'dnp3.objects': EMPTY_STRINGS,
    'dnp3.object_qualifiers': EMPTY_NUMBERS,
    'dnp3.object_starts': EMPTY_NUMBERS,
    'dnp3.object_stops': EMPTY_NUMBERS,
    'dnp3.object_counts': EMPTY_NUMBERS,
    'dnp3.object_headers': 0,
    'dnp3.objects_complete': true,
    'dnp3.length': length,
    'dnp3.segments': link.segments,
    'dnp3.request_func': null,
    'dnp3.matched': null,
    'dnp3.latency': null,
  };
  const headerLength = response ? RESPONSE_HEADER_LENGTH : REQUEST_HEADER_LENGTH;
  const carriesData = response || !HEADERS_ONLY_BY_CODE[fc];
  const problem = objects(buf, start + headerLength, end, fc, response, carriesData, fields);
  if (problem !== null) return problem;
  return fields;
}

const EMPTY_STRINGS: readonly string[] = Object.freeze([]);
const EMPTY_NUMBERS: readonly number[] = Object.freeze([]);

/** What the object walk collects beyond the header lists; allocated only when one appears. */
interface Collected {
  crob: ControlLists | null;
  analog: ControlLists | null;
  /** Every header so far is a device attribute (group 0) / time or IIN (groups 50, 80). */
  allAttributes: boolean;
  allTimeOrIin: boolean;
  /** First control status other than SUCCESS, for `dnp3.error`. */
  controlError: string | null;
}

interface ControlLists {
  index: number[];
  status: string[];
  /** CROB: op type, trip-close code, clear bit, count, on and off time. Analog: value. */
  opType: string[];
  tcc: string[];
  clear: number[];
  count: number[];
  onTime: number[];
  offTime: number[];
  value: number[];
  total: number;
}

function controlLists(): ControlLists {
  return {
    index: [],
    status: [],
    opType: [],
    tcc: [],
    clear: [],
    count: [],
    onTime: [],
    offTime: [],
    value: [],
    total: 0,
  };
}

/**
 * Walks the object headers in buf[p, end) and fills `fields`. Returns why the objects are
 * malformed, or null. An object whose size the tables do not know ends the walk without a
 * violation (`dnp3.objects_complete` false): the fragment may be sound, we just cannot step over it.
 */
function objects(
  buf: Uint8Array,
  p: number,
  end: number,
  fc: number,
  response: boolean,
  carriesData: boolean,
  fields: Fields,
): string | null {
  if (p >= end) return null;
  const labels: string[] = [];
  const qualifiers: number[] = [];
  const starts: number[] = [];
  const stops: number[] = [];
  const counts: number[] = [];
  const c: Collected = {
    crob: null,
    analog: null,
    allAttributes: true,
    allTimeOrIin: true,
    controlError: null,
  };
  let headers = 0;
  let complete = true;
  while (p < end) {
    if (end - p < OBJECT_HEADER_LENGTH) return `object header truncated: ${end - p} octets left`;
    const group = buf[p];
    const variation = buf[p + 1];
    const qualifier = buf[p + 2];
    p += OBJECT_HEADER_LENGTH;
    if (qualifier & 0x80)
      return `${objectLabel(group, variation)}: reserved qualifier bit set (0x${hex(qualifier)})`;
    const prefixCode = (qualifier >> 4) & 0x07;
    const rangeCode = qualifier & 0x0f;
    // Range field (clause 4, range specifier codes): start/stop indexes, a count, or nothing.
    let first = -1;
    let last = -1;
    let count: number;
    const rangeSize = RANGE_FIELD_SIZE[rangeCode];
    if (rangeSize < 0) return `${objectLabel(group, variation)}: reserved range specifier code ${rangeCode}`;
    if (end - p < rangeSize) return `${objectLabel(group, variation)}: range field truncated`;
    if (rangeCode <= 0x05) {
      const half = rangeSize / 2;
      first = readUint(buf, p, half);
      last = readUint(buf, p + half, half);
      if (first > last) return `${objectLabel(group, variation)}: range start ${first} above stop ${last}`;
      count = last - first + 1;
    } else if (rangeCode === 0x06) {
      count = -1;
    } else {
      count = readUint(buf, p, rangeSize);
    }
    p += rangeSize;
    if (headers < MAX_LISTED_OBJECT_HEADERS) {
      labels.push(objectLabel(group, variation));
      qualifiers.push(qualifier);
      starts.push(first);
      stops.push(last);
      counts.push(count);
    }
    headers++;
    if (group !== GROUPS.DEVICE_ATTRIBUTES) c.allAttributes = false;
    if (group !== GROUPS.TIME_AND_DATE && group !== GROUPS.INTERNAL_INDICATIONS) c.allTimeOrIin = false;
    const next = carriesData
      ? objectData(buf, p, end, group, variation, prefixCode, first, count, response, c, fields)
      : prefixesOnly(p, end, group, variation, prefixCode, count);
    if (typeof next === 'string') return next;
    if (next < 0) {
      complete = false;
      break;
    }
    p = next;
  }
  fields['dnp3.objects'] = labels;
  fields['dnp3.object_qualifiers'] = qualifiers;
  fields['dnp3.object_starts'] = starts;
  fields['dnp3.object_stops'] = stops;
  fields['dnp3.object_counts'] = counts;
  fields['dnp3.object_headers'] = headers;
  fields['dnp3.objects_complete'] = complete;
  finish(fields, c, fc, response);
  return null;
}

/** Octets of the range field by range specifier code; -1 for reserved codes (10, 12-15). */
const RANGE_FIELD_SIZE: readonly number[] = [2, 4, 8, 2, 4, 8, 0, 1, 2, 4, -1, 1, -1, -1, -1, -1];

function readUint(b: Uint8Array, p: number, size: number): number {
  return size === 1 ? b[p] : size === 2 ? u16le(b, p) : u32le(b, p);
}

/** Octets of the prefix by object prefix code: none, index 1/2/4, size 1/2/4; -1 reserved (7). */
const PREFIX_SIZE: readonly number[] = [0, 1, 2, 4, 1, 2, 4, -1];

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/**
 * A header that names points without data (READ and friends): step over the index prefixes, if
 * any. Returns the next offset, -1 to stop the walk, or a violation.
 */
function prefixesOnly(
  p: number,
  end: number,
  group: number,
  variation: number,
  prefixCode: number,
  count: number,
): number | string {
  if (prefixCode === 0) return p;
  const size = PREFIX_SIZE[prefixCode];
  // Size prefixes name objects that carry data; in a request without data they make no sense.
  if (prefixCode > 3 || count < 0) return -1;
  const need = count * size;
  if (need > end - p) return `${objectLabel(group, variation)}: ${count} index prefixes overrun the fragment`;
  return p + need;
}

/**
 * Steps over the objects of one header at buf[p], decoding those the monitor wants. Returns the
 * offset after them, -1 when their size is unknown (the walk stops), or a violation.
 */
function objectData(
  buf: Uint8Array,
  p: number,
  end: number,
  group: number,
  variation: number,
  prefixCode: number,
  first: number,
  count: number,
  response: boolean,
  c: Collected,
  fields: Fields,
): number | string {
  if (group === GROUPS.CLASS_DATA) return p; // class data never carries objects
  const prefixSize = PREFIX_SIZE[prefixCode];
  if (prefixSize < 0) return `${objectLabel(group, variation)}: reserved object prefix code 7`;
  if (count < 0) return -1; // "all objects" with data: nothing says how many
  if (count === 0) return p;
  const size = variation === 0 ? SIZE.UNKNOWN : OBJECT_SIZE[group * 256 + variation];
  const sizedByPrefix = prefixCode >= 4;
  if (!sizedByPrefix) {
    if (size === SIZE.UNKNOWN) return -1;
    if (size === SIZE.NONE) return p;
    if (size === SIZE.PACKED_1 || size === SIZE.PACKED_2) {
      // Packed points come only as a range or a count, never with prefixes (object library).
      if (prefixCode !== 0) return -1;
      const octets = Math.ceil((count * -size) / 8);
      if (octets > end - p) return overrun(group, variation, count);
      return p + octets;
    }
    if (size > 0 && prefixCode === 0 && !decodes(group)) {
      // The common case: fixed-size objects, no prefix, nothing to decode: one step.
      const octets = count * size;
      if (octets > end - p) return overrun(group, variation, count);
      return p + octets;
    }
  }
  // Object by object: each takes at least one octet (prefix or data), so the loop ends within
  // the fragment; the check up front turns an absurd count into a violation at once.
  if (count > end - p) return overrun(group, variation, count);
  for (let i = 0; i < count; i++) {
    let index = first >= 0 ? first + i : i;
    let objectSize = size;
    if (prefixSize > 0) {
      if (end - p < prefixSize) return overrun(group, variation, count);
      const prefix = readUint(buf, p, prefixSize);
      p += prefixSize;
      if (sizedByPrefix) objectSize = prefix;
      else index = prefix;
    }
    if (!sizedByPrefix) {
      if (size === SIZE.BY_VARIATION) objectSize = variation;
      else if (size === SIZE.ATTRIBUTE) {
        if (end - p < 2) return overrun(group, variation, count);
        objectSize = 2 + buf[p + 1];
      } else if (size <= 0) return -1;
    }
    if (objectSize > end - p) return overrun(group, variation, count);
    decodeObject(buf, p, objectSize, group, variation, index, response, c, fields);
    p += objectSize;
  }
  return p;
}

function overrun(group: number, variation: number, count: number): string {
  return `${objectLabel(group, variation)}: ${count} objects overrun the fragment`;
}

/** Groups whose objects are decoded one by one. */
function decodes(group: number): boolean {
  return (
    group === GROUPS.BINARY_COMMAND ||
    group === GROUPS.ANALOG_OUTPUT ||
    group === GROUPS.FILE ||
    group === GROUPS.DEVICE_ATTRIBUTES
  );
}

function decodeObject(
  buf: Uint8Array,
  p: number,
  size: number,
  group: number,
  variation: number,
  index: number,
  response: boolean,
  c: Collected,
  fields: Fields,
): void {
  switch (group) {
    case GROUPS.BINARY_COMMAND:
      // g12v1 control relay output block, g12v2 pattern control block: control code, count,
      // on-time and off-time in ms (u32), status. g12v3 (pattern mask) is packed bits.
      if ((variation === 1 || variation === 2) && size === 11) crob(buf, p, index, response, c);
      return;
    case GROUPS.ANALOG_OUTPUT:
      if (variation >= 1 && variation <= 4) analogOutput(buf, p, size, variation, index, response, c);
      return;
    case GROUPS.FILE:
      fileObject(buf, p, size, variation, fields);
      return;
    case GROUPS.DEVICE_ATTRIBUTES:
      if (response) attribute(buf, p, size, variation, fields);
      return;
  }
}

function crob(buf: Uint8Array, p: number, index: number, response: boolean, c: Collected): void {
  if (c.crob === null) c.crob = controlLists();
  const l = c.crob;
  const status = buf[p + 10] & 0x7f;
  if (response && status !== 0) c.controlError ??= COMMAND_STATUS_NAME[status];
  if (l.total++ >= MAX_LISTED_CONTROLS) return;
  const code = buf[p];
  l.index.push(index);
  l.opType.push(CROB_OP_TYPE_NAME[code & 0x0f]);
  l.tcc.push(CROB_TCC[code >> 6]);
  l.clear.push(code & CROB_CLEAR_BIT ? 1 : 0);
  l.count.push(buf[p + 1]);
  l.onTime.push(u32le(buf, p + 2));
  l.offTime.push(u32le(buf, p + 6));
  l.status.push(COMMAND_STATUS_NAME[status]);
}

/** g41 analog output block: value (int32, int16, float32 or float64) then a control status octet. */
function analogOutput(
  buf: Uint8Array,
  p: number,
  size: number,
  variation: number,
  index: number,
  response: boolean,
  c: Collected,
): void {
  if (c.analog === null) c.analog = controlLists();
  const l = c.analog;
  const status = buf[p + size - 1] & 0x7f;
  if (response && status !== 0) c.controlError ??= COMMAND_STATUS_NAME[status];
  if (l.total++ >= MAX_LISTED_CONTROLS) return;
  let value: number;
  if (variation === 1) value = u32le(buf, p) | 0;
  else if (variation === 2) value = (u16le(buf, p) << 16) >> 16;
  else {
    const view = new DataView(buf.buffer, buf.byteOffset + p, size - 1);
    value = variation === 3 ? view.getFloat32(0, true) : view.getFloat64(0, true);
  }
  l.index.push(index);
  l.value.push(value);
  l.status.push(COMMAND_STATUS_NAME[status]);
}

const TEXT = new TextDecoder('utf-8', { fatal: false });

function text(buf: Uint8Array, p: number, length: number): string {
  return TEXT.decode(buf.subarray(p, p + Math.min(length, MAX_STRING_LENGTH)));
}

/** Group 70 objects (object library, group 70). Passwords and keys are never copied into events. */
function fileObject(buf: Uint8Array, p: number, size: number, variation: number, fields: Fields): void {
  const L = FILE_LAYOUT;
  switch (variation) {
    case FILE_VARIATIONS.AUTHENTICATION: {
      if (size < L.AUTHENTICATION_HEADER) return;
      const nameSize = u16le(buf, p + 2);
      if (L.AUTHENTICATION_HEADER + nameSize <= size) {
        fields['dnp3.file.user'] = text(buf, p + L.AUTHENTICATION_HEADER, nameSize);
      }
      return;
    }
    case FILE_VARIATIONS.FILE_COMMAND: {
      if (size < L.FILE_COMMAND_HEADER) return;
      const nameSize = u16le(buf, p + 2);
      fields['dnp3.file.size'] = u32le(buf, p + 16);
      fields['dnp3.file.mode'] = fileModeName(u16le(buf, p + 20));
      if (L.FILE_COMMAND_HEADER + nameSize <= size) {
        fields['dnp3.file.name'] = text(buf, p + L.FILE_COMMAND_HEADER, nameSize);
      }
      return;
    }
    case FILE_VARIATIONS.FILE_COMMAND_STATUS:
      if (size < L.FILE_COMMAND_STATUS_HEADER) return;
      fields['dnp3.file.handle'] = u32le(buf, p);
      fields['dnp3.file.size'] = u32le(buf, p + 4);
      fields['dnp3.file.status'] = FILE_STATUS_NAME[buf[p + 12]];
      return;
    case FILE_VARIATIONS.FILE_TRANSPORT:
    case FILE_VARIATIONS.FILE_TRANSPORT_STATUS: {
      if (size < L.FILE_TRANSPORT_HEADER) return;
      const block = u32le(buf, p + 4);
      fields['dnp3.file.handle'] = u32le(buf, p);
      fields['dnp3.file.block'] = (block & ~L.LAST_BLOCK) >>> 0;
      fields['dnp3.file.last'] = (block & L.LAST_BLOCK) !== 0;
      if (variation === FILE_VARIATIONS.FILE_TRANSPORT) {
        fields['dnp3.file.data_length'] = size - L.FILE_TRANSPORT_HEADER;
      } else if (size > L.FILE_TRANSPORT_HEADER) {
        fields['dnp3.file.status'] = FILE_STATUS_NAME[buf[p + L.FILE_TRANSPORT_HEADER]];
      }
      return;
    }
    case FILE_VARIATIONS.FILE_DESCRIPTOR: {
      if (size < L.FILE_DESCRIPTOR_HEADER) return;
      const nameSize = u16le(buf, p + 2);
      fields['dnp3.file.type'] = u16le(buf, p + 4) === 0 ? 'DIRECTORY' : 'FILE';
      fields['dnp3.file.size'] = u32le(buf, p + 6);
      // A directory listing is a series of descriptors: the first names the event.
      if (L.FILE_DESCRIPTOR_HEADER + nameSize <= size && fields['dnp3.file.name'] === undefined) {
        fields['dnp3.file.name'] = text(buf, p + L.FILE_DESCRIPTOR_HEADER, nameSize);
      }
      return;
    }
    case FILE_VARIATIONS.FILE_SPECIFICATION_STRING:
      fields['dnp3.file.name'] ??= text(buf, p, size);
      return;
  }
}

/**
 * A device attribute in a response (object library, group 0): data type, length, value. The
 * identity attributes become `dnp3.device.<part>`; the identity describes the sender, the
 * outstation, whose DNP3 address becomes `dnp3.device.id`.
 */
function attribute(buf: Uint8Array, p: number, size: number, variation: number, fields: Fields): void {
  if (variation === ALL_ATTRIBUTES_VARIATION || variation === ATTRIBUTE_LIST_VARIATION) return;
  const known = DEVICE_ATTRIBUTES[variation as keyof typeof DEVICE_ATTRIBUTES];
  if (known === undefined || size < 2) return;
  const type = buf[p];
  let length = Math.min(buf[p + 1], size - 2);
  let value: string;
  if (type === ATTRIBUTE_TYPES.VSTR || type === ATTRIBUTE_TYPES.OSTR) {
    // Some devices pad attribute strings with NULs to a fixed width.
    while (length > 0 && buf[p + 1 + length] === 0) length--;
    value = text(buf, p + 2, length).trim();
  } else if (type === ATTRIBUTE_TYPES.UINT && length >= 1 && length <= 4) {
    let n = 0;
    for (let i = length - 1; i >= 0; i--) n = n * 256 + buf[p + 2 + i]; // little-endian
    value = String(n);
  } else return;
  if (value === '') return;
  const part = known.part;
  if (part !== null) {
    fields[DEVICE[part]] = value;
    fields[DEVICE.id] = String(fields['dnp3.outstation']);
  } else if (variation === 245) fields['dnp3.attr.location'] = value;
  else fields['dnp3.attr.user_id'] = value;
}

const DEVICE = deviceFields('dnp3');

/** Fields that depend on every object: controls, refined operation, error. */
function finish(fields: Fields, c: Collected, fc: number, response: boolean): void {
  if (c.crob !== null) {
    const l = c.crob;
    fields['dnp3.crob.index'] = l.index;
    fields['dnp3.crob.op_type'] = l.opType;
    fields['dnp3.crob.tcc'] = l.tcc;
    fields['dnp3.crob.clear'] = l.clear;
    fields['dnp3.crob.count'] = l.count;
    fields['dnp3.crob.on_time'] = l.onTime;
    fields['dnp3.crob.off_time'] = l.offTime;
    // A master sends status 0 (object library, group 12): only the outstation's answer means anything.
    if (response) fields['dnp3.crob.status'] = l.status;
    fields['dnp3.crob.total'] = l.total;
  }
  if (c.analog !== null) {
    const l = c.analog;
    fields['dnp3.analog_output.index'] = l.index;
    fields['dnp3.analog_output.value'] = l.value;
    if (response) fields['dnp3.analog_output.status'] = l.status;
    fields['dnp3.analog_output.total'] = l.total;
  }
  if (response) {
    if (fields['dnp3.error'] === null) {
      const fileStatus = fields['dnp3.file.status'];
      fields['dnp3.error'] =
        c.controlError ?? (typeof fileStatus === 'string' && fileStatus !== 'SUCCESS' ? fileStatus : null);
    }
    return;
  }
  // Refinements of the function's operation by what the request touches.
  if (fc === FC.READ && c.allAttributes) fields['dnp3.operation'] = 'discovery' satisfies Operation;
  // Time synchronisation (g50) and clearing the restart indication (g80) are housekeeping, not
  // changes to process data.
  else if (fc === FC.WRITE && c.allTimeOrIin) fields['dnp3.operation'] = 'diagnostic' satisfies Operation;
}

/** Fields of a violation inside a fragment whose header was readable: who and what it was. */
export function fragmentHeaderFields(buf: Uint8Array, start: number, end: number, link: LinkInfo): Fields {
  const out = linkFields(link);
  if (end - start >= REQUEST_HEADER_LENGTH) {
    const fc = buf[start + 1];
    out['dnp3.func'] = FUNCTION_NAME_BY_CODE[fc];
    out['dnp3.operation'] = OPERATION_BY_CODE[fc];
  }
  return out;
}
