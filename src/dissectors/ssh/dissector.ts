// The SSH dissector (STYLE.md 2-4): a probe on the identification line, and a session that reads,
// per direction, the lines before the identification (server only, RFC 4253 §4.2), the
// identification itself, and the first binary packet (KEXINIT, §7.1), then nothing more: once both
// directions are past their KEXINIT the rest is key exchange and encrypted traffic, and the session
// stops (ignoreRest). A direction that breaks the rules gets one violation and is not read further.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import { identificationFields, parseFirstPacket, parseIdentification, startsWithSsh } from './parser.ts';
import {
  MAX_IDENTIFICATION_LENGTH,
  MAX_PACKET_LENGTH,
  MAX_PRE_BANNER_BYTES,
  MIN_PACKET_LENGTH,
  SSH_PORT,
} from './spec.ts';

const LF = 0x0a;
const CR = 0x0d;

export const sshDissector: DissectorDescriptor = {
  name: 'ssh',
  transport: 'tcp',
  ports: [SSH_PORT],
  funcFields: ['ssh.message'],
  operationField: 'ssh.operation',
  coverage: {
    protocol: 'SSH',
    decoded: [
      'identification line of each side: protocol version, software version, comments',
      'KEXINIT: key exchange, host key and cipher algorithm lists',
    ],
    recognised: [
      'lines a server sends before its identification (skipped)',
      'another first packet (message number only)',
    ],
    notHandled: ['everything after KEXINIT (key exchange, encrypted traffic)', 'SSH 1.x binary packets'],
  },
  probe: probeSsh,
  createSession: (ctx) => new SshSession(ctx),
};

const PREFIX = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"

/**
 * Yes when a line starts with `SSH-`: the first one from the client; from the server, the first
 * after any number of printable text lines (RFC 4253 §4.2), within MAX_PRE_BANNER_BYTES. Maybe
 * while the bytes so far could still become that.
 */
export function probeSsh(dir: Direction, data: Uint8Array): ProbeVerdict {
  const n = data.length;
  let s = 0;
  for (;;) {
    for (let i = 0; i < 4; i++) {
      if (s + i >= n) return 'maybe';
      if (data[s + i] !== PREFIX[i]) {
        if (dir === 0) return 'no';
        break;
      }
      if (i === 3) return 'yes';
    }
    // A server's pre-identification line: printable text up to LF.
    let i = s;
    for (; i < n && data[i] !== LF; i++) {
      const c = data[i];
      if ((c < 0x20 || c > 0x7e) && c !== CR && c !== 0x09) return 'no';
    }
    if (i >= MAX_PRE_BANNER_BYTES) return 'no';
    if (i >= n) return 'maybe';
    s = i + 1;
  }
}

// What one direction is reading.
const LINES = 0;
const PACKET = 1;
const DONE = 2;

class Side {
  state: 0 | 1 | 2 = LINES;
  /** The current line's first bytes, and how long it is so far. */
  readonly line = new Uint8Array(MAX_IDENTIFICATION_LENGTH);
  lineTotal = 0;
  preBannerBytes = 0;
  /** The first binary packet, `uint32 packet_length` included (allocated once its length is known). */
  packet: Uint8Array | null = null;
  readonly lengthBytes = new Uint8Array(4);
  collected = 0;
}

