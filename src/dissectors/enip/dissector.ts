// The EtherNet/IP dissectors: `enip` for the encapsulation protocol on TCP (explicit messaging,
// sessions, ListIdentity) and, as a second descriptor of the same name, on UDP (ListIdentity and
// friends, usually broadcast); and `enip_io` for implicit class 0/1 I/O datagrams on UDP 2222. The probes
// decide from bytes; the sessions frame messages, pair every CIP reply with its request (by sender
// context for unconnected messages, Vol 2 §2-4.7; by CIP sequence count on the connection for
// connected ones, Vol 1 §3-4.4.3), and report one event per message and one per service inside a
// Multiple_Service_Packet (STYLE.md 3 and 4).

import { deviceFields } from '../device.ts';
import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import { type CipRequest, parseReply, parseRequest } from './cip.ts';
import {
  type DeviceKeys,
  type Envelope,
  envelopeFields,
  ioEvent,
  listIdentityEvent,
  replyEvents,
  requestEvents,
  violationFields,
} from './fields.ts';
import {
  completeMessageLength,
  ENCAP_HEADER_LENGTH,
  type EncapHeader,
  headerProblem,
  looksLikeHeader,
  looksLikeIoDatagram,
  MAX_CPF_ITEMS,
  MAX_ENCAP_MESSAGE_LENGTH,
  parseBody,
  parseIoDatagram,
  readHeader,
} from './parser.ts';
import { ENCAP_COMMANDS, KNOWN_ENCAP_COMMAND, REPLY_BIT } from './spec.ts';

/** Registered TCP and UDP port of the encapsulation protocol (Vol 2 §2-2). A hint only. */
export const ENIP_PORT = 44818;

/** UDP port of implicit (class 0/1) I/O (Vol 2 §3-3). A hint only. */
export const ENIP_IO_PORT = 2222;

/**
 * Requests awaiting a reply per connection. A client keeps a handful of unconnected requests and
 * one per CIP connection outstanding (Vol 2 §2-4.7 leaves the number to the device); beyond this
 * the oldest is forgotten and its reply, if it comes, is reported without its request's context.
 */
export const MAX_PENDING_REQUESTS = 64;

/**
 * CIP connections per TCP connection whose Forward_Open we saw, kept so connected messages and
 * their replies carry the route to the module they address. Beyond this the oldest is forgotten.
 */
export const MAX_TRACKED_CONNECTIONS = 32;

/** Violations in a row, with no valid message between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Bytes skipped while looking for the next header before another violation is reported: one
 * maximum-size message of the common 504-byte CIP kind and its header, four times over. It makes a
 * stream of garbage count towards MAX_CONSECUTIVE_VIOLATIONS instead of being scanned forever.
 */
export const RESYNC_REPORT_BYTES = 4 * 528;

/**
 * Bytes a resynchronising direction buffers at most before scanning across a chunk boundary: enough
 * for a header to be found however the chunks are cut, small enough that garbage costs nothing.
 */
export const RESYNC_WINDOW = 2048;

/** Starting size of a direction's carry buffer; it doubles up to MAX_ENCAP_MESSAGE_LENGTH. */
export const INITIAL_CARRY_CAPACITY = 1024;

const COVERAGE_RECOGNISED = [
  'other CIP services (by code, `UNKNOWN-<n>` when no table names them)',
  'PCCC commands and functions (CMD/FNC, transaction number, status)',
  'CIP Security StartDTLS, IndicateStatus, Cancel (by command)',
];

export const enipDissector: DissectorDescriptor = {
  name: 'enip',
  transport: 'tcp',
  ports: [ENIP_PORT],
  funcFields: ['cip.service', 'enip.command'],
  operationField: 'enip.operation',
  unitField: 'cip.route',
  errorField: 'enip.error',
  coverage: {
    protocol: 'EtherNet/IP + CIP',
    decoded: [
      'encapsulation header and every command (NOP, ListServices, ListIdentity, ListInterfaces, RegisterSession, UnRegisterSession, SendRRData, SendUnitData)',
      'Common Packet Format items (addresses, data, identity, services)',
      'ListIdentity identity item: vendor (CIP vendor id table), device type, product code, revision, status, serial, product name, state, socket address',
      'CIP requests and replies: service, class, instance, attribute, symbolic tag path, general and extended status',
      'Multiple_Service_Packet: every embedded service',
      'Unconnected_Send: the routed request and its route (slot N)',
      'Forward_Open, Large_Forward_Open, Forward_Close: connection ids, serials, RPIs, transport class, route',
      'Identity object replies (Get_Attributes_All, Get_Attribute_Single/List) as device identity',
      'Logix tag services (Read_Tag, Write_Tag, fragmented, Read_Modify_Write), File, Modbus and PCCC object services',
      'Execute_PCCC: command, function, operation; Diagnostic Status catalog number',
      'request/reply pairing by sender context and by CIP sequence count',
    ],
    recognised: COVERAGE_RECOGNISED,
    notHandled: [
      'attribute values other than Identity (tag data, assembly data)',
      'CIP Security (TLS/DTLS) payloads',
      'fragmented Forward_Open application data, safety connections',
    ],
  },
  probe: probeEnipStream,
  createSession: (ctx) => new EnipSession(ctx, deviceFields('enip'), false),
};

