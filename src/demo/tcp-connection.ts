// The state of one TCP connection as both ends keep it (RFC 793 §3.2-3.3): sequence numbers that
// advance by exactly the data sent plus one for SYN and for FIN, the options each side offers in
// its SYN (MSS, window scale RFC 7323 §2, SACK-permitted RFC 2018 §2, timestamps RFC 7323 §3) and
// what was therefore negotiated, and the window field each side advertises.

import type { FramePath, Host, Network } from './network.ts';
import type { Prng } from './prng.ts';

/** Option kinds (RFC 793 §3.1, RFC 7323, RFC 2018). */
const OPTION = { END: 0, NOP: 1, MSS: 2, WINDOW_SCALE: 3, SACK_PERMITTED: 4, TIMESTAMPS: 8 } as const;
const SYN = 0x02;
/** NOP, NOP, timestamps (10 bytes): the 12 bytes Linux puts on every segment once negotiated. */
const TIMESTAMP_OPTION_BYTES = 12;

export class TcpEndpoint {
  /** SND.NXT: the sequence number of the next byte this end sends. */
  next: number;
  /** The last TSval this end sent (echoed by the peer as TSecr). */
  lastTsval = 0;

  constructor(
    readonly host: Host,
    readonly ip: number,
    readonly port: number,
    /** Initial sequence number (RFC 793 §3.3, RFC 6528). */
    readonly isn: number,
    /** Offset of this end's timestamp clock (RFC 7323 §5.4: randomised per connection). */
    readonly tsOffset: number,
  ) {
    this.next = isn;
  }
}

/** Which options one side puts in its SYN or SYN-ACK. */
interface SynOffer {
  readonly windowScale: boolean;
  readonly sackPermitted: boolean;
  readonly timestamps: boolean;
}

export class TcpConnection {
  readonly client: TcpEndpoint;
  readonly server: TcpEndpoint;
  /** Frame addressing per direction: [client to server, server to client]. */
  readonly paths: readonly [FramePath, FramePath];
  private readonly clientOffer: SynOffer;
  private readonly serverOffer: SynOffer;
  /** Options in force after the handshake: both sides offered them. */
  readonly windowScaling: boolean;
  readonly timestamps: boolean;

  constructor(network: Network, clientHost: Host, serverHost: Host, serverPort: number, prng: Prng) {
    this.client = new TcpEndpoint(
      clientHost,
      clientHost.ip,
      clientHost.nextEphemeralPort(),
      prng.nextUint32(),
      prng.nextUint32(),
    );
    this.server = new TcpEndpoint(
      serverHost,
      serverHost.ip,
      serverPort,
      prng.nextUint32(),
      prng.nextUint32(),
    );
    this.paths = [network.path(clientHost, serverHost.ip), network.path(serverHost, clientHost.ip)];
    const c = clientHost.stack;
    const s = serverHost.stack;
    this.clientOffer = {
      windowScale: c.windowScale >= 0,
      sackPermitted: c.sackPermitted,
      timestamps: c.timestamps,
    };
    // A server only answers with the options the client offered (RFC 7323 §1.3, RFC 2018 §2).
    this.serverOffer = {
      windowScale: this.clientOffer.windowScale && s.windowScale >= 0,
      sackPermitted: this.clientOffer.sackPermitted && s.sackPermitted,
      timestamps: this.clientOffer.timestamps && s.timestamps,
    };
    this.windowScaling = this.serverOffer.windowScale;
    this.timestamps = this.serverOffer.timestamps;
  }

  /** Option bytes of a segment sent by `dir` (0 = client) with these flags. */
  optionsLength(dir: 0 | 1, flags: number): number {
    if (flags & SYN) return this.synOptions(dir, 0, 0).length;
    return this.timestamps ? TIMESTAMP_OPTION_BYTES : 0;
  }

  /** Writes the options of a segment at `off`; returns their length (a multiple of 4). */
  writeOptions(buf: Uint8Array, off: number, dir: 0 | 1, flags: number, nowMillis: number): number {
    const sender = dir === 0 ? this.client : this.server;
    const receiver = dir === 0 ? this.server : this.client;
    const tsval = (Math.floor(nowMillis) + sender.tsOffset) >>> 0;
    if (flags & SYN) {
      const tsecr = dir === 0 ? 0 : receiver.lastTsval;
      const bytes = this.synOptions(dir, tsval, tsecr);
      buf.set(bytes, off);
      if (this.offer(dir).timestamps) sender.lastTsval = tsval;
      return bytes.length;
    }
    if (!this.timestamps) return 0;
    buf[off] = OPTION.NOP;
    buf[off + 1] = OPTION.NOP;
    buf[off + 2] = OPTION.TIMESTAMPS;
    buf[off + 3] = 10;
    put32(buf, off + 4, tsval);
    put32(buf, off + 8, receiver.lastTsval);
    sender.lastTsval = tsval;
    return TIMESTAMP_OPTION_BYTES;
  }

  /** The window field: unscaled in SYNs, shifted right by the sender's scale once negotiated. */
  windowField(dir: 0 | 1, flags: number): number {
    const stack = (dir === 0 ? this.client : this.server).host.stack;
    if (flags & SYN) return stack.synWindow;
    if (this.windowScaling) return stack.receiveWindow >>> stack.windowScale;
    return Math.min(stack.receiveWindow, 0xffff);
  }

  private offer(dir: 0 | 1): SynOffer {
    return dir === 0 ? this.clientOffer : this.serverOffer;
  }

  /** SYN options in the order each operating system writes them, NOP-padded to 32-bit words. */
  private synOptions(dir: 0 | 1, tsval: number, tsecr: number): number[] {
    const host = (dir === 0 ? this.client : this.server).host;
    const stack = host.stack;
    const offer = this.offer(dir);
    const mss = [OPTION.MSS, 4, stack.mss >>> 8, stack.mss & 0xff];
    const ws = [OPTION.WINDOW_SCALE, 3, stack.windowScale];
    const sack = [OPTION.SACK_PERMITTED, 2];
    const ts = [OPTION.TIMESTAMPS, 10, ...bytes32(tsval), ...bytes32(tsecr)];
    const nop = OPTION.NOP;
    if (stack.os === 'linux') {
      const out = [...mss];
      if (offer.sackPermitted && offer.timestamps) out.push(...sack, ...ts);
      else if (offer.timestamps) out.push(nop, nop, ...ts);
      else if (offer.sackPermitted) out.push(nop, nop, ...sack);
      if (offer.windowScale) out.push(nop, ...ws);
      return out;
    }
    if (stack.os === 'windows') {
      const out = [...mss];
      if (offer.windowScale) out.push(nop, ...ws);
      if (offer.timestamps) out.push(nop, nop, ...ts);
      if (offer.sackPermitted) out.push(nop, nop, ...sack);
      return out;
    }
    return mss;
  }
}

function bytes32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function put32(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 24;
  buf[off + 1] = (value >>> 16) & 0xff;
  buf[off + 2] = (value >>> 8) & 0xff;
  buf[off + 3] = value & 0xff;
}
