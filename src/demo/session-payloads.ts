// Opening messages of the IT-side sessions that cross into the plant: TLS (RFC 8446 §4.1.2-4.1.3,
// server_name from RFC 6066 §3, ALPN RFC 7301), RDP's X.224 connection request and confirm
// ([MS-RDPBCGR] 2.2.1.1-2.2.1.2 inside TPKT, RFC 1006) and SSH's version exchange and KEXINIT
// (RFC 4253 §4.2, §6, §7.1). What follows them is encrypted, so random bytes in the right framing.

import type { Prng } from './prng.ts';

/** TLS record content types (RFC 8446 §5.1). */
export const TLS_CONTENT_TYPE = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
} as const;
/** Largest TLSCiphertext fragment (RFC 8446 §5.2): 2^14 + 256. */
export const TLS_MAX_CIPHERTEXT = 16640;

class ByteWriter {
  readonly bytes: number[] = [];
  u8(...values: number[]): this {
    for (const v of values) this.bytes.push(v & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value >>> 8, value);
  }
  u24(value: number): this {
    return this.u8(value >>> 16, value >>> 8, value);
  }
  u32(value: number): this {
    return this.u8(value >>> 24, value >>> 16, value >>> 8, value);
  }
  ascii(text: string): this {
    for (let i = 0; i < text.length; i++) this.bytes.push(text.charCodeAt(i) & 0xff);
    return this;
  }
  random(prng: Prng, count: number): this {
    for (let i = 0; i < count; i++) this.bytes.push(prng.nextUint32() & 0xff);
    return this;
  }
  append(inner: ByteWriter): this {
    for (const b of inner.bytes) this.bytes.push(b);
    return this;
  }
  /** Appends `inner` preceded by its length in `width` bytes. */
  vector(width: 1 | 2 | 3 | 4, inner: ByteWriter): this {
    const n = inner.bytes.length;
    if (width === 1) this.u8(n);
    else if (width === 2) this.u16(n);
    else if (width === 3) this.u24(n);
    else this.u32(n);
    for (const b of inner.bytes) this.bytes.push(b);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

const w = (): ByteWriter => new ByteWriter();

function tlsRecord(type: number, legacyVersion: number, body: ByteWriter): ByteWriter {
  return w().u8(type).u16(legacyVersion).vector(2, body);
}

function extension(type: number, body: ByteWriter): ByteWriter {
  return w().u16(type).vector(2, body);
}

/** A TLS 1.3 ClientHello as a Windows or Linux client sends it, in a TLS 1.0-versioned record. */
export function tlsClientHello(prng: Prng, serverName: string): Buffer {
  const ciphers = [
    0x1302, 0x1301, 0x1303, 0xc02c, 0xc02b, 0xc030, 0xc02f, 0xc024, 0xc023, 0xc028, 0xc027, 0x009d, 0x009c,
  ];
  const cipherList = w();
  for (const c of ciphers) cipherList.u16(c);
  const extensions = w();
  const sni = w().u8(0).vector(2, w().ascii(serverName)); // host_name
  extensions.append(extension(0x0000, w().vector(2, sni)));
  extensions.append(extension(0x000a, w().vector(2, w().u16(0x001d).u16(0x0017).u16(0x0018)))); // supported_groups
  extensions.append(extension(0x000b, w().vector(1, w().u8(0)))); // ec_point_formats
  const signatureSchemes = w().u16(0x0804).u16(0x0403).u16(0x0805).u16(0x0503).u16(0x0401).u16(0x0501);
  extensions.append(extension(0x000d, w().vector(2, signatureSchemes))); // signature_algorithms
  const alpn = w().vector(1, w().ascii('h2')).vector(1, w().ascii('http/1.1'));
  extensions.append(extension(0x0010, w().vector(2, alpn)));
  extensions.append(extension(0x0017, w())); // extended_master_secret
  extensions.append(extension(0x002b, w().vector(1, w().u16(0x0304).u16(0x0303)))); // supported_versions
  extensions.append(extension(0x002d, w().vector(1, w().u8(1)))); // psk_key_exchange_modes: psk_dhe_ke
  const share = w().u16(0x001d).vector(2, w().random(prng, 32)); // x25519
  extensions.append(extension(0x0033, w().vector(2, share))); // key_share
  const hello = w()
    .u16(0x0303) // legacy_version
    .random(prng, 32)
    .vector(1, w().random(prng, 32)) // legacy_session_id
    .vector(2, cipherList)
    .vector(1, w().u8(0)) // legacy_compression_methods: null
    .vector(2, extensions);
  const handshake = w().u8(1).vector(3, hello); // client_hello
  return tlsRecord(TLS_CONTENT_TYPE.HANDSHAKE, 0x0301, handshake).toBuffer();
}

/**
 * The server's first flight in TLS 1.3: ServerHello, the compatibility ChangeCipherSpec
 * (RFC 8446 §D.4), then the encrypted extensions, certificate and Finished as application data.
 */
export function tlsServerFlight(prng: Prng, encryptedBytes: number): Buffer {
  const extensions = w();
  extensions.append(extension(0x002b, w().u16(0x0304)));
  extensions.append(extension(0x0033, w().u16(0x001d).vector(2, w().random(prng, 32))));
  const hello = w()
    .u16(0x0303)
    .random(prng, 32)
    .vector(1, w().random(prng, 32))
    .u16(0x1302) // TLS_AES_256_GCM_SHA384
    .u8(0)
    .vector(2, extensions);
  const flight = tlsRecord(TLS_CONTENT_TYPE.HANDSHAKE, 0x0303, w().u8(2).vector(3, hello));
  flight.append(tlsRecord(TLS_CONTENT_TYPE.CHANGE_CIPHER_SPEC, 0x0303, w().u8(1)));
  flight.append(tlsRecord(TLS_CONTENT_TYPE.APPLICATION_DATA, 0x0303, w().random(prng, encryptedBytes)));
  return flight.toBuffer();
}

/** The client's ChangeCipherSpec and encrypted Finished. */
export function tlsClientFinished(prng: Prng): Buffer {
  const out = tlsRecord(TLS_CONTENT_TYPE.CHANGE_CIPHER_SPEC, 0x0303, w().u8(1));
  out.append(tlsRecord(TLS_CONTENT_TYPE.APPLICATION_DATA, 0x0303, w().random(prng, 69)));
  return out.toBuffer();
}

/** About `length` bytes of application data records (each at most the TLS maximum), random contents. */
export function tlsApplicationData(prng: Prng, length: number): Buffer {
  const records = Math.max(1, Math.ceil(length / (TLS_MAX_CIPHERTEXT + 5)));
  const body = Math.max(1, Math.floor(length / records) - 5);
  const out = Buffer.allocUnsafe(records * (body + 5));
  for (let r = 0, p = 0; r < records; r++, p += body + 5) {
    out[p] = TLS_CONTENT_TYPE.APPLICATION_DATA;
    out.writeUInt16BE(0x0303, p + 1);
    out.writeUInt16BE(body, p + 3);
    prng.fillBytes(out, p + 5, p + 5 + body);
  }
  return out;
}

/**
 * RDP Connection Request: TPKT (RFC 1006 §6), X.224 CR TPDU with the routing cookie and an RDP
 * Negotiation Request asking for TLS and CredSSP ([MS-RDPBCGR] 2.2.1.1).
 */
export function rdpConnectionRequest(user: string): Buffer {
  const cookie = `Cookie: mstshash=${user}\r\n`;
  const negotiation = w().u8(0x01, 0x00).u8(0x08, 0x00).u8(0x03, 0x00, 0x00, 0x00); // PROTOCOL_SSL | PROTOCOL_HYBRID
  const tpdu = w().u8(0xe0).u16(0).u16(0).u8(0).ascii(cookie).append(negotiation);
  const x224 = w().u8(tpdu.bytes.length).append(tpdu);
  return w()
    .u8(3, 0)
    .u16(4 + x224.bytes.length)
    .append(x224)
    .toBuffer();
}

/** RDP Connection Confirm selecting CredSSP ([MS-RDPBCGR] 2.2.1.2). */
export function rdpConnectionConfirm(): Buffer {
  const negotiation = w().u8(0x02, 0x1f).u8(0x08, 0x00).u8(0x02, 0x00, 0x00, 0x00); // PROTOCOL_HYBRID
  const tpdu = w().u8(0xd0).u16(0).u16(0x1234).u8(0).append(negotiation);
  const x224 = w().u8(tpdu.bytes.length).append(tpdu);
  return w()
    .u8(3, 0)
    .u16(4 + x224.bytes.length)
    .append(x224)
    .toBuffer();
}

/** SSH protocol version exchange line (RFC 4253 §4.2). */
export function sshVersion(software: string): Buffer {
  return Buffer.from(`SSH-2.0-${software}\r\n`, 'latin1');
}

/** SSH_MSG_KEXINIT (RFC 4253 §7.1) in an unencrypted binary packet (§6). */
export function sshKexInit(prng: Prng): Buffer {
  const lists = [
    'curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group16-sha512',
    'ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256',
    'chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr',
    'chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr',
    'umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com',
    'umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com',
    'none,zlib@openssh.com',
    'none,zlib@openssh.com',
    '',
    '',
  ];
  const payload = w().u8(20).random(prng, 16); // SSH_MSG_KEXINIT, cookie
  for (const list of lists) payload.vector(4, w().ascii(list));
  payload.u8(0).u32(0); // first_kex_packet_follows, reserved
  // Padding: at least 4 bytes, packet length + padding length + payload + padding a multiple of 8.
  let padding = 8 - ((5 + payload.bytes.length) % 8);
  if (padding < 4) padding += 8;
  const packet = w().u8(padding).append(payload).random(prng, padding);
  return w().vector(4, packet).toBuffer();
}

/** An encrypted SSH packet of `length` bytes (chacha20-poly1305: the length is encrypted too). */
export function sshEncrypted(prng: Prng, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  prng.fillBytes(out, 0, length);
  return out;
}
