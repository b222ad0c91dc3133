// One TCP connection driven through time by an actor: the three-way handshake and the
// FIN exchange (RFC 793 §3.4, §3.5), data cut into MSS-sized segments, and the ACK discipline of
// real stacks: data piggybacks the ACK of what it answers; otherwise the receiver sends a pure
// ACK when its delayed-ACK timer fires, or at once for every second full-sized segment
// (RFC 1122 §4.2.3.2, RFC 5681 §4.2). All helpers are generators: they yield the time of each
// packet and send it when resumed, one packet per step.

import { TCP_FLAGS } from './frames.ts';
import type { Host } from './network.ts';
import { MAX_SEGMENT_PAYLOAD } from './packet-sink.ts';
import type { Prng } from './prng.ts';
import type { Behaviour } from './scheduler.ts';
import type { Simulation } from './simulation.ts';
import { TcpConnection } from './tcp-connection.ts';

const { SYN, ACK, PSH, FIN, RST } = TCP_FLAGS;

/** Gap between back-to-back segments of one burst: 1500 bytes at 1 Gbit/s plus host overhead. */
const SEGMENT_GAP_MICROS = 15;

export type Direction = 0 | 1;

export class TcpDialogue {
  readonly conn: TcpConnection;
  /** When each side's delayed ACK fires: [client, server]; Infinity when it owes none. */
  private readonly ackDue = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  /** Full-sized segments each side has received and not yet acknowledged. */
  private readonly unackedFull = [0, 0];

  constructor(
    private readonly sim: Simulation,
    readonly client: Host,
    readonly server: Host,
    serverPort: number,
    prng: Prng,
    /** One-way latency between the two hosts as seen at the sensor. */
    readonly latencyMicros: number,
  ) {
    this.conn = new TcpConnection(sim.network, client, server, serverPort, prng);
  }

  host(dir: Direction): Host {
    return dir === 0 ? this.client : this.server;
  }

  /** SYN, SYN-ACK, ACK from `at`. Returns false when the server is down (the SYN went unanswered). */
  *connect(at: number): Generator<number, boolean, undefined> {
    const sink = this.sim.sink;
    yield at;
    sink.tcp(this.conn, 0, SYN, 0);
    if (this.sim.isDown(this.server, this.sim.now)) return false;
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, 1, SYN | ACK, 0);
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, 0, ACK, 0);
    return true;
  }

  /** Retransmits the SYN (same ISN) at `at`; answered if the server is up by then. */
  *retransmitSyn(at: number): Generator<number, boolean, undefined> {
    const sink = this.sim.sink;
    yield at;
    sink.tcp(this.conn, 0, SYN, 0, true);
    if (this.sim.isDown(this.server, this.sim.now)) return false;
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, 1, SYN | ACK, 0);
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, 0, ACK, 0);
    return true;
  }

  /** Sends every delayed ACK that falls due before `until`, in time order. */
  *flushAcks(until: number): Behaviour {
    for (;;) {
      const dir: Direction = this.ackDue[0] <= this.ackDue[1] ? 0 : 1;
      const due = this.ackDue[dir];
      if (due > until) return;
      yield due;
      this.sendPureAck(dir);
    }
  }

  /** Where `dir`'s next data segment goes in the output buffer. */
  payloadOffset(dir: Direction): number {
    return this.sim.sink.tcpPayloadOffset(this.conn, dir, PSH | ACK);
  }

  /**
   * Sends `length` bytes already written at `payloadOffset(dir)` as one PSH segment: a request or
   * response that fits a segment. Call at the segment's time. The peer now owes an ACK.
   */
  sendSegment(dir: Direction, length: number, push = true): void {
    this.sim.sink.tcp(this.conn, dir, push ? PSH | ACK : ACK, length);
    this.received(dir === 0 ? 1 : 0, length === MAX_SEGMENT_PAYLOAD);
  }

  /** Resends the last `length` bytes of `dir` with their sequence number (RFC 6298 retransmission). */
  resendSegment(dir: Direction, length: number): void {
    this.sim.sink.tcp(this.conn, dir, PSH | ACK, length, true);
  }

  /** Sends `data` from `dir` starting at `at`, MSS by MSS, the receiver acknowledging as it goes. */
  *send(dir: Direction, data: Uint8Array, at: number): Behaviour {
    yield* this.flushAcks(at);
    let next = Math.max(at, this.sim.now);
    for (let off = 0; off < data.length; off += MAX_SEGMENT_PAYLOAD) {
      const n = Math.min(MAX_SEGMENT_PAYLOAD, data.length - off);
      yield next;
      const p = this.payloadOffset(dir);
      this.sim.sink.output.buffer.set(data.subarray(off, off + n), p);
      this.sendSegment(dir, n, off + n === data.length);
      const receiver: Direction = dir === 0 ? 1 : 0;
      if (this.unackedFull[receiver] >= 2) {
        yield this.sim.now + this.latencyMicros;
        this.sendPureAck(receiver);
      }
      next = this.sim.now + SEGMENT_GAP_MICROS;
    }
  }

  /** The side `initiator` closes: FIN, the peer's FIN-ACK at once, the last ACK. */
  *close(initiator: Direction, at: number): Behaviour {
    yield* this.flushAcks(at);
    const sink = this.sim.sink;
    const peer: Direction = initiator === 0 ? 1 : 0;
    yield Math.max(at, this.sim.now);
    sink.tcp(this.conn, initiator, FIN | ACK, 0);
    this.ackDue[peer] = Number.POSITIVE_INFINITY;
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, peer, FIN | ACK, 0);
    this.ackDue[initiator] = Number.POSITIVE_INFINITY;
    yield this.sim.now + this.latencyMicros * 2;
    sink.tcp(this.conn, initiator, ACK, 0);
  }

  /** Abortive close by `dir` (a socket closed with SO_LINGER 0): RST-ACK, nothing more. */
  reset(dir: Direction): void {
    this.sim.sink.tcp(this.conn, dir, RST | ACK, 0);
    this.ackDue[0] = Number.POSITIVE_INFINITY;
    this.ackDue[1] = Number.POSITIVE_INFINITY;
  }

  /** `dir` has received a segment: its ACK is now owed, unless it is down. */
  private received(dir: Direction, fullSized: boolean): void {
    const other: Direction = dir === 0 ? 1 : 0;
    // Data from the other side carries the ACK of everything `other` had received.
    this.ackDue[other] = Number.POSITIVE_INFINITY;
    this.unackedFull[other] = 0;
    const host = this.host(dir);
    if (this.sim.isDown(host, this.sim.now)) return;
    if (fullSized) this.unackedFull[dir]++;
    if (this.ackDue[dir] === Number.POSITIVE_INFINITY) {
      this.ackDue[dir] = this.sim.now + this.latencyMicros + host.stack.delayedAckMicros;
    }
  }

  private sendPureAck(dir: Direction): void {
    this.sim.sink.tcp(this.conn, dir, ACK, 0);
    this.ackDue[dir] = Number.POSITIVE_INFINITY;
    this.unackedFull[dir] = 0;
  }
}
