// The HTTP/1.x dissector (STYLE.md 2-4): a probe on the request line or status line, and a
// per-connection session that reports one event per request head and per response head, pairs
// responses with requests in order (RFC 9112 §9.3.2: pipelined responses come in request order),
// and walks over bodies without keeping them: it follows Content-Length and the chunked coding
// (RFC 9112 §6.3, §7.1) only to find where the next message starts. Only heads are buffered, up to
// MAX_HEADER_BLOCK; a longer one is a violation and the direction resynchronises on the next line
// that starts a message. After a 101 Switching Protocols or a CONNECT tunnel the bytes are another
// protocol: the session stops (ignoreRest).

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  findHeadEnd,
  type HttpHead,
  httpFields,
  isTchar,
  type PendingRequest,
  parseChunkSize,
  parseHead,
  versionAt,
} from './parser.ts';
import {
  HTTP_PORTS,
  MAX_CHUNK_LINE,
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_HEADER_BLOCK,
  MAX_METHOD_LENGTH,
  MAX_PENDING_REQUESTS,
  METHOD_OPERATIONS,
  RESYNC_REPORT_BYTES,
} from './spec.ts';

/** The longest request line the probe waits for before saying no (the pipeline shows probes 2 KiB at most). */
export const PROBE_MAX_LINE = 2048;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;

export const httpDissector: DissectorDescriptor = {
  name: 'http',
  transport: 'tcp',
  ports: [...HTTP_PORTS],
  funcFields: ['http.method'],
  operationField: 'http.operation',
  errorField: 'http.error',
  coverage: {
    protocol: 'HTTP/1.x',
    decoded: [
      'request line: method, target, version; Host, User-Agent, Content-Type, Content-Length',
      'status line: code, reason; Server, Content-Type, Content-Length',
      'request/response pairing with pipelining; Content-Length and chunked framing (bodies skipped)',
    ],
    recognised: [
      '101 Switching Protocols and CONNECT tunnels (the session stops there)',
      'trailer fields (skipped)',
    ],
    notHandled: ['HTTP/2 and HTTP/3', 'bodies (not decoded)', 'HTTP inside TLS'],
  },
  probe: probeHttp,
  createSession: (ctx) => new HttpSession(ctx),
};

/**
 * Requests: an upper-case method token, a space, a target, and ` HTTP/1.x` at the end of the first
 * line (RFC 9112 §3). Responses: `HTTP/1.x` and a space then three digits (§4). `maybe` while the
 * line is still coming and consistent so far.
 */
export function probeHttp(dir: Direction, data: Uint8Array): ProbeVerdict {
  const n = data.length;
  if (dir === 1) {
    const prefix = 'HTTP/1.';
    for (let i = 0; i < prefix.length; i++) {
      if (i >= n) return 'maybe';
      if (data[i] !== prefix.charCodeAt(i)) return 'no';
    }
    if (n < 12) return 'maybe';
    if (data[7] < 0x30 || data[7] > 0x39 || data[8] !== SP) return 'no';
    for (let i = 9; i < 12; i++) if (data[i] < 0x30 || data[i] > 0x39) return 'no';
    return 'yes';
  }
  let i = 0;
  while (i < n && (data[i] === CR || data[i] === LF) && i < 4) i++;
  const m = i;
  while (i < n && ((data[i] >= 0x41 && data[i] <= 0x5a) || data[i] === 0x2d || data[i] === 0x5f)) i++;
  if (i - m > MAX_METHOD_LENGTH) return 'no';
  if (i === n) return 'maybe';
  if (i === m || data[i] !== SP) return 'no';
  let lf = data.indexOf(LF, i);
  if (lf < 0) return n - m < PROBE_MAX_LINE ? 'maybe' : 'no';
  if (lf > i && data[lf - 1] === CR) lf--;
  const space = data.lastIndexOf(SP, lf - 1);
  return space > i && versionAt(data, space + 1, lf) !== null ? 'yes' : 'no';
}

// What one direction is in the middle of.
const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;
const RESYNC = 7;
type Mode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

class Side {
  mode: Mode = HEAD;
  /** Body or chunk bytes still to skip. */
  remaining = 0;
  /** A head begun in an earlier chunk (allocated on first need, MAX_HEADER_BLOCK bytes). */
  head: Uint8Array | null = null;
  headLength = 0;
  /** The chunk-size or trailer line being read: its first bytes, and how many it has so far. */
  readonly line = new Uint8Array(MAX_CHUNK_LINE);
  lineCount = 0;
  trailerBytes = 0;
  /** While resynchronising: the previous chunk ended a line (or a gap left us at an unknown point). */
  lineStart = true;
  skipped = 0;
}

