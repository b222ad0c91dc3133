// The OPC UA Binary dissector: the probe that recognises the UA Connection Protocol on a TCP stream,
// and the per-connection session that cuts each direction into chunks, follows the secure channel
// (its policy and mode), pairs responses with requests by RequestId, and reports one event per
// message (STYLE.md 3 and 4).
//
// Framing follows OPC 10000-6 (Part 6) §7.1.2.2 (every chunk states its size; TCP may split or
// merge chunks freely), §7.1.2.4 (the Acknowledge fixes the largest chunk each side may send),
// §6.7.2.2 (a message may span several chunks: C ... F, or an abort A, §6.7.3) and §6.7.2.4 (the
// response carries its request's RequestId). Chunk decoding is in parser.ts.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  type ChannelView,
  couldBeHeader,
  DECODE_WINDOW,
  HEADER_LENGTH,
  headerFields,
  MIN_BUFFER_SIZE,
  messageTypeAt,
  type OpcuaMessage,
  parseChunk,
  type ReadRequestInfo,
  T_HEL,
  TYPE_INDEX,
} from './parser.ts';
import { SECURITY_MODES, SERVICE_FAULT_NAME, SERVICES } from './spec.ts';

/** IANA-registered port of opc.tcp (Part 6 §7.2, "opc-ua-tcp" 4840). A hint for probing order only. */
export const OPCUA_TCP_PORT = 4840;

/**
 * Requests awaiting a response per connection. Clients keep a few Publish requests and a handful
 * of others outstanding (servers typically allow 10-100 queued Publish); beyond this the oldest is
 * forgotten and its response is reported without its request's context.
 */
export const MAX_PENDING_REQUESTS = 64;

/** Violations in a row, with no valid chunk between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Bytes skipped while looking for the next header before another violation is reported: four
 * decode windows, longer than the usual negotiated chunk (64 KiB) a gap can land in, so one lost
 * segment costs one report at most and a stream of garbage still counts towards the abandon limit.
 */
export const RESYNC_REPORT_BYTES = 4 * DECODE_WINDOW;

/** First size of a direction's carry buffer; it doubles as needed up to DECODE_WINDOW. */
export const INITIAL_CARRY = 4096;

export const opcuaDissector: DissectorDescriptor = {
  name: 'opcua',
  transport: 'tcp',
  ports: [OPCUA_TCP_PORT],
  funcFields: ['opcua.service', 'opcua.msg_type'],
  operationField: 'opcua.operation',
  errorField: 'opcua.error',
  coverage: {
    protocol: 'OPC UA Binary (opc.tcp)',
    decoded: [
      'Hello / Acknowledge / Error / ReverseHello',
      'OpenSecureChannel (policy, certificate and thumbprint presence, request type, security mode, token) / CloseSecureChannel',
      'chunk framing: intermediate, final and abort chunks; chunk size against the negotiated buffers',
      'service type of every Part 4 service, request handle, service result, ServiceFault paired with its request',
      'GetEndpoints / FindServers (endpoints, security policies and modes, user token types, server description)',
      'CreateSession / ActivateSession (application descriptions, session id, identity token type, user name, cleartext password)',
      'Read / Write / Call / Browse (node ids, attributes, methods, write results)',
      'server BuildInfo reads (manufacturer, product, software version)',
    ],
    recognised: [
      'messages on encrypted channels (channel id, token id)',
      'bodies of the other services (request handle and service result only)',
    ],
    notHandled: [
      'fields beyond the first chunk of a message split into several chunks',
      'streams picked up in the middle of a chunk at the start of capture (the probe needs a header first)',
      'OPC UA over HTTPS or WebSockets, and the JSON and XML encodings',
    ],
  },
  probe: probeOpcua,
  createSession: (ctx) => new OpcuaSession(ctx),
};

/**
 * A stream is OPC UA when it opens with a message header: a known type, a chunk type allowed for
 * it and a size between the type's fixed fields and MAX_CHUNK_SIZE (Part 6 §7.1.2.2). Four fixed
 * ASCII bytes and a bounded size are a strong signature; a Hello must also offer buffers of the
 * size §7.1.2.3 requires.
 */
export function probeOpcua(_dir: Direction, data: Uint8Array): ProbeVerdict {
  if (data.length === 0) return 'maybe';
  if (!couldBeHeader(data, 0, data.length)) return 'no';
  if (data.length < HEADER_LENGTH) return 'maybe';
  if (messageTypeAt(data, 0) !== T_HEL) return 'yes';
  if (data.length < 20) return 'maybe';
  const receive = data[12] | (data[13] << 8) | (data[14] << 16) | (data[15] << 24);
  const send = data[16] | (data[17] << 8) | (data[18] << 16) | (data[19] << 24);
  // Signed reads: sizes of 2 GiB and more are as implausible as tiny ones.
  return receive >= MIN_BUFFER_SIZE && send >= MIN_BUFFER_SIZE ? 'yes' : 'no';
}

