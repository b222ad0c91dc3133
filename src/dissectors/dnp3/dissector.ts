// The DNP3 dissectors, TCP and UDP (IEEE 1815-2012 carries the same data link frames over both in
// its IP networking annex; port 20000), sharing one session: it cuts each direction's bytes into
// data link frames (checking every CRC), reassembles transport segments into application
// fragments per source/destination pair (clause 8), parses each fragment (parser.ts), pairs
// responses with their requests by address and application sequence number (clause 4: an
// outstation answers with the request's sequence number) and reports one event per fragment and
// per link-only frame. What does not follow the specification is a violation; after too many in a
// row the connection is abandoned.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  blockCrcProblem,
  carriesUserData,
  checkFrameHeader,
  copyUserData,
  fragmentHeaderFields,
  HEADER_PROBLEMS,
  LINK_HEADER_LENGTH,
  type LinkInfo,
  linkFields,
  MAX_FRAGMENT_SIZE,
  MAX_FRAME_LENGTH,
  MAX_USER_DATA,
  MIN_LINK_LENGTH,
  parseFragment,
} from './parser.ts';
import {
  FUNCTION_CODES as FC,
  FUNCTION_NAME_BY_CODE,
  LINK_CONTROL,
  LINK_FUNCTION_NAME,
  linkFunctionIndex,
  NO_RESPONSE_BY_CODE,
  RESPONSE_FUNCTION_MIN,
  TRANSPORT,
} from './spec.ts';

/** The port IANA assigned to DNP3 over TCP and UDP. A hint for probing order only. */
export const DNP3_PORT = 20000;

/** Violations in a row, with no valid frame between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Octets skipped while looking for the next frame before another violation is reported: two of
 * the longest frames (clause 9) without a valid header. A stream of garbage then counts towards
 * MAX_CONSECUTIVE_VIOLATIONS instead of being scanned silently forever.
 */
export const RESYNC_REPORT_BYTES = 2 * MAX_FRAME_LENGTH;

/**
 * Per-direction buffer for a frame split across chunks: one frame in sync (292 octets), two while
 * resynchronising so a scan can cross from the kept octets into the next chunk.
 */
export const CARRY_CAPACITY = 2 * MAX_FRAME_LENGTH;

/**
 * Source/destination pairs of one direction with a fragment being reassembled at once. One link
 * usually serves one pair; a gateway relaying several outstations interleaves a few. A new pair
 * beyond this displaces the one that waited longest.
 */
export const MAX_ASSEMBLIES = 4;

/**
 * Requests awaiting a response per connection. A master has one outstanding request per
 * outstation (clause 4), and a link serves a few outstations; beyond this the oldest is forgotten.
 */
export const MAX_PENDING_REQUESTS = 32;

/** Link-only frames (link status, resets, acknowledgements) maintain the link: diagnostics. */
const LINK_FRAME_OPERATION = 'diagnostic';

const COVERAGE = {
  protocol: 'DNP3',
  decoded: [
    'data link frames: start, length, control (DIR, PRM, FCB, FCV), addresses, every CRC',
    'link functions (RESET_LINK_STATES, TEST_LINK_STATES, REQUEST_LINK_STATUS, ACK, NACK, LINK_STATUS, ...)',
    'transport segments reassembled into fragments (FIR, FIN, sequence)',
    'application header: all function codes, FIR/FIN/CON/UNS/sequence, IIN flags',
    'object headers: group, variation, qualifier, start/stop or count',
    'control relay output block (g12v1) and pattern control block (g12v2): control code, count, on/off time, status',
    'analog output block (g41v1-4): value, status',
    'file objects (g70v2-v8): name, mode, handle, size, block, status (never passwords)',
    'device attributes (g0v242-252): vendor, model, firmware, hardware, serial, name',
    'request/response pairing by address and application sequence number',
  ],
  recognised: [
    'object data of other groups: sized and stepped over, values not decoded',
    'secure authentication (g120) objects: headers and sizes only',
  ],
  notHandled: [
    'values of measurements (binary, analog, counters) and event times',
    'objects of unknown size without a size prefix: the walk stops there (dnp3.objects_complete false)',
    'DNP3 over serial links tunnelled in other protocols',
  ],
} as const;

const FUNC_FIELDS = ['dnp3.func', 'dnp3.link_func'] as const;

/** DNP3 over TCP. */
export const dnp3Dissector: DissectorDescriptor = {
  name: 'dnp3',
  transport: 'tcp',
  ports: [DNP3_PORT],
  funcFields: FUNC_FIELDS,
  operationField: 'dnp3.operation',
  unitField: 'dnp3.outstation',
  errorField: 'dnp3.error',
  coverage: COVERAGE,
  probe: (_dir, data) => probeDnp3(data, false),
  createSession: (ctx) => new Dnp3Session(ctx, false),
};

