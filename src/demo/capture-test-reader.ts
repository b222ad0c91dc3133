// A deliberately small, separate reader of classic pcap files for the demo's tests: it decodes
// just enough (Ethernet, 802.1Q, IPv4, TCP, UDP) to check what the generator wrote without using
// any of the generator's own code. Not for production: the capture pipeline has the real reader.

import { readFileSync } from 'node:fs';

export interface TestPacket {
  readonly index: number;
  readonly tsMicros: number;
  readonly frame: Buffer;
  readonly srcMac: string;
  readonly dstMac: string;
  readonly etherType: number;
  readonly vlan: number | null;
  /** Present for IPv4. */
  readonly ip?: {
    readonly src: string;
    readonly dst: string;
    readonly protocol: number;
    readonly ttl: number;
    readonly totalLength: number;
  };
  readonly tcp?: {
    readonly srcPort: number;
    readonly dstPort: number;
    readonly seq: number;
    readonly ack: number;
    readonly flags: number;
    readonly payload: Buffer;
  };
  readonly udp?: { readonly srcPort: number; readonly dstPort: number; readonly payload: Buffer };
}

const mac = (b: Buffer, o: number): string =>
  Array.from(b.subarray(o, o + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
const ip = (b: Buffer, o: number): string => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

export function readTestPcap(path: string): TestPacket[] {
  const file = readFileSync(path);
  if (file.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian microsecond pcap');
  const packets: TestPacket[] = [];
  for (let p = 24; p < file.length; ) {
    const seconds = file.readUInt32LE(p);
    const micros = file.readUInt32LE(p + 4);
    const length = file.readUInt32LE(p + 8);
    const frame = file.subarray(p + 16, p + 16 + length);
    p += 16 + length;
    let off = 12;
    let etherType = frame.readUInt16BE(off);
    let vlan: number | null = null;
    if (etherType === 0x8100) {
      vlan = frame.readUInt16BE(14) & 0x0fff;
      off += 4;
      etherType = frame.readUInt16BE(off);
    }
    off += 2;
    const base = {
      index: packets.length,
      tsMicros: seconds * 1e6 + micros,
      frame,
      srcMac: mac(frame, 6),
      dstMac: mac(frame, 0),
      etherType,
      vlan,
    };
    if (etherType !== 0x0800) {
      packets.push(base);
      continue;
    }
    const ihl = (frame[off] & 0x0f) * 4;
    const totalLength = frame.readUInt16BE(off + 2);
    const protocol = frame[off + 9];
    const ipInfo = {
      src: ip(frame, off + 12),
      dst: ip(frame, off + 16),
      protocol,
      ttl: frame[off + 8],
      totalLength,
    };
    const l4 = off + ihl;
    const end = off + totalLength;
    if (protocol === 6) {
      const dataOffset = (frame[l4 + 12] >> 4) * 4;
      packets.push({
        ...base,
        ip: ipInfo,
        tcp: {
          srcPort: frame.readUInt16BE(l4),
          dstPort: frame.readUInt16BE(l4 + 2),
          seq: frame.readUInt32BE(l4 + 4),
          ack: frame.readUInt32BE(l4 + 8),
          flags: frame[l4 + 13],
          payload: frame.subarray(l4 + dataOffset, end),
        },
      });
    } else if (protocol === 17) {
      packets.push({
        ...base,
        ip: ipInfo,
        udp: {
          srcPort: frame.readUInt16BE(l4),
          dstPort: frame.readUInt16BE(l4 + 2),
          payload: frame.subarray(l4 + 8, end),
        },
      });
    } else {
      packets.push({ ...base, ip: ipInfo });
    }
  }
  return packets;
}