/** Stream state of one direction. */
class DirectionState {
  /** Bytes of a chunk that began in an earlier TCP chunk; allocated on first need. */
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Bytes needed from the start of the carry before the next parse can make progress. */
  need = HEADER_LENGTH;
  /** Bytes of a chunk larger than DECODE_WINDOW still to pass over unread. */
  skip = 0;
  /** Framing was lost (bad header or capture gap): look for the next header. */
  resyncing = false;
  /** Bytes skipped since the last report while resynchronising. */
  skipped = 0;
  /** A message of several chunks is in progress (its first chunk was C, Part 6 §6.7.2.2). */
  open = false;
  openType = -1;
  openService: string | null = null;
  openOperation = 'other';
}

/** The channel as the parser sees it; one mutable object per session, updated before each parse. */
class SessionChannel implements ChannelView {
  secured: boolean | null = null;
  continuation = false;
  constructor(private readonly session: OpcuaSession) {}
  readRequest(requestId: number): ReadRequestInfo | null {
    return this.session.pendingRead(requestId);
  }
}

export class OpcuaSession implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  private readonly channel = new SessionChannel(this);
  /** Security policy (short name) of the connection's secure channel, null before an OPN is seen. */
  private policy: string | null = null;
  /** Its security mode: from the OpenSecureChannel request when readable, else inferred. */
  private mode: string | null = null;
  /** A body was read as plaintext: the channel is None or Sign, never encrypted. */
  private plaintextSeen = false;
  /** Largest chunk each direction may send, from the Acknowledge (0: not negotiated yet). */
  private readonly chunkLimit: [number, number] = [0, 0];
  // Requests awaiting a response, oldest first, as parallel arrays (see MAX_PENDING_REQUESTS).
  private readonly pendingIds: number[] = [];
  private readonly pendingServices: (string | null)[] = [];
  private readonly pendingOperations: string[] = [];
  private readonly pendingReads: (ReadRequestInfo | null)[] = [];
  private pendingCount = 0;
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    const st = this.dirs[dir];
    const len = chunk.length;
    let off = 0;
    while (off < len) {
      if (st.skip > 0) {
        const n = Math.min(st.skip, len - off);
        st.skip -= n;
        off += n;
        continue;
      }
      if (st.carryLength === 0) {
        // The common case: whole chunks in the TCP segment, parsed in place.
        const stop = this.scan(st, dir, ts, chunk, off, len);
        if (this.abandoned || stop >= len) return;
        // The tail starts a chunk that the next segments complete: keep a copy, the segment is
        // only valid during this call.
        this.keep(st, chunk, stop, len);
        return;
      }
      const carry = st.carry!;
      const take = Math.min(st.need - st.carryLength, len - off);
      if (take > 0) {
        carry.set(chunk.subarray(off, off + take), st.carryLength);
        st.carryLength += take;
        off += take;
      }
      if (st.carryLength < st.need) return;
      const kept = st.carryLength;
      const stop = this.scan(st, dir, ts, carry, 0, kept);
      if (this.abandoned) return;
      if (stop >= kept) {
        st.carryLength = 0;
        continue;
      }
      // Part of the carry remains (a header read, its body still to come; or bytes a resync has
      // yet to look at): move it to the front and grow the buffer if the chunk needs more room.
      carry.copyWithin(0, stop, kept);
      st.carryLength = kept - stop;
      this.reserve(st, st.need);
    }
  }

  gap(dir: Direction, _ts: number, length: number): void {
    const st = this.dirs[dir];
    // Chunks state their size (§7.1.2.2): a hole inside the current chunk loses that chunk only.
    if (!st.resyncing) {
      if (st.skip > 0) {
        if (length < st.skip) {
          st.skip -= length;
          return;
        }
      } else if (st.carryLength >= HEADER_LENGTH) {
        const carry = st.carry!;
        const size = (carry[4] | (carry[5] << 8) | (carry[6] << 16) | (carry[7] << 24)) >>> 0;
        const remaining = size - st.carryLength;
        if (couldBeHeader(carry, 0, HEADER_LENGTH) && length < remaining) {
          st.skip = remaining - length;
          st.carryLength = 0;
          st.need = HEADER_LENGTH;
          return;
        }
      }
    }
    st.carryLength = 0;
    st.skip = 0;
    st.need = HEADER_LENGTH;
    st.resyncing = true;
    st.skipped = 0;
    st.open = false;
  }

  end(_ts: number): void {
    this.pendingIds.length = 0;
    this.pendingServices.length = 0;
    this.pendingOperations.length = 0;
    this.pendingReads.length = 0;
    this.pendingCount = 0;
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
      st.skip = 0;
    }
  }

  /** The Read request a response answers, for the parser (see ChannelView). */
  pendingRead(requestId: number): ReadRequestInfo | null {
    const i = this.findPending(requestId);
    return i < 0 ? null : this.pendingReads[i];
  }

  private keep(st: DirectionState, chunk: Uint8Array, from: number, to: number): void {
    this.reserve(st, Math.max(st.need, to - from));
    st.carry!.set(chunk.subarray(from, to), 0);
    st.carryLength = to - from;
  }

  /** Makes the carry hold at least `n` bytes (never more than DECODE_WINDOW is asked for). */
  private reserve(st: DirectionState, n: number): void {
    const old = st.carry;
    if (old !== null && old.length >= n) return;
    let size = old === null ? INITIAL_CARRY : old.length;
    while (size < n) size *= 2;
    const grown = new Uint8Array(Math.min(size, DECODE_WINDOW));
    if (old !== null && st.carryLength > 0) grown.set(old.subarray(0, st.carryLength), 0);
    st.carry = grown;
  }

  /**
   * Parses every chunk in `buf[pos, end)` and returns where it stopped: `end`, or the start of
   * bytes too few for the next step, with `st.need` set to how many are needed from there. A chunk
   * running past `end` (larger than the decode window) leaves the rest to `st.skip`.
   */
  private scan(
    st: DirectionState,
    dir: Direction,
    ts: number,
    buf: Uint8Array,
    pos: number,
    end: number,
  ): number {
    while (pos < end) {
      if (st.resyncing) {
        while (pos < end && !couldBeHeader(buf, pos, end)) {
          pos++;
          if (this.skipByte(st, dir, ts)) return end;
        }
        if (end - pos < HEADER_LENGTH) {
          st.need = HEADER_LENGTH;
          return pos;
        }
      }
      const channel = this.channel;
      // Once a body read as plaintext, the channel is (None or Sign): read the rest strictly.
      channel.secured =
        this.policy === 'None' || this.plaintextSeen ? false : this.policy === null ? null : true;
      channel.continuation = st.open && end - pos >= 3 && messageTypeAt(buf, pos) === st.openType;
      const r = parseChunk(buf, pos, end, channel);
      if (r.kind === 'incomplete') {
        st.need = end - pos + r.needed;
        return pos;
      }
      if (r.kind === 'violation') {
        if (st.resyncing) {
          // A false start among the bytes being skipped: keep looking, quietly.
          pos++;
          if (this.skipByte(st, dir, ts)) return end;
          continue;
        }
        this.report(dir, ts, r.reason, headerFields(buf, pos, end));
        if (this.abandoned) return end;
        if (r.consumed <= 1) st.resyncing = true;
        pos += r.consumed;
      } else {
        st.resyncing = false;
        st.skipped = 0;
        this.violationRun = 0;
        this.deliver(st, dir, ts, r.message, channel.continuation);
        if (this.abandoned) return end;
        pos += r.consumed;
      }
      if (pos > end) {
        st.skip = pos - end;
        st.need = HEADER_LENGTH;
        return end;
      }
    }
    st.need = HEADER_LENGTH;
    return pos;
  }

  /** Counts one skipped byte; true when the report it triggered abandoned the connection. */
  private skipByte(st: DirectionState, dir: Direction, ts: number): boolean {
    if (++st.skipped < RESYNC_REPORT_BYTES) return false;
    st.skipped = 0;
    this.report(dir, ts, `no OPC UA message header in ${RESYNC_REPORT_BYTES} bytes`, undefined);
    return this.abandoned;
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | undefined): void {
    this.ctx.violation(dir, ts, reason, fields);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} OPC UA violations in a row`);
    }
  }

  private deliver(
    st: DirectionState,
    dir: Direction,
    ts: number,
    m: OpcuaMessage,
    continuation: boolean,
  ): void {
    const type = m['opcua.msg_type'];
    const size = m['opcua.msg_size'] as number;
    const limit = this.chunkLimit[dir];
    if (limit > 0 && size > limit) {
      // §7.1.2.4: the Acknowledge set the largest chunk each side sends; the chunk is still decoded.
      this.report(dir, ts, `${type} chunk of ${size} bytes exceeds the ${limit} bytes negotiated`, undefined);
      if (this.abandoned) return;
      this.violationRun = 0;
    }
    if (type === 'ACK') {
      const receive = m['opcua.receive_buffer_size'] as number;
      const send = m['opcua.send_buffer_size'] as number;
      // The acknowledging side receives at most `receive` and sends at most `send` bytes per chunk.
      this.chunkLimit[dir] = send;
      this.chunkLimit[dir === 0 ? 1 : 0] = receive;
      this.ctx.message(dir, ts, m);
      return;
    }
    if (type !== 'OPN' && type !== 'MSG' && type !== 'CLO') {
      this.ctx.message(dir, ts, m);
      return;
    }
    this.followChannel(m, type);
    if (continuation) {
      // The rest of a message reported with its first chunk; an abort ends it with a reason.
      const chunk = m['opcua.chunk'];
      if (chunk !== 'C') st.open = false;
      if (chunk !== 'A') return;
      m['opcua.service'] = st.openService;
      m['opcua.operation'] = st.openOperation;
      this.ctx.message(dir, ts, m);
      return;
    }
    if (m['opcua.chunk'] === 'C') {
      st.open = true;
      st.openType = TYPE_INDEX[type];
      st.openService = (m['opcua.service'] as string | undefined) ?? null;
      st.openOperation = m['opcua.operation'] as string;
    }
    const requestId = m['opcua.request_id'];
    if (typeof requestId === 'number') {
      if (m['opcua.response'] === false) this.remember(requestId, m);
      else if (m['opcua.response'] === true) this.answer(requestId, m);
    }
    this.ctx.message(dir, ts, m);
  }

  /** Keeps the channel's policy and mode, and states them on every secure conversation event. */
  private followChannel(m: OpcuaMessage, type: string): void {
    if (type === 'OPN') {
      const policy = m['opcua.security_policy'];
      if (typeof policy === 'string' && policy !== this.policy) {
        this.policy = policy;
        this.mode = null;
        this.plaintextSeen = false;
      }
      const mode = m['opcua.security_mode'];
      if (typeof mode === 'string') this.mode = mode;
      else if (this.policy === 'None') this.mode = SECURITY_MODES[1];
    }
    if (m['opcua.encrypted'] === false) this.plaintextSeen = true;
    if (type !== 'OPN' && this.policy !== null && this.policy !== 'None') {
      // Part 6 §6.7.2.3: in Sign mode bodies are plaintext and signed, in SignAndEncrypt encrypted.
      // A readable body settles it; an unreadable one only suggests it until one is readable.
      if (this.plaintextSeen) this.mode = SECURITY_MODES[2];
      else if (m['opcua.encrypted'] === true) this.mode = SECURITY_MODES[3];
    }
    if (type !== 'OPN') m['opcua.security_policy'] = this.policy;
    if (m['opcua.security_mode'] === undefined) m['opcua.security_mode'] = this.mode;
  }

  private remember(requestId: number, m: OpcuaMessage): void {
    const i = this.findPending(requestId);
    if (i >= 0) this.forgetPending(i);
    else if (this.pendingCount >= MAX_PENDING_REQUESTS) this.forgetPending(0);
    const service = (m['opcua.service'] as string | undefined) ?? null;
    const nodes = m['opcua.nodes'];
    const attributes = m['opcua.attributes'];
    const read =
      service === SERVICES.Read.service && Array.isArray(nodes) && Array.isArray(attributes)
        ? { nodes: nodes as readonly string[], attributes: attributes as readonly string[] }
        : null;
    const n = this.pendingCount++;
    this.pendingIds[n] = requestId;
    this.pendingServices[n] = service;
    this.pendingOperations[n] = m['opcua.operation'] as string;
    this.pendingReads[n] = read;
  }

  private answer(requestId: number, m: OpcuaMessage): void {
    const i = this.findPending(requestId);
    if (i < 0) return;
    if (m['opcua.type_name'] === SERVICE_FAULT_NAME && this.pendingServices[i] !== null) {
      // Part 4 §7.30: a ServiceFault answers whichever request has its RequestId.
      m['opcua.service'] = this.pendingServices[i];
      m['opcua.operation'] = this.pendingOperations[i];
    }
    this.forgetPending(i);
  }

  private findPending(requestId: number): number {
    const ids = this.pendingIds;
    for (let i = 0; i < this.pendingCount; i++) if (ids[i] === requestId) return i;
    return -1;
  }

  private forgetPending(i: number): void {
    const last = --this.pendingCount;
    for (let j = i; j < last; j++) {
      this.pendingIds[j] = this.pendingIds[j + 1];
      this.pendingServices[j] = this.pendingServices[j + 1];
      this.pendingOperations[j] = this.pendingOperations[j + 1];
      this.pendingReads[j] = this.pendingReads[j + 1];
    }
    this.pendingReads[last] = null;
    this.pendingServices[last] = null;
  }
}
