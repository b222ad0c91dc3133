// Builders of realistic TLS handshakes (payload bytes) for the tests and the demo plant: hellos of
// TLS 1.2 and 1.3, a TLS 1.2 server flight with a real X.509 certificate, alerts, and the client's
// closing flight. Certificates are genuine DER (RFC 5280) signed with Ed25519 (RFC 8410) keys
// derived from the signer's name, so the same arguments always give the same bytes and
// node:crypto's X509Certificate accepts them. Devices more often carry RSA or P-256 keys; nothing
// the dissector reads depends on the key type.

import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { ContentType, HandshakeType } from './spec.ts';

// ---- bytes ----

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u8 = (...v: number[]) => Uint8Array.from(v.map((x) => x & 0xff));
const u16 = (v: number) => u8(v >>> 8, v);
const u24 = (v: number) => u8(v >>> 16, v >>> 8, v);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** A vector with its length in `width` bytes (RFC 8446 §3.4). */
function vector(width: 1 | 2 | 3, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  const length = width === 1 ? u8(body.length) : width === 2 ? u16(body.length) : u24(body.length);
  return concat([length, body]);
}

/** Deterministic filler for randoms, session ids and key shares (not secret, not random). */
function filler(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let h = 0x811c9dc5;
  for (const c of label) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    out[i] = h & 0xff;
  }
  return out;
}

// ---- DER and certificates (X.690, RFC 5280) ----

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = concat(parts);
  const n = body.length;
  const length =
    n < 0x80
      ? u8(n)
      : n < 0x100
        ? u8(0x81, n)
        : n < 0x10000
          ? u8(0x82, n >>> 8, n)
          : u8(0x83, n >>> 16, n >>> 8, n);
  return concat([u8(tag), length, body]);
}

function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) chunk.unshift(0x80 | (x & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Uint8Array.from(bytes));
}

const ATTRIBUTE_OIDS: Record<string, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
};

/** A distinguished name, attributes in the order given (most significant first, as RFC 5280 encodes). */
function name(attributes: readonly (readonly [string, string])[]): Uint8Array {
  return der(
    0x30,
    ...attributes.map(([type, value]) =>
      der(
        0x31,
        der(
          0x30,
          oid(ATTRIBUTE_OIDS[type]),
          // Country and serial numbers are PrintableString (RFC 5280 Appendix A), the rest UTF8String.
          type === 'C' || type === 'serialNumber'
            ? der(0x13, ascii(value))
            : der(0x0c, Buffer.from(value, 'utf8')),
        ),
      ),
    ),
  );
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(iso: string): Uint8Array {
  const digits = iso.replace(/[-:T]/g, '').replace(/\.\d+/, '').replace('Z', '');
  const year = Number(digits.slice(0, 4));
  return year < 2050 ? der(0x17, ascii(`${digits.slice(2)}Z`)) : der(0x18, ascii(`${digits}Z`));
}

/** An Ed25519 key pair from a 32-byte seed derived from `label` (RFC 8410 PKCS#8 form). */
function keyFor(label: string) {
  const pkcs8 = concat([
    Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex')),
    filler(`key:${label}`, 32),
  ]);
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
  return { privateKey, spki };
}

const ED25519 = '1.3.101.112';

export interface CertificateSpec {
  /** Subject attributes, most significant first: `[['C','DE'],['O','Phoenix Contact'],['CN','axcf2152']]`. */
  readonly subject: readonly (readonly [string, string])[];
  /** Issuer attributes; the subject when omitted (a self-signed certificate, as devices make at first boot). */
  readonly issuer?: readonly (readonly [string, string])[];
  /** Hex, at most 20 bytes (RFC 5280 §4.1.2.2). */
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** subjectAltName dNSName entries. */
  readonly dnsNames?: readonly string[];
}

/** A DER X.509 v3 certificate, signed by the issuer's (name-derived) key. */
export function certificate(c: CertificateSpec): Uint8Array {
  const issuer = c.issuer ?? c.subject;
  const subjectKey = keyFor(JSON.stringify(c.subject));
  const issuerKey = keyFor(JSON.stringify(issuer));
  const extensions: Uint8Array[] = [];
  if (c.dnsNames && c.dnsNames.length > 0) {
    const san = der(0x30, ...c.dnsNames.map((d) => der(0x82, ascii(d))));
    extensions.push(der(0x30, oid('2.5.29.17'), der(0x04, san)));
  }
  const basicConstraints = c.issuer === undefined ? der(0x30, der(0x01, u8(0xff))) : der(0x30);
  extensions.push(der(0x30, oid('2.5.29.19'), der(0x01, u8(0xff)), der(0x04, basicConstraints)));
  const serial = Uint8Array.from(Buffer.from(c.serial, 'hex'));
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, u8(2))), // v3
    der(0x02, serial[0] & 0x80 ? concat([u8(0), serial]) : serial),
    der(0x30, oid(ED25519)),
    name(issuer),
    der(0x30, time(c.notBefore), time(c.notAfter)),
    name(c.subject),
    subjectKey.spki,
    der(0xa3, der(0x30, ...extensions)),
  );
  const signature = new Uint8Array(sign(null, tbs, issuerKey.privateKey));
  return der(0x30, tbs, der(0x30, oid(ED25519)), der(0x03, u8(0), signature));
}

