// The S7comm and S7comm-plus dissectors: two descriptors over one ISO-on-TCP session. Both
// protocols ride in COTP DT TPDUs over TPKT on port 102 and open with the same COTP connection
// request, so the probes wait (`maybe`) until the first DT shows the protocol id, 0x32 for
// S7comm or 0x72 for S7comm-plus, and the connection is pinned to that one. The session cuts each
// direction into TPKTs (RFC 1006 §6: the TPKT length delimits every TPDU, TCP splits and merges
// them freely), reports COTP control TPDUs (CR, CC, DR, DC, ER, ...) as events, reassembles DT
// sequences up to the TPDU with the EOT bit (RFC 905 §13.7), and hands each whole S7 PDU to
// parser.ts. On top it pairs S7comm responses with their jobs by PDU reference (an ACK without
// parameter names no function; a PLC_CONTROL answer does not repeat its PI service) and follows
// SZL answers split over several userdata PDUs, so the identity in their records is decoded.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  COTP_DT,
  type CotpKeys,
  completeIdentity,
  cotpKeys,
  decodeIdentityRecord,
  dtHeaderLength,
  EOT_BIT,
  identityRecordLength,
  looksLikePlus,
  looksLikeS7,
  looksLikeTpdu,
  MAX_SDU_LENGTH,
  MAX_TPKT_LENGTH,
  parseCotpControl,
  parsePlus,
  parseS7,
  plusHasTrailer,
  S7Aux,
  setSzl,
  TPKT_HEADER_LENGTH,
  tpktLength,
  tpktProblem,
} from './parser.ts';
import {
  COMPONENT_IDENT_RECORD_LENGTH,
  CPU_SUBFUNCTIONS,
  FUNCTION_CODES as FC,
  FUNCTION_NAMES,
  ISO_TSAP_PORT,
  type Operation,
  ROSCTR,
  ROSCTR_NAMES,
  S7COMM_PLUS_PROTOCOL_ID,
  S7COMM_PROTOCOL_ID,
  USERDATA_GROUPS,
  USERDATA_TYPES,
} from './spec.ts';

/**
 * Jobs awaiting their answer per connection. S7 clients keep at most the "max AmQ" negotiated by
 * SETUP_COMMUNICATION outstanding (1 to 8 in practice, a 16-bit field); beyond this the oldest is
 * forgotten, and an answer that names no function then prints its ROSCTR (`ACK`).
 */
export const MAX_PENDING_REQUESTS = 64;

/** Violations in a row, with no valid message between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Bytes skipped while looking for the next TPKT before another violation is reported: one maximum
 * TPKT without anything that frames as TPKT + COTP. A stream of garbage thus counts towards
 * MAX_CONSECUTIVE_VIOLATIONS instead of being scanned silently forever.
 */
export const RESYNC_REPORT_BYTES = MAX_TPKT_LENGTH;

/** Bytes the carry takes at a time while resynchronising (the test needs 6). */
export const RESYNC_WINDOW = 64;

/** First size of a direction's carry buffer; it doubles up to MAX_TPKT_LENGTH as TPKTs need. */
export const INITIAL_CARRY = 256;

/** TPKTs the probe checks in the first bytes of a direction. */
export const PROBE_MAX_TPDUS = 4;

/**
 * Longest SZL record the session keeps a partial copy of between fragments: the longest identity
 * record (xy1C, 34 bytes). Records of other lists are not decoded, so they are never kept.
 */
export const MAX_IDENTITY_RECORD_LENGTH = COMPONENT_IDENT_RECORD_LENGTH;

type Mode = 's7comm' | 's7comm_plus';

const COVERAGE_COTP = 'COTP (RFC 905) CR, CC, DR, DC, ER with references, TSAPs, rack/slot, TPDU size';

