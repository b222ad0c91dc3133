// A small, bounded DER reader for the fields of an X.509 certificate that name its holder (RFC 5280
// §4.1): serial number, issuer, validity and subject. It walks the fixed shape of TBSCertificate
// and nothing else (no extensions, no signature check), reads every length against its enclosing
// element (X.690 §8.1.3, DER definite lengths only), and returns null on anything malformed, so it
// never throws and never reads past the certificate. node:crypto's X509Certificate is not used on
// wire bytes: it parses (and allocates) far more than the monitor needs, and it throws on input
// that is merely unusual.

import { MAX_DN_ATTRIBUTES, MAX_DN_LENGTH, MAX_SERIAL_BYTES } from './spec.ts';

export interface CertificateSummary {
  /** RFC 4514 string of the subject (`CN=plc-7,O=Example,C=DE`), attributes last-to-first. */
  readonly subject: string;
  readonly issuer: string;
  readonly subjectCn: string | null;
  readonly subjectO: string | null;
  readonly issuerCn: string | null;
  /** ISO 8601 UTC, `2026-03-02T06:00:00Z`. */
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** Lower-case hex, leading zero bytes dropped. */
  readonly serial: string;
  /** Issuer and subject are the same name (self-issued, RFC 5280 §3.2): a self-signed device certificate. */
  readonly selfIssued: boolean;
}

// DER tags (X.680 §8.4, X.690 §8.1.2) of the types read here.
const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const OID = 0x06;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const CONTEXT_0 = 0xa0;

// Bounds of the last element read (the reader is synchronous and never re-entered).
let valueStart = 0;
let valueEnd = 0;

/** Reads the TLV at b[p] inside [p, end): returns its tag and sets valueStart/valueEnd; -1 when malformed. */
function element(b: Uint8Array, p: number, end: number): number {
  if (p + 2 > end) return -1;
  const tag = b[p];
  // High-tag-number form (X.690 §8.1.2.4) never occurs in the fields read here.
  if ((tag & 0x1f) === 0x1f) return -1;
  let length = b[p + 1];
  let q = p + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    // 0x80 is the indefinite form, not DER; more than 3 length bytes exceeds any certificate here.
    if (bytes === 0 || bytes > 3 || q + bytes > end) return -1;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + b[q + i];
    q += bytes;
  }
  if (q + length > end) return -1;
  valueStart = q;
  valueEnd = q + length;
  return tag;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Not fatal: a malformed UTF8String shows U+FFFD where it is broken, the rest stays readable. */
const utf8 = new TextDecoder('utf-8');

/** Short names of the attribute types RFC 4514 §3 lists (and the emailAddress of PKCS #9), by OID content hex. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '550403': 'CN',
  '550404': 'SN',
  '550405': 'serialNumber',
  '550406': 'C',
  '550407': 'L',
  '550408': 'ST',
  '550409': 'STREET',
  '55040a': 'O',
  '55040b': 'OU',
  '55040c': 'title',
  '55042a': 'GN',
  '2a864886f70d010901': 'emailAddress',
  '0992268993f22c640119': 'DC',
  '0992268993f22c640101': 'UID',
};

function hex(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += HEX[b[i]];
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's content (X.690 §8.19); null when malformed. */
function dottedOid(b: Uint8Array, s: number, e: number): string | null {
  if (s >= e || e - s > 32) return null;
  const parts: number[] = [];
  let value = 0;
  for (let i = s; i < e; i++) {
    value = value * 128 + (b[i] & 0x7f);
    if (b[i] & 0x80) continue;
    if (parts.length === 0) {
      const first = value < 80 ? Math.floor(value / 40) : 2;
      parts.push(first, value - first * 40);
    } else parts.push(value);
    value = 0;
  }
  return b[e - 1] & 0x80 ? null : parts.join('.');
}

/** A directory string's text (RFC 5280 §4.1.2.4), control characters escaped; null for types not read. */
function stringValue(b: Uint8Array, t: number, s: number, e: number): string | null {
  let text: string;
  switch (t) {
    case 0x0c: // UTF8String
      text = utf8.decode(b.subarray(s, e));
      break;
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
    case 0x14: // TeletexString, read as ISO-8859-1 as most implementations do
      text = String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
      break;
    case 0x1e: {
      // BMPString: UTF-16, big-endian
      if ((e - s) % 2 !== 0) return null;
      const units: number[] = [];
      for (let i = s; i < e; i += 2) units.push((b[i] << 8) | b[i + 1]);
      text = String.fromCharCode.apply(null, units);
      break;
    }
    default:
      return null;
  }
  let clean = '';
  for (let i = 0; i < text.length && clean.length < MAX_DN_LENGTH; i++) {
    const c = text.charCodeAt(i);
    clean += c < 0x20 || c === 0x7f ? `\\x${HEX[c]}` : text[i];
  }
  return clean;
}

/** RFC 4514 §2.4: characters escaped in an attribute value. */
function escapeDn(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === ',' || ch === '+' || ch === '"' || ch === '\\' || ch === '<' || ch === '>' || ch === ';')
      out += '\\';
    else if ((i === 0 && (ch === ' ' || ch === '#')) || (i === value.length - 1 && ch === ' ')) out += '\\';
    out += ch;
  }
  return out;
}

interface DistinguishedName {
  text: string;
  cn: string | null;
  o: string | null;
}