// ---- records and handshake messages ----

/** One record (RFC 8446 §5.1). */
export function record(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concat([u8(type), u16(version), u16(body.length), body]);
}

/** A handshake message with its type and 24-bit length (RFC 8446 §4). */
export function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat([u8(type), vector(3, body)]);
}

/**
 * Handshake messages carried in records of at most `fragment` bytes each (RFC 8446 §5.1 lets a
 * message span records and a record hold several messages).
 */
export function handshakeRecords(
  messages: readonly Uint8Array[],
  fragment = 16384,
  version = 0x0303,
): Uint8Array {
  const stream = concat(messages);
  const records: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += fragment) {
    records.push(record(ContentType.HANDSHAKE, stream.subarray(i, i + fragment), version));
  }
  return concat(records);
}

function extension(type: number, body: Uint8Array): Uint8Array {
  return concat([u16(type), vector(2, body)]);
}

export interface ClientHelloSpec {
  readonly sni?: string;
  readonly alpn?: readonly string[];
  /** Versions for supported_versions (TLS 1.3 clients); omitted for a TLS 1.2-only client. */
  readonly versions?: readonly number[];
  readonly ciphers?: readonly number[];
  /** Add GREASE values (RFC 8701) as Chrome does. */
  readonly grease?: boolean;
}

/** Suites a TLS 1.2 client (OpenSSL 1.1 on an HMI) offers. */
export const TLS12_CLIENT_CIPHERS = [
  0xc02c, 0xc030, 0xc02b, 0xc02f, 0xc024, 0xc028, 0xc023, 0xc027, 0x009d, 0x009c, 0x003d, 0x003c, 0x00ff,
];

/** A ClientHello in a TLS 1.0-versioned record, as clients send their first flight. */
export function clientHello(spec: ClientHelloSpec = {}): Uint8Array {
  const ciphers = [...(spec.grease ? [0x3a3a] : []), ...(spec.ciphers ?? TLS12_CLIENT_CIPHERS)];
  const exts: Uint8Array[] = [];
  if (spec.grease) exts.push(extension(0x2a2a, new Uint8Array(0)));
  if (spec.sni !== undefined) exts.push(extension(0x0000, vector(2, u8(0), vector(2, ascii(spec.sni)))));
  exts.push(extension(0x000a, vector(2, u16(0x001d), u16(0x0017), u16(0x0018)))); // supported_groups
  exts.push(extension(0x000b, vector(1, u8(0)))); // ec_point_formats
  exts.push(
    extension(
      0x000d,
      vector(2, u16(0x0403), u16(0x0804), u16(0x0401), u16(0x0503), u16(0x0805), u16(0x0501)),
    ),
  ); // signature_algorithms
  if (spec.alpn) exts.push(extension(0x0010, vector(2, ...spec.alpn.map((p) => vector(1, ascii(p))))));
  exts.push(extension(0x0017, new Uint8Array(0))); // extended_master_secret
  if (spec.versions) {
    const versions = [...(spec.grease ? [0x7a7a] : []), ...spec.versions];
    exts.push(extension(0x002b, vector(1, ...versions.map(u16))));
    exts.push(extension(0x0033, vector(2, u16(0x001d), vector(2, filler(`share:${spec.sni}`, 32))))); // key_share
  }
  const body = concat([
    u16(0x0303),
    filler(`client-random:${spec.sni}`, 32),
    vector(1, filler(`sid:${spec.sni}`, 32)),
    vector(2, ...ciphers.map(u16)),
    vector(1, u8(0)),
    vector(2, ...exts),
  ]);
  return record(ContentType.HANDSHAKE, handshake(HandshakeType.CLIENT_HELLO, body), 0x0301);
}

export interface ServerHelloSpec {
  readonly version: number;
  readonly cipher: number;
  readonly alpn?: string;
  readonly helloRetry?: boolean;
}