export const s7commDissector: DissectorDescriptor = {
  name: 's7comm',
  transport: 'tcp',
  ports: [ISO_TSAP_PORT],
  funcFields: ['s7comm.function'],
  operationField: 's7comm.operation',
  errorField: 's7comm.error',
  coverage: {
    protocol: 'S7comm (ISO-on-TCP)',
    decoded: [
      'TPKT framing and COTP DT reassembly (RFC 1006, RFC 905)',
      COVERAGE_COTP,
      'Job / Ack / Ack_Data / Userdata headers with error class and code',
      'SETUP_COMMUNICATION (AmQ, PDU size)',
      'READ_VAR / WRITE_VAR items (area, DB, address, transport size, count) and return codes',
      'REQUEST_DOWNLOAD, DOWNLOAD_BLOCK, DOWNLOAD_ENDED, START_UPLOAD, UPLOAD, END_UPLOAD (block type, number, file system, length, session)',
      'PLC_CONTROL PI services (P_PROGRAM, _INSE, _DELE, _MODU, _GARB, ...) with blocks and argument; PLC_STOP',
      'Userdata groups and sub-functions (CPU, block, time, security, programmer, cyclic, mode transition)',
      'READ_SZL id and index; SZL 0x0011 and 0x001C identity (order number, hardware, firmware, names, serial), across fragments',
      'LIST_BLOCKS, LIST_BLOCKS_OF_TYPE, GET_BLOCK_INFO; READ_CLOCK / SET_CLOCK time',
    ],
    recognised: [
      'CPU_SERVICES, unknown functions and sub-functions (UNKNOWN-<n>)',
      'PLC_PASSWORD (the password is never put in events)',
      'alarm, notify, programmer, cyclic and NC userdata bodies',
      'S7comm-plus PDUs on an S7comm connection',
    ],
    notHandled: [
      'values read or written',
      'SZL lists other than 0x0011 / 0x001C beyond id and index',
      'block bodies (MC7)',
    ],
  },
  probe: (dir, data) => probeIso('s7comm', dir, data),
  createSession: (ctx) => new IsoSession(ctx, 's7comm'),
};

export const s7commPlusDissector: DissectorDescriptor = {
  name: 's7comm_plus',
  transport: 'tcp',
  ports: [ISO_TSAP_PORT],
  funcFields: ['s7comm_plus.function', 's7comm_plus.opcode'],
  operationField: 's7comm_plus.operation',
  coverage: {
    protocol: 'S7comm-plus (ISO-on-TCP)',
    decoded: [
      'TPKT framing and COTP DT reassembly (RFC 1006, RFC 905)',
      COVERAGE_COTP,
      'frame header: version, integrity digest (V3), opcode, function, sequence number, session id, transport flags, subscription id',
    ],
    recognised: [
      'functions by code (EXPLORE, CREATE_OBJECT, SET_VARIABLE, GET_MULTI_VARIABLES, INVOKE, ...)',
      'keep-alive frames, continuation frames of fragmented PDUs',
      'TLS after INIT_SSL (the rest of the connection is ignored)',
    ],
    notHandled: ['object and attribute values (the data after the header)', 'integrity digest verification'],
  },
  probe: (dir, data) => probeIso('s7comm_plus', dir, data),
  createSession: (ctx) => new IsoSession(ctx, 's7comm_plus'),
};

/**
 * Port 102 also carries MMS and ICCP over the same TPKT/COTP, so ports decide nothing. Every
 * complete TPKT must frame as TPKT + COTP; control TPDUs (the CR that opens every connection) are
 * `maybe`; the first DT decides: its payload must start with this mode's protocol id and, when the
 * whole TPKT is there, parse cleanly.
 */
export function probeIso(mode: Mode, _dir: Direction, data: Uint8Array): ProbeVerdict {
  let pos = 0;
  for (let n = 0; n < PROBE_MAX_TPDUS && pos < data.length; n++) {
    const avail = data.length - pos;
    if (avail < TPKT_HEADER_LENGTH) {
      return data[pos] === 3 && (avail < 2 || data[pos + 1] === 0) ? 'maybe' : 'no';
    }
    const len = tpktLength(data, pos);
    if (len < 0) return 'no';
    if (avail < TPKT_HEADER_LENGTH + 2) return 'maybe';
    if (!looksLikeTpdu(data, pos)) return 'no';
    const s = pos + TPKT_HEADER_LENGTH;
    const complete = avail >= len;
    const e = complete ? pos + len : data.length;
    if (data[s + 1] >> 4 === COTP_DT) {
      const ps = s + 1 + data[s];
      if (complete && ps === e) {
        pos += len; // an empty DT says nothing
        continue;
      }
      if (e - ps < 2) return complete ? 'no' : 'maybe';
      const ours = mode === 's7comm' ? looksLikeS7(data, ps, e) : looksLikePlus(data, ps, e);
      if (!ours) return 'no';
      if (!complete) return 'maybe';
      // The first DT of a segmented PDU: its protocol id and type are all there is to check.
      if ((data[s + 2] & EOT_BIT) === 0) return 'yes';
      const parsed = mode === 's7comm' ? parseS7(data, ps, e, -1, new S7Aux()) : parsePlus(data, ps, e);
      return typeof parsed === 'string' ? 'no' : 'yes';
    }
    if (!complete) return 'maybe';
    if (typeof parseCotpControl(data, s, e, PROBE_KEYS) === 'string') return 'no';
    pos += len;
  }
  return 'maybe';
}

