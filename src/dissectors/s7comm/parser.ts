// ISO-on-TCP, S7comm and S7comm-plus parsers: TPKT framing, COTP TPDUs, and the S7 PDU a DT TPDU
// (or a run of them) carries, into the public event records (STYLE.md 4 and 6). Pure: no state
// between calls, no copies of the input, never throws; every function answers with a record, a
// length, or a violation reason. The session in dissector.ts does the buffering, reassembly of
// segmented DTs, request/response pairing and SZL fragment tracking.
//
// Everything here is big-endian (RFC 1006 §6 "length ... in network byte order"; S7comm and
// S7comm-plus follow it): 16-bit fields are read with u16be, two bytes shifted together, which is
// what a big-endian DataView read gives without a view per buffer on the per-message path.
//
// Layouts: TPKT RFC 1006 §6; COTP RFC 905 §13 (ISO 8073); S7comm after Wireshark's
// packet-s7comm.c; SZL records after Siemens' "System Software for S7-300/400" SSL chapter;
// S7comm-plus after Wireshark's s7comm_plus plugin. spec.ts cites them table by table.

import type { Fields } from '../types.ts';
import {
  AREA_NAMES,
  BLOCK_SUBFUNCTIONS,
  BLOCK_TYPES,
  COMPONENT_IDENT_INDEX,
  COMPONENT_IDENT_RECORD_LENGTH,
  COTP_DISCONNECT_REASON_NAMES,
  COTP_FUNCTION_BY_CODE,
  COTP_PARAMETERS,
  COTP_PDU_TYPES,
  COTP_REJECT_CAUSE_NAMES,
  COTP_SHORT_BY_CODE,
  CPU_SUBFUNCTIONS,
  DATA_SIZE_IN_BITS,
  ERROR_CLASS_NAMES,
  errorName,
  FUNCTION_CODES as FC,
  FILESYSTEMS,
  FUNCTION_NAMES,
  FUNCTION_OPERATION_BY_CODE,
  ITEM_TRANSPORT_SIZE_NAMES,
  MODULE_IDENT_INDEX,
  MODULE_IDENT_RECORD_LENGTH,
  type Operation,
  PI_SERVICES_WITH_BLOCKS,
  PLUS_NOTIFICATION_OPERATION,
  PLUS_OPCODE_NAMES,
  PLUS_OPCODES,
  PLUS_VERSIONS,
  piServiceOperation,
  plusFunctionName,
  plusFunctionOperation,
  RETURN_CODE_NAMES,
  ROSCTR,
  ROSCTR_NAMES,
  S7COMM_PLUS_PROTOCOL_ID,
  S7COMM_PROTOCOL_ID,
  SIEMENS,
  SIEMENS_COPYRIGHT,
  SIEMENS_ORDER_PREFIXES,
  SUBFUNCTION_NAMES,
  SUBFUNCTION_OPERATION,
  SYNTAX_ID_NAMES,
  SYNTAX_IDS,
  SZL_DISCOVERY_LISTS,
  SZL_LIST_NAMES,
  SZL_LISTS,
  TIME_SUBFUNCTIONS,
  TPKT_VERSION,
  TSAP_CONNECTION_TYPE_NAMES,
  USERDATA_GROUP_NAMES,
  USERDATA_GROUPS,
  USERDATA_PARAM_HEAD,
  USERDATA_TYPE_NAMES,
  USERDATA_TYPES,
  VAR_SPEC_TYPE,
} from './spec.ts';

// ---------------------------------------------------------------------------------------------
// Limits, each with its reason
// ---------------------------------------------------------------------------------------------

/** TPKT header: version, reserved, 16-bit length (RFC 1006 §6). */
export const TPKT_HEADER_LENGTH = 4;
/** The smallest TPKT: its header and a DT TPDU header (LI, code, TPDU-NR/EOT; RFC 905 §13.7). */
export const MIN_TPKT_LENGTH = TPKT_HEADER_LENGTH + 3;
/**
 * Largest TPDU: the largest size the CR/CC "TPDU size" parameter can negotiate, code 0x0D = 8192
 * octets (RFC 905 §13.3.4 b). S7 devices negotiate 512 or 1024; a TPKT announcing more than this
 * is not ISO-on-TCP as S7 speaks it and is reported.
 */
export const MAX_TPDU_LENGTH = 8192;
/** Largest TPKT: the largest TPDU and the TPKT header. */
export const MAX_TPKT_LENGTH = TPKT_HEADER_LENGTH + MAX_TPDU_LENGTH;
/** The DT header: LI (= 2), code 0xF0, TPDU-NR with the EOT bit (RFC 905 §13.7, class 0). */
export const DT_HEADER_LENGTH = 3;
/**
 * Largest reassembled DT sequence (TSDU). An S7comm PDU is at most the PDU size negotiated by
 * SETUP_COMMUNICATION, a 16-bit field (65535); an S7comm-plus frame is its 4-byte header, at most
 * 65535 bytes of data (16-bit length) and a 4-byte trailer.
 */
export const MAX_SDU_LENGTH = 0xffff + 8;
/** S7comm header of JOB and USERDATA PDUs; ACK and ACK_DATA add error class and code. */
export const S7_HEADER_LENGTH = 10;
export const S7_ACK_HEADER_LENGTH = 12;
/**
 * Entries kept in any list field of one event (items, return codes, blocks). `s7comm.item_count`
 * still says how many there were. A 960-byte PDU holds up to 78 read items; events stay small.
 */
export const MAX_EVENT_ITEMS = 32;
/** Userdata parameter: head (3), length (1), method, type/group, sub-function, sequence number. */
export const USERDATA_PARAM_MIN_LENGTH = 8;
/** ... plus data unit reference, last data unit, error code, when its length byte says 8. */
export const USERDATA_PARAM_LONG_LENGTH = 12;
/** Userdata data header: return code, transport size, 16-bit length. */
export const USERDATA_DATA_HEADER_LENGTH = 4;
/** SZL answer header in the first fragment: SZL id, index, record length, record count. */
export const SZL_HEADER_LENGTH = 8;
/**
 * Integrity digest of S7comm-plus V3 frames: Wireshark has only seen 32 bytes (SHA-256); a length
 * byte above this is not a digest.
 */
export const MAX_PLUS_DIGEST_LENGTH = 64;
/** S7comm-plus frame header: protocol id, version, 16-bit data length. */
export const PLUS_HEADER_LENGTH = 4;
/** S7comm-plus trailer that ends the last frame of a PDU: 0x72, version, length 0. */
export const PLUS_TRAILER_LENGTH = 4;

// ---------------------------------------------------------------------------------------------
// Byte helpers (big-endian, see the header)
// ---------------------------------------------------------------------------------------------

function u16be(b: Uint8Array, i: number): number {
  return (b[i] << 8) | b[i + 1];
}

