// One transport connection in the pipeline's table: its identity and counters, the two TCP
// reassembly directions, and the dissector it is pinned to after probing (STYLE.md 3: probes
// never throw, ports are hints, a confirmed flow stays with its dissector).

import { MAX_PROBE_BYTES } from '../capture/limits.ts';
import { TcpDirection } from '../capture/tcp-reassembly.ts';
import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  SessionContext,
} from '../dissectors/types.ts';
import type { ConnectionInfo, ConnectionSummary, PipelineSink } from './events.ts';

interface ProbeChunk {
  dir: Direction;
  ts: number;
  bytes: Uint8Array;
}

/** Run-wide counters a connection adds to (the pipeline's stats). */
export interface ConnectionCounters {
  appMessages: number;
  violations: number;
  abandoned: number;
  tcpGaps: number;
  tcpMissedBytes: number;
  tcpRetransmittedBytes: number;
}

export class Connection implements SessionContext {
  firstTs: number;
  lastTs: number;
  pkts0 = 0;
  pkts1 = 0;
  bytes0 = 0;
  bytes1 = 0;
  finSeen0 = false;
  finSeen1 = false;
  closed = false;
  /** Null for UDP. */
  readonly tcp: [TcpDirection, TcpDirection] | null;
  app: string | null = null;

  private session: DissectorSession | null = null;
  /** Dissectors still in the running; null once probing is over. */
  private candidates: DissectorDescriptor[] | null;
  private probeChunks: ProbeChunk[] = [];
  private probeBytes: [Uint8Array | null, Uint8Array | null] = [null, null];
  private probeTotal = 0;

  constructor(
    /** The pipeline's table key. */
    readonly key: string,
    readonly info: ConnectionInfo,
    /** True when the table key's first endpoint is the client. */
    readonly clientIsA: boolean,
    readonly rolesFromHandshake: boolean,
    ts: number,
    candidates: DissectorDescriptor[],
    /** The dissector registered for the server port, if any: it is told when the bytes are not its. */
    private readonly portHint: DissectorDescriptor | null,
    private readonly sink: PipelineSink,
    private readonly counters: ConnectionCounters,
  ) {
    this.firstTs = ts;
    this.lastTs = ts;
    this.candidates = candidates.length > 0 ? candidates : null;
    this.tcp =
      info.transport === 'tcp'
        ? [
            new TcpDirection({ data: (t, b) => this.appData(0, t, b), gap: (t, n) => this.appGap(0, t, n) }),
            new TcpDirection({ data: (t, b) => this.appData(1, t, b), gap: (t, n) => this.appGap(1, t, n) }),
          ]
        : null;
  }

  /** Counts one packet (its IP length) in its direction and returns that direction. */
  account(fromA: boolean, ts: number, ipLen: number): Direction {
    this.lastTs = ts;
    if (fromA === this.clientIsA) {
      this.pkts0++;
      this.bytes0 += ipLen;
      return 0;
    }
    this.pkts1++;
    this.bytes1 += ipLen;
    return 1;
  }

  /** In-order application bytes (a TCP stream chunk, or one whole UDP datagram). */
  appData(dir: Direction, ts: number, bytes: Uint8Array): void {
    if (this.session !== null) this.session.data(dir, ts, bytes);
    else if (this.candidates !== null) this.probe(dir, ts, bytes);
  }

  appGap(dir: Direction, ts: number, length: number): void {
    if (this.session !== null) this.session.gap(dir, ts, length);
    else if (this.candidates !== null) {
      // Bytes after a hole start mid-message: what we showed the probes so far is no longer a prefix.
      this.probeBytes[dir] = null;
      this.probeChunks = this.probeChunks.filter((c) => c.dir !== dir);
    }
  }

  /** Ends the connection: flush reassembly, tell the dissector, report the summary. Idempotent. */
  close(ts: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.tcp !== null) {
      const k = this.counters;
      for (const t of this.tcp) {
        t.flush();
        k.tcpGaps += t.gaps;
        k.tcpMissedBytes += t.missedBytes;
        k.tcpRetransmittedBytes += t.retransmittedBytes;
      }
    }
    this.session?.end(ts);
    this.session = null;
    this.candidates = null;
    this.probeChunks = [];
    this.sink.connection(this.summary());
  }

  summary(): ConnectionSummary {
    return {
      conn: this.info,
      app: this.app,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      packets: [this.pkts0, this.pkts1],
      bytes: [this.bytes0, this.bytes1],
      missedBytes: this.tcp === null ? [0, 0] : [this.tcp[0].missedBytes, this.tcp[1].missedBytes],
      rolesFromHandshake: this.rolesFromHandshake,
    };
  }

  // SessionContext: how the pinned dissector reports. Event objects are built here, once per message.

  message(dir: Direction, ts: number, fields: Fields): void {
    this.counters.appMessages++;
    this.sink.event({ ts, conn: this.info, dir, app: this.app!, kind: 'message', fields });
  }

  violation(dir: Direction, ts: number, reason: string, fields?: Fields): void {
    this.counters.violations++;
    this.sink.event({
      ts,
      conn: this.info,
      dir,
      app: this.app!,
      kind: 'violation',
      fields: fields === undefined ? { reason } : { reason, ...fields },
    });
  }

  abandon(_reason: string): void {
    this.counters.abandoned++;
    this.session = null;
  }

  ignoreRest(): void {
    this.session?.end(this.lastTs);
    this.session = null;
  }

  private probe(dir: Direction, ts: number, bytes: Uint8Array): void {
    const prev = this.probeBytes[dir];
    const seen = prev === null ? bytes : concat(prev, bytes);
    const candidates = this.candidates!;
    let winner: DissectorDescriptor | null = null;
    let write = 0;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      let verdict: string;
      try {
        verdict = c.probe(dir, seen);
      } catch {
        // A probe must never throw (STYLE.md 3); if one does, it simply does not get the flow.
        verdict = 'no';
      }
      if (verdict === 'yes') {
        winner = c;
        break;
      }
      if (verdict === 'maybe') candidates[write++] = c;
    }
    if (winner !== null) {
      this.pin(winner, dir, ts, bytes);
      return;
    }
    candidates.length = write;
    this.probeTotal += bytes.length;
    if (write === 0 && this.portHint !== null) {
      // Traffic on a protocol's well-known port that is not that protocol (a scan, a tunnel, a
      // fuzzer) is worth one violation: the detectors want to know, and it is never decoded.
      this.counters.violations++;
      this.sink.event({
        ts,
        conn: this.info,
        dir,
        app: this.portHint.name,
        kind: 'violation',
        fields: {
          reason: `bytes on ${this.portHint.name}'s port ${this.info.serverPort} are not ${this.portHint.name}`,
        },
      });
    }
    if (write === 0 || this.probeTotal > MAX_PROBE_BYTES) {
      this.candidates = null;
      this.probeChunks = [];
      this.probeBytes = [null, null];
      return;
    }
    const copy = bytes.slice();
    this.probeChunks.push({ dir, ts, bytes: copy });
    this.probeBytes[dir] = prev === null ? copy : seen;
  }

  private pin(d: DissectorDescriptor, dir: Direction, ts: number, bytes: Uint8Array): void {
    this.app = d.name;
    this.candidates = null;
    const session = d.createSession(this);
    this.session = session;
    const earlier = this.probeChunks;
    this.probeChunks = [];
    this.probeBytes = [null, null];
    for (const c of earlier) {
      if (this.session === null) return;
      session.data(c.dir, c.ts, c.bytes);
    }
    if (this.session !== null) session.data(dir, ts, bytes);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