export class SshSession implements DissectorSession {
  private readonly sides: readonly [Side, Side] = [new Side(), new Side()];
  private stopped = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    const st = this.sides[dir];
    let off = 0;
    while (off < chunk.length && st.state !== DONE && !this.stopped) {
      off =
        st.state === LINES
          ? this.readLine(st, dir, ts, chunk, off)
          : this.readPacket(st, dir, ts, chunk, off);
    }
  }

  gap(dir: Direction): void {
    // Nothing to resynchronise on: the little that is read comes first, the rest is encrypted.
    this.finish(this.sides[dir]);
  }

  end(): void {
    for (const st of this.sides) st.packet = null;
  }

  private readLine(st: Side, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    let lf = chunk.indexOf(LF, off);
    if (lf < 0) lf = n;
    const add = lf - off;
    const room = Math.min(add, MAX_IDENTIFICATION_LENGTH - st.lineTotal);
    if (room > 0) st.line.set(chunk.subarray(off, off + room), st.lineTotal);
    st.lineTotal += add;
    const isIdentification =
      startsWithSsh(st.line, 0, Math.min(st.lineTotal, MAX_IDENTIFICATION_LENGTH)) ||
      (st.lineTotal < 4 && dir === 0);
    // RFC 4253 §4.2: at most 255 characters including CR LF.
    if (isIdentification && st.lineTotal + (lf < n ? 1 : 0) > MAX_IDENTIFICATION_LENGTH) {
      this.violation(
        st,
        dir,
        ts,
        `identification line longer than ${MAX_IDENTIFICATION_LENGTH} bytes (RFC 4253 §4.2)`,
      );
      return n;
    }
    if (!isIdentification && st.preBannerBytes + st.lineTotal > MAX_PRE_BANNER_BYTES) {
      this.violation(st, dir, ts, `more than ${MAX_PRE_BANNER_BYTES} bytes before the identification line`);
      return n;
    }
    if (lf === n) return n;
    let end = Math.min(st.lineTotal, MAX_IDENTIFICATION_LENGTH);
    if (end > 0 && st.line[end - 1] === CR) end--;
    const total = st.lineTotal;
    st.lineTotal = 0;
    if (!startsWithSsh(st.line, 0, end)) {
      if (dir === 0) {
        // Only the server may send other lines first (§4.2).
        this.violation(st, dir, ts, 'the client sent a line that is not an SSH identification');
        return n;
      }
      st.preBannerBytes += total + 1;
      return lf + 1;
    }
    const id = parseIdentification(st.line, 0, end);
    if (typeof id === 'string') {
      this.violation(st, dir, ts, id);
      return n;
    }
    this.ctx.message(dir, ts, identificationFields(id, dir === 1));
    // SSH 1.x (not 1.99, which also speaks 2.0, §5.1) has another packet format: stop there.
    if (id.protoVersion.startsWith('1.') && id.protoVersion !== '1.99') this.finish(st);
    else st.state = PACKET;
    return lf + 1;
  }

  private readPacket(st: Side, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    if (st.packet === null) {
      const take = Math.min(4 - st.collected, n - off);
      st.lengthBytes.set(chunk.subarray(off, off + take), st.collected);
      st.collected += take;
      off += take;
      if (st.collected < 4) return off;
      const b = st.lengthBytes;
      const length = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
      if (length < MIN_PACKET_LENGTH || length > MAX_PACKET_LENGTH) {
        this.violation(
          st,
          dir,
          ts,
          `first binary packet length ${length} is outside ${MIN_PACKET_LENGTH}-${MAX_PACKET_LENGTH} (RFC 4253 §6.1)`,
        );
        return n;
      }
      st.packet = new Uint8Array(4 + length);
      st.packet.set(b);
    }
    const take = Math.min(st.packet.length - st.collected, n - off);
    st.packet.set(chunk.subarray(off, off + take), st.collected);
    st.collected += take;
    off += take;
    if (st.collected < st.packet.length) return off;
    const fields = parseFirstPacket(st.packet, 0, st.packet.length);
    if (typeof fields === 'string') this.violation(st, dir, ts, fields);
    else {
      this.ctx.message(dir, ts, fields);
      this.finish(st);
    }
    return off;
  }

  private violation(st: Side, dir: Direction, ts: number, reason: string): void {
    this.ctx.violation(dir, ts, reason);
    this.finish(st);
  }

  /** This direction has nothing more to read; when neither has, the session stops. */
  private finish(st: Side): void {
    st.state = DONE;
    st.packet = null;
    if (!this.stopped && this.sides[0].state === DONE && this.sides[1].state === DONE) {
      this.stopped = true;
      this.ctx.ignoreRest();
    }
  }
}