/**
 * The same protocol over UDP: one descriptor per transport under one name (registry.test.ts), so
 * its events, fields and device identity are `enip` like the TCP ones.
 */
export const enipUdpDissector: DissectorDescriptor = {
  name: 'enip',
  transport: 'udp',
  ports: [ENIP_PORT],
  funcFields: ['cip.service', 'enip.command'],
  operationField: 'enip.operation',
  unitField: 'cip.route',
  errorField: 'enip.error',
  coverage: {
    protocol: 'EtherNet/IP over UDP',
    decoded: [
      'ListIdentity requests and replies with the identity item (vendor, device type, product code, revision, serial, product name, state, socket address)',
      'ListServices, ListInterfaces, and any encapsulation command a datagram carries',
    ],
    recognised: COVERAGE_RECOGNISED,
    notHandled: ['CIP Security DTLS payloads'],
  },
  probe: probeEnipDatagram,
  createSession: (ctx) => new EnipSession(ctx, deviceFields('enip'), true),
};

export const enipIoDissector: DissectorDescriptor = {
  name: 'enip_io',
  transport: 'udp',
  ports: [ENIP_IO_PORT],
  funcFields: ['cip.service', 'enip.command'],
  operationField: 'enip.operation',
  errorField: 'enip.error',
  coverage: {
    protocol: 'EtherNet/IP implicit I/O',
    decoded: ['class 0/1 I/O datagrams: connection id, sequence number, data length'],
    recognised: [],
    notHandled: ['I/O data contents (assembly layouts are device-specific)', 'CIP Safety I/O'],
  },
  probe: (_dir, data) => (looksLikeIoDatagram(data) ? 'yes' : 'no'),
  createSession: (ctx) => new IoSession(ctx),
};

/**
 * A stream is EtherNet/IP when it opens with a header Table 2-3.2 could have written (a defined
 * command, options zero, a status no command uses beyond 16 bits) and that message's data decodes.
 * A large first message still arriving is accepted once its CPF prefix is sound.
 */
export function probeEnipStream(_dir: Direction, data: Uint8Array): ProbeVerdict {
  if (data.length < ENCAP_HEADER_LENGTH) {
    if (data.length >= 2 && (data[1] !== 0 || !KNOWN_ENCAP_COMMAND[data[0]])) return 'no';
    for (let i = 20; i < data.length; i++) if (data[i] !== 0) return 'no';
    return 'maybe';
  }
  if (!looksLikeHeader(data, 0, true, KNOWN_ENCAP_COMMAND)) return 'no';
  const total = completeMessageLength(data, 0, data.length);
  if (total === 0) return sendDataPrefixSound(data) ? 'yes' : 'maybe';
  return messageDecodes(data, 0, total) ? 'yes' : 'no';
}

/** A UDP datagram is EtherNet/IP when it holds exactly one or more whole messages that decode. */
export function probeEnipDatagram(_dir: Direction, data: Uint8Array): ProbeVerdict {
  let pos = 0;
  while (pos < data.length) {
    if (data.length - pos < ENCAP_HEADER_LENGTH) return 'no';
    if (!looksLikeHeader(data, pos, true, KNOWN_ENCAP_COMMAND)) return 'no';
    const total = completeMessageLength(data, pos, data.length);
    if (total === 0 || !messageDecodes(data, pos, total)) return 'no';
    pos += total;
  }
  return pos > 0 ? 'yes' : 'no';
}

function messageDecodes(buf: Uint8Array, pos: number, total: number): boolean {
  const h = readHeader(buf, pos);
  const body = parseBody(h.command, buf, pos + ENCAP_HEADER_LENGTH, pos + total);
  if (typeof body === 'string') return false;
  if (body.cipStart < 0) return true;
  const cip =
    (buf[body.cipStart] & REPLY_BIT) !== 0
      ? parseReply(buf, body.cipStart, body.cipEnd, null)
      : parseRequest(buf, body.cipStart, body.cipEnd);
  return typeof cip !== 'string';
}

