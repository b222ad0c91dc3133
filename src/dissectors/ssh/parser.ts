// Parses what SSH sends in the clear: the identification line (RFC 4253 §4.2,
// `SSH-protoversion-softwareversion SP comments`) and the first binary packet, SSH_MSG_KEXINIT
// (§6, §7.1). Pure and bounded: the line is at most MAX_IDENTIFICATION_LENGTH bytes, the packet at
// most MAX_PACKET_LENGTH, every name-list length is checked against the payload, and at most
// MAX_ALGORITHMS_LISTED names are kept per list. Integers are big-endian (RFC 4251 §5 uint32).

import type { Fields } from '../types.ts';
import {
  IDENTIFICATION,
  MAX_ALGORITHM_NAME,
  MAX_ALGORITHMS_LISTED,
  MESSAGE_NUMBERS,
  messageName,
  SSH_OPERATION,
} from './spec.ts';

export interface Identification {
  /** The whole line without CR LF. */
  readonly banner: string;
  /** `2.0`, `1.99` (RFC 4253 §5.1), `1.5`. */
  readonly protoVersion: string;
  /** `OpenSSH_9.2p1`. */
  readonly software: string;
  /** What follows the first space: `Debian-2+deb12u3`; null when absent. */
  readonly comment: string | null;
}

/** RFC 4253 §4.2 allows printable US-ASCII; anything else is shown as `\xNN`. */
function printable(b: Uint8Array, s: number, e: number): string {
  let clean = true;
  for (let i = s; i < e; i++) {
    if (b[i] < 0x20 || b[i] > 0x7e || b[i] === 0x5c) {
      clean = false;
      break;
    }
  }
  if (clean) return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
  let out = '';
  for (let i = s; i < e; i++) {
    const c = b[i];
    out +=
      c >= 0x20 && c <= 0x7e && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** True when b[s, e) starts with `SSH-` (RFC 4253 §4.2). */
export function startsWithSsh(b: Uint8Array, s: number, e: number): boolean {
  return e - s >= 4 && b[s] === 0x53 && b[s + 1] === 0x53 && b[s + 2] === 0x48 && b[s + 3] === 0x2d;
}

/**
 * The identification line b[s, e) (CR LF removed). Software versions such as `Cisco-1.25` contain
 * a minus sign although §4.2 forbids it, so the software runs from the second `-` to the first space.
 */
export function parseIdentification(b: Uint8Array, s: number, e: number): Identification | string {
  if (!startsWithSsh(b, s, e)) return 'identification does not start with SSH-';
  let dash = s + 4;
  while (dash < e && b[dash] !== 0x2d && b[dash] !== 0x20) dash++;
  if (dash === s + 4 || dash >= e || b[dash] !== 0x2d)
    return 'identification has no protocol version and software version';
  let space = dash + 1;
  while (space < e && b[space] !== 0x20) space++;
  if (space === dash + 1) return 'identification has an empty software version';
  return {
    banner: printable(b, s, e),
    protoVersion: printable(b, s + 4, dash),
    software: printable(b, dash + 1, space),
    comment: space < e - 1 ? printable(b, space + 1, e) : null,
  };
}

/** Fields of an identification event; `server` adds the identity of the sender (device.ts). */
export function identificationFields(id: Identification, server: boolean): Fields {
  const fields: Fields = {
    'ssh.message': IDENTIFICATION,
    'ssh.operation': SSH_OPERATION,
    'ssh.banner': id.banner,
    'ssh.proto_version': id.protoVersion,
    'ssh.software': id.software,
    'ssh.comment': id.comment,
  };
  if (server) {
    // The server names its SSH implementation and, in the comment, often its OS package
    // (`Debian-2+deb12u3`, `Ubuntu-3ubuntu13.5`, `FreeBSD-20240806`).
    fields['ssh.device.software'] = id.comment === null ? id.software : `${id.software} ${id.comment}`;
    if (id.comment !== null) fields['ssh.device.description'] = id.comment;
  }
  return fields;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A name-list (RFC 4251 §5) at b[p] inside [p, e): its names (capped) and where it ends, or null. */
function nameList(b: Uint8Array, p: number, e: number): { names: string[]; next: number } | null {
  if (p + 4 > e) return null;
  const n = u32(b, p);
  const end = p + 4 + n;
  if (end > e) return null;
  const names: string[] = [];
  for (let s = p + 4; s < end && names.length < MAX_ALGORITHMS_LISTED; ) {
    let c = s;
    while (c < end && b[c] !== 0x2c) c++;
    if (c > s) names.push(printable(b, s, Math.min(c, s + MAX_ALGORITHM_NAME)));
    s = c + 1;
  }
  return { names, next: end };
}

/**
 * The first binary packet (RFC 4253 §6) b[s, e), `uint32 packet_length` included: its message, and
 * for KEXINIT (§7.1) the key exchange, host key and client-to-server cipher lists.
 */
export function parseFirstPacket(b: Uint8Array, s: number, e: number): Fields | string {
  const length = u32(b, s);
  if (s + 4 + length !== e) return 'packet length does not match the bytes given';
  const padding = b[s + 4];
  const payload = s + 5;
  const payloadEnd = s + 4 + length - padding;
  if (padding < 4 || payloadEnd <= payload)
    return `padding length ${padding} does not fit a packet of ${length} bytes`;
  const type = b[payload];
  const fields: Fields = { 'ssh.message': messageName(type), 'ssh.operation': SSH_OPERATION };
  if (type !== MESSAGE_NUMBERS.KEXINIT) return fields;
  // byte[16] cookie, then ten name-lists, boolean first_kex_packet_follows, uint32 reserved.
  let p = payload + 1 + 16;
  const lists: string[][] = [];
  for (let i = 0; i < 10; i++) {
    const list = nameList(b, p, payloadEnd);
    if (list === null) return `KEXINIT name-list ${i + 1} runs past the payload`;
    lists.push(list.names);
    p = list.next;
  }
  if (p + 5 > payloadEnd) return 'KEXINIT is cut off after its name-lists';
  fields['ssh.kex_algorithms'] = lists[0];
  fields['ssh.host_key_algorithms'] = lists[1];
  fields['ssh.ciphers'] = lists[2];
  fields['ssh.first_kex_follows'] = b[p] !== 0;
  return fields;
}
