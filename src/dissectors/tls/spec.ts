// TLS tables and limits (STYLE.md 5): record content types, handshake message types, versions,
// the cipher suites seen in practice, alerts, and the extensions the parser reads. Names are the
// IANA "Transport Layer Security (TLS) Parameters" registry's, in upper snake case for message
// types and alerts (as Zeek prints them in ssl.log: CLIENT_HELLO, HANDSHAKE_FAILURE), and Zeek's
// version names (TLSv12). Unknown codes print `UNKNOWN-<n>`.
//
// Sources: RFC 8446 (TLS 1.3) §4, §5.1, §6, §B.3-B.4; RFC 5246 (TLS 1.2) §6.2, §7.2, §7.4, §A.5;
// RFC 6066 §3 (server_name); RFC 7301 (ALPN); RFC 5280 §4.1 (certificate fields).

import type { Operation } from '../operations.ts';

/** Well-known ports (hints only): HTTPS (RFC 2818), OPC UA over TLS (IEC 62541-6 §7.4.1), Modbus/TCP Security. */
export const TLS_PORTS = [443, 4843, 802] as const;

/** Record content types (RFC 8446 §5.1, RFC 6520 for heartbeat). */
export const ContentType = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
  HEARTBEAT: 24,
} as const;

/** Handshake message types (RFC 8446 §4, RFC 5246 §7.4, IANA "TLS HandshakeType"). */
export const HANDSHAKE_TYPES = {
  HELLO_REQUEST: 0,
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  HELLO_VERIFY_REQUEST: 3,
  NEW_SESSION_TICKET: 4,
  END_OF_EARLY_DATA: 5,
  HELLO_RETRY_REQUEST: 6,
  ENCRYPTED_EXTENSIONS: 8,
  CERTIFICATE: 11,
  SERVER_KEY_EXCHANGE: 12,
  CERTIFICATE_REQUEST: 13,
  SERVER_HELLO_DONE: 14,
  CERTIFICATE_VERIFY: 15,
  CLIENT_KEY_EXCHANGE: 16,
  FINISHED: 20,
  CERTIFICATE_URL: 21,
  CERTIFICATE_STATUS: 22,
  SUPPLEMENTAL_DATA: 23,
  KEY_UPDATE: 24,
  COMPRESSED_CERTIFICATE: 25,
  MESSAGE_HASH: 254,
} as const;
export const HandshakeType = HANDSHAKE_TYPES;

/** Protocol versions as Zeek prints them. */
export const VERSIONS = {
  SSLv3: 0x0300,
  TLSv10: 0x0301,
  TLSv11: 0x0302,
  TLSv12: 0x0303,
  TLSv13: 0x0304,
} as const;

/**
 * Cipher suites (IANA "TLS Cipher Suites"): the TLS 1.3 suites, the ECDHE/DHE/RSA suites clients
 * and servers offer today or offered on the legacy devices found in plants, PSK suites used by
 * constrained devices, and the signalling values.
 */
export const CIPHER_SUITES = {
  TLS_NULL_WITH_NULL_NULL: 0x0000,
  TLS_RSA_WITH_NULL_MD5: 0x0001,
  TLS_RSA_WITH_NULL_SHA: 0x0002,
  TLS_RSA_WITH_RC4_128_MD5: 0x0004,
  TLS_RSA_WITH_RC4_128_SHA: 0x0005,
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 0x000a,
  TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA: 0x0016,
  TLS_RSA_WITH_AES_128_CBC_SHA: 0x002f,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA: 0x0033,
  TLS_RSA_WITH_AES_256_CBC_SHA: 0x0035,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA: 0x0039,
  TLS_RSA_WITH_NULL_SHA256: 0x003b,
  TLS_RSA_WITH_AES_128_CBC_SHA256: 0x003c,
  TLS_RSA_WITH_AES_256_CBC_SHA256: 0x003d,
  TLS_DHE_RSA_WITH_AES_128_CBC_SHA256: 0x0067,
  TLS_DHE_RSA_WITH_AES_256_CBC_SHA256: 0x006b,
  TLS_PSK_WITH_AES_128_CBC_SHA: 0x008c,
  TLS_PSK_WITH_AES_256_CBC_SHA: 0x008d,
  TLS_RSA_WITH_AES_128_GCM_SHA256: 0x009c,
  TLS_RSA_WITH_AES_256_GCM_SHA384: 0x009d,
  TLS_DHE_RSA_WITH_AES_128_GCM_SHA256: 0x009e,
  TLS_DHE_RSA_WITH_AES_256_GCM_SHA384: 0x009f,
  TLS_PSK_WITH_AES_128_GCM_SHA256: 0x00a8,
  TLS_PSK_WITH_AES_128_CBC_SHA256: 0x00ae,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV: 0x00ff,
  TLS_AES_128_GCM_SHA256: 0x1301,
  TLS_AES_256_GCM_SHA384: 0x1302,
  TLS_CHACHA20_POLY1305_SHA256: 0x1303,
  TLS_AES_128_CCM_SHA256: 0x1304,
  TLS_AES_128_CCM_8_SHA256: 0x1305,
  TLS_FALLBACK_SCSV: 0x5600,
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 0xc007,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 0xc009,
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 0xc00a,
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 0xc011,
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 0xc012,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 0xc013,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 0xc014,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 0xc023,
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384: 0xc024,
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 0xc027,
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384: 0xc028,
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_PSK_WITH_AES_128_CCM_8: 0xc0a8,
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM: 0xc0ac,
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: 0xc0ae,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xccaa,
} as const;

