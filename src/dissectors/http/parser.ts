// Parses an HTTP/1.x message head (RFC 9112 §2-§5): the request line or status line and the header
// fields the dissector keeps (Host, User-Agent, Server, Content-Type) or needs for framing
// (Content-Length, Transfer-Encoding, RFC 9112 §6). Pure and bounded: the caller hands it one
// head no longer than MAX_HEADER_BLOCK, lines are walked once, at most MAX_HEADER_FIELDS fields,
// and kept values are cut at MAX_VALUE_LENGTH / MAX_URI_LENGTH characters. Bodies never come here.
//
// HTTP is text: bytes are read as ISO-8859-1 (RFC 9110 §5.5 allows only visible ASCII and obs-text
// in values); control characters print as `\xNN` so values are faithful and safe to log.

import type { Fields } from '../types.ts';
import {
  MAX_HEADER_FIELDS,
  MAX_METHOD_LENGTH,
  MAX_URI_LENGTH,
  MAX_VALUE_LENGTH,
  methodOperation,
} from './spec.ts';

export interface HttpHead {
  readonly request: boolean;
  readonly method: string | null;
  readonly uri: string | null;
  /** `1.1`, `1.0`. */
  readonly version: string;
  readonly status: number | null;
  readonly reason: string | null;
  readonly host: string | null;
  readonly userAgent: string | null;
  readonly server: string | null;
  readonly contentType: string | null;
  /** The declared length; null when absent. */
  readonly contentLength: number | null;
  /** Transfer-Encoding ends in `chunked` (RFC 9112 §6.3 rule 3 / §7.1). */
  readonly chunked: boolean;
  /** Transfer-Encoding present and not ending in `chunked`. */
  readonly otherCoding: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

/** RFC 9110 §5.6.2 tchar: the characters of a token (method, field name). */
const TCHAR: boolean[] = (() => {
  const t = new Array<boolean>(256).fill(false);
  for (let c = 0x30; c <= 0x39; c++) t[c] = true;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = true;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = true;
  for (const c of "!#$%&'*+-.^_`|~") t[c.charCodeAt(0)] = true;
  return t;
})();

export function isTchar(c: number): boolean {
  return TCHAR[c];
}

/**
 * The offset just after the empty line that ends the head starting at `start`, or -1 when it is
 * not in b[start, end). A bare LF ends lines too (RFC 9112 §2.2 lets a recipient accept it).
 */
export function findHeadEnd(b: Uint8Array, start: number, end: number): number {
  for (let i = b.indexOf(LF, start); i >= 0 && i < end; i = b.indexOf(LF, i + 1)) {
    // "\n\n" or "\n\r\n"
    if (i + 1 < end && b[i + 1] === LF) return i + 2;
    if (i + 2 < end && b[i + 1] === CR && b[i + 2] === LF) return i + 3;
  }
  return -1;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** b[s, e) as text, at most `max` characters, control characters as `\xNN`. */
export function text(b: Uint8Array, s: number, e: number, max: number): string {
  if (e - s > max) e = s + max;
  let clean = true;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if ((c < 0x20 && c !== HT) || c === 0x7f || c === 0x5c) {
      clean = false;
      break;
    }
  }
  if (clean) return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
  let out = '';
  for (let i = s; i < e; i++) {
    const c = b[i];
    out += (c < 0x20 && c !== HT) || c === 0x7f || c === 0x5c ? `\\x${HEX[c]}` : String.fromCharCode(c);
  }
  return out;
}

/** The end of the line starting at `s` (the LF, or `e`), and the content end without the CR. */
function lineEnd(b: Uint8Array, s: number, e: number): number {
  const i = b.indexOf(LF, s);
  return i < 0 || i >= e ? e : i;
}

function contentEnd(b: Uint8Array, s: number, lf: number): number {
  return lf > s && b[lf - 1] === CR ? lf - 1 : lf;
}

/** `HTTP/1.d` at b[s, e) (RFC 9112 §2.3; HTTP/2 and later are not this format): the version text, or null. */
export function versionAt(b: Uint8Array, s: number, e: number): string | null {
  if (e - s !== 8) return null;
  if (b[s] !== 0x48 || b[s + 1] !== 0x54 || b[s + 2] !== 0x54 || b[s + 3] !== 0x50 || b[s + 4] !== 0x2f)
    return null;
  const minor = b[s + 7];
  if (b[s + 5] !== 0x31 || b[s + 6] !== 0x2e || minor < 0x30 || minor > 0x39) return null;
  return minor === 0x31 ? '1.1' : minor === 0x30 ? '1.0' : `1.${minor - 0x30}`;
}

/** Field names the parser acts on, lower-case. */
const FIELD = {
  HOST: 'host',
  USER_AGENT: 'user-agent',
  SERVER: 'server',
  CONTENT_TYPE: 'content-type',
  CONTENT_LENGTH: 'content-length',
  TRANSFER_ENCODING: 'transfer-encoding',
} as const;
const FIELD_CODES = Object.fromEntries(
  Object.values(FIELD).map((name) => [name, Array.from(name, (c) => c.charCodeAt(0))]),
) as Record<(typeof FIELD)[keyof typeof FIELD], number[]>;

/** Case-insensitive comparison of b[s, e) with a lower-case field name (RFC 9110 §5.1). */
function nameIs(b: Uint8Array, s: number, e: number, name: number[]): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++)
    if ((b[s + i] | 0x20) !== name[i] && b[s + i] !== name[i]) return false;
  return true;
}

