// TCP stream reassembly for one direction (RFC 9293 §3.4 sequence numbers). Delivers bytes in
// order exactly once: in-order segments pass through without a copy; out-of-order ones are copied
// and held (bounded); retransmitted and overlapping bytes are trimmed (first copy wins, as most
// stacks and Zeek do); a hole that never fills is reported as a gap and skipped, so a lossy
// capture still decodes. Streams picked up mid-way start at the first data segment seen.

import { MAX_TCP_PENDING_BYTES, MAX_TCP_PENDING_SEGMENTS } from './limits.ts';

export interface StreamConsumer {
  data(ts: number, bytes: Uint8Array): void;
  gap(ts: number, length: number): void;
}

interface Pending {
  seq: number;
  bytes: Uint8Array;
  ts: number;
}

/** Signed distance a - b in 32-bit sequence space (RFC 9293 §3.4: arithmetic modulo 2^32). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpDirection {
  /** Next sequence number expected, -1 until the stream's position is known. */
  nextSeq = -1;
  missedBytes = 0;
  gaps = 0;
  retransmittedBytes = 0;
  private pending: Pending[] = [];
  private pendingBytes = 0;

  constructor(private readonly out: StreamConsumer) {}

  syn(seq: number): void {
    if (this.nextSeq === -1) this.nextSeq = (seq + 1) >>> 0;
  }

  /**
   * One segment's payload. `missingTail` counts bytes the segment carried that the capture did not
   * keep (cut by the snap length): when they are next in line they are reported as a gap at once.
   */
  segment(ts: number, seq: number, payload: Uint8Array, missingTail = 0): void {
    if (missingTail > 0) {
      this.segment(ts, seq, payload);
      const tailSeq = (seq + payload.length) >>> 0;
      if (this.nextSeq === -1) this.nextSeq = tailSeq;
      if (this.nextSeq === tailSeq) {
        this.missedBytes += missingTail;
        this.gaps++;
        this.out.gap(ts, missingTail);
        this.nextSeq = (tailSeq + missingTail) >>> 0;
        if (this.pending.length > 0) this.drain();
      }
      return;
    }
    const len = payload.length;
    if (len === 0) return;
    if (this.nextSeq === -1) this.nextSeq = seq;
    const diff = seqDiff(seq, this.nextSeq);
    if (diff === 0) {
      this.deliver(ts, payload);
      if (this.pending.length > 0) this.drain();
      return;
    }
    if (diff < 0) {
      if (-diff >= len) {
        this.retransmittedBytes += len;
        return;
      }
      this.retransmittedBytes += -diff;
      this.deliver(ts, payload.subarray(-diff));
      if (this.pending.length > 0) this.drain();
      return;
    }
    this.hold(ts, seq, payload);
    if (this.pendingBytes > MAX_TCP_PENDING_BYTES || this.pending.length > MAX_TCP_PENDING_SEGMENTS) {
      this.skipToPending();
    }
  }

  /** End of the stream: whatever is held is delivered, with the holes before it reported as gaps. */
  flush(): void {
    while (this.pending.length > 0) this.skipToPending();
  }

  get buffered(): number {
    return this.pendingBytes;
  }

  private deliver(ts: number, bytes: Uint8Array): void {
    this.nextSeq = (this.nextSeq + bytes.length) >>> 0;
    this.out.data(ts, bytes);
  }

  private hold(ts: number, seq: number, payload: Uint8Array): void {
    // Kept sorted by sequence number; segments arrive nearly in order, so search from the end.
    const list = this.pending;
    let i = list.length;
    while (i > 0 && seqDiff(list[i - 1].seq, seq) > 0) i--;
    if (i > 0 && list[i - 1].seq === seq && list[i - 1].bytes.length >= payload.length) {
      this.retransmittedBytes += payload.length;
      return;
    }
    list.splice(i, 0, { seq, bytes: payload.slice(), ts });
    this.pendingBytes += payload.length;
  }

  /** Deliver every held segment that is now in order, trimming what was already delivered. */
  private drain(): void {
    const list = this.pending;
    while (list.length > 0) {
      const head = list[0];
      const diff = seqDiff(head.seq, this.nextSeq);
      if (diff > 0) return;
      list.shift();
      this.pendingBytes -= head.bytes.length;
      if (-diff < head.bytes.length) {
        this.retransmittedBytes += -diff;
        this.deliver(head.ts, diff === 0 ? head.bytes : head.bytes.subarray(-diff));
      } else {
        this.retransmittedBytes += head.bytes.length;
      }
    }
  }

  /** Declare the hole before the first held segment lost, and continue from there. */
  private skipToPending(): void {
    const head = this.pending[0];
    const missing = seqDiff(head.seq, this.nextSeq);
    if (missing > 0) {
      this.missedBytes += missing;
      this.gaps++;
      this.out.gap(head.ts, missing);
      this.nextSeq = head.seq;
    }
    this.drain();
  }
}