/** A ServerHello body; TLS 1.3 puts its version in supported_versions with legacy 1.2 (RFC 8446 §4.1.3). */
export function serverHelloMessage(spec: ServerHelloSpec): Uint8Array {
  const tls13 = spec.version === 0x0304;
  const exts: Uint8Array[] = [];
  if (tls13) exts.push(extension(0x002b, u16(0x0304)));
  if (tls13 && !spec.helloRetry)
    exts.push(extension(0x0033, concat([u16(0x001d), vector(2, filler('server-share', 32))])));
  if (tls13 && spec.helloRetry) exts.push(extension(0x0033, u16(0x0017)));
  if (!tls13) exts.push(extension(0xff01, vector(1))); // renegotiation_info
  if (spec.alpn) exts.push(extension(0x0010, vector(2, vector(1, ascii(spec.alpn)))));
  if (!tls13) exts.push(extension(0x0017, new Uint8Array(0)));
  const random = spec.helloRetry
    ? Uint8Array.from(Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex'))
    : filler('server-random', 32);
  const body = concat([
    u16(tls13 ? 0x0303 : spec.version),
    random,
    vector(1, filler('sid', 32)),
    u16(spec.cipher),
    u8(0),
    vector(2, ...exts),
  ]);
  return handshake(HandshakeType.SERVER_HELLO, body);
}

/** A TLS 1.3 server's first flight: ServerHello, the compatibility CCS, then encrypted records. */
export function tls13ServerFlight(cipher = 0x1301, alpn?: string): Uint8Array {
  return concat([
    handshakeRecords([serverHelloMessage({ version: 0x0304, cipher, alpn })]),
    record(ContentType.CHANGE_CIPHER_SPEC, u8(1)),
    record(ContentType.APPLICATION_DATA, filler('encrypted-extensions-certificate-finished', 1200)),
  ]);
}

/** A Certificate message (RFC 5246 §7.4.2): the chain, the sender's certificate first. */
export function certificateMessage(chain: readonly Uint8Array[]): Uint8Array {
  return handshake(HandshakeType.CERTIFICATE, vector(3, ...chain.map((c) => vector(3, c))));
}

/**
 * A TLS 1.2 server's flight for an ECDHE suite: ServerHello, Certificate, ServerKeyExchange,
 * optionally CertificateRequest, ServerHelloDone, in records of at most `fragment` bytes.
 */
export function tls12ServerFlight(opts: {
  cipher?: number;
  chain: readonly Uint8Array[];
  requestCertificate?: boolean;
  fragment?: number;
}): Uint8Array {
  const keyExchange = concat([
    u8(3),
    u16(0x001d),
    vector(1, filler('ecdhe', 32)),
    u16(0x0807),
    vector(2, filler('ske-signature', 64)),
  ]);
  const messages = [
    serverHelloMessage({ version: 0x0303, cipher: opts.cipher ?? 0xc02b }),
    certificateMessage(opts.chain),
    handshake(HandshakeType.SERVER_KEY_EXCHANGE, keyExchange),
  ];
  if (opts.requestCertificate) {
    // certificate_types: ecdsa_sign, rsa_sign; signature algorithms; no authorities (RFC 5246 §7.4.4).
    messages.push(
      handshake(
        HandshakeType.CERTIFICATE_REQUEST,
        concat([vector(1, u8(64, 1)), vector(2, u16(0x0403), u16(0x0804)), vector(2)]),
      ),
    );
  }
  messages.push(handshake(HandshakeType.SERVER_HELLO_DONE, new Uint8Array(0)));
  return handshakeRecords(messages, opts.fragment);
}

/** The client's TLS 1.2 flight: [its Certificate], ClientKeyExchange, [CertificateVerify], CCS, encrypted Finished. */
export function tls12ClientFinish(chain?: readonly Uint8Array[]): Uint8Array {
  const messages: Uint8Array[] = [];
  if (chain) messages.push(certificateMessage(chain));
  messages.push(handshake(HandshakeType.CLIENT_KEY_EXCHANGE, vector(1, filler('client-ecdhe', 32))));
  if (chain)
    messages.push(
      handshake(HandshakeType.CERTIFICATE_VERIFY, concat([u16(0x0807), vector(2, filler('cv', 64))])),
    );
  return concat([
    handshakeRecords(messages),
    record(ContentType.CHANGE_CIPHER_SPEC, u8(1)),
    record(ContentType.HANDSHAKE, filler('encrypted-finished', 40)),
  ]);
}

/** A plaintext alert record (RFC 5246 §7.2): level 1 warning, 2 fatal. */
export function alert(level: number, description: number): Uint8Array {
  return record(ContentType.ALERT, u8(level, description));
}

/** Encrypted application data of `n` bytes. */
export function applicationData(n: number): Uint8Array {
  return record(ContentType.APPLICATION_DATA, filler(`app:${n}`, n));
}

/**
 * A controller's factory-made self-signed web server certificate, as PLCs with web-based
 * management generate at first boot: CN the device name, O the maker, ten years valid.
 */
export function deviceCertificate(
  deviceName: string,
  maker: string,
  serial = '5a1f3c0e9b7d2461',
): Uint8Array {
  return certificate({
    subject: [
      ['C', 'DE'],
      ['O', maker],
      ['CN', deviceName],
    ],
    serial,
    notBefore: '2024-05-14T08:30:00Z',
    notAfter: '2034-05-12T08:30:00Z',
    dnsNames: [deviceName],
  });
}
