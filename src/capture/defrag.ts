// IP fragment reassembly for IPv4 (RFC 791 §3.2, "fragmentation and reassembly") and IPv6
// (RFC 8200 §4.5). Fragments are copied and held per datagram until every byte from 0 to the end
// marked by the last fragment is present; then the payload is handed back in one piece.
// Overlaps keep the first copy (RFC 5722 says to drop overlapping IPv6 datagrams; we keep decoding
// but count them, since a passive monitor should see what the receiver may have seen).
// Memory is bounded by MAX_PENDING_DATAGRAMS and FRAGMENT_TIMEOUT_S.

import { FRAGMENT_TIMEOUT_S, MAX_DATAGRAM_BYTES, MAX_PENDING_DATAGRAMS } from './limits.ts';

interface Piece {
  offset: number;
  bytes: Uint8Array;
}

interface Datagram {
  pieces: Piece[];
  /** Total payload length, known once the last fragment (MF clear) arrives; -1 before. */
  total: number;
  firstTs: number;
}

export interface DefragStats {
  fragments: number;
  reassembled: number;
  timedOut: number;
  overlaps: number;
  oversized: number;
}

export class Defragmenter {
  readonly stats: DefragStats = { fragments: 0, reassembled: 0, timedOut: 0, overlaps: 0, oversized: 0 };
  private readonly pending = new Map<string, Datagram>();

  /**
   * Adds one fragment's payload. Returns the whole datagram payload when this fragment completed
   * it, otherwise null. `offset` is in bytes.
   */
  add(key: string, ts: number, offset: number, more: boolean, payload: Uint8Array): Uint8Array | null {
    this.stats.fragments++;
    if (offset + payload.length > MAX_DATAGRAM_BYTES) {
      // "Ping of death" style: a fragment that would end past the largest datagram is never valid.
      this.stats.oversized++;
      return null;
    }
    let d = this.pending.get(key);
    if (d === undefined) {
      this.expire(ts);
      if (this.pending.size >= MAX_PENDING_DATAGRAMS) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
        this.stats.timedOut++;
      }
      d = { pieces: [], total: -1, firstTs: ts };
      this.pending.set(key, d);
    }
    if (!more) d.total = offset + payload.length;
    d.pieces.push({ offset, bytes: payload.slice() });
    if (d.total < 0) return null;
    const whole = this.assemble(d);
    if (whole !== null) {
      this.pending.delete(key);
      this.stats.reassembled++;
    }
    return whole;
  }

  private assemble(d: Datagram): Uint8Array | null {
    d.pieces.sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const p of d.pieces) {
      if (p.offset > covered) return null;
      if (p.offset < covered) this.stats.overlaps++;
      covered = Math.max(covered, p.offset + p.bytes.length);
    }
    if (covered < d.total) return null;
    const out = new Uint8Array(d.total);
    // Write in reverse so that, on overlap, the earliest-offset piece's bytes win.
    for (let i = d.pieces.length - 1; i >= 0; i--) {
      const p = d.pieces[i];
      out.set(p.bytes.subarray(0, Math.max(0, Math.min(p.bytes.length, d.total - p.offset))), p.offset);
    }
    return out;
  }

  /** Drop datagrams whose first fragment is older than the timeout (insertion order = age order). */
  private expire(now: number): void {
    for (const [key, d] of this.pending) {
      if (now - d.firstTs <= FRAGMENT_TIMEOUT_S) return;
      this.pending.delete(key);
      this.stats.timedOut++;
    }
  }
}