/** SendRRData/SendUnitData whose interface handle is 0 and whose item count is plausible. */
function sendDataPrefixSound(buf: Uint8Array): boolean {
  const command = buf[0];
  if (command !== ENCAP_COMMANDS.SEND_RR_DATA && command !== ENCAP_COMMANDS.SEND_UNIT_DATA) return false;
  if (buf.length < ENCAP_HEADER_LENGTH + 8) return false;
  for (let i = 24; i < 28; i++) if (buf[i] !== 0) return false;
  const items = buf[30] | (buf[31] << 8);
  return items >= 1 && items <= MAX_CPF_ITEMS;
}

/** Stream state of one direction. */
class DirectionState {
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Bytes needed from the start of the carry before the next parse can make progress. */
  want = ENCAP_HEADER_LENGTH;
  /** Framing was lost (bad header or capture gap): skip to the next plausible header. */
  resyncing = false;
  /** Bytes skipped since the last report while resynchronising. */
  skipped = 0;

  /** Makes room for `size` bytes, keeping what is held. `size` never exceeds the largest message. */
  reserve(size: number): Uint8Array {
    const old = this.carry;
    if (old !== null && old.length >= size) return old;
    let capacity = old === null ? INITIAL_CARRY_CAPACITY : old.length;
    while (capacity < size) capacity *= 2;
    const next = new Uint8Array(Math.min(capacity, MAX_ENCAP_MESSAGE_LENGTH));
    if (old !== null) next.set(old.subarray(0, this.carryLength));
    this.carry = next;
    return next;
  }
}

/** A request waiting for its reply. */
interface Pending {
  command: number;
  contextLo: number;
  contextHi: number;
  /** O->T connection id and CIP sequence count of a connected request, else -1. */
  connectionId: number;
  sequence: number;
  request: CipRequest;
}

/** A CIP connection opened by a Forward_Open this session saw answered. */
interface TrackedConnection {
  otId: number;
  toId: number;
  serial: number;
  route: string | null;
}

/**
 * One EtherNet/IP conversation: a TCP connection (bytes in order, messages split and merged
 * freely) or a UDP flow (`datagrams`: each chunk holds whole messages).
 */