/** Alert descriptions (RFC 8446 §6, RFC 5246 §7.2, IANA "TLS Alerts"). */
export const ALERTS = {
  CLOSE_NOTIFY: 0,
  UNEXPECTED_MESSAGE: 10,
  BAD_RECORD_MAC: 20,
  DECRYPTION_FAILED: 21,
  RECORD_OVERFLOW: 22,
  DECOMPRESSION_FAILURE: 30,
  HANDSHAKE_FAILURE: 40,
  NO_CERTIFICATE: 41,
  BAD_CERTIFICATE: 42,
  UNSUPPORTED_CERTIFICATE: 43,
  CERTIFICATE_REVOKED: 44,
  CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46,
  ILLEGAL_PARAMETER: 47,
  UNKNOWN_CA: 48,
  ACCESS_DENIED: 49,
  DECODE_ERROR: 50,
  DECRYPT_ERROR: 51,
  EXPORT_RESTRICTION: 60,
  PROTOCOL_VERSION: 70,
  INSUFFICIENT_SECURITY: 71,
  INTERNAL_ERROR: 80,
  INAPPROPRIATE_FALLBACK: 86,
  USER_CANCELED: 90,
  NO_RENEGOTIATION: 100,
  MISSING_EXTENSION: 109,
  UNSUPPORTED_EXTENSION: 110,
  CERTIFICATE_UNOBTAINABLE: 111,
  UNRECOGNIZED_NAME: 112,
  BAD_CERTIFICATE_STATUS_RESPONSE: 113,
  BAD_CERTIFICATE_HASH_VALUE: 114,
  UNKNOWN_PSK_IDENTITY: 115,
  CERTIFICATE_REQUIRED: 116,
  NO_APPLICATION_PROTOCOL: 120,
} as const;

/** Alert levels (RFC 5246 §7.2). */
export const ALERT_LEVELS = { WARNING: 1, FATAL: 2 } as const;

/** Extensions the parser reads (IANA "TLS ExtensionType Values"). */
export const Extension = {
  SERVER_NAME: 0, // RFC 6066 §3
  ALPN: 16, // RFC 7301 §3.1
  SUPPORTED_VERSIONS: 43, // RFC 8446 §4.2.1
} as const;

/** RFC 6066 §3: NameType host_name. */
export const SNI_HOST_NAME = 0;

/** RFC 8446 §4.1.3: a ServerHello whose random is SHA-256("HelloRetryRequest") is a HelloRetryRequest. */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from(
  Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'),
);

/** Every handshake message and alert is part of setting up a secure channel (operations.ts). */
export const TLS_OPERATION: Operation = 'auth';

// Limits (DESIGN.md "Streaming and bounded").

/** RFC 5246 §6.2.3: TLSCiphertext.length is at most 2^14 + 2048; longer is not TLS. */
export const MAX_RECORD_LENGTH = 16384 + 2048;
/**
 * Largest handshake message reassembled (its 4-byte header excluded). A certificate chain of three
 * RSA-4096 certificates is about 6 KiB; 64 KiB holds any real chain. A longer message is a
 * violation and is skipped, not buffered.
 */
export const MAX_HANDSHAKE_MESSAGE = 64 * 1024;
/** Protocols listed from ALPN (RFC 7301): clients offer two or three. */
export const MAX_ALPN_LISTED = 8;
/** Characters kept of a server name (RFC 1035 §2.3.4: a DNS name has at most 253). */
export const MAX_SNI_LENGTH = 255;
/** Attributes walked in one distinguished name (RFC 5280 §4.1.2.4); real names have fewer than ten. */
export const MAX_DN_ATTRIBUTES = 32;
/** Characters kept of a distinguished name or attribute value. */
export const MAX_DN_LENGTH = 256;
/** Serial number bytes shown (RFC 5280 §4.1.2.2: at most 20 octets). */
export const MAX_SERIAL_BYTES = 20;
/** Violations in a row before the connection is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 8;
/** Bytes skipped looking for a record header after a gap or a bad header before a violation is reported. */
export const RESYNC_REPORT_BYTES = 4 * MAX_RECORD_LENGTH;

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

function nameTable(table: Record<string, number>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

const HANDSHAKE_NAMES = nameTable(HANDSHAKE_TYPES, 256);
const ALERT_NAMES = nameTable(ALERTS, 256);
const CIPHER_NAMES = new Map<number, string>(Object.entries(CIPHER_SUITES).map(([n, c]) => [c, n]));
const VERSION_NAMES = new Map<number, string>(Object.entries(VERSIONS).map(([n, c]) => [c, n]));

export function handshakeName(type: number): string {
  return HANDSHAKE_NAMES[type & 0xff];
}

export function alertName(description: number): string {
  return ALERT_NAMES[description & 0xff];
}

export function alertLevelName(level: number): string {
  return level === ALERT_LEVELS.WARNING
    ? 'WARNING'
    : level === ALERT_LEVELS.FATAL
      ? 'FATAL'
      : unknownName(level);
}

export function cipherName(code: number): string {
  return CIPHER_NAMES.get(code) ?? unknownName(code);
}

export function versionName(code: number): string {
  return VERSION_NAMES.get(code) ?? unknownName(code);
}

/** RFC 8701 GREASE values (0x0A0A, 0x1A1A, ... 0xFAFA): placeholders, never real choices. */
export function isGrease(code: number): boolean {
  return (code & 0x0f0f) === 0x0a0a && code >> 8 === (code & 0xff);
}