export class HttpSession implements DissectorSession {
  private readonly sides: readonly [Side, Side] = [new Side(), new Side()];
  private readonly pending: PendingRequest[] = [];
  private violationRun = 0;
  private stopped = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    const st = this.sides[dir];
    const n = chunk.length;
    let off = 0;
    while (off < n && !this.stopped) {
      switch (st.mode) {
        case BODY:
        case CHUNK_DATA: {
          const take = Math.min(st.remaining, n - off);
          off += take;
          st.remaining -= take;
          if (st.remaining === 0) st.mode = st.mode === BODY ? HEAD : CHUNK_END;
          break;
        }
        case UNTIL_CLOSE:
          return;
        case HEAD:
          off = this.readHead(st, dir, ts, chunk, off);
          break;
        case RESYNC:
          off = this.resync(st, dir, ts, chunk, off);
          break;
        default:
          off = this.readLine(st, dir, ts, chunk, off);
      }
    }
  }

  gap(dir: Direction, _ts: number, length: number): void {
    const st = this.sides[dir];
    if ((st.mode === BODY || st.mode === CHUNK_DATA) && length <= st.remaining) {
      // The hole is inside a body we skip anyway: the framing is intact.
      st.remaining -= length;
      if (st.remaining === 0) st.mode = st.mode === BODY ? HEAD : CHUNK_END;
      return;
    }
    if (st.mode === UNTIL_CLOSE) return;
    st.mode = RESYNC;
    st.headLength = 0;
    st.lineCount = 0;
    st.lineStart = true;
    st.skipped = 0;
    // Requests or responses were lost: pairing what follows with what came before would lie.
    this.pending.length = 0;
  }

  end(): void {
    for (const st of this.sides) st.head = null;
    this.pending.length = 0;
  }

  /** Collects a head; returns where reading goes on. */
  private readHead(st: Side, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    if (st.headLength === 0) {
      // RFC 9112 §2.2: empty lines before a request line are ignored (and some servers send them).
      while (off < n && (chunk[off] === CR || chunk[off] === LF)) off++;
      if (off >= n) return n;
      const e = findHeadEnd(chunk, off, Math.min(n, off + MAX_HEADER_BLOCK));
      if (e >= 0) {
        this.onHead(st, dir, ts, chunk, off, e);
        return e;
      }
      if (n - off >= MAX_HEADER_BLOCK) {
        this.headTooLong(st, dir, ts);
        return off + 1;
      }
      st.head ??= new Uint8Array(MAX_HEADER_BLOCK);
      st.head.set(chunk.subarray(off), 0);
      st.headLength = n - off;
      return n;
    }
    const head = st.head!;
    const kept = st.headLength;
    const take = Math.min(MAX_HEADER_BLOCK - kept, n - off);
    head.set(chunk.subarray(off, off + take), kept);
    st.headLength = kept + take;
    const e = findHeadEnd(head, Math.max(0, kept - 3), st.headLength);
    if (e >= 0) {
      st.headLength = 0;
      this.onHead(st, dir, ts, head, 0, e);
      return off + (e - kept);
    }
    if (st.headLength >= MAX_HEADER_BLOCK) {
      st.headLength = 0;
      this.headTooLong(st, dir, ts);
    }
    return off + take;
  }

  private headTooLong(st: Side, dir: Direction, ts: number): void {
    st.mode = RESYNC;
    st.lineStart = false;
    this.report(dir, ts, `message head longer than ${MAX_HEADER_BLOCK} bytes`, null);
  }

  private onHead(st: Side, dir: Direction, ts: number, buf: Uint8Array, s: number, e: number): void {
    const h = parseHead(buf, s, e, dir === 0);
    if (typeof h === 'string') {
      st.mode = RESYNC;
      st.lineStart = true;
      this.report(dir, ts, h, null);
      return;
    }
    this.violationRun = 0;
    if (dir === 0) this.onRequest(st, ts, h);
    else this.onResponse(st, ts, h);
  }

  private onRequest(st: Side, ts: number, h: HttpHead): void {
    if (this.pending.length >= MAX_PENDING_REQUESTS) this.pending.shift();
    this.pending.push({ method: h.method, uri: h.uri });
    this.ctx.message(0, ts, httpFields(h, null));
    // Request framing, RFC 9112 §6.3 rules 4-6.
    if (h.method === 'CONNECT') {
      // The client may start the tunnelled protocol before the answer comes: nothing more to read here.
      st.mode = UNTIL_CLOSE;
    } else if (h.chunked) {
      st.mode = CHUNK_SIZE;
    } else if (h.otherCoding) {
      st.mode = RESYNC;
      st.lineStart = false;
      this.report(0, ts, 'request with a transfer coding other than chunked has no length (RFC 9112 §6.3)', {
        'http.method': h.method,
      });
    } else if (h.contentLength !== null && h.contentLength > 0) {
      st.mode = BODY;
      st.remaining = h.contentLength;
    } else {
      st.mode = HEAD;
    }
  }

  private onResponse(st: Side, ts: number, h: HttpHead): void {
    const status = h.status!;
    if (status < 200 && status !== 101) {
      // Interim responses (RFC 9110 §15.2) come before the final one for the same request.
      this.ctx.message(1, ts, httpFields(h, this.pending[0] ?? null));
      st.mode = HEAD;
      return;
    }
    const request = this.pending.shift() ?? null;
    this.ctx.message(1, ts, httpFields(h, request));
    if (status === 101 || (request?.method === 'CONNECT' && status < 300)) {
      // The connection now carries another protocol (RFC 9110 §15.2.2, §9.3.6).
      this.stopped = true;
      this.ctx.ignoreRest();
      return;
    }
    // Response framing, RFC 9112 §6.3 rules 1-7.
    if (request?.method === 'HEAD' || status === 204 || status === 304) st.mode = HEAD;
    else if (h.chunked) st.mode = CHUNK_SIZE;
    else if (h.otherCoding) st.mode = UNTIL_CLOSE;
    else if (h.contentLength !== null) {
      st.mode = h.contentLength > 0 ? BODY : HEAD;
      st.remaining = h.contentLength;
    } else {
      st.mode = UNTIL_CLOSE;
    }
  }

  /** Reads a chunk-size line, the CRLF after chunk data, or a trailer line (RFC 9112 §7.1). */
  private readLine(st: Side, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    let lf = chunk.indexOf(LF, off);
    if (lf < 0) lf = n;
    const add = lf - off;
    if (st.mode === TRAILERS) {
      st.trailerBytes += add + 1;
      if (st.trailerBytes > MAX_HEADER_BLOCK) {
        st.mode = RESYNC;
        st.lineStart = false;
        this.report(dir, ts, `trailer section longer than ${MAX_HEADER_BLOCK} bytes`, null);
        return lf;
      }
    } else if (st.lineCount + add > MAX_CHUNK_LINE) {
      st.mode = RESYNC;
      st.lineStart = false;
      this.report(dir, ts, `chunk-size line longer than ${MAX_CHUNK_LINE} bytes`, null);
      return lf;
    }
    // Only a line's first MAX_CHUNK_LINE bytes are kept: a trailer line is judged by being empty or not.
    const room = Math.min(add, MAX_CHUNK_LINE - st.lineCount);
    if (room > 0) st.line.set(chunk.subarray(off, off + room), st.lineCount);
    st.lineCount += add;
    if (lf === n) return n;
    let length = Math.min(st.lineCount, MAX_CHUNK_LINE);
    if (length > 0 && st.line[length - 1] === CR) length--;
    st.lineCount = 0;
    switch (st.mode) {
      case CHUNK_SIZE: {
        const size = parseChunkSize(st.line, 0, length);
        if (size < 0) {
          st.mode = RESYNC;
          st.lineStart = true;
          this.report(dir, ts, 'malformed chunk size (RFC 9112 §7.1)', null);
        } else if (size === 0) {
          st.mode = TRAILERS;
          st.trailerBytes = 0;
        } else {
          st.mode = CHUNK_DATA;
          st.remaining = size;
        }
        break;
      }
      case CHUNK_END:
        if (length === 0) st.mode = CHUNK_SIZE;
        else {
          st.mode = RESYNC;
          st.lineStart = true;
          this.report(dir, ts, 'chunk data is not followed by CRLF (RFC 9112 §7.1)', null);
        }
        break;
      default:
        // TRAILERS: an empty line ends the message.
        if (length === 0) st.mode = HEAD;
    }
    return lf + 1;
  }

  /** Skips to the next line that starts a request (dir 0) or a status line (dir 1). */
  private resync(st: Side, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    for (let i = off; i < n; i++) {
      if ((i === off ? st.lineStart : chunk[i - 1] === LF) && startsMessage(chunk, i, dir)) {
        st.mode = HEAD;
        st.headLength = 0;
        st.skipped = 0;
        return i;
      }
      if (++st.skipped >= RESYNC_REPORT_BYTES) {
        st.skipped = 0;
        this.report(dir, ts, `no HTTP/1.x message start in ${RESYNC_REPORT_BYTES} bytes`, null);
        if (this.stopped) return n;
      }
    }
    st.lineStart = n > off && chunk[n - 1] === LF;
    return n;
  }

  private report(dir: Direction, ts: number, reason: string, fields: Fields | null): void {
    this.ctx.violation(dir, ts, reason, fields ?? undefined);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.stopped = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} HTTP violations in a row`);
    }
  }
}

/** A known method and a space (requests), or `HTTP/1.` (responses), at b[i]. */
function startsMessage(b: Uint8Array, i: number, dir: Direction): boolean {
  const n = b.length;
  if (dir === 1) {
    return (
      i + 7 <= n &&
      b[i] === 0x48 &&
      b[i + 1] === 0x54 &&
      b[i + 2] === 0x54 &&
      b[i + 3] === 0x50 &&
      b[i + 4] === 0x2f &&
      b[i + 5] === 0x31 &&
      b[i + 6] === 0x2e
    );
  }
  let j = i;
  while (j < n && j - i <= MAX_METHOD_LENGTH && isTchar(b[j]) && b[j] >= 0x41 && b[j] <= 0x5a) j++;
  if (j === i || j >= n || b[j] !== SP) return false;
  return Object.hasOwn(
    METHOD_OPERATIONS,
    String.fromCharCode.apply(null, b.subarray(i, j) as unknown as number[]),
  );
}
