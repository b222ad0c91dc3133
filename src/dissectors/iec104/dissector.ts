// The IEC 60870-5-104 dissector: the probe that decides whether a stream speaks IEC 104, and the
// per-connection session that cuts each direction's byte stream into APDUs and reports one event
// per APDU (STYLE.md 3 and 4).
//
// Framing follows IEC 60870-5-104:2006 §5: every APDU starts with 0x68 and a length octet that
// counts the rest (4 to 253 bytes); TCP may split or merge APDUs freely. Decoding is in parser.ts.
// After a gap or a byte that cannot start an APDU, the session looks for the next 0x68 whose APDU
// parses cleanly, reporting one violation for the bytes it had to skip.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import { LOST_FRAMING, MAX_FRAME_LENGTH, parseApdu } from './parser.ts';
import { START_BYTE } from './spec.ts';

/** Well-known IEC 104 port (104 §10.2: "port number 2404"). A hint for probing order only. */
export const IEC104_PORT = 2404;

/** Violations in a row, with no valid APDU between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;

/**
 * Bytes skipped while looking for the next APDU before another violation is reported: two maximum
 * frames without one that parses. It makes a stream of garbage count towards
 * MAX_CONSECUTIVE_VIOLATIONS instead of being scanned silently forever.
 */
export const RESYNC_REPORT_BYTES = 2 * MAX_FRAME_LENGTH;

/**
 * Per-direction buffer for an APDU split across chunks. In sync it holds at most one frame (255
 * bytes); while resynchronising up to two, so a scan can cross from the kept bytes into the next
 * chunk in one pass.
 */
export const CARRY_CAPACITY = 2 * MAX_FRAME_LENGTH;

/** Complete APDUs the probe checks in the first bytes of a direction. */
export const PROBE_MAX_APDUS = 4;

export const iec104Dissector: DissectorDescriptor = {
  name: 'iec104',
  transport: 'tcp',
  ports: [IEC104_PORT],
  funcFields: ['iec104.type_id', 'iec104.u_func', 'iec104.apci_type'],
  operationField: 'iec104.operation',
  unitField: 'iec104.common_address',
  errorField: 'iec104.negative',
  coverage: {
    protocol: 'IEC 60870-5-104',
    decoded: [
      'APCI: I, S and U formats, send/receive sequence numbers, STARTDT/STOPDT/TESTFR',
      'ASDU data unit identifier: type id, SQ and number of objects, cause of transmission with P/N and T bits, originator, common address',
      'information object addresses (every standard type, element set sizes checked)',
      'command values and qualifiers: single, double, regulating step, set points, bitstring, select/execute',
      'interrogation, counter interrogation, reset process, end of initialisation and parameter qualifiers',
    ],
    recognised: [
      'monitoring element sets (process values and quality are not decoded)',
      'file transfer types F_*',
      'IEC 62351-5 security types (S_*) and private types 128-255 (UNKNOWN-<n>)',
    ],
    notHandled: [
      'IEC 60870-5-101 field sizes other than 104 (1-octet cause, 1-octet common address, 1-2 octet addresses)',
      'IEC 62351-3 TLS-protected IEC 104 (port 19998) payloads',
    ],
  },
  probe: probeIec104,
  createSession: (ctx) => new Iec104Session(ctx),
};

/**
 * `yes` when the first bytes hold at least one complete APDU and every complete one parses;
 * `maybe` while the first frame is still incomplete but starts like one; `no` otherwise.
 */
export function probeIec104(_dir: Direction, data: Uint8Array): ProbeVerdict {
  let pos = 0;
  let confirmed = false;
  for (let n = 0; n < PROBE_MAX_APDUS && pos < data.length; n++) {
    const r = parseApdu(data, pos);
    if (r.kind === 'incomplete') break;
    if (r.kind === 'violation') return 'no';
    confirmed = true;
    pos += r.consumed;
  }
  if (confirmed) return 'yes';
  return data.length === 0 || data[0] === START_BYTE ? 'maybe' : 'no';
}

/** Stream state of one direction. */
class DirectionState {
  /** Bytes of an APDU that began in an earlier chunk; allocated on first need. */
  carry: Uint8Array | null = null;
  carryLength = 0;
  /** Bytes needed from the start of the carry before the next parse can make progress. */
  want = 2;
  /** Framing was lost (bad byte or capture gap): look for the next 0x68 that parses. */
  resyncing = false;
  /** Bytes skipped since the last report while resynchronising. */
  skipped = 0;
}

export class Iec104Session implements DissectorSession {
  private readonly dirs: readonly [DirectionState, DirectionState] = [
    new DirectionState(),
    new DirectionState(),
  ];
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    const st = this.dirs[dir];
    let off = 0;
    // Finish what an earlier chunk started; the common case (whole APDUs per chunk) skips this.
    while (st.carryLength > 0) {
      if (off >= chunk.length) return;
      const carry = st.carry!;
      const kept = st.carryLength;
      const limit = st.resyncing ? CARRY_CAPACITY : st.want;
      const take = Math.min(limit - kept, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), kept);
      st.carryLength = kept + take;
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
    // The tail is shorter than the frame it starts (at most 254 bytes): keep a copy, the chunk is
    // only valid during this call.
    st.carry ??= new Uint8Array(CARRY_CAPACITY);
    st.carry.set(chunk.subarray(stop), 0);
    st.carryLength = chunk.length - stop;
  }

  gap(dir: Direction, _ts: number, _length: number): void {
    // The bytes after a hole start anywhere in an APDU: drop the partial one and look for 0x68.
    const st = this.dirs[dir];
    st.carryLength = 0;
    st.want = 2;
    st.resyncing = true;
    st.skipped = 0;
  }

  end(_ts: number): void {
    // A partial APDU cut off by the end of the connection carries nothing worth an event.
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
    }
  }

  /**
   * Parses every APDU in `buf` from `pos` and returns where it stopped: the start of bytes too few
   * for the next step, with `st.want` set to how many are needed from there.
   */
  private scan(st: DirectionState, dir: Direction, ts: number, buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (st.resyncing) {
        while (pos < end && buf[pos] !== START_BYTE) {
          pos++;
          if (this.skip(st, dir, ts)) return end;
        }
        if (pos >= end) break;
      }
      const r = parseApdu(buf, pos);
      if (r.kind === 'incomplete') {
        st.want = end - pos + r.needed;
        return pos;
      }
      if (r.kind === 'ok') {
        st.resyncing = false;
        st.skipped = 0;
        this.violationRun = 0;
        pos += r.consumed;
        this.ctx.message(dir, ts, r.message);
        continue;
      }
      if (st.resyncing) {
        // A false start inside the bytes being skipped: keep looking, quietly.
        pos++;
        if (this.skip(st, dir, ts)) return end;
        continue;
      }
      this.report(dir, ts, r.reason, undefined);
      if (this.abandoned) return end;
      if (r.consumed === LOST_FRAMING) st.resyncing = true;
      pos += r.consumed;
    }
    st.want = 2;
    return end;
  }

  /** Counts one skipped byte; true when the report it triggered abandoned the connection. */
  private skip(st: DirectionState, dir: Direction, ts: number): boolean {
    if (++st.skipped < RESYNC_REPORT_BYTES) return false;
    st.skipped = 0;
    this.report(dir, ts, `no IEC 104 APDU in ${RESYNC_REPORT_BYTES} bytes`, undefined);
    return this.abandoned;
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | undefined): void {
    this.ctx.violation(dir, ts, reason, fields);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} IEC 104 violations in a row`);
    }
  }
}
