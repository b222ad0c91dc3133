// Builders of realistic SSH openings (payload bytes) for the tests and the demo plant: the
// identification lines real implementations send (RFC 4253 §4.2) and their KEXINIT packets
// (§7.1) with the algorithm lists those implementations offer.

/** Identification strings as real servers and clients send them, without CR LF. */
export const BANNERS = {
  /** A Debian 12 server (the DMZ historian mirror). */
  OPENSSH_DEBIAN: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3',
  /** An Ubuntu 24.04 administrator's client. */
  OPENSSH_UBUNTU: 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5',
  /** Dropbear on an embedded Linux controller or gateway. */
  DROPBEAR: 'SSH-2.0-dropbear_2022.83',
  /** A Cisco IOS switch: the software version contains a minus sign, against §4.2. */
  CISCO: 'SSH-2.0-Cisco-1.25',
  /** PuTTY on a Windows engineering workstation. */
  PUTTY: 'SSH-2.0-PuTTY_Release_0.81',
  /** An old server that also speaks SSH 1 (§5.1). */
  LEGACY_199: 'SSH-1.99-OpenSSH_5.3',
} as const;

const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** The identification line with CR LF (§4.2). */
export function identification(banner: string): Uint8Array {
  return latin1(`${banner}\r\n`);
}

/** Lines a server sends before its identification (§4.2), then the identification. */
export function bannerWithPreamble(lines: readonly string[], banner: string): Uint8Array {
  return latin1(`${lines.map((l) => `${l}\r\n`).join('')}${banner}\r\n`);
}

export interface KexInitSpec {
  readonly kex: readonly string[];
  readonly hostKey: readonly string[];
  readonly ciphers: readonly string[];
  readonly macs: readonly string[];
  readonly compression?: readonly string[];
  readonly firstKexFollows?: boolean;
}

/** What OpenSSH 9.x offers (its defaults, shortened). */
export const OPENSSH_KEXINIT: KexInitSpec = {
  kex: [
    'sntrup761x25519-sha512@openssh.com',
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'diffie-hellman-group16-sha512',
    'ext-info-s',
    'kex-strict-s-v00@openssh.com',
  ],
  hostKey: ['rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519'],
  ciphers: [
    'chacha20-poly1305@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-ctr',
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
  ],
  macs: [
    'umac-64-etm@openssh.com',
    'hmac-sha2-256-etm@openssh.com',
    'hmac-sha2-512-etm@openssh.com',
    'hmac-sha2-256',
  ],
  compression: ['none', 'zlib@openssh.com'],
};

/** What an old embedded Dropbear offers, SHA-1 and CBC included. */
export const LEGACY_KEXINIT: KexInitSpec = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1', 'kexguess2@matt.ucc.asn.au'],
  hostKey: ['ssh-rsa', 'ssh-dss'],
  ciphers: ['aes128-ctr', '3des-ctr', 'aes128-cbc', '3des-cbc'],
  macs: ['hmac-sha1', 'hmac-md5'],
  compression: ['none'],
};

/** SSH_MSG_KEXINIT (§7.1) in an unencrypted binary packet (§6), with a deterministic cookie and padding. */
export function kexInit(spec: KexInitSpec = OPENSSH_KEXINIT, cookieSeed = 1): Uint8Array {
  const parts: number[] = [20];
  for (let i = 0; i < 16; i++) parts.push((cookieSeed * 31 + i * 17) & 0xff);
  const lists = [
    spec.kex,
    spec.hostKey,
    spec.ciphers,
    spec.ciphers,
    spec.macs,
    spec.macs,
    spec.compression ?? ['none'],
    spec.compression ?? ['none'],
    [],
    [],
  ];
  for (const list of lists) {
    const bytes = latin1(list.join(','));
    parts.push(
      bytes.length >>> 24,
      (bytes.length >>> 16) & 0xff,
      (bytes.length >>> 8) & 0xff,
      bytes.length & 0xff,
      ...bytes,
    );
  }
  parts.push(spec.firstKexFollows ? 1 : 0, 0, 0, 0, 0);
  // Padding: at least 4 bytes, and length + padding length + payload + padding a multiple of 8 (§6).
  let padding = 8 - ((5 + parts.length) % 8);
  if (padding < 4) padding += 8;
  const length = 1 + parts.length + padding;
  return Uint8Array.from([
    length >>> 24,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    padding,
    ...parts,
    ...new Array(padding).fill(0),
  ]);
}

/** Encrypted-looking bytes (what follows NEWKEYS). */
export function encrypted(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let h = seed;
  for (let i = 0; i < n; i++) {
    h = (Math.imul(h, 1103515245) + 12345) >>> 0;
    out[i] = h >>> 24;
  }
  return out;
}