/** DNP3 over UDP: each datagram holds whole frames; fields are the same `dnp3.*`. */
export const dnp3UdpDissector: DissectorDescriptor = {
  name: 'dnp3',
  transport: 'udp',
  ports: [DNP3_PORT],
  funcFields: FUNC_FIELDS,
  operationField: 'dnp3.operation',
  unitField: 'dnp3.outstation',
  errorField: 'dnp3.error',
  coverage: { ...COVERAGE, protocol: 'DNP3 over UDP' },
  probe: (_dir, data) => probeDnp3(data, true),
  createSession: (ctx) => new Dnp3Session(ctx, true),
};

/**
 * A stream or datagram is DNP3 when it opens with a frame header whose CRC is right: two start
 * octets and a 16-bit CRC leave a chance of one in 2^32 for anything else. Fewer than ten octets
 * that could still become a header are `maybe` on TCP; a datagram is whole, so there it is `no`.
 */
export function probeDnp3(data: Uint8Array, datagram: boolean): ProbeVerdict {
  const h = checkFrameHeader(data, 0);
  if (h > 0) return 'yes';
  if (h === 0 && !datagram && data.length < LINK_HEADER_LENGTH) return 'maybe';
  return 'no';
}

/** A fragment being reassembled from the segments of one source/destination pair (clause 8). */
class Assembly {
  /** source * 65536 + destination. */
  key = -1;
  buf: Uint8Array | null = null;
  length = 0;
  /** Sequence number the next segment must carry. */
  nextSeq = 0;
  segments = 0;
  /** A fragment is in progress (FIR seen, FIN not yet). */
  active = false;
  /** The fragment in progress outgrew MAX_FRAGMENT_SIZE: its remaining segments are dropped quietly. */
  discarding = false;
  /** When the assembly was last used, for replacing the stalest. */
  touched = 0;
}

/** Stream state of one direction. */
class DirectionState {
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Octets needed from the start of the carry before the next scan can make progress. */
  want = LINK_HEADER_LENGTH;
  /** Framing was lost (bad header or capture gap): skip to the next valid header. */
  resyncing = false;
  skipped = 0;
  readonly assemblies: Assembly[] = [];
  uses = 0;
}

/** De-CRCed user data of the frame in hand: used synchronously, never kept (one per process). */
const SEGMENT = new Uint8Array(MAX_USER_DATA);