export class EnipSession implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  private readonly pending: Pending[] = [];
  private readonly connections: TrackedConnection[] = [];
  private violationRun = 0;
  private abandoned = false;

  constructor(
    private readonly ctx: SessionContext,
    private readonly dev: DeviceKeys,
    private readonly datagrams: boolean,
  ) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    if (this.datagrams) {
      this.datagram(dir, ts, chunk);
      return;
    }
    const st = this.dirs[dir];
    let off = 0;
    // Finish what earlier chunks started: in sync, exactly the rest of one message is copied; the
    // common case of whole messages per chunk never enters this loop and parses in place.
    while (st.carryLength > 0) {
      if (off >= chunk.length) return;
      const kept = st.carryLength;
      const limit = st.resyncing ? Math.max(RESYNC_WINDOW, st.want) : st.want;
      const take = Math.min(limit - kept, chunk.length - off);
      const carry = st.reserve(kept + take);
      carry.set(chunk.subarray(off, off + take), kept);
      st.carryLength = kept + take;
      off += take;
      if (!st.resyncing && st.carryLength < st.want) return;
      const stop = this.scan(st, dir, ts, carry, 0, st.carryLength);
      if (this.abandoned) return;
      if (stop >= kept) {
        // Everything kept from earlier chunks is dealt with: continue inside the chunk itself.
        off -= st.carryLength - stop;
        st.carryLength = 0;
      } else {
        carry.copyWithin(0, stop, st.carryLength);
        st.carryLength -= stop;
      }
    }
    const stop = this.scan(st, dir, ts, chunk, off, chunk.length);
    if (this.abandoned || stop >= chunk.length) return;
    // The tail starts a message (at most 65,535 bytes): keep a copy, the chunk dies with this call.
    const rest = chunk.length - stop;
    st.reserve(rest).set(chunk.subarray(stop), 0);
    st.carryLength = rest;
  }

  gap(dir: Direction, _ts: number, _length: number): void {
    if (this.datagrams) return;
    // Bytes after a hole start anywhere in a message: drop the partial one and look for a header.
    const st = this.dirs[dir];
    st.carryLength = 0;
    st.want = ENCAP_HEADER_LENGTH;
    st.resyncing = true;
    st.skipped = 0;
  }

  end(_ts: number): void {
    this.pending.length = 0;
    this.connections.length = 0;
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
    }
  }

  /** Each datagram carries whole messages (Vol 2 §2-2.2): one after another, nothing left over. */
  private datagram(dir: Direction, ts: number, d: Uint8Array): void {
    let pos = 0;
    while (pos < d.length && !this.abandoned) {
      const total = completeMessageLength(d, pos, d.length);
      if (total === 0 || !looksLikeHeader(d, pos, false, KNOWN_ENCAP_COMMAND)) {
        const reason =
          d.length - pos < ENCAP_HEADER_LENGTH
            ? `datagram ends ${d.length - pos} bytes into an encapsulation header`
            : looksLikeHeader(d, pos, false, KNOWN_ENCAP_COMMAND)
              ? 'datagram ends inside its encapsulation message'
              : headerProblem(d, pos);
        this.report(dir, ts, reason, d.length - pos >= ENCAP_HEADER_LENGTH ? readHeader(d, pos) : null);
        return;
      }
      this.message(dir, ts, d, pos, total, false);
      pos += total;
    }
  }

  /**
   * Handles every message in buf[pos, end) and returns where it stopped: the start of bytes too
   * few for the next step, with `st.want` set to how many are needed from there.
   */
  private scan(st: DirectionState, dir: Direction, ts: number, buf: Uint8Array, pos: number, end: number) {
    while (pos < end) {
      if (st.resyncing) {
        while (end - pos >= ENCAP_HEADER_LENGTH && !looksLikeHeader(buf, pos, true, KNOWN_ENCAP_COMMAND)) {
          pos++;
          if (this.skip(st, dir, ts)) return end;
        }
      }
      if (end - pos < ENCAP_HEADER_LENGTH) {
        st.want = ENCAP_HEADER_LENGTH;
        return pos;
      }
      if (!looksLikeHeader(buf, pos, false, KNOWN_ENCAP_COMMAND)) {
        // In sync, a header that does not frame means the framing is lost.
        this.report(dir, ts, headerProblem(buf, pos), null);
        if (this.abandoned) return end;
        st.resyncing = true;
        st.skipped = 0;
        pos++;
        continue;
      }
      const total = ENCAP_HEADER_LENGTH + (buf[pos + 2] | (buf[pos + 3] << 8));
      if (total > end - pos) {
        st.want = total;
        return pos;
      }
      if (st.resyncing) {
        // A candidate found by scanning: accept it only if it decodes, else keep looking quietly.
        if (!this.message(dir, ts, buf, pos, total, true)) {
          pos++;
          if (this.skip(st, dir, ts)) return end;
          continue;
        }
        st.resyncing = false;
        st.skipped = 0;
      } else {
        this.message(dir, ts, buf, pos, total, false);
      }
      if (this.abandoned) return end;
      pos += total;
    }
    st.want = ENCAP_HEADER_LENGTH;
    return pos;
  }

  /** Counts one skipped byte; true when the report it triggered abandoned the connection. */
  private skip(st: DirectionState, dir: Direction, ts: number): boolean {
    if (++st.skipped < RESYNC_REPORT_BYTES) return false;
    st.skipped = 0;
    this.report(dir, ts, `no EtherNet/IP header in ${RESYNC_REPORT_BYTES} bytes`, null);
    return this.abandoned;
  }

  private report(dir: Direction, ts: number, reason: string, header: EncapHeader | null): void {
    this.ctx.violation(dir, ts, reason, violationFields(header));
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} EtherNet/IP violations in a row`);
    }
  }

  /**
   * Decodes the whole message buf[pos, pos + total) and reports its events, or a violation. With
   * `tentative` (a header found while resynchronising) a message that does not decode is dropped
   * silently and false is returned.
   */
  private message(
    dir: Direction,
    ts: number,
    buf: Uint8Array,
    pos: number,
    total: number,
    tentative: boolean,
  ) {
    const header = readHeader(buf, pos);
    const body = parseBody(header.command, buf, pos + ENCAP_HEADER_LENGTH, pos + total);
    if (typeof body === 'string') {
      if (!tentative) this.report(dir, ts, body, header);
      return false;
    }
    const command = header.command;
    const connected = command === ENCAP_COMMANDS.SEND_UNIT_DATA && body.connectionId !== null;
    let events: Fields[];
    if (body.cipStart >= 0 && body.cipEnd > body.cipStart) {
      const isReply = (buf[body.cipStart] & REPLY_BIT) !== 0;
      const env: Envelope = {
        header,
        connectionId: body.connectionId,
        sequence: body.cipSequence,
        connectionRoute: connected ? this.routeOf(body.connectionId!, isReply) : null,
      };
      if (isReply) {
        const i = this.findPending(header, body.connectionId, body.cipSequence);
        const request = i < 0 ? null : this.pending[i].request;
        const reply = parseReply(buf, body.cipStart, body.cipEnd, request);
        if (typeof reply === 'string') {
          if (!tentative) this.report(dir, ts, reply, header);
          return false;
        }
        if (i >= 0 && request !== null && request.service === reply.service) {
          this.pending.splice(i, 1);
          this.trackConnection(request, reply.status, reply.connection);
        }
        events = replyEvents(env, reply, request, this.dev);
      } else {
        const request = parseRequest(buf, body.cipStart, body.cipEnd);
        if (typeof request === 'string') {
          if (!tentative) this.report(dir, ts, request, header);
          return false;
        }
        this.remember(header, connected ? body.connectionId! : -1, body.cipSequence ?? -1, request);
        events = requestEvents(env, request);
      }
    } else if (body.cipStart >= 0) {
      if (!tentative) this.report(dir, ts, 'CIP data item is empty', header);
      return false;
    } else {
      const env: Envelope = {
        header,
        connectionId: body.connectionId,
        sequence: body.cipSequence,
        connectionRoute: null,
      };
      const f =
        body.identity !== null ? listIdentityEvent(env, body.identity, this.dev) : envelopeFields(env);
      if (body.protocolVersion !== null) f['enip.protocol_version'] = body.protocolVersion;
      if (body.capabilities !== null) f['enip.capabilities'] = body.capabilities;
      events = [f];
    }
    this.violationRun = 0;
    for (const e of events) this.ctx.message(dir, ts, e);
    return true;
  }

  private remember(header: EncapHeader, connectionId: number, sequence: number, request: CipRequest): void {
    if (this.pending.length >= MAX_PENDING_REQUESTS) this.pending.shift();
    this.pending.push({
      command: header.command,
      contextLo: header.contextLo,
      contextHi: header.contextHi,
      connectionId,
      sequence,
      request,
    });
  }

  /**
   * The pending request a reply answers: the same sender context for SendRRData (Vol 2 §2-3.1:
   * the target echoes it), the same sequence count on the paired connection for SendUnitData.
   */
  private findPending(header: EncapHeader, connectionId: number | null, sequence: number | null): number {
    const p = this.pending;
    if (header.command === ENCAP_COMMANDS.SEND_UNIT_DATA) {
      if (sequence === null) return -1;
      const otId = connectionId === null ? -1 : this.originatorIdOf(connectionId);
      for (let i = 0; i < p.length; i++) {
        const e = p[i];
        if (e.command === header.command && e.sequence === sequence && (otId < 0 || e.connectionId === otId))
          return i;
      }
      return -1;
    }
    for (let i = 0; i < p.length; i++) {
      const e = p[i];
      if (
        e.command === header.command &&
        e.contextLo === header.contextLo &&
        e.contextHi === header.contextHi
      ) {
        return i;
      }
    }
    return -1;
  }

  /** Remembers what a Forward_Open opened and forgets what a Forward_Close closed. */
  private trackConnection(request: CipRequest, status: number, reply: CipRequest['connection']): void {
    if (status !== 0 || request.classId !== 0x06) return;
    const list = this.connections;
    if ((request.service === 0x54 || request.service === 0x5b) && reply !== null) {
      if (list.length >= MAX_TRACKED_CONNECTIONS) list.shift();
      list.push({ otId: reply.otId ?? 0, toId: reply.toId ?? 0, serial: reply.serial, route: request.route });
    } else if (request.service === 0x4e && request.connection !== null) {
      const serial = request.connection.serial;
      const i = list.findIndex((c) => c.serial === serial);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** The O->T id of the connection whose T->O id is `toId` (replies travel T->O), or -1. */
  private originatorIdOf(toId: number): number {
    for (const c of this.connections) if (c.toId === toId) return c.otId;
    return -1;
  }

  private routeOf(connectionId: number, isReply: boolean): string | null {
    for (const c of this.connections) if ((isReply ? c.toId : c.otId) === connectionId) return c.route;
    return null;
  }
}

/** Implicit I/O: each datagram one event (Vol 2 §3-2). */
class IoSession implements DissectorSession {
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const body = parseIoDatagram(datagram);
    if (typeof body === 'string') {
      this.ctx.violation(dir, ts, body);
      if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
        this.abandoned = true;
        this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} malformed I/O datagrams in a row`);
      }
      return;
    }
    this.violationRun = 0;
    this.ctx.message(dir, ts, ioEvent(body.connectionId!, body.ioSequence, body.dataLength!));
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves nothing to resynchronise.
  }

  end(): void {
    // No state outlives a datagram.
  }
}
