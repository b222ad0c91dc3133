// Parses the TLS handshake messages that say who talks to whom, each handed over whole by the
// session (reassembled from records): ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2),
// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3-4.1.4), Certificate of TLS <= 1.2 (RFC 5246
// §7.4.2, first certificate via x509.ts), and Alert (§7.2 / RFC 8446 §6). Pure and bounded: every
// vector length is checked against its enclosing one, and at most MAX_ALPN_LISTED protocols and
// one server name are kept. All integers are big-endian (RFC 8446 §3.3, network byte order).

import type { Fields } from '../types.ts';
import {
  alertLevelName,
  alertName,
  cipherName,
  Extension,
  HandshakeType,
  HELLO_RETRY_REQUEST_RANDOM,
  handshakeName,
  isGrease,
  MAX_ALPN_LISTED,
  MAX_SNI_LENGTH,
  SNI_HOST_NAME,
  TLS_OPERATION,
  versionName,
} from './spec.ts';
import { summarizeCertificate } from './x509.ts';

function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

/** Printable ASCII of b[s, e) (server names and ALPN ids are ASCII, RFC 6066 §3, RFC 7301 §3.1). */
function ascii(b: Uint8Array, s: number, e: number, max: number): string {
  if (e - s > max) e = s + max;
  let out = '';
  for (let i = s; i < e; i++) {
    const c = b[i];
    out +=
      c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export interface HelloSummary {
  /** Highest version offered (ClientHello) or the version chosen (ServerHello). */
  readonly version: number;
  readonly sni: string | null;
  readonly alpn: readonly string[] | null;
  /** ClientHello: how many suites were offered. */
  readonly cipherCount: number | null;
  /** ServerHello: the suite chosen. */
  readonly cipher: number | null;
  readonly helloRetry: boolean;
}

/** The common start of both hellos: legacy_version, random, legacy_session_id. Returns the offset after it, or a reason. */
function helloStart(b: Uint8Array, s: number, e: number): number | string {
  if (e - s < 2 + 32 + 1) return 'hello shorter than version, random and session id';
  const sid = b[s + 34];
  if (sid > 32) return `session id of ${sid} bytes (at most 32)`;
  const p = s + 35 + sid;
  return p > e ? 'session id runs past the message' : p;
}

/**
 * Walks the extensions block at b[p, e) (present when bytes remain after the fixed fields; TLS 1.0
 * hellos may omit it, RFC 5246 §7.4.1.2). `visit` sees each extension's type and data.
 */
function walkExtensions(
  b: Uint8Array,
  p: number,
  e: number,
  visit: (type: number, s: number, end: number) => string | null,
): string | null {
  if (p === e) return null;
  if (p + 2 > e) return 'extensions length is cut off';
  const end = p + 2 + u16(b, p);
  if (end !== e) return 'extensions do not fill the rest of the hello';
  for (let q = p + 2; q < end; ) {
    if (q + 4 > end) return 'extension header is cut off';
    const type = u16(b, q);
    const dataEnd = q + 4 + u16(b, q + 2);
    if (dataEnd > end) return `extension ${type} runs past the extensions block`;
    const problem = visit(type, q + 4, dataEnd);
    if (problem !== null) return problem;
    q = dataEnd;
  }
  return null;
}

/** ALPN ProtocolNameList (RFC 7301 §3.1) at b[s, e). */
function alpnList(b: Uint8Array, s: number, e: number): string[] | string {
  if (s + 2 > e || s + 2 + u16(b, s) !== e) return 'ALPN list length does not fit the extension';
  const out: string[] = [];
  for (let p = s + 2; p < e; ) {
    const n = b[p];
    if (n === 0 || p + 1 + n > e) return 'ALPN protocol name runs past the list';
    if (out.length < MAX_ALPN_LISTED) out.push(ascii(b, p + 1, p + 1 + n, 255));
    p += 1 + n;
  }
  return out;
}

/** ClientHello body b[s, e). */
export function parseClientHello(b: Uint8Array, s: number, e: number): HelloSummary | string {
  const start = helloStart(b, s, e);
  if (typeof start === 'string') return start;
  let p = start;
  if (p + 2 > e) return 'cipher suites length is cut off';
  const suitesLength = u16(b, p);
  if (suitesLength < 2 || suitesLength % 2 !== 0 || p + 2 + suitesLength > e)
    return 'cipher suites vector is malformed';
  let cipherCount = 0;
  for (let i = p + 2; i < p + 2 + suitesLength; i += 2) if (!isGrease(u16(b, i))) cipherCount++;
  p += 2 + suitesLength;
  if (p + 1 > e || b[p] < 1 || p + 1 + b[p] > e) return 'compression methods vector is malformed';
  p += 1 + b[p];
  let version = u16(b, s);
  let sni: string | null = null;
  let alpn: string[] | null = null;
  const problem = walkExtensions(b, p, e, (type, xs, xe) => {
    if (type === Extension.SERVER_NAME) {
      // ServerNameList: a 2-byte length, then NameType + HostName entries (RFC 6066 §3).
      if (xs === xe) return null; // empty in a ServerHello-style echo; tolerated
      if (xs + 2 > xe || xs + 2 + u16(b, xs) !== xe)
        return 'server_name list length does not fit the extension';
      for (let q = xs + 2; q < xe; ) {
        if (q + 3 > xe) return 'server_name entry is cut off';
        const n = u16(b, q + 1);
        if (q + 3 + n > xe) return 'server_name entry runs past the list';
        if (b[q] === SNI_HOST_NAME && sni === null) sni = ascii(b, q + 3, q + 3 + n, MAX_SNI_LENGTH);
        q += 3 + n;
      }
    } else if (type === Extension.ALPN) {
      const list = alpnList(b, xs, xe);
      if (typeof list === 'string') return list;
      alpn = list;
    } else if (type === Extension.SUPPORTED_VERSIONS) {
      // ClientHello form: a 1-byte length, then versions (RFC 8446 §4.2.1).
      if (xs + 1 > xe || xs + 1 + b[xs] !== xe || b[xs] % 2 !== 0)
        return 'supported_versions list is malformed';
      let highest = 0;
      for (let q = xs + 1; q < xe; q += 2) {
        const v = u16(b, q);
        if (!isGrease(v) && v > highest && v >> 8 === 3) highest = v;
      }
      if (highest > 0) version = highest;
    }
    return null;
  });
  if (problem !== null) return problem;
  return { version, sni, alpn, cipherCount, cipher: null, helloRetry: false };
}

/** ServerHello (or HelloRetryRequest) body b[s, e). */
export function parseServerHello(b: Uint8Array, s: number, e: number): HelloSummary | string {
  const start = helloStart(b, s, e);
  if (typeof start === 'string') return start;
  let p = start;
  if (p + 3 > e) return 'cipher suite and compression method are cut off';
  const cipher = u16(b, p);
  p += 3;
  let helloRetry = true;
  for (let i = 0; i < 32 && helloRetry; i++) helloRetry = b[s + 2 + i] === HELLO_RETRY_REQUEST_RANDOM[i];
  let version = u16(b, s);
  let alpn: string[] | null = null;
  const problem = walkExtensions(b, p, e, (type, xs, xe) => {
    if (type === Extension.SUPPORTED_VERSIONS) {
      // ServerHello form: the selected version alone (RFC 8446 §4.2.1).
      if (xe - xs !== 2) return 'supported_versions in a ServerHello is not one version';
      version = u16(b, xs);
    } else if (type === Extension.ALPN) {
      const list = alpnList(b, xs, xe);
      if (typeof list === 'string') return list;
      alpn = list;
    }
    return null;
  });
  if (problem !== null) return problem;
  return { version, sni: null, alpn, cipherCount: null, cipher, helloRetry };
}

/** One event's fields for a handshake message of type `type` with body b[s, e); the body's fields added by type. */
export function handshakeFields(type: number, b: Uint8Array, s: number, e: number): Fields | string {
  const fields: Fields = {
    'tls.record': 'HANDSHAKE',
    'tls.handshake': handshakeName(type),
    'tls.operation': TLS_OPERATION,
    'tls.alert': null,
  };
  switch (type) {
    case HandshakeType.CLIENT_HELLO: {
      const h = parseClientHello(b, s, e);
      if (typeof h === 'string') return `CLIENT_HELLO: ${h}`;
      fields['tls.version'] = versionName(h.version);
      fields['tls.sni'] = h.sni;
      fields['tls.alpn'] = h.alpn;
      fields['tls.cipher_count'] = h.cipherCount;
      return fields;
    }
    case HandshakeType.SERVER_HELLO: {
      const h = parseServerHello(b, s, e);
      if (typeof h === 'string') return `SERVER_HELLO: ${h}`;
      if (h.helloRetry) fields['tls.handshake'] = 'HELLO_RETRY_REQUEST';
      fields['tls.version'] = versionName(h.version);
      fields['tls.cipher'] = cipherName(h.cipher!);
      fields['tls.alpn'] = h.alpn;
      return fields;
    }
    case HandshakeType.CERTIFICATE:
      return certificateFields(fields, b, s, e);
  }
  return fields;
}

/**
 * TLS <= 1.2 Certificate (RFC 5246 §7.4.2): a 3-byte list length, then 3-byte-length DER
 * certificates, the sender's own first. Only that first one is summarised.
 */
function certificateFields(fields: Fields, b: Uint8Array, s: number, e: number): Fields | string {
  if (e - s < 3 || s + 3 + u24(b, s) !== e)
    return 'CERTIFICATE: certificate list length does not fill the message';
  let count = 0;
  let first: [number, number] | null = null;
  for (let p = s + 3; p < e; ) {
    if (p + 3 > e) return 'CERTIFICATE: certificate length is cut off';
    const n = u24(b, p);
    if (n === 0 || p + 3 + n > e) return 'CERTIFICATE: certificate runs past the list';
    first ??= [p + 3, p + 3 + n];
    count++;
    p += 3 + n;
  }
  fields['tls.cert_count'] = count;
  if (first === null) return fields; // an empty list: a client without a certificate (§7.4.6)
  const cert = summarizeCertificate(b, first[0], first[1]);
  if (cert === null) return 'CERTIFICATE: the first certificate is not well-formed DER X.509';
  fields['tls.cert_subject'] = cert.subject;
  fields['tls.cert_issuer'] = cert.issuer;
  fields['tls.cert_not_before'] = cert.notBefore;
  fields['tls.cert_not_after'] = cert.notAfter;
  fields['tls.cert_serial'] = cert.serial;
  fields['tls.cert_self_signed'] = cert.selfIssued;
  // The holder's name (device.ts): the subject CN when it is a name, not a wildcard or an address.
  const cn = cert.subjectCn;
  if (cn !== null && isHostName(cn)) fields['tls.device.name'] = cn;
  return fields;
}

/** A CN that names one device: not empty, not a wildcard, not an IPv4 or IPv6 literal. */
function isHostName(cn: string): boolean {
  if (cn.length === 0 || cn.includes('*') || cn.includes(':')) return false;
  let dots = 0;
  let digits = true;
  for (let i = 0; i < cn.length; i++) {
    const c = cn.charCodeAt(i);
    if (c === 0x2e) dots++;
    else if (c < 0x30 || c > 0x39) digits = false;
  }
  return !(digits && dots === 3);
}

/** An Alert record's fields (RFC 5246 §7.2): level and description. */
export function alertFields(level: number, description: number): Fields {
  return {
    'tls.record': 'ALERT',
    'tls.handshake': null,
    'tls.operation': TLS_OPERATION,
    'tls.alert': alertName(description),
    'tls.alert_level': alertLevelName(level),
  };
}

/** A ChangeCipherSpec record's fields (RFC 5246 §7.1). */
export function changeCipherSpecFields(): Fields {
  return {
    'tls.record': 'CHANGE_CIPHER_SPEC',
    'tls.handshake': null,
    'tls.operation': TLS_OPERATION,
    'tls.alert': null,
  };
}