/**
 * Parses the head b[start, end) (as found by findHeadEnd) of a request (`dir` 0) or a response
 * (`dir` 1). Returns the head, or why it is not HTTP/1.x.
 */
export function parseHead(b: Uint8Array, start: number, end: number, request: boolean): HttpHead | string {
  const lf = lineEnd(b, start, end);
  const lineStop = contentEnd(b, start, lf);
  let method: string | null = null;
  let uri: string | null = null;
  let version: string | null;
  let status: number | null = null;
  let reason: string | null = null;
  if (request) {
    // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
    let i = start;
    while (i < lineStop && TCHAR[b[i]]) i++;
    if (i === start || i - start > MAX_METHOD_LENGTH || b[i] !== SP)
      return 'request line does not start with a method and a space';
    method = text(b, start, i, MAX_METHOD_LENGTH);
    const lastSpace = b.lastIndexOf(SP, lineStop - 1);
    if (lastSpace <= i) return 'request line has no HTTP version';
    version = versionAt(b, lastSpace + 1, lineStop);
    if (version === null) return 'request line does not end in HTTP/1.<minor>';
    uri = text(b, i + 1, lastSpace, MAX_URI_LENGTH);
  } else {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4)
    version = versionAt(b, start, Math.min(start + 8, lineStop));
    if (version === null || lineStop - start < 12 || b[start + 8] !== SP)
      return 'status line does not start with HTTP/1.<minor> and a space';
    const d0 = b[start + 9] - 0x30;
    const d1 = b[start + 10] - 0x30;
    const d2 = b[start + 11] - 0x30;
    if (d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9)
      return 'status code is not three digits from 100 to 599';
    if (lineStop > start + 12 && b[start + 12] !== SP) return 'status code is not followed by a space';
    status = d0 * 100 + d1 * 10 + d2;
    reason = lineStop > start + 13 ? text(b, start + 13, lineStop, MAX_VALUE_LENGTH) : '';
  }

  let host: string | null = null;
  let userAgent: string | null = null;
  let server: string | null = null;
  let contentType: string | null = null;
  let contentLength: number | null = null;
  let chunked = false;
  let coding = false;
  let fields = 0;
  for (let s = lf + 1; s < end; ) {
    const e = lineEnd(b, s, end);
    const stop = contentEnd(b, s, e);
    const next = e + 1;
    if (stop === s) break; // the empty line
    if (b[s] === SP || b[s] === HT) {
      // obs-fold (RFC 9112 §5.2): a continuation of the previous value; nothing we keep needs it.
      s = next;
      continue;
    }
    if (++fields > MAX_HEADER_FIELDS) return `more than ${MAX_HEADER_FIELDS} header fields`;
    const colon = b.indexOf(COLON, s);
    if (colon < 0 || colon >= stop) return `header line ${fields} has no colon`;
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (colon === s || !TCHAR[b[colon - 1]]) return `header line ${fields} has no valid field name`;
    let vs = colon + 1;
    let ve = stop;
    while (vs < ve && (b[vs] === SP || b[vs] === HT)) vs++;
    while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === HT)) ve--;
    const len = colon - s;
    if (len === 4 && nameIs(b, s, colon, FIELD_CODES.host)) host ??= text(b, vs, ve, MAX_VALUE_LENGTH);
    else if (len === 6 && nameIs(b, s, colon, FIELD_CODES.server))
      server ??= text(b, vs, ve, MAX_VALUE_LENGTH);
    else if (len === 10 && nameIs(b, s, colon, FIELD_CODES['user-agent']))
      userAgent ??= text(b, vs, ve, MAX_VALUE_LENGTH);
    else if (len === 12 && nameIs(b, s, colon, FIELD_CODES['content-type']))
      contentType ??= text(b, vs, ve, MAX_VALUE_LENGTH);
    else if (len === 14 && nameIs(b, s, colon, FIELD_CODES['content-length'])) {
      const n = parseContentLength(b, vs, ve);
      if (n < 0 || (contentLength !== null && contentLength !== n)) {
        // RFC 9112 §6.3 rule 5: an invalid or conflicting length makes the framing unrecoverable.
        return 'invalid or conflicting Content-Length';
      }
      contentLength = n;
    } else if (len === 17 && nameIs(b, s, colon, FIELD_CODES['transfer-encoding'])) {
      // The final coding decides (RFC 9112 §6.3 rule 4); several fields form one list (RFC 9110 §5.3).
      coding = true;
      chunked = endsWithChunked(b, vs, ve);
    }
    s = next;
  }
  return {
    request,
    method,
    uri,
    version,
    status,
    reason,
    host,
    userAgent,
    server,
    contentType,
    contentLength,
    chunked,
    otherCoding: coding && !chunked,
  };
}