/** Name ::= SEQUENCE OF RelativeDistinguishedName (RFC 5280 §4.1.2.4), value b[s, e). */
function readName(b: Uint8Array, s: number, e: number): DistinguishedName | null {
  const parts: string[] = [];
  let cn: string | null = null;
  let o: string | null = null;
  let attributes = 0;
  for (let p = s; p < e; ) {
    if (element(b, p, e) !== SET) return null;
    const setEnd = valueEnd;
    const rdn: string[] = [];
    for (let q = valueStart; q < setEnd; ) {
      if (++attributes > MAX_DN_ATTRIBUTES) return null;
      if (element(b, q, setEnd) !== SEQUENCE) return null;
      const atvEnd = valueEnd;
      q = valueEnd;
      if (element(b, valueStart, atvEnd) !== OID) return null;
      const oidHex = hex(b, valueStart, valueEnd);
      const type = ATTRIBUTE_NAMES[oidHex] ?? dottedOid(b, valueStart, valueEnd);
      if (type === null) return null;
      const valueTag = element(b, valueEnd, atvEnd);
      if (valueTag < 0) return null;
      const value = stringValue(b, valueTag, valueStart, valueEnd);
      // RFC 4514 §2.4: a value of another type prints as '#' and its BER encoding in hex.
      const shown =
        value === null ? `#${hex(b, valueStart - 2, Math.min(valueEnd, valueStart + 32))}` : escapeDn(value);
      if (type === 'CN' && cn === null && value !== null) cn = value;
      if (type === 'O' && o === null && value !== null) o = value;
      rdn.push(`${type}=${shown}`);
    }
    parts.push(rdn.join('+'));
    p = setEnd;
  }
  // RFC 4514 §2.1: the last RDN of the sequence comes first.
  let text = parts.reverse().join(',');
  if (text.length > MAX_DN_LENGTH) text = text.slice(0, MAX_DN_LENGTH);
  return { text, cn, o };
}

/** UTCTime (YYMMDDHHMMSSZ, RFC 5280 §4.1.2.5.1) or GeneralizedTime (YYYYMMDDHHMMSSZ, §4.1.2.5.2). */
function readTime(b: Uint8Array, t: number, s: number, e: number): string | null {
  const digits = (from: number, count: number): number => {
    let n = 0;
    for (let i = from; i < from + count; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  };
  let year: number;
  let p: number;
  if (t === UTC_TIME && e - s === 13) {
    const yy = digits(s, 2);
    if (yy < 0) return null;
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    p = s + 2;
  } else if (t === GENERALIZED_TIME && e - s === 15) {
    year = digits(s, 4);
    p = s + 4;
  } else return null;
  if (b[e - 1] !== 0x5a) return null; // 'Z'
  const month = digits(p, 2);
  const day = digits(p + 2, 2);
  const hour = digits(p + 4, 2);
  const minute = digits(p + 6, 2);
  const second = digits(p + 8, 2);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  ) {
    return null;
  }
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`;
}

/** The naming fields of the DER certificate b[s, e), or null when it is not a well-formed one. */
export function summarizeCertificate(b: Uint8Array, s: number, e: number): CertificateSummary | null {
  // Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
  if (element(b, s, e) !== SEQUENCE) return null;
  if (element(b, valueStart, valueEnd) !== SEQUENCE) return null;
  const tbsEnd = valueEnd;
  let p = valueStart;
  // version [0] EXPLICIT Version DEFAULT v1
  let tag = element(b, p, tbsEnd);
  if (tag === CONTEXT_0) {
    p = valueEnd;
    tag = element(b, p, tbsEnd);
  }
  if (tag !== INTEGER) return null;
  let serialStart = valueStart;
  while (serialStart < valueEnd - 1 && b[serialStart] === 0) serialStart++;
  const serial = hex(b, serialStart, Math.min(valueEnd, serialStart + MAX_SERIAL_BYTES));
  p = valueEnd;
  // signature AlgorithmIdentifier
  if (element(b, p, tbsEnd) !== SEQUENCE) return null;
  p = valueEnd;
  // issuer Name
  if (element(b, p, tbsEnd) !== SEQUENCE) return null;
  const issuerStart = valueStart;
  const issuerEnd = valueEnd;
  p = valueEnd;
  // validity SEQUENCE { notBefore Time, notAfter Time }
  if (element(b, p, tbsEnd) !== SEQUENCE) return null;
  const validityEnd = valueEnd;
  p = valueEnd;
  tag = element(b, valueStart, validityEnd);
  if (tag < 0) return null;
  const notBefore = readTime(b, tag, valueStart, valueEnd);
  tag = element(b, valueEnd, validityEnd);
  if (tag < 0) return null;
  const notAfter = readTime(b, tag, valueStart, valueEnd);
  // subject Name
  if (element(b, p, tbsEnd) !== SEQUENCE) return null;
  const subjectStart = valueStart;
  const subjectEnd = valueEnd;
  const issuer = readName(b, issuerStart, issuerEnd);
  const subject = readName(b, subjectStart, subjectEnd);
  if (issuer === null || subject === null) return null;
  let selfIssued = issuerEnd - issuerStart === subjectEnd - subjectStart;
  for (let i = 0; selfIssued && i < issuerEnd - issuerStart; i++)
    selfIssued = b[issuerStart + i] === b[subjectStart + i];
  return {
    subject: subject.text,
    issuer: issuer.text,
    subjectCn: subject.cn,
    subjectO: subject.o,
    issuerCn: issuer.cn,
    notBefore,
    notAfter,
    serial,
    selfIssued,
  };
}
