// The Modbus/TCP dissector: the probe that decides whether a stream speaks Modbus, and the
// per-connection session that cuts each direction's byte stream into ADUs, pairs responses with
// their requests, and reports one event per message (STYLE.md 3 and 4).
//
// Framing follows MODBUS Messaging on TCP/IP Implementation Guide V1.0b §3.1.3 (the MBAP length
// delimits every ADU; TCP may split or merge them freely) and §4.4.1 (the server copies the
// transaction identifier into its response, which is what pairs the two). PDU decoding is in
// parser.ts.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  completeAduLength,
  headerFields,
  looksLikeHeader,
  MAX_ADU_LENGTH,
  MIN_ADU_LENGTH,
  type ModbusMessage,
  parseAdu,
  parsePdu,
  UMAS_READ_ID,
} from './parser.ts';
import { FUNCTION_CODES as FC, NAMED_FUNCTION, VENDOR_FUNCTION_CODES } from './spec.ts';

/** Function code 90, Schneider's UMAS (spec.ts). */
const UMAS = VENDOR_FUNCTION_CODES.PROGRAM_UNITY;

/** Well-known Modbus/TCP port (Guide §4.1.1). A hint for probing order only. */
export const MODBUS_TCP_PORT = 502;

/**
 * Requests awaiting a response per connection. Clients pipeline a few at most (the Guide §4.2
 * leaves the number to the device, typical servers accept 1 to 16); beyond this the oldest is
 * forgotten and its response, if it ever comes, is reported unmatched.
 */
export const MAX_PENDING_REQUESTS = 64;

/** Violations in a row, with no valid message between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Bytes skipped while looking for the next header before another violation is reported: two
 * maximum ADUs (§4.1) without anything that frames as Modbus. It makes a stream of garbage count
 * towards MAX_CONSECUTIVE_VIOLATIONS instead of being scanned silently forever.
 */
export const RESYNC_REPORT_BYTES = 2 * MAX_ADU_LENGTH;

/**
 * Per-direction buffer for an ADU split across chunks. In sync it never holds more than one ADU
 * (§4.1: 260 bytes); while resynchronising it takes up to two, so a scan can cross the boundary
 * between the kept bytes and the next chunk in one pass.
 */
export const CARRY_CAPACITY = 2 * MAX_ADU_LENGTH;

/** Complete ADUs the probe checks in the first bytes of a direction. */
export const PROBE_MAX_ADUS = 4;

export const modbusDissector: DissectorDescriptor = {
  name: 'modbus',
  transport: 'tcp',
  ports: [MODBUS_TCP_PORT],
  funcFields: ['modbus.umas.func', 'modbus.func'],
  operationField: 'modbus.operation',
  unitField: 'modbus.unit',
  errorField: 'modbus.exception',
  coverage: {
    protocol: 'Modbus/TCP',
    decoded: [
      'every public function code (1-6, 7, 8 with sub-functions, 11, 12, 15-17, 20-24, 43)',
      'exception responses',
      'Read Device Identification (43/14) objects',
      'request/response pairing by transaction id',
      'Schneider UMAS (90): session, function, status, operation per function',
      'UMAS READ_ID answer: CPU reference (model) and hardware id',
    ],
    recognised: [
      'user-defined and reserved function codes (UNKNOWN-<n>)',
      'UMAS signed requests (0x38), unwrapped to the signed function',
      'UMAS functions named by one source only (debugger, backup, physical memory)',
    ],
    notHandled: [
      'Modbus RTU over TCP',
      'Modbus/TCP Security (TLS, port 802) payloads',
      'UMAS data of other functions (variables, blocks, project information)',
      'UMAS firmware version (its encoding in READ_ID is not established)',
    ],
  },
  probe: probeModbus,
  createSession: (ctx) => new ModbusSession(ctx),
};

/**
 * Port 502 carries other protocols too (scanners send TLS, RDP, DCE/RPC there), so the verdict
 * comes from the bytes: every complete ADU must frame as Modbus (protocol id 0, a length §4.1
 * allows, a function code that can travel this way). `yes` needs one ADU that also parses cleanly
 * with a function code the tables name; framing alone (a malformed or unknown function) is
 * `maybe`, so a connection that opens with a bad request is still recognised by its answers.
 */
