// HTTP/1.x tables and limits (STYLE.md 5): request methods with their operation class, and the
// bounds of the message framing. Names are the specifications' (method names are case-sensitive
// tokens, RFC 9110 §9.1).
//
// Sources: RFC 9110 (HTTP Semantics) §9 methods, §15 status codes; RFC 9112 (HTTP/1.1) §2-§7
// message format, framing and chunked coding; RFC 5789 PATCH; RFC 4918 WebDAV methods.

import type { Operation } from '../operations.ts';

/** Well-known ports (hints only, STYLE.md 3): 80 (RFC 9110 §4.2.1), and the usual alternates. */
export const HTTP_PORTS = [80, 8080, 8000] as const;

/**
 * Methods and what they do to the server (operations.ts). Safe methods (RFC 9110 §9.2.1) read;
 * methods that change the target resource write; the rest (OPTIONS, TRACE, CONNECT, WebDAV
 * locking and property reads) are `other`.
 */
export const METHOD_OPERATIONS = {
  GET: 'read', // RFC 9110 §9.3.1
  HEAD: 'read', // §9.3.2
  POST: 'write', // §9.3.3
  PUT: 'write', // §9.3.4
  DELETE: 'write', // §9.3.5
  CONNECT: 'other', // §9.3.6
  OPTIONS: 'other', // §9.3.7
  TRACE: 'other', // §9.3.8
  PATCH: 'write', // RFC 5789
  PROPFIND: 'read', // RFC 4918 §9.1
  PROPPATCH: 'write', // §9.2
  MKCOL: 'write', // §9.3
  COPY: 'write', // §9.8
  MOVE: 'write', // §9.9
  LOCK: 'other', // §9.10
  UNLOCK: 'other', // §9.11
} as const satisfies Record<string, Operation>;

export type KnownMethod = keyof typeof METHOD_OPERATIONS;

/** The operation of a method; methods not in the table (extension methods) are `other`. */
export function methodOperation(method: string | null): Operation {
  if (method === null) return 'other';
  return Object.hasOwn(METHOD_OPERATIONS, method) ? METHOD_OPERATIONS[method as KnownMethod] : 'other';
}

/** Longest method token the probe and the resynchroniser accept (`PROPPATCH` is 9). */
export const MAX_METHOD_LENGTH = 16;

// Limits (DESIGN.md "Streaming and bounded").

/**
 * Start line plus header fields plus the empty line. Servers refuse larger heads (nginx and
 * Apache default to 8 KiB per line, 16-32 KiB in total; RFC 9112 §3 leaves it to them, RFC 6585
 * §5 gives 431): past this the head is a violation and the direction resynchronises.
 */
export const MAX_HEADER_BLOCK = 16 * 1024;
/** Header field lines parsed per head; real messages carry a few dozen. */
export const MAX_HEADER_FIELDS = 128;
/** Characters of the request target kept in `http.uri`. */
export const MAX_URI_LENGTH = 512;
/** Characters kept of a header value (Host, User-Agent, Server, Content-Type) or reason phrase. */
export const MAX_VALUE_LENGTH = 256;
/**
 * A chunk-size line with its extensions (RFC 9112 §7.1.1). Sizes are at most 16 hex digits;
 * extensions are rare and short. Longer is a violation.
 */
export const MAX_CHUNK_LINE = 1024;
/**
 * Requests awaiting a response on one connection: pipelining clients send a few at most (RFC 9112
 * §9.3.2). Beyond this the oldest is forgotten and its response is reported unmatched.
 */
export const MAX_PENDING_REQUESTS = 32;
/** Violations in a row, with no valid message between them, before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;
/** Bytes skipped looking for a start line (after a gap or a bad head) before a violation is reported. */
export const RESYNC_REPORT_BYTES = 64 * 1024;
