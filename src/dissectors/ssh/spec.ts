// SSH transport-layer tables and limits (STYLE.md 5): message numbers with the names RFC 4250
// §4.1.2 gives them (without the SSH_MSG_ prefix, as Zeek prints them), and the bounds of the
// version exchange and of the one binary packet read. Unknown numbers print `UNKNOWN-<n>`.
//
// Sources: RFC 4253 (SSH Transport Layer) §4.2 (protocol version exchange), §5.1 (compatibility
// with SSH 1.x: version 1.99), §6 (binary packet protocol), §6.1 (maximum packet length), §7.1
// (SSH_MSG_KEXINIT); RFC 4250 §4.1.2 (message numbers); RFC 8308 (EXT_INFO).

import type { Operation } from '../operations.ts';

/** Well-known port (RFC 4253 §4.1). A hint for probing order only. */
export const SSH_PORT = 22;

/** Transport-layer message numbers read before encryption starts (RFC 4250 §4.1.2). */
export const MESSAGE_NUMBERS = {
  DISCONNECT: 1,
  IGNORE: 2,
  UNIMPLEMENTED: 3,
  DEBUG: 4,
  SERVICE_REQUEST: 5,
  SERVICE_ACCEPT: 6,
  EXT_INFO: 7,
  KEXINIT: 20,
  NEWKEYS: 21,
  KEXDH_INIT: 30,
  KEXDH_REPLY: 31,
} as const;

/** The identification line is an event of its own, named as Zeek's ssh.log does not, but plainly. */
export const IDENTIFICATION = 'IDENTIFICATION';

/** Version exchange and key exchange set up the secure channel (operations.ts). */
export const SSH_OPERATION: Operation = 'auth';

// Limits (DESIGN.md "Streaming and bounded").

/** RFC 4253 §4.2: the identification string, CR LF included, is at most 255 characters. */
export const MAX_IDENTIFICATION_LENGTH = 255;
/**
 * Other lines a server may send before its identification (RFC 4253 §4.2), in bytes. Banners of
 * a few lines are common; past this the stream is not SSH.
 */
export const MAX_PRE_BANNER_BYTES = 8 * 1024;
/** RFC 4253 §6.1: implementations must handle packets of 35000 bytes; longer is not a first packet. */
export const MAX_PACKET_LENGTH = 35000;
/** RFC 4253 §6: a packet holds the padding length byte, a message number and at least 4 bytes of padding. */
export const MIN_PACKET_LENGTH = 1 + 1 + 4;
/** Names listed per KEXINIT name-list (RFC 4253 §7.1); real lists hold a dozen or so. */
export const MAX_ALGORITHMS_LISTED = 16;
/** Characters kept of one algorithm name (RFC 4251 §6: at most 64). */
export const MAX_ALGORITHM_NAME = 64;

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

const MESSAGE_NAMES: string[] = (() => {
  const names = Array.from({ length: 256 }, (_, i) => unknownName(i));
  for (const [name, code] of Object.entries(MESSAGE_NUMBERS)) names[code] = name;
  return names;
})();

export function messageName(code: number): string {
  return MESSAGE_NAMES[code & 0xff];
}