function u24be(b: Uint8Array, i: number): number {
  return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/**
 * Text of `b[s, e)` up to the first NUL, trailing spaces removed; bytes outside printable ASCII
 * become `?`. Used only on the rare messages that carry names (file names, SZL records).
 */
export function asciiText(b: Uint8Array, s: number, e: number): string {
  let out = '';
  let end = s;
  while (end < e && b[end] !== 0) end++;
  while (end > s && b[end - 1] === 0x20) end--;
  for (let i = s; i < end; i++) {
    const c = b[i];
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return out;
}

function hex(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return out;
}

// ---------------------------------------------------------------------------------------------
// TPKT (RFC 1006 §6)
// ---------------------------------------------------------------------------------------------

/**
 * Length of the TPKT at `pos`, 0 when fewer than 4 bytes are there, -1 when the header is not a
 * TPKT Zoneward accepts (version 3, reserved 0, MIN_TPKT_LENGTH..MAX_TPKT_LENGTH).
 */
export function tpktLength(b: Uint8Array, pos: number): number {
  if (b.length - pos < TPKT_HEADER_LENGTH) return 0;
  if (b[pos] !== TPKT_VERSION || b[pos + 1] !== 0) return -1;
  const len = u16be(b, pos + 2);
  return len < MIN_TPKT_LENGTH || len > MAX_TPKT_LENGTH ? -1 : len;
}

/** Why the 4-byte header at `pos` is not a TPKT (for a violation). */
export function tpktProblem(b: Uint8Array, pos: number): string {
  if (b[pos] !== TPKT_VERSION) return `TPKT version ${b[pos]} (RFC 1006 §6 says 3)`;
  if (b[pos + 1] !== 0) return `TPKT reserved byte ${b[pos + 1]} is not 0`;
  const len = u16be(b, pos + 2);
  return len < MIN_TPKT_LENGTH
    ? `TPKT length ${len} is shorter than a TPKT and a COTP header (${MIN_TPKT_LENGTH})`
    : `TPKT length ${len} exceeds the ${MAX_TPKT_LENGTH}-byte limit (TPDU size at most ${MAX_TPDU_LENGTH}, RFC 905 §13.3.4)`;
}

/** RFC 905 §13.1 names these TPDU codes; any other high nibble is not COTP. */
const KNOWN_COTP: readonly boolean[] = (() => {
  const out = new Array<boolean>(16).fill(false);
  for (const code of Object.values(COTP_PDU_TYPES)) out[code] = true;
  return out;
})();

/**
 * A plausible TPKT + COTP start at `pos` (needs 6 bytes): the resynchronisation test. Checks the
 * TPKT header, that the COTP length indicator fits, and that the TPDU code is one RFC 905 names.
 */
export function looksLikeTpdu(b: Uint8Array, pos: number): boolean {
  if (b.length - pos < TPKT_HEADER_LENGTH + 2) return false;
  const len = tpktLength(b, pos);
  if (len <= 0) return false;
  const li = b[pos + 4];
  return li >= 2 && li <= len - TPKT_HEADER_LENGTH - 1 && KNOWN_COTP[b[pos + 5] >> 4];
}

// ---------------------------------------------------------------------------------------------
// COTP (RFC 905 §13)
// ---------------------------------------------------------------------------------------------

/** The DT TPDU code byte (RFC 905 §13.7: 1111 0000). */
export const COTP_DT = COTP_PDU_TYPES.DATA;
/** EOT bit of the DT TPDU-NR byte: the last DT of a TSDU (RFC 905 §13.7.3). */
export const EOT_BIT = 0x80;

/** Field names of the COTP part of one app's events (`s7comm.cotp.pdu`, `s7comm_plus.cotp.pdu`). */
export interface CotpKeys {
  readonly function: string;
  readonly operation: string;
  readonly pdu: string;
  readonly tpdus: string;
  readonly dstRef: string;
  readonly srcRef: string;
  readonly class: string;
  readonly srcTsap: string;
  readonly dstTsap: string;
  readonly tpduSize: string;
  readonly connectionType: string;
  readonly rack: string;
  readonly slot: string;
  readonly reason: string;
}

export function cotpKeys(app: string): CotpKeys {
  return {
    function: `${app}.function`,
    operation: `${app}.operation`,
    pdu: `${app}.cotp.pdu`,
    tpdus: `${app}.cotp.tpdus`,
    dstRef: `${app}.cotp.dst_ref`,
    srcRef: `${app}.cotp.src_ref`,
    class: `${app}.cotp.class`,
    srcTsap: `${app}.cotp.src_tsap`,
    dstTsap: `${app}.cotp.dst_tsap`,
    tpduSize: `${app}.cotp.tpdu_size`,
    connectionType: `${app}.connection_type`,
    rack: `${app}.rack`,
    slot: `${app}.slot`,
    reason: `${app}.cotp.reason`,
  };
}

/** Length of the DT header, when `b[s, e)` is a sound DT TPDU; else the violation reason. */
export function dtHeaderLength(b: Uint8Array, s: number, e: number): number | string {
  const li = b[s];
  if (li < DT_HEADER_LENGTH - 1) return `COTP DT length indicator ${li} is below 2 (RFC 905 §13.7)`;
  if (li + 1 > e - s) return `COTP length indicator ${li} runs past the TPKT`;
  return li + 1;
}

/** A TSAP as text when it is printable (S7comm-plus `SIMATIC-ROOT-HMI`), else as hex (`0102`). */
function tsapText(b: Uint8Array, s: number, e: number): string {
  if (e - s > 2) {
    let printable = true;
    for (let i = s; i < e && printable; i++) printable = b[i] >= 0x20 && b[i] < 0x7f;
    if (printable) return asciiText(b, s, e);
  }
  return hex(b, s, e);
}

/**
 * A TPDU other than DT at `b[s, e)` (the TPKT's payload) as an event record, or the violation
 * reason. CR, CC, DR, DC and ER are decoded (RFC 905 §13.3-§13.6, §13.12); ED, EA, AK and RJ,
 * which class 0 does not use, are recognised by code.
 */
export function parseCotpControl(b: Uint8Array, s: number, e: number, k: CotpKeys): Fields | string {
  const li = b[s];
  if (li + 1 > e - s) return `COTP length indicator ${li} runs past the TPKT`;
  const code = b[s + 1] >> 4;
  const short = COTP_SHORT_BY_CODE[code];
  if (short === null) return `COTP TPDU code 0x${code.toString(16)} is not defined (RFC 905 §13.1)`;
  const f: Fields = {
    [k.function]: COTP_FUNCTION_BY_CODE[code],
    [k.operation]: 'other' satisfies Operation,
    [k.pdu]: short,
    [k.dstRef]: null,
    [k.srcRef]: null,
    [k.class]: null,
    [k.srcTsap]: null,
    [k.dstTsap]: null,
    [k.tpduSize]: null,
    [k.connectionType]: null,
    [k.rack]: null,
    [k.slot]: null,
    [k.reason]: null,
  };
  const hdrEnd = s + 1 + li;
  switch (code) {
    case COTP_PDU_TYPES.CONNECTION_REQUEST:
    case COTP_PDU_TYPES.CONNECTION_CONFIRM: {
      // §13.3.1: LI, code/CDT, DST-REF (2), SRC-REF (2), class and options, then parameters.
      if (li < 6) return `COTP ${short} length indicator ${li} is below 6 (RFC 905 §13.3)`;
      f[k.dstRef] = u16be(b, s + 2);
      f[k.srcRef] = u16be(b, s + 4);
      f[k.class] = b[s + 6] >> 4;
      for (let p = s + 7; p < hdrEnd; ) {
        if (p + 2 > hdrEnd || p + 2 + b[p + 1] > hdrEnd) return `COTP ${short} parameter overruns the header`;
        const pcode = b[p];
        const plen = b[p + 1];
        const v = p + 2;
        if (pcode === COTP_PARAMETERS.TPDU_SIZE && plen === 1) {
          // §13.3.4 b: the size is 2 to the power of the code (7 = 128 ... 13 = 8192).
          const c = b[v];
          f[k.tpduSize] = c >= 7 && c <= 13 ? 1 << c : null;
        } else if (pcode === COTP_PARAMETERS.CALLING_TSAP) {
          f[k.srcTsap] = tsapText(b, v, v + plen);
        } else if (pcode === COTP_PARAMETERS.CALLED_TSAP) {
          f[k.dstTsap] = tsapText(b, v, v + plen);
          if (plen === 2) {
            // S7 remote TSAP: connection type, then rack (3 bits) and slot (5 bits).
            f[k.connectionType] = TSAP_CONNECTION_TYPE_NAMES[b[v]];
            f[k.rack] = b[v + 1] >> 5;
            f[k.slot] = b[v + 1] & 0x1f;
          }
        }
        p = v + plen;
      }
      return f;
    }
    case COTP_PDU_TYPES.DISCONNECT_REQUEST:
      // §13.5.1: DST-REF, SRC-REF, reason.
      if (li < 6) return `COTP DR length indicator ${li} is below 6 (RFC 905 §13.5)`;
      f[k.dstRef] = u16be(b, s + 2);
      f[k.srcRef] = u16be(b, s + 4);
      f[k.reason] = COTP_DISCONNECT_REASON_NAMES[b[s + 6]];
      return f;
    case COTP_PDU_TYPES.DISCONNECT_CONFIRM:
      // §13.6.1: DST-REF, SRC-REF.
      if (li < 5) return `COTP DC length indicator ${li} is below 5 (RFC 905 §13.6)`;
      f[k.dstRef] = u16be(b, s + 2);
      f[k.srcRef] = u16be(b, s + 4);
      return f;
    case COTP_PDU_TYPES.TPDU_ERROR:
      // §13.12.1: DST-REF, reject cause.
      if (li < 4) return `COTP ER length indicator ${li} is below 4 (RFC 905 §13.12)`;
      f[k.dstRef] = u16be(b, s + 2);
      f[k.reason] = COTP_REJECT_CAUSE_NAMES[b[s + 4]];
      return f;
    default:
      return f;
  }
}

// ---------------------------------------------------------------------------------------------
// S7comm
// ---------------------------------------------------------------------------------------------

/**
 * What a parse tells the session beyond the event: where the SZL records of a READ_SZL answer
 * are, and the userdata fragment markers. Owned by the session and overwritten by every parse,
 * so parsing allocates nothing for it.
 */
export class S7Aux {
  /** Function code of a JOB / ACK_DATA parameter, -1 when the PDU carries none (ACK, errors). */
  functionCode = -1;
  /** READ_SZL response records: `buf[recordsStart, recordsEnd)`, -1 when none. */
  recordsStart = -1;
  recordsEnd = -1;
  /** From the SZL answer header; -1 on continuation fragments. */
  szlId = -1;
  szlIndex = -1;
  recordLength = -1;
  /** Userdata data unit reference and "last data unit" (0 = last, 1 = more follow). */
  dataUnitRef = 0;
  lastDataUnit = 0;
  /** Userdata message type (USERDATA_TYPES) and group; -1 for other PDUs. */
  userdataType = -1;
  userdataGroup = -1;
  subfunction = -1;

  reset(): void {
    this.functionCode = -1;
    this.recordsStart = -1;
    this.recordsEnd = -1;
    this.szlId = -1;
    this.szlIndex = -1;
    this.recordLength = -1;
    this.dataUnitRef = 0;
    this.lastDataUnit = 0;
    this.userdataType = -1;
    this.userdataGroup = -1;
    this.subfunction = -1;
  }
}

/** The fields every S7comm message event starts with, in this order. */
function s7Record(rosctr: number, pduRef: number): Fields {
  return {
    's7comm.rosctr': ROSCTR_NAMES[rosctr],
    's7comm.pdu_ref': pduRef,
    's7comm.function': null,
    's7comm.function_code': null,
    's7comm.operation': 'other' satisfies Operation,
    's7comm.error_class': null,
    's7comm.error_code': null,
    's7comm.error': null,
    's7comm.cotp.pdu': 'DT',
    's7comm.cotp.tpdus': 1,
  };
}

/** Whether `b[s, e)` starts like an S7comm PDU header: the probe's test. */
export function looksLikeS7(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 2 || b[s] !== S7COMM_PROTOCOL_ID) return false;
  const r = b[s + 1];
  return r === ROSCTR.JOB || r === ROSCTR.ACK || r === ROSCTR.ACK_DATA || r === ROSCTR.USERDATA;
}

/**
 * One S7comm PDU, `b[s, e)` (the whole reassembled DT payload), as an event record or the
 * violation reason. `szlContinuation` is the data unit reference of an SZL answer the session
 * expects more fragments of, -1 when none: a READ_SZL response with that reference carries bare
 * records without the SZL header. `aux` is filled for the session.
 */
export function parseS7(
  b: Uint8Array,
  s: number,
  e: number,
  szlContinuation: number,
  aux: S7Aux,
): Fields | string {
  aux.reset();
  const n = e - s;
  if (n < S7_HEADER_LENGTH) return `S7comm PDU of ${n} bytes is shorter than its 10-byte header`;
  if (b[s] !== S7COMM_PROTOCOL_ID) return `S7comm protocol id 0x${b[s].toString(16)} is not 0x32`;
  const rosctr = b[s + 1];
  const hasError = rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA;
  if (!hasError && rosctr !== ROSCTR.JOB && rosctr !== ROSCTR.USERDATA)
    return `S7comm ROSCTR ${rosctr} is not defined`;
  const hdr = hasError ? S7_ACK_HEADER_LENGTH : S7_HEADER_LENGTH;
  if (n < hdr)
    return `S7comm ${ROSCTR_NAMES[rosctr]} PDU of ${n} bytes is shorter than its ${hdr}-byte header`;
  const pduRef = u16be(b, s + 4);
  const plen = u16be(b, s + 6);
  const dlen = u16be(b, s + 8);
  if (hdr + plen + dlen > n) {
    return `S7comm parameter (${plen}) and data (${dlen}) lengths exceed the ${n}-byte PDU`;
  }
  const f = s7Record(rosctr, pduRef);
  const p = s + hdr;
  const d = p + plen;
  if (hasError) {
    const code = u16be(b, s + 10);
    f['s7comm.error_class'] = ERROR_CLASS_NAMES[b[s + 10]];
    f['s7comm.error_code'] = code;
    f['s7comm.error'] = errorName(code);
  }
  if (rosctr === ROSCTR.USERDATA) {
    const problem = parseUserdata(b, p, plen, d, dlen, f, szlContinuation, aux);
    return problem ?? f;
  }
  if (plen === 0) return f; // an ACK, or an error answer: the session names its function
  const fc = b[p];
  aux.functionCode = fc;
  f['s7comm.function'] = FUNCTION_NAMES[fc];
  f['s7comm.function_code'] = fc;
  f['s7comm.operation'] = FUNCTION_OPERATION_BY_CODE[fc];
  const request = rosctr === ROSCTR.JOB;
  let problem: string | null = null;
  switch (fc) {
    case FC.SETUP_COMMUNICATION:
      if (plen < 8) return `SETUP_COMMUNICATION parameter of ${plen} bytes is shorter than 8`;
      f['s7comm.max_amq_calling'] = u16be(b, p + 2);
      f['s7comm.max_amq_called'] = u16be(b, p + 4);
      f['s7comm.pdu_size'] = u16be(b, p + 6);
      break;
    case FC.READ_VAR:
    case FC.WRITE_VAR:
      problem = request
        ? parseVarRequest(b, p, plen, d, dlen, fc, f)
        : parseVarResponse(b, p, plen, d, dlen, fc, f);
      break;
    case FC.REQUEST_DOWNLOAD:
    case FC.DOWNLOAD_BLOCK:
    case FC.DOWNLOAD_ENDED:
    case FC.START_UPLOAD:
    case FC.UPLOAD:
    case FC.END_UPLOAD:
      problem = parseBlockTransfer(b, p, plen, d, dlen, fc, request, f);
      break;
    case FC.PLC_CONTROL:
      if (request) problem = parsePiService(b, p, plen, f);
      break;
    case FC.PLC_STOP:
      if (request) problem = parsePlcStop(b, p, plen, f);
      break;
  }
  return problem ?? f;
}

/** READ_VAR / WRITE_VAR request: the items of the parameter, and for WRITE_VAR the data items. */
function parseVarRequest(
  b: Uint8Array,
  p: number,
  plen: number,
  d: number,
  dlen: number,
  fc: number,
  f: Fields,
): string | null {
  const name = FUNCTION_NAMES[fc];
  if (plen < 2) return `${name} request parameter of ${plen} bytes has no item count`;
  const count = b[p + 1];
  const kept = Math.min(count, MAX_EVENT_ITEMS);
  const areas = new Array<string>(kept);
  const dbs = new Array<number>(kept);
  const addresses = new Array<number>(kept);
  const bits = new Array<number>(kept);
  const sizes = new Array<string>(kept);
  const counts = new Array<number>(kept);
  const pend = p + plen;
  let i = p + 2;
  for (let item = 0; item < count; item++) {
    // Item: var spec type (0x12), length of the rest, syntax id, then the address.
    if (i + 3 > pend) return `${name} item ${item + 1} of ${count} is cut off by the parameter length`;
    if (b[i] !== VAR_SPEC_TYPE)
      return `${name} item ${item + 1}: variable specification 0x${b[i].toString(16)} is not 0x12`;
    const len = b[i + 1];
    if (i + 2 + len > pend) return `${name} item ${item + 1} of ${len} bytes runs past the parameter`;
    const syntax = b[i + 2];
    if (item < kept) {
      if (syntax === SYNTAX_IDS.S7ANY) {
        // S7ANY (len 10): transport size, count (2), DB number (2), area, bit address (3).
        if (len !== 10) return `${name} item ${item + 1}: S7ANY address of ${len} bytes, not 10`;
        const bitAddress = u24be(b, i + 9);
        sizes[item] = ITEM_TRANSPORT_SIZE_NAMES[b[i + 3]];
        counts[item] = u16be(b, i + 4);
        dbs[item] = u16be(b, i + 6);
        areas[item] = AREA_NAMES[b[i + 8]];
        addresses[item] = bitAddress >>> 3;
        bits[item] = bitAddress & 7;
      } else {
        // Other address syntaxes (NC, DBREAD, symbolic) are named, not decoded.
        areas[item] = SYNTAX_ID_NAMES[syntax];
        sizes[item] = SYNTAX_ID_NAMES[syntax];
        counts[item] = 0;
        dbs[item] = 0;
        addresses[item] = 0;
        bits[item] = 0;
      }
    }
    i += 2 + len;
  }
  f['s7comm.item_count'] = count;
  f['s7comm.areas'] = areas;
  f['s7comm.db_numbers'] = dbs;
  f['s7comm.addresses'] = addresses;
  f['s7comm.bit_offsets'] = bits;
  f['s7comm.transport_sizes'] = sizes;
  f['s7comm.counts'] = counts;
  if (fc === FC.WRITE_VAR) {
    const r = walkDataItems(b, d, dlen, count, true);
    if (typeof r === 'string') return `WRITE_VAR request data: ${r}`;
    f['s7comm.byte_count'] = r;
  }
  return null;
}

/**
 * Walks `count` data items (return code, transport size, length, data; every item but the last
 * padded to an even length) and returns the bytes of data they carry, or what is wrong.
 * `withData` is false for WRITE_VAR responses, whose items are one return code each.
 */
function walkDataItems(
  b: Uint8Array,
  d: number,
  dlen: number,
  count: number,
  withData: boolean,
): number | string {
  const dend = d + dlen;
  let i = d;
  let bytes = 0;
  for (let item = 0; item < count; item++) {
    if (!withData) {
      if (i + 1 > dend) return `item ${item + 1} of ${count} is missing`;
      i += 1;
      continue;
    }
    if (i + 4 > dend) return `item ${item + 1} of ${count} is cut off`;
    const ret = b[i];
    const size = b[i + 1];
    let len = u16be(b, i + 2);
    if (DATA_SIZE_IN_BITS[size]) len = (len + 7) >>> 3;
    // A failed read item carries only its header (return code other than SUCCESS, size NULL).
    if (ret !== 0xff && ret !== 0x00 && len === 0) {
      i += 4;
      continue;
    }
    if (i + 4 + len > dend) return `item ${item + 1} of ${len} bytes runs past the data`;
    bytes += len;
    i += 4 + len;
    if (len % 2 === 1 && item < count - 1) i++; // fill byte
  }
  return bytes;
}

/** READ_VAR / WRITE_VAR response: the item count of the parameter and one return code per item. */
function parseVarResponse(
  b: Uint8Array,
  p: number,
  plen: number,
  d: number,
  dlen: number,
  fc: number,
  f: Fields,
): string | null {
  const name = FUNCTION_NAMES[fc];
  if (plen < 2) return `${name} response parameter of ${plen} bytes has no item count`;
  const count = b[p + 1];
  const kept = Math.min(count, MAX_EVENT_ITEMS);
  const codes = new Array<string>(kept);
  const dend = d + dlen;
  let i = d;
  for (let item = 0; item < count; item++) {
    if (i >= dend) return `${name} response: item ${item + 1} of ${count} is missing`;
    const ret = b[i];
    if (item < kept) codes[item] = RETURN_CODE_NAMES[ret];
    if (fc === FC.WRITE_VAR) {
      i++;
      continue;
    }
    if (i + 4 > dend) {
      // The last failed item may be sent as its return code alone.
      if (ret !== 0xff && item === count - 1) break;
      return `${name} response: item ${item + 1} of ${count} is cut off`;
    }
    const size = b[i + 1];
    let len = u16be(b, i + 2);
    if (DATA_SIZE_IN_BITS[size]) len = (len + 7) >>> 3;
    if (i + 4 + len > dend) return `${name} response: item ${item + 1} of ${len} bytes runs past the data`;
    i += 4 + len;
    if (len % 2 === 1 && item < count - 1) i++;
  }
  f['s7comm.item_count'] = count;
  f['s7comm.return_codes'] = codes;
  return null;
}

/**
 * A PLC file name of upload, download and PI services: `_` (file identifier), block type (2
 * ASCII digits, BLOCK_TYPES), block number (5 ASCII digits), destination file system (`A`,
 * `P`, `B`). Sets the block fields when the name has that shape.
 */
function blockFileName(b: Uint8Array, s: number, len: number, f: Fields): void {
  f['s7comm.filename'] = asciiText(b, s, s + len);
  if (len !== 9 || b[s] !== 0x5f) return;
  const type = BLOCK_TYPES[String.fromCharCode(b[s + 1], b[s + 2])];
  if (type === undefined) return;
  let number = 0;
  for (let i = s + 3; i < s + 8; i++) {
    const digit = b[i] - 0x30;
    if (digit < 0 || digit > 9) return;
    number = number * 10 + digit;
  }
  f['s7comm.block_type'] = type;
  f['s7comm.block_number'] = number;
  f['s7comm.filesystem'] = FILESYSTEMS[String.fromCharCode(b[s + 8])] ?? null;
}

/** A decimal number written in `len` ASCII digits, or null. */
function asciiNumber(b: Uint8Array, s: number, len: number): number | null {
  if (len === 0) return null;
  let n = 0;
  for (let i = s; i < s + len; i++) {
    const digit = b[i] - 0x30;
    if (digit < 0 || digit > 9) return null;
    n = n * 10 + digit;
  }
  return n;
}

/**
 * Upload and download (Wireshark s7comm_decode_plc_controls_updownload). Requests carry function,
 * status, two unknown bytes, the upload id (4) and, except UPLOAD and END_UPLOAD, a file name;
 * REQUEST_DOWNLOAD adds the load memory length in ASCII. START_UPLOAD's answer carries the upload
 * id and the block length in ASCII; the UPLOAD and DOWNLOAD_BLOCK answers carry block data whose
 * first word is its length.
 */
function parseBlockTransfer(
  b: Uint8Array,
  p: number,
  plen: number,
  d: number,
  dlen: number,
  fc: number,
  request: boolean,
  f: Fields,
): string | null {
  const name = FUNCTION_NAMES[fc];
  f['s7comm.function_status'] = plen >= 2 ? b[p + 1] : null;
  f['s7comm.session_id'] = null;
  f['s7comm.filename'] = null;
  f['s7comm.block_type'] = null;
  f['s7comm.block_number'] = null;
  f['s7comm.filesystem'] = null;
  f['s7comm.block_length'] = null;
  const pend = p + plen;
  if (request) {
    if (plen < 8) return `${name} request parameter of ${plen} bytes is shorter than 8`;
    f['s7comm.session_id'] = u32be(b, p + 4);
    if (fc === FC.UPLOAD || fc === FC.END_UPLOAD) return null;
    if (plen < 9) return `${name} request has no file name`;
    const nameLen = b[p + 8];
    if (p + 9 + nameLen > pend) return `${name} file name of ${nameLen} bytes runs past the parameter`;
    blockFileName(b, p + 9, nameLen, f);
    let i = p + 9 + nameLen;
    if (fc === FC.REQUEST_DOWNLOAD && i < pend) {
      // Length part: its length, an unknown character, load memory length and MC7 length (6 ASCII digits each).
      const partLen = b[i];
      if (i + 1 + partLen > pend) return 'REQUEST_DOWNLOAD length part runs past the parameter';
      if (partLen >= 7) f['s7comm.block_length'] = asciiNumber(b, i + 2, 6);
      i += 1 + partLen;
    }
    return null;
  }
  if (fc === FC.START_UPLOAD) {
    if (plen < 8) return null;
    f['s7comm.session_id'] = u32be(b, p + 4);
    if (plen >= 9) {
      const lenLen = b[p + 8];
      if (p + 9 + lenLen > pend) return 'START_UPLOAD block length runs past the parameter';
      f['s7comm.block_length'] = asciiNumber(b, p + 9, lenLen);
    }
    return null;
  }
  if ((fc === FC.UPLOAD || fc === FC.DOWNLOAD_BLOCK) && dlen >= 4) {
    const len = u16be(b, d);
    if (len > dlen - 4) return `${name} block data of ${len} bytes runs past the data (${dlen - 4})`;
    f['s7comm.block_length'] = len;
  }
  return null;
}

/**
 * PLC_CONTROL request (Wireshark s7comm_decode_pi_service): function, 7 unknown bytes, parameter
 * block length (2), parameter block, service name length (1), service name. `_INSE`, `_INS2`
 * and `_DELE` list blocks (count, one unknown byte, then 8 ASCII characters per block: type (2),
 * number (5), file system); `P_PROGRAM`, `_MODU` and `_GARB` carry an argument string.
 */
function parsePiService(b: Uint8Array, p: number, plen: number, f: Fields): string | null {
  const pend = p + plen;
  if (plen < 11) return `PLC_CONTROL parameter of ${plen} bytes is shorter than 11`;
  const blockLen = u16be(b, p + 8);
  const blockStart = p + 10;
  const nameAt = blockStart + blockLen;
  if (nameAt + 1 > pend) return `PLC_CONTROL parameter block of ${blockLen} bytes runs past the parameter`;
  const nameLen = b[nameAt];
  if (nameAt + 1 + nameLen > pend)
    return `PLC_CONTROL service name of ${nameLen} bytes runs past the parameter`;
  const service = asciiText(b, nameAt + 1, nameAt + 1 + nameLen);
  f['s7comm.pi_service'] = service;
  f['s7comm.operation'] = piServiceOperation(service);
  f['s7comm.pi_argument'] = null;
  if (PI_SERVICES_WITH_BLOCKS.has(service)) {
    if (blockLen < 2) return `PLC_CONTROL ${service} has no block count`;
    const count = b[blockStart];
    if (2 + count * 8 > blockLen) return `PLC_CONTROL ${service} lists ${count} blocks in ${blockLen} bytes`;
    const kept = Math.min(count, MAX_EVENT_ITEMS);
    const blocks = new Array<string>(kept);
    for (let i = 0; i < kept; i++) {
      const at = blockStart + 2 + i * 8;
      const type = BLOCK_TYPES[String.fromCharCode(b[at], b[at + 1])] ?? 'UNKNOWN';
      blocks[i] = `${type} ${asciiNumber(b, at + 2, 5) ?? asciiText(b, at + 2, at + 7)}`;
      if (i === 0) {
        f['s7comm.block_type'] = type;
        f['s7comm.block_number'] = asciiNumber(b, at + 2, 5);
        f['s7comm.filesystem'] = FILESYSTEMS[String.fromCharCode(b[at + 7])] ?? null;
      }
    }
    f['s7comm.block_count'] = count;
    f['s7comm.blocks'] = blocks;
  } else if (blockLen > 0) {
    f['s7comm.pi_argument'] = asciiText(b, blockStart, nameAt);
  }
  return null;
}

/** PLC_STOP request: function, 5 unknown bytes, service name length (1), service name. */
function parsePlcStop(b: Uint8Array, p: number, plen: number, f: Fields): string | null {
  if (plen < 7) return `PLC_STOP parameter of ${plen} bytes is shorter than 7`;
  const nameLen = b[p + 6];
  if (7 + nameLen > plen) return `PLC_STOP service name of ${nameLen} bytes runs past the parameter`;
  f['s7comm.pi_service'] = asciiText(b, p + 7, p + 7 + nameLen);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Userdata (ROSCTR 7)
// ---------------------------------------------------------------------------------------------

/**
 * Userdata parameter (head 00 01 12, length, method, type/group, sub-function, sequence number,
 * and when the length byte says 8: data unit reference, last data unit, error code) and its data
 * (return code, transport size, length, payload). Fills `f` and `aux`; returns a violation reason
 * or null.
 */
function parseUserdata(
  b: Uint8Array,
  p: number,
  plen: number,
  d: number,
  dlen: number,
  f: Fields,
  szlContinuation: number,
  aux: S7Aux,
): string | null {
  if (plen < USERDATA_PARAM_MIN_LENGTH) return `USERDATA parameter of ${plen} bytes is shorter than 8`;
  if (u24be(b, p) !== USERDATA_PARAM_HEAD) return 'USERDATA parameter head is not 00 01 12';
  if (4 + b[p + 3] > plen) return `USERDATA parameter length ${b[p + 3]} runs past the parameter`;
  const tg = b[p + 5];
  const type = tg >> 4;
  const group = tg & 0x0f;
  const sub = b[p + 6];
  aux.userdataType = type;
  aux.userdataGroup = group;
  aux.subfunction = sub;
  f['s7comm.function'] = SUBFUNCTION_NAMES[group][sub];
  f['s7comm.function_code'] = sub;
  f['s7comm.operation'] = SUBFUNCTION_OPERATION[group][sub];
  f['s7comm.group'] = USERDATA_GROUP_NAMES[group];
  f['s7comm.userdata_type'] = USERDATA_TYPE_NAMES[type];
  f['s7comm.seq'] = b[p + 7];
  if (b[p + 3] >= 8 && plen >= USERDATA_PARAM_LONG_LENGTH) {
    aux.dataUnitRef = b[p + 8];
    aux.lastDataUnit = b[p + 9];
    const code = u16be(b, p + 10);
    f['s7comm.error_code'] = code;
    f['s7comm.error'] = errorName(code);
  }
  f['s7comm.return_code'] = null;
  if (dlen === 0) return null;
  if (dlen < USERDATA_DATA_HEADER_LENGTH) return `USERDATA data of ${dlen} bytes is shorter than its header`;
  f['s7comm.return_code'] = RETURN_CODE_NAMES[b[d]];
  const len = u16be(b, d + 2);
  const x = d + USERDATA_DATA_HEADER_LENGTH;
  if (len > dlen - USERDATA_DATA_HEADER_LENGTH) {
    return `USERDATA data length ${len} runs past the ${dlen - USERDATA_DATA_HEADER_LENGTH} bytes sent`;
  }
  const xend = x + len;
  const response = type === USERDATA_TYPES.RESPONSE;
  if (group === USERDATA_GROUPS.CPU_FUNCTIONS && sub === CPU_SUBFUNCTIONS.READ_SZL) {
    return parseSzl(b, x, xend, response, f, szlContinuation, aux);
  }
  if (group === USERDATA_GROUPS.BLOCK_FUNCTIONS) parseBlockFunction(b, x, xend, sub, response, f);
  else if (group === USERDATA_GROUPS.TIME_FUNCTIONS) {
    const carries = response ? sub === TIME_SUBFUNCTIONS.READ_CLOCK : sub === TIME_SUBFUNCTIONS.SET_CLOCK;
    if (carries && len >= 10) f['s7comm.clock'] = s7Timestamp(b, x);
  }
  return null;
}

/**
 * READ_SZL. A request asks for an SZL id and index; the first answer fragment starts with the SZL
 * header (id, index, record length, record count) before the records; later fragments (same data
 * unit reference, announced by "last data unit" = 1) carry records only.
 */
function parseSzl(
  b: Uint8Array,
  x: number,
  xend: number,
  response: boolean,
  f: Fields,
  szlContinuation: number,
  aux: S7Aux,
): string | null {
  f['s7comm.szl_id'] = null;
  f['s7comm.szl_index'] = null;
  f['s7comm.szl_name'] = null;
  if (!response) {
    if (xend - x >= 4) setSzl(f, u16be(b, x), u16be(b, x + 2), aux);
    return null;
  }
  if (szlContinuation >= 0 && aux.dataUnitRef === szlContinuation) {
    aux.recordsStart = x;
    aux.recordsEnd = xend;
    return null;
  }
  if (xend - x === 0) return null; // an error answer
  if (xend - x < SZL_HEADER_LENGTH)
    return `READ_SZL answer of ${xend - x} bytes is shorter than the SZL header`;
  setSzl(f, u16be(b, x), u16be(b, x + 2), aux);
  aux.recordLength = u16be(b, x + 4);
  f['s7comm.szl_record_count'] = u16be(b, x + 6);
  aux.recordsStart = x + SZL_HEADER_LENGTH;
  aux.recordsEnd = xend;
  return null;
}

/** Sets the SZL id fields and the operation its partial list implies. */
export function setSzl(f: Fields, id: number, index: number, aux: S7Aux | null): void {
  const list = id & 0xff;
  f['s7comm.szl_id'] = id;
  f['s7comm.szl_index'] = index;
  f['s7comm.szl_name'] = SZL_LIST_NAMES[list];
  f['s7comm.operation'] = SZL_DISCOVERY_LISTS.has(list) ? 'discovery' : 'diagnostic';
  if (aux !== null) {
    aux.szlId = id;
    aux.szlIndex = index;
  }
}

/**
 * Block functions: LIST_BLOCKS answers with (type, count) pairs; LIST_BLOCKS_OF_TYPE asks for a
 * type and answers with (number, flags, language) entries; GET_BLOCK_INFO asks for a file name
 * (type 2, number 5, file system 1 ASCII). Block types here are the same two ASCII digits.
 */
function parseBlockFunction(
  b: Uint8Array,
  x: number,
  xend: number,
  sub: number,
  response: boolean,
  f: Fields,
): void {
  const n = xend - x;
  if (sub === BLOCK_SUBFUNCTIONS.LIST_BLOCKS && response) {
    const count = n >>> 2;
    const kept = Math.min(count, MAX_EVENT_ITEMS);
    const types = new Array<string>(kept);
    const counts = new Array<number>(kept);
    for (let i = 0; i < kept; i++) {
      const at = x + i * 4;
      types[i] = BLOCK_TYPES[String.fromCharCode(b[at], b[at + 1])] ?? 'UNKNOWN';
      counts[i] = u16be(b, at + 2);
    }
    f['s7comm.block_types'] = types;
    f['s7comm.block_counts'] = counts;
  } else if (sub === BLOCK_SUBFUNCTIONS.LIST_BLOCKS_OF_TYPE && !response && n >= 2) {
    f['s7comm.block_type'] = BLOCK_TYPES[String.fromCharCode(b[x], b[x + 1])] ?? null;
  } else if (sub === BLOCK_SUBFUNCTIONS.LIST_BLOCKS_OF_TYPE && response) {
    const count = n >>> 2;
    const kept = Math.min(count, MAX_EVENT_ITEMS);
    const numbers = new Array<number>(kept);
    for (let i = 0; i < kept; i++) numbers[i] = u16be(b, x + i * 4);
    f['s7comm.item_count'] = count;
    f['s7comm.block_numbers'] = numbers;
  } else if (sub === BLOCK_SUBFUNCTIONS.GET_BLOCK_INFO && !response && n >= 8) {
    f['s7comm.block_type'] = BLOCK_TYPES[String.fromCharCode(b[x], b[x + 1])] ?? null;
    f['s7comm.block_number'] = asciiNumber(b, x + 2, 5);
    f['s7comm.filesystem'] = FILESYSTEMS[String.fromCharCode(b[x + 7])] ?? null;
  }
}

function bcd(v: number): number {
  const hi = v >> 4;
  const lo = v & 0x0f;
  return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/**
 * The 10-byte S7 timestamp (Wireshark s7comm_add_timestamp_to_tree): reserved, year (2 BCD
 * bytes, of which the first is not a reliable century: years below 89 are 20xx), month, day,
 * hour, minute, second, milliseconds (3 BCD digits) and weekday. ISO 8601 text, or null.
 */
export function s7Timestamp(b: Uint8Array, x: number): string | null {
  const yy = bcd(b[x + 2]);
  const month = bcd(b[x + 3]);
  const day = bcd(b[x + 4]);
  const hour = bcd(b[x + 5]);
  const minute = bcd(b[x + 6]);
  const second = bcd(b[x + 7]);
  const msHigh = bcd(b[x + 8]);
  const msLow = b[x + 9] >> 4;
  if (yy < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return null;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || msHigh < 0 || msLow > 9) return null;
  const year = yy < 89 ? 2000 + yy : 1900 + yy;
  return `${year}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(msHigh * 10 + msLow, 3)}`;
}

// ---------------------------------------------------------------------------------------------
// SZL identity records (SSL-ID W#16#xy11 and W#16#xy1C)
// ---------------------------------------------------------------------------------------------

/** Partial lists whose records carry identity, and the record length their layout has. */
export function identityRecordLength(szlId: number): number {
  const list = szlId & 0xff;
  if (list === SZL_LISTS.MODULE_IDENTIFICATION) return MODULE_IDENT_RECORD_LENGTH;
  if (list === SZL_LISTS.COMPONENT_IDENTIFICATION) return COMPONENT_IDENT_RECORD_LENGTH;
  return 0;
}

/**
 * Version text of a module identification record's Ausbg/Ausbe words: `V3.2.7` when the first
 * byte is a letter (the firmware records: letter, then three version numbers), else the product
 * version number (hardware records).
 */
function identVersion(b: Uint8Array, at: number): string {
  const c = b[at];
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
    return `${String.fromCharCode(c)}${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
  }
  return String(u16be(b, at));
}

function isSiemensOrderNumber(order: string): boolean {
  for (const prefix of SIEMENS_ORDER_PREFIXES) if (order.startsWith(prefix)) return true;
  return false;
}

/**
 * Decodes one identity record at `b[at, at + length)` of partial list `szlId` into `f`: the raw
 * `s7comm.szl.*` fields and the `s7comm.device.*` identity (dissectors/device.ts). Records of
 * other indexes are skipped. Returns whether anything was set.
 */
export function decodeIdentityRecord(b: Uint8Array, at: number, szlId: number, f: Fields): boolean {
  const list = szlId & 0xff;
  const index = u16be(b, at);
  if (list === SZL_LISTS.MODULE_IDENTIFICATION) {
    // index (2), MlfB (20), BGTyp (2), Ausbg (2), Ausbe (2)
    const order = asciiText(b, at + 2, at + 22);
    const version = identVersion(b, at + 24);
    if (index === MODULE_IDENT_INDEX.MODULE) {
      f['s7comm.szl.order_number'] = order;
      f['s7comm.szl.hardware'] = version;
      if (order !== '') f['s7comm.device.model'] = order;
      f['s7comm.device.hardware'] = version;
      if (isSiemensOrderNumber(order)) f['s7comm.device.vendor'] = SIEMENS;
      return true;
    }
    if (index === MODULE_IDENT_INDEX.BASIC_HARDWARE) {
      f['s7comm.szl.basic_hardware'] = order;
      return true;
    }
    if (index === MODULE_IDENT_INDEX.BASIC_FIRMWARE) {
      f['s7comm.szl.firmware'] = version;
      f['s7comm.device.firmware'] = version;
      return true;
    }
    return false;
  }
  if (list !== SZL_LISTS.COMPONENT_IDENTIFICATION) return false;
  const text = (): string => asciiText(b, at + 2, at + COMPONENT_IDENT_RECORD_LENGTH);
  switch (index) {
    case COMPONENT_IDENT_INDEX.SYSTEM_NAME:
      f['s7comm.szl.system_name'] = text();
      return true;
    case COMPONENT_IDENT_INDEX.MODULE_NAME: {
      const name = text();
      f['s7comm.szl.module_name'] = name;
      if (name !== '') f['s7comm.device.name'] = name;
      return true;
    }
    case COMPONENT_IDENT_INDEX.PLANT_ID: {
      const plant = text();
      f['s7comm.szl.plant_id'] = plant;
      if (plant !== '') f['s7comm.device.description'] = plant;
      return true;
    }
    case COMPONENT_IDENT_INDEX.COPYRIGHT: {
      const copyright = text();
      f['s7comm.szl.copyright'] = copyright;
      if (copyright === SIEMENS_COPYRIGHT) f['s7comm.device.vendor'] = SIEMENS;
      return true;
    }
    case COMPONENT_IDENT_INDEX.SERIAL: {
      const serial = text();
      f['s7comm.szl.serial'] = serial;
      if (serial !== '') f['s7comm.device.serial'] = serial;
      return true;
    }
    case COMPONENT_IDENT_INDEX.MODULE_TYPE: {
      const type = text();
      f['s7comm.szl.module_type'] = type;
      if (type !== '') f['s7comm.device.product'] = type;
      return true;
    }
    case COMPONENT_IDENT_INDEX.MEMORY_CARD_SERIAL:
      f['s7comm.szl.memory_card_serial'] = text();
      return true;
    case COMPONENT_IDENT_INDEX.LOCATION:
      f['s7comm.szl.location'] = text();
      return true;
  }
  return false;
}

/** The system name stands in for the module name when the module has none (device.ts `name`). */
export function completeIdentity(f: Fields): void {
  const system = f['s7comm.szl.system_name'];
  if (f['s7comm.device.name'] === undefined && typeof system === 'string' && system !== '') {
    f['s7comm.device.name'] = system;
  }
}

// ---------------------------------------------------------------------------------------------
// S7comm-plus
// ---------------------------------------------------------------------------------------------

/** The fields every S7comm-plus message event starts with, in this order. */
function plusRecord(version: number): Fields {
  return {
    's7comm_plus.version': version,
    's7comm_plus.opcode': null,
    's7comm_plus.function': null,
    's7comm_plus.function_code': null,
    's7comm_plus.operation': 'other' satisfies Operation,
    's7comm_plus.seq': null,
    's7comm_plus.session_id': null,
    's7comm_plus.transport_flags': null,
    's7comm_plus.subscription_id': null,
    's7comm_plus.integrity': false,
    's7comm_plus.cotp.pdu': 'DT',
    's7comm_plus.cotp.tpdus': 1,
  };
}

/** Whether `b[s, e)` starts like an S7comm-plus frame (protocol id, a known version): the probe's test. */
export function looksLikePlus(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 2 || b[s] !== S7COMM_PLUS_PROTOCOL_ID) return false;
  const v = b[s + 1];
  return (
    v === PLUS_VERSIONS.V1 ||
    v === PLUS_VERSIONS.V2 ||
    v === PLUS_VERSIONS.V3 ||
    v === PLUS_VERSIONS.EXTENDED_KEEP_ALIVE ||
    v === PLUS_VERSIONS.KEEP_ALIVE
  );
}

/** Whether the frame `b[s, e)` ends with the trailer that closes a PDU (72, version, 00 00). */
export function plusHasTrailer(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < PLUS_HEADER_LENGTH + PLUS_TRAILER_LENGTH) return false;
  const len = u16be(b, s + 2);
  const t = s + PLUS_HEADER_LENGTH + len;
  return t + PLUS_TRAILER_LENGTH <= e && b[t] === S7COMM_PLUS_PROTOCOL_ID && b[t + 2] === 0 && b[t + 3] === 0;
}

/**
 * One S7comm-plus frame `b[s, e)` (a whole DT payload) as an event record: header (0x72, version,
 * data length), for V3 the integrity part (digest length, digest), then the opcode and, per
 * opcode, the function, sequence number, session id and transport flags. Keep-alive versions
 * carry no opcode. The data after these header fields is not decoded.
 */
export function parsePlus(b: Uint8Array, s: number, e: number): Fields | string {
  const n = e - s;
  if (n < PLUS_HEADER_LENGTH) return `S7comm-plus frame of ${n} bytes is shorter than its 4-byte header`;
  if (!looksLikePlus(b, s, e))
    return `S7comm-plus protocol id 0x${b[s].toString(16)} / version ${b[s + 1]} not known`;
  const version = b[s + 1];
  const len = u16be(b, s + 2);
  if (PLUS_HEADER_LENGTH + len > n) return `S7comm-plus data length ${len} runs past the ${n}-byte frame`;
  const f = plusRecord(version);
  if (version === PLUS_VERSIONS.KEEP_ALIVE || version === PLUS_VERSIONS.EXTENDED_KEEP_ALIVE) {
    f['s7comm_plus.opcode'] = 'KEEP_ALIVE';
    return f;
  }
  let i = s + PLUS_HEADER_LENGTH;
  const dend = i + len;
  if (version === PLUS_VERSIONS.V3) {
    const digest = b[i];
    if (digest > MAX_PLUS_DIGEST_LENGTH || i + 1 + digest > dend) {
      return `S7comm-plus V3 integrity digest of ${digest} bytes does not fit`;
    }
    f['s7comm_plus.integrity'] = true;
    i += 1 + digest;
  }
  if (i >= dend) return 'S7comm-plus frame has no opcode';
  const opcode = b[i];
  f['s7comm_plus.opcode'] = PLUS_OPCODE_NAMES[opcode];
  if (opcode === PLUS_OPCODES.REQUEST) {
    // opcode, reserved (2), function (2), reserved (2), sequence number (2), session id (4), transport flags
    if (i + 14 > dend) return 'S7comm-plus request header is cut off';
    setPlusFunction(f, u16be(b, i + 3));
    f['s7comm_plus.seq'] = u16be(b, i + 7);
    f['s7comm_plus.session_id'] = u32be(b, i + 9);
    f['s7comm_plus.transport_flags'] = b[i + 13];
  } else if (opcode === PLUS_OPCODES.RESPONSE || opcode === PLUS_OPCODES.RESPONSE2) {
    // opcode, reserved (2), function (2), reserved (2), sequence number (2), transport flags
    if (i + 9 > dend) return 'S7comm-plus response header is cut off';
    setPlusFunction(f, u16be(b, i + 3));
    f['s7comm_plus.seq'] = u16be(b, i + 7);
    if (i + 10 <= dend) f['s7comm_plus.transport_flags'] = b[i + 9];
  } else if (opcode === PLUS_OPCODES.NOTIFICATION) {
    // opcode, subscription object id (4), ...
    if (i + 5 > dend) return 'S7comm-plus notification header is cut off';
    f['s7comm_plus.subscription_id'] = u32be(b, i + 1);
    f['s7comm_plus.operation'] = PLUS_NOTIFICATION_OPERATION;
  }
  return f;
}

function setPlusFunction(f: Fields, code: number): void {
  f['s7comm_plus.function'] = plusFunctionName(code);
  f['s7comm_plus.function_code'] = code;
  f['s7comm_plus.operation'] = plusFunctionOperation(code);
}