const PROBE_KEYS = cotpKeys('probe');
const KEYS: Readonly<Record<Mode, CotpKeys>> = {
  s7comm: cotpKeys('s7comm'),
  s7comm_plus: cotpKeys('s7comm_plus'),
};

/** Stream state of one direction. */
class DirectionState {
  /** Bytes of a TPKT that began in an earlier chunk; grown on need up to MAX_TPKT_LENGTH. */
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Bytes needed from the start of the carry before the next parse can make progress. */
  want = TPKT_HEADER_LENGTH;
  /** Framing was lost (bad TPKT or capture gap): skip to the next plausible TPKT. */
  resyncing = false;
  /** Bytes skipped since the last report while resynchronising. */
  skipped = 0;
  /** DT payloads of a TSDU whose EOT has not come yet (RFC 905 §13.7); grown on need. */
  sdu: Uint8Array | null = null;
  sduLength = 0;
  sduTpdus = 0;
  /** The TSDU being received outgrew MAX_SDU_LENGTH: drop DTs until its EOT. */
  sduDiscard = false;
  /** S7comm-plus: the last frame had no trailer, so the next frames continue its PDU. */
  plusContinuing = false;
  /** A gap was seen and no DT has started a PDU since. */
  afterGap = false;
}

export class IsoSession implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  private readonly keys: CotpKeys;
  private readonly aux = new S7Aux();
  // Jobs awaiting an answer, oldest first, as parallel arrays of which `pendingCount` are in use.
  private readonly pendingRefs: number[] = [];
  private readonly pendingCodes: number[] = [];
  private readonly pendingServices: (string | null)[] = [];
  private readonly pendingOps: Operation[] = [];
  private pendingCount = 0;
  // An SZL answer split over userdata PDUs: its data unit reference (-1: none), id, index, and the
  // start of an identity record cut by a fragment boundary.
  private szlRef = -1;
  private szlId = -1;
  private szlIndex = -1;
  private szlRecordLength = 0;
  private szlPartial: Uint8Array | null = null;
  private szlPartialLength = 0;
  private violationRun = 0;
  private stopped = false;

  constructor(
    private readonly ctx: SessionContext,
    private readonly mode: Mode,
  ) {
    this.keys = KEYS[mode];
  }

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.stopped) return;
    const st = this.dirs[dir];
    let off = 0;
    // Finish what an earlier chunk started; whole TPKTs in a chunk are parsed in place.
    while (st.carryLength > 0) {
      if (off >= chunk.length) return;
      const kept = st.carryLength;
      const limit = st.resyncing ? Math.max(st.want, kept + RESYNC_WINDOW) : st.want;
      const carry = this.ensureCarry(st, limit);
      const take = Math.min(limit - kept, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), kept);
      st.carryLength = kept + take;
      const stop = this.scan(st, dir, ts, carry.subarray(0, st.carryLength), 0);
      if (this.stopped) return;
      if (stop >= kept) {
        off += stop - kept;
        st.carryLength = 0;
      } else {
        carry.copyWithin(0, stop, st.carryLength);
        st.carryLength -= stop;
        off += take;
      }
    }
    const stop = this.scan(st, dir, ts, chunk, off);
    if (this.stopped || stop >= chunk.length) return;
    // The tail is shorter than the TPKT it starts: keep a copy, the chunk dies with this call.
    const rest = chunk.length - stop;
    this.ensureCarry(st, Math.max(rest, st.want)).set(chunk.subarray(stop), 0);
    st.carryLength = rest;
  }

  gap(dir: Direction, _ts: number, _length: number): void {
    // The bytes after a hole start anywhere in a TPKT: drop the partial one and look for a header.
    const st = this.dirs[dir];
    st.carryLength = 0;
    st.want = TPKT_HEADER_LENGTH;
    st.resyncing = true;
    st.skipped = 0;
    // DTs after the hole may finish a TSDU whose start was lost: see tpdu().
    st.afterGap = true;
    st.sduDiscard = false;
    st.sduLength = 0;
    st.sduTpdus = 0;
    st.plusContinuing = false;
    this.szlPartialLength = 0;
  }

  end(_ts: number): void {
    // Unanswered jobs and a partial TPKT at the end carry nothing worth an event.
    this.pendingCount = 0;
    this.pendingRefs.length = 0;
    this.pendingCodes.length = 0;
    this.pendingServices.length = 0;
    this.pendingOps.length = 0;
    this.szlRef = -1;
    this.szlPartial = null;
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
      st.sdu = null;
      st.sduLength = 0;
    }
  }

  private ensureCarry(st: DirectionState, n: number): Uint8Array {
    const old = st.carry;
    if (old !== null && old.length >= n) return old;
    let size = old === null ? INITIAL_CARRY : old.length * 2;
    while (size < n) size *= 2;
    const grown = new Uint8Array(Math.min(Math.max(size, n), MAX_TPKT_LENGTH + RESYNC_WINDOW));
    if (old !== null) grown.set(old.subarray(0, st.carryLength));
    st.carry = grown;
    return grown;
  }

  /**
   * Handles every TPKT in `buf` from `pos` and returns where it stopped: the start of bytes too
   * few for the next step, with `st.want` set to how many are needed from there.
   */
  private scan(st: DirectionState, dir: Direction, ts: number, buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (st.resyncing) {
        while (end - pos >= TPKT_HEADER_LENGTH + 2 && !looksLikeTpdu(buf, pos)) {
          pos++;
          if (++st.skipped >= RESYNC_REPORT_BYTES) {
            st.skipped = 0;
            this.report(dir, ts, `no TPKT header in ${RESYNC_REPORT_BYTES} bytes`, undefined);
            if (this.stopped) return end;
          }
        }
        if (end - pos < TPKT_HEADER_LENGTH + 2) {
          st.want = TPKT_HEADER_LENGTH + 2;
          return pos;
        }
      }
      const len = tpktLength(buf, pos);
      if (len === 0) {
        st.want = TPKT_HEADER_LENGTH;
        return pos;
      }
      if (len < 0) {
        this.report(dir, ts, tpktProblem(buf, pos), undefined);
        if (this.stopped) return end;
        st.resyncing = true;
        st.skipped = 0;
        pos++;
        continue;
      }
      if (end - pos < len) {
        st.want = len;
        return pos;
      }
      st.resyncing = false;
      st.skipped = 0;
      this.tpdu(st, dir, ts, buf, pos + TPKT_HEADER_LENGTH, pos + len);
      if (this.stopped) return end;
      pos += len;
    }
    st.want = TPKT_HEADER_LENGTH;
    return pos;
  }

  /** One TPDU, `b[s, e)`: a DT joins its TSDU, anything else is a COTP event. */
  private tpdu(st: DirectionState, dir: Direction, ts: number, b: Uint8Array, s: number, e: number): void {
    const k = this.keys;
    if (b[s + 1] >> 4 !== COTP_DT) {
      const r = parseCotpControl(b, s, e, k);
      if (typeof r === 'string') this.report(dir, ts, r, undefined);
      else this.deliver(dir, ts, r);
      return;
    }
    const h = dtHeaderLength(b, s, e);
    if (typeof h === 'string') {
      this.report(dir, ts, h, { [k.pdu]: 'DT' });
      return;
    }
    const eot = (b[s + 2] & EOT_BIT) !== 0;
    const ps = s + h;
    if (st.afterGap && st.sduLength === 0) {
      // After a capture gap, DTs that do not start with a protocol id are the rest of a TSDU whose
      // start was lost: they are dropped quietly up to the first DT that starts a PDU.
      const first = ps < e ? b[ps] : -1;
      if (first !== S7COMM_PROTOCOL_ID && first !== S7COMM_PLUS_PROTOCOL_ID) return;
      st.afterGap = false;
    }
    if (eot && st.sduLength === 0 && !st.sduDiscard) {
      // The usual case: a whole PDU in one DT, parsed in place.
      this.pdu(st, dir, ts, b, ps, e, 1);
      return;
    }
    if (st.sduDiscard) {
      if (eot) st.sduDiscard = false;
      return;
    }
    const total = st.sduLength + (e - ps);
    if (total > MAX_SDU_LENGTH) {
      this.report(dir, ts, `segmented PDU exceeds ${MAX_SDU_LENGTH} bytes`, {
        [k.pdu]: 'DT',
        [k.tpdus]: st.sduTpdus + 1,
      });
      st.sduLength = 0;
      st.sduTpdus = 0;
      st.sduDiscard = !eot;
      return;
    }
    let sdu = st.sdu;
    if (sdu === null || sdu.length < total) {
      let size = sdu === null ? INITIAL_CARRY : sdu.length * 2;
      while (size < total) size *= 2;
      const grown = new Uint8Array(Math.min(size, MAX_SDU_LENGTH));
      if (sdu !== null) grown.set(sdu.subarray(0, st.sduLength));
      st.sdu = sdu = grown;
    }
    sdu.set(b.subarray(ps, e), st.sduLength);
    st.sduLength = total;
    st.sduTpdus++;
    if (!eot) return;
    const tpdus = st.sduTpdus;
    st.sduLength = 0;
    st.sduTpdus = 0;
    this.pdu(st, dir, ts, sdu, 0, total, tpdus);
  }

  /** A whole TSDU, `b[s, e)`, that `tpdus` DTs carried. */
  private pdu(
    st: DirectionState,
    dir: Direction,
    ts: number,
    b: Uint8Array,
    s: number,
    e: number,
    tpdus: number,
  ): void {
    if (s === e) return; // an empty DT carries nothing
    const first = b[s];
    if (this.mode === 's7comm') {
      if (first === S7COMM_PROTOCOL_ID) this.s7(dir, ts, b, s, e, tpdus);
      else if (first === S7COMM_PLUS_PROTOCOL_ID) this.foreignPlus(dir, ts, b, s, e, tpdus);
      else this.notOurs(dir, ts, first, tpdus);
      return;
    }
    if (st.plusContinuing) {
      // Frames after one without a trailer continue its PDU; the last one has the trailer.
      if (!looksLikePlus(b, s, e)) this.notOurs(dir, ts, first, tpdus);
      else if (plusHasTrailer(b, s, e)) st.plusContinuing = false;
      return;
    }
    if (first === S7COMM_PLUS_PROTOCOL_ID) {
      const r = parsePlus(b, s, e);
      if (typeof r === 'string') {
        this.report(dir, ts, r, { 's7comm_plus.cotp.pdu': 'DT', 's7comm_plus.cotp.tpdus': tpdus });
        return;
      }
      r['s7comm_plus.cotp.tpdus'] = tpdus;
      if (r['s7comm_plus.opcode'] !== 'KEEP_ALIVE' && !plusHasTrailer(b, s, e)) st.plusContinuing = true;
      this.deliver(dir, ts, r);
    } else if (first === S7COMM_PROTOCOL_ID) {
      this.foreignS7(dir, ts, b, s, e, tpdus);
    } else if (first >= 0x14 && first <= 0x17 && e - s >= 2 && b[s + 1] === 0x03) {
      // A TLS record (RFC 8446 §5.1: content type 20-23, legacy version 3.x): the session was
      // switched to TLS by INIT_SSL; nothing after this can be read.
      this.deliver(dir, ts, {
        's7comm_plus.version': null,
        's7comm_plus.opcode': 'TLS',
        's7comm_plus.function': null,
        's7comm_plus.operation': 'auth' satisfies Operation,
        's7comm_plus.cotp.pdu': 'DT',
        's7comm_plus.cotp.tpdus': tpdus,
      });
      this.stopped = true;
      this.ctx.ignoreRest();
    } else {
      this.notOurs(dir, ts, first, tpdus);
    }
  }

  private notOurs(dir: Direction, ts: number, first: number, tpdus: number): void {
    const k = this.keys;
    this.report(
      dir,
      ts,
      `COTP DT payload starts with 0x${first.toString(16)}: neither S7comm (0x32) nor S7comm-plus (0x72)`,
      {
        [k.pdu]: 'DT',
        [k.tpdus]: tpdus,
      },
    );
  }

  /** An S7comm-plus frame on an S7comm connection: its header fields, named S7COMM_PLUS. */
  private foreignPlus(dir: Direction, ts: number, b: Uint8Array, s: number, e: number, tpdus: number): void {
    const r = parsePlus(b, s, e);
    if (typeof r === 'string') {
      this.report(dir, ts, r, { 's7comm.cotp.pdu': 'DT', 's7comm.cotp.tpdus': tpdus });
      return;
    }
    r['s7comm.function'] = 'S7COMM_PLUS';
    r['s7comm.operation'] = r['s7comm_plus.operation'];
    r['s7comm.cotp.pdu'] = 'DT';
    r['s7comm.cotp.tpdus'] = tpdus;
    this.deliver(dir, ts, r);
  }

  /** An S7comm PDU on an S7comm-plus connection: its fields, opcode S7COMM. */
  private foreignS7(dir: Direction, ts: number, b: Uint8Array, s: number, e: number, tpdus: number): void {
    const r = parseS7(b, s, e, -1, this.aux);
    if (typeof r === 'string') {
      this.report(dir, ts, r, { 's7comm_plus.cotp.pdu': 'DT', 's7comm_plus.cotp.tpdus': tpdus });
      return;
    }
    r['s7comm_plus.opcode'] = 'S7COMM';
    r['s7comm_plus.function'] = r['s7comm.function'];
    r['s7comm_plus.operation'] = r['s7comm.operation'];
    r['s7comm_plus.cotp.pdu'] = 'DT';
    r['s7comm_plus.cotp.tpdus'] = tpdus;
    this.deliver(dir, ts, r);
  }

  private s7(dir: Direction, ts: number, b: Uint8Array, s: number, e: number, tpdus: number): void {
    const aux = this.aux;
    const r = parseS7(b, s, e, this.szlRef, aux);
    if (typeof r === 'string') {
      const fields: Fields = { 's7comm.cotp.pdu': 'DT', 's7comm.cotp.tpdus': tpdus };
      if (e - s >= 6) {
        fields['s7comm.rosctr'] = ROSCTR_NAMES[b[s + 1]];
        fields['s7comm.pdu_ref'] = (b[s + 4] << 8) | b[s + 5];
      }
      this.report(dir, ts, r, fields);
      return;
    }
    r['s7comm.cotp.tpdus'] = tpdus;
    const rosctr = b[s + 1];
    if (rosctr === ROSCTR.JOB) {
      if (aux.functionCode >= 0) this.remember(r);
    } else if (rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA) {
      this.answer(r, rosctr);
    } else if (
      aux.userdataGroup === USERDATA_GROUPS.CPU_FUNCTIONS &&
      aux.subfunction === CPU_SUBFUNCTIONS.READ_SZL
    ) {
      this.szl(b, r);
    }
    this.deliver(dir, ts, r);
  }

  /** READ_SZL: follow-up requests and answer fragments, and the identity in the records. */
  private szl(b: Uint8Array, r: Fields): void {
    const aux = this.aux;
    if (aux.userdataType !== USERDATA_TYPES.RESPONSE) {
      // A follow-up request (no SZL id of its own) asks for the next fragment of the pending answer.
      if (r['s7comm.szl_id'] === null && this.szlRef >= 0) setSzl(r, this.szlId, this.szlIndex, null);
      return;
    }
    if (aux.recordsStart < 0) {
      this.szlRef = -1; // an error answer ends any transfer
      return;
    }
    if (aux.szlId >= 0) {
      // The first fragment: a new answer.
      this.szlId = aux.szlId;
      this.szlIndex = aux.szlIndex;
      const layout = identityRecordLength(aux.szlId);
      this.szlRecordLength = layout !== 0 && layout === aux.recordLength ? layout : 0;
      this.szlPartialLength = 0;
    } else {
      setSzl(r, this.szlId, this.szlIndex, null);
    }
    if (this.szlRecordLength > 0) this.identity(b, aux.recordsStart, aux.recordsEnd, r);
    this.szlRef = aux.lastDataUnit !== 0 ? aux.dataUnitRef : -1;
  }

  /** Decodes the identity records in `b[start, end)`, joining a record cut by the last fragment. */
  private identity(b: Uint8Array, start: number, end: number, r: Fields): void {
    const len = this.szlRecordLength;
    let i = start;
    if (this.szlPartialLength > 0) {
      const partial = this.szlPartial!;
      const take = Math.min(len - this.szlPartialLength, end - i);
      partial.set(b.subarray(i, i + take), this.szlPartialLength);
      this.szlPartialLength += take;
      i += take;
      if (this.szlPartialLength < len) return;
      decodeIdentityRecord(partial, 0, this.szlId, r);
      this.szlPartialLength = 0;
    }
    for (; end - i >= len; i += len) decodeIdentityRecord(b, i, this.szlId, r);
    if (i < end) {
      this.szlPartial ??= new Uint8Array(MAX_IDENTITY_RECORD_LENGTH);
      this.szlPartial.set(b.subarray(i, end), 0);
      this.szlPartialLength = end - i;
    }
    completeIdentity(r);
  }

  private remember(r: Fields): void {
    const ref = r['s7comm.pdu_ref'] as number;
    const service = r['s7comm.pi_service'];
    // A reused reference replaces the unanswered job that had it; the newcomer is the newest.
    const i = this.findPending(ref);
    if (i >= 0) this.forgetPending(i);
    else if (this.pendingCount >= MAX_PENDING_REQUESTS) this.forgetPending(0);
    const n = this.pendingCount++;
    this.pendingRefs[n] = ref;
    this.pendingCodes[n] = this.aux.functionCode;
    this.pendingServices[n] = typeof service === 'string' ? service : null;
    this.pendingOps[n] = r['s7comm.operation'] as Operation;
  }

  /**
   * An ACK or ACK_DATA: the job it answers lends its function when the answer has no parameter,
   * and its PI service and operation to PLC_CONTROL / PLC_STOP answers.
   */
  private answer(r: Fields, rosctr: number): void {
    const i = this.findPending(r['s7comm.pdu_ref'] as number);
    if (i < 0) {
      if (r['s7comm.function'] === null) r['s7comm.function'] = ROSCTR_NAMES[rosctr];
      return;
    }
    const code = this.pendingCodes[i];
    const service = this.pendingServices[i];
    const op = this.pendingOps[i];
    this.forgetPending(i);
    if (r['s7comm.function'] === null) {
      r['s7comm.function'] = FUNCTION_NAMES[code];
      r['s7comm.function_code'] = code;
      r['s7comm.operation'] = op;
    } else if (code !== r['s7comm.function_code']) {
      return;
    }
    if (service !== null && (code === FC.PLC_CONTROL || code === FC.PLC_STOP)) {
      r['s7comm.pi_service'] = service;
      r['s7comm.operation'] = op;
    }
  }

  private findPending(ref: number): number {
    for (let i = 0; i < this.pendingCount; i++) if (this.pendingRefs[i] === ref) return i;
    return -1;
  }

  private forgetPending(i: number): void {
    const last = --this.pendingCount;
    for (let j = i; j < last; j++) {
      this.pendingRefs[j] = this.pendingRefs[j + 1];
      this.pendingCodes[j] = this.pendingCodes[j + 1];
      this.pendingServices[j] = this.pendingServices[j + 1];
      this.pendingOps[j] = this.pendingOps[j + 1];
    }
  }

  private deliver(dir: Direction, ts: number, f: Fields): void {
    this.violationRun = 0;
    this.ctx.message(dir, ts, f);
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | undefined): void {
    this.ctx.violation(dir, ts, reason, fields);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.stopped = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} ${this.mode} violations in a row`);
    }
  }
}