export function probeModbus(dir: Direction, data: Uint8Array): ProbeVerdict {
  let pos = 0;
  let confirmed = false;
  for (let adus = 0; adus < PROBE_MAX_ADUS && pos < data.length; adus++) {
    const r = parseAdu(data, pos, dir);
    if (r.kind === 'incomplete') break;
    if (r.kind === 'violation') {
      // A violation that consumed a whole ADU had sound framing; only the PDU was wrong.
      if (r.consumed < MIN_ADU_LENGTH || !looksLikeHeader(data, pos, dir)) return 'no';
    } else if (NAMED_FUNCTION[r.message['modbus.func_code']]) {
      confirmed = true;
    }
    pos += r.consumed;
  }
  return confirmed ? 'yes' : 'maybe';
}

/** Stream state of one direction. */
class DirectionState {
  /** Bytes of an ADU that began in an earlier chunk; allocated on first need. */
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Bytes needed from the start of the carry before the next parse can make progress. */
  want = MIN_ADU_LENGTH;
  /** Framing was lost (bad header or capture gap): skip to the next plausible header. */
  resyncing = false;
  /** Bytes skipped since the last report while resynchronising. */
  skipped = 0;
}

export class ModbusSession implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  // Requests awaiting a response, oldest first, as three parallel arrays (transaction id, time,
  // message) of which the first `pendingCount` entries are in use. Clients keep one or a few
  // requests outstanding (MAX_PENDING_REQUESTS), so a linear search finds one at index 0 or 1, and
  // remembering or answering a request allocates nothing once the arrays have grown.
  private readonly pendingTids: number[] = [];
  private readonly pendingTimes: number[] = [];
  private readonly pendingMessages: (ModbusMessage | null)[] = [];
  private pendingCount = 0;
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    const st = this.dirs[dir];
    let off = 0;
    // Finish what an earlier chunk started. In sync that copies just the rest of one ADU; the
    // common case of whole ADUs per chunk never enters this loop and parses the chunk in place.
    while (st.carryLength > 0) {
      if (off >= chunk.length) return;
      const carry = st.carry!;
      const kept = st.carryLength;
      const limit = st.resyncing ? CARRY_CAPACITY : st.want;
      const take = Math.min(limit - kept, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), kept);
      st.carryLength = kept + take;
      // Parse even when still short of `want`: a partial header can already be rejected, and the
      // verdict must not depend on where the chunks happened to end.
      const stop = this.scan(st, dir, ts, carry.subarray(0, st.carryLength), 0);
      if (this.abandoned) return;
      if (stop >= kept) {
        // Everything kept from earlier chunks is dealt with; continue in the chunk itself.
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
    // The tail is shorter than the ADU it starts (at most 259 bytes): keep a copy, the chunk is
    // only valid during this call.
    st.carry ??= new Uint8Array(CARRY_CAPACITY);
    st.carry.set(chunk.subarray(stop), 0);
    st.carryLength = chunk.length - stop;
  }

  gap(dir: Direction, _ts: number, _length: number): void {
    // The bytes after a hole start anywhere in an ADU: drop the partial one and look for a header.
    const st = this.dirs[dir];
    st.carryLength = 0;
    st.want = MIN_ADU_LENGTH;
    st.resyncing = true;
    st.skipped = 0;
  }

  end(_ts: number): void {
    // Requests never answered and a partial ADU cut off by the end of the connection (or of the
    // capture, which looks the same) carry nothing worth an event.
    this.pendingTids.length = 0;
    this.pendingTimes.length = 0;
    this.pendingMessages.length = 0;
    this.pendingCount = 0;
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
    }
  }

  /**
   * Parses every ADU in `buf` from `pos` and returns where it stopped: the start of bytes too few
   * for the next step, with `st.want` set to how many are needed from there.
   */
  private scan(st: DirectionState, dir: Direction, ts: number, buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (st.resyncing) {
        while (end - pos >= MIN_ADU_LENGTH && !looksLikeHeader(buf, pos, dir)) {
          pos++;
          if (this.skip(st, dir, ts)) return end;
        }
        if (end - pos < MIN_ADU_LENGTH) {
          st.want = MIN_ADU_LENGTH;
          return pos;
        }
      }
      const total = completeAduLength(buf, pos);
      let result: ModbusMessage | string;
      let consumed = total;
      if (total > 0) {
        // The common case, a whole ADU whose header frames: its PDU, with no result object.
        result = parsePdu(buf, pos, total, dir);
      } else {
        // Too few bytes, or a header that is not Modbus: parseAdu says which.
        const r = parseAdu(buf, pos, dir);
        if (r.kind === 'incomplete') {
          st.want = end - pos + r.needed;
          return pos;
        }
        result = r.kind === 'ok' ? r.message : r.reason;
        consumed = r.consumed;
      }
      if (typeof result !== 'string') {
        st.resyncing = false;
        st.skipped = 0;
        this.violationRun = 0;
        pos += consumed;
        this.deliver(dir, ts, result);
        if (this.abandoned) return end;
        continue;
      }
      if (st.resyncing) {
        // A false start inside the bytes being skipped: keep looking, quietly.
        pos++;
        if (this.skip(st, dir, ts)) return end;
        continue;
      }
      this.report(dir, ts, result, headerFields(buf, pos, dir));
      if (this.abandoned) return end;
      if (consumed < MIN_ADU_LENGTH) st.resyncing = true;
      pos += consumed;
    }
    st.want = MIN_ADU_LENGTH;
    return pos;
  }

  /** Counts one skipped byte; true when the report it triggered abandoned the connection. */
  private skip(st: DirectionState, dir: Direction, ts: number): boolean {
    if (++st.skipped < RESYNC_REPORT_BYTES) return false;
    st.skipped = 0;
    this.report(dir, ts, `no Modbus/TCP header in ${RESYNC_REPORT_BYTES} bytes`, undefined);
    return this.abandoned;
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | undefined): void {
    this.ctx.violation(dir, ts, reason, fields);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} Modbus/TCP violations in a row`);
    }
  }

  private deliver(dir: Direction, ts: number, m: ModbusMessage): void {
    if (dir === 0) {
      this.remember(ts, m);
      this.ctx.message(0, ts, m);
      return;
    }
    const i = this.findPending(m['modbus.tid']);
    const request = i < 0 ? null : this.pendingMessages[i]!;
    if (request === null || request['modbus.func_code'] !== m['modbus.func_code']) {
      // A different function under the same id is not this request's answer; the request stays
      // pending in case its own response is still coming.
      m['modbus.matched'] = false;
      if (m['modbus.func_code'] === UMAS) forgetUmasIdentity(m);
      this.ctx.message(1, ts, m);
      return;
    }
    const requestTs = this.pendingTimes[i];
    this.forgetPending(i);
    m['modbus.matched'] = true;
    // Capture timestamps have microsecond precision; rounding keeps float noise out of the field.
    m['modbus.latency'] = Math.round((ts - requestTs) * 1e6) / 1e6;
    const problem = inherit(m, request);
    if (problem === null) this.ctx.message(1, ts, m);
    else this.report(1, ts, problem, m);
  }

  private remember(ts: number, m: ModbusMessage): void {
    const tid = m['modbus.tid'];
    // A reused id replaces the unanswered request that had it, and the newcomer is the newest.
    const i = this.findPending(tid);
    if (i >= 0) this.forgetPending(i);
    else if (this.pendingCount >= MAX_PENDING_REQUESTS) this.forgetPending(0);
    const n = this.pendingCount++;
    if (n < this.pendingTids.length) {
      this.pendingTids[n] = tid;
      this.pendingTimes[n] = ts;
      this.pendingMessages[n] = m;
    } else {
      this.pendingTids.push(tid);
      this.pendingTimes.push(ts);
      this.pendingMessages.push(m);
    }
  }

  /** Index of the pending request with transaction id `tid`, or -1. */
  private findPending(tid: number): number {
    const tids = this.pendingTids;
    for (let i = 0; i < this.pendingCount; i++) if (tids[i] === tid) return i;
    return -1;
  }

  /** Removes entry `i`, keeping the others oldest first. */
  private forgetPending(i: number): void {
    const tids = this.pendingTids;
    const times = this.pendingTimes;
    const messages = this.pendingMessages;
    const last = --this.pendingCount;
    for (let j = i; j < last; j++) {
      tids[j] = tids[j + 1];
      times[j] = times[j + 1];
      messages[j] = messages[j + 1];
    }
    // Drop the reference, so an answered request is garbage as soon as its consumers let go.
    messages[last] = null;
  }
}

/**
 * Completes a response from its request, so consumers see the address range on either side, and
 * checks that the response answers what was asked (§6: byte counts follow the requested quantity,
 * write responses echo the request). Returns why it does not, or null.
 */
function inherit(response: ModbusMessage, request: ModbusMessage): string | null {
  if (response['modbus.exception'] !== null) {
    // A UMAS error answer (status 0xFD) is not a §7 exception: its context is the UMAS request's.
    if ('modbus.umas.func' in response) return inheritUmas(response, request);
    // §7 exception responses carry nothing but the code: all context comes from the request.
    response['modbus.address'] = request['modbus.address'];
    response['modbus.quantity'] = request['modbus.quantity'];
    response['modbus.subfunction'] = request['modbus.subfunction'];
    response['modbus.mei_type'] = request['modbus.mei_type'];
    response['modbus.operation'] = request['modbus.operation'];
    return null;
  }
  const quantity = request['modbus.quantity'];
  const values = response['modbus.values'];
  switch (response['modbus.func_code']) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS: {
      // §6.1, §6.2: N = quantity / 8, rounded up; the bits past the quantity are padding.
      if (quantity === null || values === null) return null;
      const byteCount = values.length / 8;
      if (byteCount !== (quantity + 7) >> 3) {
        return `${response['modbus.func']} response: byte count ${byteCount} does not fit the ${quantity} requested`;
      }
      // Setting the length costs a call into the runtime even when it does not change.
      if (values.length !== quantity) values.length = quantity;
      break;
    }
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS:
    case FC.READ_WRITE_MULTIPLE_REGISTERS:
      // §6.3, §6.4, §6.17: byte count = 2 x quantity requested.
      if (values !== null && values.length !== quantity) {
        return `${response['modbus.func']} response: ${values.length} registers for the ${quantity} requested`;
      }
      if ('modbus.write_address' in response && 'modbus.write_address' in request) {
        response['modbus.write_address'] = request['modbus.write_address'];
        response['modbus.write_quantity'] = request['modbus.write_quantity'];
      }
      break;
    case FC.WRITE_SINGLE_COIL:
    case FC.WRITE_SINGLE_REGISTER:
    case FC.MASK_WRITE_REGISTER:
    case FC.WRITE_MULTIPLE_COILS:
    case FC.WRITE_MULTIPLE_REGISTERS:
      // §6.5, §6.6, §6.16 echo the request; §6.11, §6.12 echo its address and quantity.
      if (!echoes(response, request)) return `${response['modbus.func']} response does not echo its request`;
      return null;
    case FC.READ_FILE_RECORD:
      if ('modbus.file_numbers' in response && 'modbus.file_numbers' in request) {
        response['modbus.file_numbers'] = request['modbus.file_numbers'];
        response['modbus.record_numbers'] = request['modbus.record_numbers'];
      }
      return null;
    case FC.DIAGNOSTICS:
      // §6.8: the response names the sub-function it answers.
      if (response['modbus.subfunction'] !== request['modbus.subfunction']) {
        return `DIAGNOSTICS response: sub-function ${response['modbus.subfunction']} answers ${request['modbus.subfunction']}`;
      }
      return null;
    case FC.ENCAP_INTERFACE_TRANSPORT:
      if (response['modbus.mei_type'] !== request['modbus.mei_type']) {
        return `ENCAP_INTERFACE_TRANSPORT response: MEI type ${response['modbus.mei_type']} answers ${request['modbus.mei_type']}`;
      }
      return null;
    case UMAS:
      return inheritUmas(response, request);
  }
  if (response['modbus.address'] === null) response['modbus.address'] = request['modbus.address'];
  if (response['modbus.quantity'] === null) response['modbus.quantity'] = quantity;
  return null;
}

/**
 * A UMAS response names no function (spec.ts): it answers its request's, with that operation.
 * The identity read from a READ_ID-shaped answer is kept only when the request was READ_ID.
 */
function inheritUmas(response: ModbusMessage, request: ModbusMessage): string | null {
  if (!('modbus.umas.func' in response) || !('modbus.umas.func' in request)) return null;
  response['modbus.umas.func_code'] = request['modbus.umas.func_code'];
  response['modbus.umas.func'] = request['modbus.umas.func'];
  response['modbus.umas.signed'] = request['modbus.umas.signed'];
  response['modbus.operation'] = request['modbus.operation'];
  if (request['modbus.umas.func_code'] !== UMAS_READ_ID) forgetUmasIdentity(response);
  return null;
}

/** An unpaired UMAS response: nothing says it answers READ_ID, so it names no device. */
function forgetUmasIdentity(m: ModbusMessage): void {
  if (!('modbus.umas.func' in m)) return;
  m['modbus.umas.hardware_id'] = null;
  m['modbus.device.vendor'] = null;
  m['modbus.device.model'] = null;
}

function echoes(response: ModbusMessage, request: ModbusMessage): boolean {
  if (response['modbus.address'] !== request['modbus.address']) return false;
  if (response['modbus.quantity'] !== request['modbus.quantity']) return false;
  const a = response['modbus.values'];
  const b = request['modbus.values'];
  // Multiple writes echo only address and quantity (§6.11, §6.12); single writes echo the value.
  if (a !== null && b !== null && a[0] !== b[0]) return false;
  if ('modbus.and_mask' in response && 'modbus.and_mask' in request) {
    return (
      response['modbus.and_mask'] === request['modbus.and_mask'] &&
      response['modbus.or_mask'] === request['modbus.or_mask']
    );
  }
  return true;
}
