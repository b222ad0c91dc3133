// A bounded reader of the BER subset SNMP uses (X.690 §8.1; RFC 3417 §8): single-octet tags,
// definite lengths of at most 4 length octets, nothing read past the element that contains it.
// Pure and allocation-light: an element is described by three numbers in a reusable object.
// Every failure is a string saying what is wrong; nothing throws.

/** SNMP messages over UDP are at most one datagram (RFC 3417 §3: 65507 octets over IPv4). */
export const MAX_MESSAGE_LENGTH = 65507;
/** Length octets in the long form: 4 express any length up to MAX_MESSAGE_LENGTH and beyond. */
export const MAX_LENGTH_OCTETS = 4;
/**
 * Deepest element the parser enters: Message, ScopedPDU, PDU, VarBindList, VarBind, value (6),
 * with the USM parameters' inner SEQUENCE one level below msgSecurityParameters. SNMP's schema is
 * fixed; deeper nesting is a violation, never recursion.
 */
export const MAX_BER_DEPTH = 6;

/** One element: its tag, where its contents start and end (exclusive). */
export interface Element {
  tag: number;
  start: number;
  end: number;
}

/**
 * Reads the element header at `p`, whose contents must end by `limit`; fills `out` and returns
 * null, or returns why the octets are not one element.
 */
export function readElement(b: Uint8Array, p: number, limit: number, out: Element): string | null {
  if (limit - p < 2) return `element at ${p} shorter than its tag and length`;
  const tag = b[p];
  // X.690 §8.1.2.4: tag number 31 in the first octet means a multi-octet tag, which SNMP never uses.
  if ((tag & 0x1f) === 0x1f) return `multi-octet tag at ${p}`;
  let q = p + 1;
  const first = b[q++];
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) return `indefinite length at ${p} (RFC 3417 §8: definite only)`;
  else {
    const octets = first & 0x7f;
    if (octets > MAX_LENGTH_OCTETS) return `${octets} length octets at ${p}`;
    if (limit - q < octets) return `length octets at ${p} run past their container`;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + b[q++];
  }
  if (length > limit - q) return `element at ${p} of length ${length} runs past its container`;
  out.tag = tag;
  out.start = q;
  out.end = q + length;
  return null;
}

/** A signed INTEGER of 1-4 content octets (Integer32), or 5 with a leading 0; null otherwise. */
export function readInteger(b: Uint8Array, e: Element): number | null {
  const n = e.end - e.start;
  if (n < 1 || n > 5) return null;
  if (n === 5 && b[e.start] !== 0) return null;
  // Two's complement, big-endian (X.690 §8.3): the magnitude, less 2^(8n) when the sign bit is set.
  let v = 0;
  for (let i = e.start; i < e.end; i++) v = v * 256 + b[i];
  if (b[e.start] & 0x80) v -= 2 ** (8 * n);
  return v;
}

/** An unsigned value (Counter32, Gauge32, TimeTicks: RFC 2578 §7.1.6-8) of up to 5 octets. */
export function readUnsigned(b: Uint8Array, e: Element): number | null {
  const n = e.end - e.start;
  if (n < 1 || n > 5) return null;
  let v = 0;
  for (let i = e.start; i < e.end; i++) v = v * 256 + b[i];
  return v > 0xffffffff ? null : v;
}

/** Sub-identifiers an OID may have (RFC 2578 §7.1.3). */
export const MAX_OID_ARCS = 128;

/** Dotted text of an OBJECT IDENTIFIER's contents (X.690 §8.19); null when malformed. */
export function readOid(b: Uint8Array, e: Element): string | null {
  if (e.end - e.start < 1) return null;
  let s = '';
  let arcs = 0;
  let v = 0;
  let inArc = false;
  for (let i = e.start; i < e.end; i++) {
    const c = b[i];
    // X.690 §8.19.2: no leading 0x80 in a sub-identifier.
    if (!inArc && c === 0x80) return null;
    v = v * 128 + (c & 0x7f);
    if (v > 0xffffffff + 80) return null;
    if (c & 0x80) {
      inArc = true;
      continue;
    }
    inArc = false;
    if (arcs === 0) {
      // §8.19.4: the first sub-identifier packs the first two arcs.
      const first = v < 40 ? 0 : v < 80 ? 1 : 2;
      s = `${first}.${v - 40 * first}`;
      arcs = 2;
    } else {
      if (v > 0xffffffff) return null;
      s += `.${v}`;
      arcs++;
    }
    if (arcs > MAX_OID_ARCS) return null;
    v = 0;
  }
  return inArc ? null : s;
}