export class Dnp3Session implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  // Requests awaiting a response, oldest first, in parallel arrays: key (outstation, master,
  // sequence), time, function code, operation.
  private readonly pendingKeys: number[] = [];
  private readonly pendingTimes: number[] = [];
  private readonly pendingFuncs: number[] = [];
  private readonly pendingOps: string[] = [];
  private violationRun = 0;
  private abandoned = false;

  constructor(
    private readonly ctx: SessionContext,
    /** UDP: every data() call is one whole datagram holding whole frames. */
    private readonly datagrams: boolean,
  ) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    const st = this.dirs[dir];
    if (this.datagrams) {
      const stop = this.scan(st, dir, ts, chunk, 0);
      if (!this.abandoned && stop < chunk.length) {
        this.report(dir, ts, `datagram ends inside a frame (${chunk.length - stop} octets left)`, undefined);
      }
      // Each datagram starts afresh: framing never carries over.
      st.resyncing = false;
      st.skipped = 0;
      return;
    }
    let off = 0;
    while (st.carryLength > 0) {
      if (off >= chunk.length) return;
      const carry = st.carry!;
      const kept = st.carryLength;
      const limit = st.resyncing ? CARRY_CAPACITY : Math.max(st.want, kept);
      const take = Math.min(limit - kept, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), kept);
      st.carryLength = kept + take;
      const stop = this.scan(st, dir, ts, carry.subarray(0, st.carryLength), 0);
      if (this.abandoned) return;
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
    if (this.abandoned || stop >= chunk.length) return;
    // The tail is shorter than the frame (or header) it starts: keep a copy, the chunk is only
    // valid during this call.
    st.carry ??= new Uint8Array(CARRY_CAPACITY);
    st.carry.set(chunk.subarray(stop), 0);
    st.carryLength = chunk.length - stop;
  }

  gap(dir: Direction, _ts: number, _length: number): void {
    // After a hole the bytes start anywhere in a frame, and the fragment being reassembled has
    // lost a segment: drop both and look for the next header.
    const st = this.dirs[dir];
    st.carryLength = 0;
    st.want = LINK_HEADER_LENGTH;
    st.resyncing = true;
    st.skipped = 0;
    for (const a of st.assemblies) a.active = false;
  }

  end(_ts: number): void {
    // Unanswered requests and half-reassembled fragments carry nothing worth an event.
    this.pendingKeys.length = 0;
    this.pendingTimes.length = 0;
    this.pendingFuncs.length = 0;
    this.pendingOps.length = 0;
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
      st.assemblies.length = 0;
    }
  }

  /**
   * Handles every whole frame in buf from pos; returns where it stopped (the start of a partial
   * frame or header), with st.want set to the octets needed from there.
   */
  private scan(st: DirectionState, dir: Direction, ts: number, buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      const total = checkFrameHeader(buf, pos);
      if (total === 0) {
        st.want = LINK_HEADER_LENGTH;
        return pos;
      }
      if (total < 0) {
        if (!st.resyncing) {
          // One violation when framing is lost; the octets up to the next header are skipped quietly.
          st.resyncing = true;
          st.skipped = 0;
          this.report(dir, ts, HEADER_PROBLEMS[-total], undefined);
          if (this.abandoned) return end;
        } else if (++st.skipped >= RESYNC_REPORT_BYTES) {
          st.skipped = 0;
          this.report(dir, ts, `no DNP3 frame header in ${RESYNC_REPORT_BYTES} octets`, undefined);
          if (this.abandoned) return end;
        }
        pos++;
        continue;
      }
      if (end - pos < total) {
        st.want = total;
        return pos;
      }
      st.resyncing = false;
      st.skipped = 0;
      this.frame(st, dir, ts, buf, pos, total);
      if (this.abandoned) return end;
      pos += total;
    }
    st.want = LINK_HEADER_LENGTH;
    return pos;
  }

  /** One whole frame whose header checked out. */
  private frame(
    st: DirectionState,
    dir: Direction,
    ts: number,
    buf: Uint8Array,
    pos: number,
    total: number,
  ): void {
    const control = buf[pos + 3];
    const link: LinkInfo = {
      destination: buf[pos + 4] | (buf[pos + 5] << 8), // little-endian (clause 9)
      source: buf[pos + 6] | (buf[pos + 7] << 8),
      fromMaster: (control & LINK_CONTROL.DIR) !== 0,
      linkFunc: LINK_FUNCTION_NAME[linkFunctionIndex(control)],
      segments: 1,
    };
    const userLength = buf[pos + 2] - MIN_LINK_LENGTH;
    const copied = userLength > 0 ? copyUserData(buf, pos, total, SEGMENT, 0) : 0;
    if (copied < 0) {
      this.report(dir, ts, blockCrcProblem(-copied - 1), linkFields(link));
      return;
    }
    if (!carriesUserData(control)) {
      // Link service frames carry no user data (clause 9); any that do is ignored.
      this.violationRun = 0;
      const fields = linkFields(link);
      fields['dnp3.operation'] = LINK_FRAME_OPERATION;
      this.ctx.message(dir, ts, fields);
      return;
    }
    if (copied === 0) {
      this.report(dir, ts, `${link.linkFunc} frame without a transport header`, linkFields(link));
      return;
    }
    this.segment(st, dir, ts, link, copied);
  }

  /** The transport segment in SEGMENT[0, n): header octet, then application octets (clause 8). */
  private segment(st: DirectionState, dir: Direction, ts: number, link: LinkInfo, n: number): void {
    const th = SEGMENT[0];
    const fir = (th & TRANSPORT.FIR) !== 0;
    const fin = (th & TRANSPORT.FIN) !== 0;
    const seq = th & TRANSPORT.SEQ;
    const key = link.source * 65536 + link.destination;
    let a = this.findAssembly(st, key);
    if (fir) {
      if (a?.active) {
        // A new first segment discards the unfinished fragment (clause 8).
        a.active = false;
        this.report(
          dir,
          ts,
          `fragment of ${a.segments} segments discarded unfinished by a new first segment`,
          linkFields(link),
        );
        if (this.abandoned) return;
      }
      if (fin) {
        // The common case: a whole fragment in one frame, parsed where it lies.
        this.fragment(dir, ts, SEGMENT, 1, n, link);
        return;
      }
      a ??= this.newAssembly(st, key);
      a.buf ??= new Uint8Array(MAX_FRAGMENT_SIZE);
      a.length = 0;
      a.segments = 0;
      a.active = true;
      a.discarding = false;
    } else if (a === null || !a.active) {
      this.report(dir, ts, `transport segment ${seq} without a first segment`, linkFields(link));
      return;
    } else if (seq !== a.nextSeq) {
      // A repeat of the previous segment is a retransmission to discard quietly (clause 8).
      if (seq === ((a.nextSeq + TRANSPORT.SEQ) & TRANSPORT.SEQ)) return;
      a.active = false;
      this.report(
        dir,
        ts,
        `transport segment ${seq} out of sequence (expected ${a.nextSeq})`,
        linkFields(link),
      );
      return;
    }
    const octets = n - 1;
    a.nextSeq = (seq + 1) & TRANSPORT.SEQ;
    a.touched = ++st.uses;
    if (a.discarding || a.length + octets > MAX_FRAGMENT_SIZE) {
      // Reported once; the rest of the oversized fragment is followed, not kept, up to its FIN.
      if (fin) a.active = false;
      if (a.discarding) return;
      a.discarding = true;
      this.report(dir, ts, `fragment exceeds ${MAX_FRAGMENT_SIZE} octets`, linkFields(link));
      return;
    }
    a.buf!.set(SEGMENT.subarray(1, n), a.length);
    a.length += octets;
    a.segments++;
    this.violationRun = 0;
    if (!fin) return;
    a.active = false;
    this.fragment(dir, ts, a.buf!, 0, a.length, { ...link, segments: a.segments });
  }

  private findAssembly(st: DirectionState, key: number): Assembly | null {
    for (const a of st.assemblies) if (a.key === key) return a;
    return null;
  }

  private newAssembly(st: DirectionState, key: number): Assembly {
    let a: Assembly;
    if (st.assemblies.length < MAX_ASSEMBLIES) {
      a = new Assembly();
      st.assemblies.push(a);
    } else {
      a = st.assemblies[0];
      for (const b of st.assemblies) if (b.touched < a.touched) a = b;
    }
    a.key = key;
    a.active = false;
    a.touched = ++st.uses;
    return a;
  }

  /** A complete application fragment in buf[start, end). */
  private fragment(
    dir: Direction,
    ts: number,
    buf: Uint8Array,
    start: number,
    end: number,
    link: LinkInfo,
  ): void {
    const m = parseFragment(buf, start, end, link);
    if (typeof m === 'string') {
      this.report(dir, ts, m, fragmentHeaderFields(buf, start, end, link));
      return;
    }
    this.violationRun = 0;
    const fc = m['dnp3.func_code'] as number;
    const pairKey =
      ((m['dnp3.outstation'] as number) * 65536 + (m['dnp3.master'] as number)) * 16 +
      (m['dnp3.seq'] as number);
    if (fc < RESPONSE_FUNCTION_MIN) {
      if (!NO_RESPONSE_BY_CODE[fc]) this.remember(pairKey, ts, fc, m['dnp3.operation'] as string);
    } else if (fc !== FC.UNSOLICITED_RESPONSE) {
      this.answer(pairKey, ts, m);
    }
    this.ctx.message(dir, ts, m);
  }

  private remember(key: number, ts: number, fc: number, op: string): void {
    if (this.pendingKeys.length >= MAX_PENDING_REQUESTS) this.forget(0);
    this.pendingKeys.push(key);
    this.pendingTimes.push(ts);
    this.pendingFuncs.push(fc);
    this.pendingOps.push(op);
  }

  /** Pairs a response with the oldest request of the same outstation, master and sequence. */
  private answer(key: number, ts: number, m: Fields): void {
    const i = this.pendingKeys.indexOf(key);
    if (i < 0) {
      m['dnp3.matched'] = false;
      return;
    }
    const fc = this.pendingFuncs[i];
    m['dnp3.matched'] = true;
    m['dnp3.request_func'] = FUNCTION_NAME_BY_CODE[fc];
    // Capture timestamps have microsecond precision; rounding keeps float noise out of the field.
    m['dnp3.latency'] = Math.round((ts - this.pendingTimes[i]) * 1e6) / 1e6;
    // A response does what its request did (an AUTHENTICATE_RESP stays auth).
    if (m['dnp3.func_code'] === FC.RESPONSE) m['dnp3.operation'] = this.pendingOps[i];
    // A multi-fragment response answers one request with several fragments, each with the next
    // sequence number (clause 4): keep the request, expecting that number, until the final one.
    if (m['dnp3.fin'] === true) this.forget(i);
    else this.pendingKeys[i] = key - (key % 16) + ((key + 1) % 16);
  }

  private forget(i: number): void {
    this.pendingKeys.splice(i, 1);
    this.pendingTimes.splice(i, 1);
    this.pendingFuncs.splice(i, 1);
    this.pendingOps.splice(i, 1);
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | undefined): void {
    this.ctx.violation(dir, ts, reason, fields);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS && !this.abandoned) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} DNP3 violations in a row`);
    }
  }
}