/** Content-Length = 1*DIGIT, or a list of identical values (RFC 9110 §8.6); -1 when invalid. */
function parseContentLength(b: Uint8Array, s: number, e: number): number {
  let value = -1;
  let i = s;
  while (i < e) {
    let n = 0;
    let digits = 0;
    while (i < e && b[i] >= 0x30 && b[i] <= 0x39) {
      n = n * 10 + (b[i] - 0x30);
      digits++;
      i++;
    }
    if (digits === 0 || n > Number.MAX_SAFE_INTEGER || (value >= 0 && n !== value)) return -1;
    value = n;
    while (i < e && (b[i] === SP || b[i] === HT)) i++;
    if (i < e) {
      if (b[i] !== 0x2c) return -1;
      i++;
      while (i < e && (b[i] === SP || b[i] === HT)) i++;
    }
  }
  return value;
}

const CHUNKED = Array.from('chunked', (c) => c.charCodeAt(0));

function endsWithChunked(b: Uint8Array, s: number, e: number): boolean {
  while (e > s && (b[e - 1] === SP || b[e - 1] === HT)) e--;
  return (
    e - s >= 7 &&
    nameIs(b, e - 7, e, CHUNKED) &&
    (e - 7 === s || b[e - 8] === 0x2c || b[e - 8] === SP || b[e - 8] === HT)
  );
}

/**
 * A chunk-size line (RFC 9112 §7.1): hex digits, then optional `;extensions`. Returns the size, or
 * -1 when malformed.
 */
export function parseChunkSize(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  let digits = 0;
  let i = s;
  for (; i < e; i++) {
    const c = b[i] | 0x20;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
    if (d < 0) break;
    n = n * 16 + d;
    if (++digits > 13) return -1; // more than 2^52: no real body is that large
  }
  if (digits === 0) return -1;
  while (i < e && (b[i] === SP || b[i] === HT)) i++;
  if (i < e && b[i] !== 0x3b) return -1;
  return n;
}

/** The request a response answers, as the session remembers it. */
export interface PendingRequest {
  readonly method: string | null;
  readonly uri: string | null;
}

/** The dotted fields of a message head (see README.md). `answered` is the request a response answers. */
export function httpFields(h: HttpHead, answered: PendingRequest | null): Fields {
  const method = h.request ? h.method : (answered?.method ?? null);
  const fields: Fields = {
    'http.method': method,
    'http.uri': h.request ? h.uri : (answered?.uri ?? null),
    'http.version': h.version,
    'http.host': h.host,
    'http.user_agent': h.userAgent,
    'http.status_code': h.status,
    'http.status_msg': h.reason,
    'http.server': h.server,
    'http.content_type': h.contentType,
    'http.content_length': h.contentLength,
    'http.error': h.status !== null && h.status >= 400 ? h.status : null,
    'http.operation': methodOperation(method),
  };
  // Identity of the sender (device.ts): a server names its software, a client its user agent.
  if (h.request) {
    if (h.userAgent !== null && h.userAgent !== '') fields['http.device.description'] = h.userAgent;
  } else if (h.server !== null && h.server !== '') {
    fields['http.device.software'] = h.server;
  }
  return fields;
}
