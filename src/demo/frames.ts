// Builders for the link, network and transport headers of demo frames, written in place into a
// caller's buffer (no allocation per frame). Each writer returns the offset just past what it wrote.
// Every byte is written explicitly: buffers are reused, so nothing may rely on zero-filled memory.
//
// Ethernet II framing and the 802.1Q tag (IEEE 802.3, IEEE 802.1Q §9.6), IPv4 (RFC 791), TCP
// (RFC 793, options RFC 7323 and RFC 2018), UDP (RFC 768) and ARP (RFC 826).

import { finishChecksum, pseudoHeaderSum, sumWords } from './checksum.ts';

export const ETHER_TYPE = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100 } as const;
export const IP_PROTOCOL = { TCP: 6, UDP: 17 } as const;
/** TCP control bits (RFC 793 §3.1). */
export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;
export const ARP_OPERATION = { REQUEST: 1, REPLY: 2 } as const;

export const ETHERNET_HEADER_BYTES = 14;
export const VLAN_TAG_BYTES = 4;
export const IPV4_HEADER_BYTES = 20;
export const TCP_HEADER_BYTES = 20;
export const UDP_HEADER_BYTES = 8;
/** ARP for Ethernet and IPv4: 8 fixed bytes, two 6-byte hardware and two 4-byte protocol addresses. */
export const ARP_PACKET_BYTES = 28;
/** 64 bytes minimum on the wire (IEEE 802.3 §4.4.2) less the 4-byte FCS a capture does not keep. */
export const ETHERNET_MIN_FRAME_BYTES = 60;
/** Pass as `vlan` for an untagged frame. */
export const UNTAGGED = -1;

export function ethernetHeaderLength(vlan: number): number {
  return vlan === UNTAGGED ? ETHERNET_HEADER_BYTES : ETHERNET_HEADER_BYTES + VLAN_TAG_BYTES;
}

function copyMac(buf: Uint8Array, off: number, mac: Uint8Array): void {
  buf[off] = mac[0];
  buf[off + 1] = mac[1];
  buf[off + 2] = mac[2];
  buf[off + 3] = mac[3];
  buf[off + 4] = mac[4];
  buf[off + 5] = mac[5];
}

function write32(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 24;
  buf[off + 1] = (value >>> 16) & 0xff;
  buf[off + 2] = (value >>> 8) & 0xff;
  buf[off + 3] = value & 0xff;
}

/** Ethernet II header, with an 802.1Q tag (priority 0) when `vlan` is 0..4094. */
export function writeEthernetHeader(
  buf: Uint8Array,
  off: number,
  dst: Uint8Array,
  src: Uint8Array,
  vlan: number,
  etherType: number,
): number {
  copyMac(buf, off, dst);
  copyMac(buf, off + 6, src);
  off += 12;
  if (vlan !== UNTAGGED) {
    buf[off] = ETHER_TYPE.VLAN >>> 8;
    buf[off + 1] = ETHER_TYPE.VLAN & 0xff;
    buf[off + 2] = (vlan >>> 8) & 0x0f; // PCP 0, DEI 0, VID high bits
    buf[off + 3] = vlan & 0xff;
    off += 4;
  }
  buf[off] = etherType >>> 8;
  buf[off + 1] = etherType & 0xff;
  return off + 2;
}

/**
 * IPv4 header without options (RFC 791 §3.1): version 4, IHL 5, DSCP/ECN 0, never fragmented
 * (offset 0, MF clear), DF as given; the header checksum is computed here.
 */
export function writeIpv4Header(
  buf: Uint8Array,
  off: number,
  src: number,
  dst: number,
  protocol: number,
  payloadLength: number,
  identification: number,
  ttl: number,
  dontFragment: boolean,
): number {
  const total = IPV4_HEADER_BYTES + payloadLength;
  buf[off] = 0x45;
  buf[off + 1] = 0;
  buf[off + 2] = total >>> 8;
  buf[off + 3] = total & 0xff;
  buf[off + 4] = (identification >>> 8) & 0xff;
  buf[off + 5] = identification & 0xff;
  buf[off + 6] = dontFragment ? 0x40 : 0;
  buf[off + 7] = 0;
  buf[off + 8] = ttl;
  buf[off + 9] = protocol;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  write32(buf, off + 12, src);
  write32(buf, off + 16, dst);
  const checksum = finishChecksum(sumWords(buf, off, off + IPV4_HEADER_BYTES, 0));
  buf[off + 10] = checksum >>> 8;
  buf[off + 11] = checksum & 0xff;
  return off + IPV4_HEADER_BYTES;
}

/**
 * TCP header (RFC 793 §3.1) with a zero checksum and urgent pointer; `headerLength` counts the
 * options the caller writes after the 20 fixed bytes. Seal with `finishTcpChecksum`.
 */
export function writeTcpHeader(
  buf: Uint8Array,
  off: number,
  srcPort: number,
  dstPort: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  headerLength: number,
): number {
  buf[off] = srcPort >>> 8;
  buf[off + 1] = srcPort & 0xff;
  buf[off + 2] = dstPort >>> 8;
  buf[off + 3] = dstPort & 0xff;
  write32(buf, off + 4, seq >>> 0);
  write32(buf, off + 8, ack >>> 0);
  buf[off + 12] = (headerLength >>> 2) << 4;
  buf[off + 13] = flags;
  buf[off + 14] = window >>> 8;
  buf[off + 15] = window & 0xff;
  buf[off + 16] = 0;
  buf[off + 17] = 0;
  buf[off + 18] = 0;
  buf[off + 19] = 0;
  return off + TCP_HEADER_BYTES;
}

/** Checksum of a TCP segment or UDP datagram with its IPv4 pseudo-header (RFC 793 §3.1, RFC 768). */
function transportChecksum(
  buf: Uint8Array,
  off: number,
  length: number,
  src: number,
  dst: number,
  protocol: number,
): number {
  return finishChecksum(sumWords(buf, off, off + length, pseudoHeaderSum(src, dst, protocol, length)));
}

/** TCP checksum over the pseudo-header, the header with its options, and the data (RFC 793 §3.1). */
export function finishTcpChecksum(
  buf: Uint8Array,
  off: number,
  segmentLength: number,
  src: number,
  dst: number,
): void {
  const checksum = transportChecksum(buf, off, segmentLength, src, dst, IP_PROTOCOL.TCP);
  buf[off + 16] = checksum >>> 8;
  buf[off + 17] = checksum & 0xff;
}

/** UDP header (RFC 768); seal with `finishUdpChecksum` once the payload is in place. */
export function writeUdpHeader(
  buf: Uint8Array,
  off: number,
  srcPort: number,
  dstPort: number,
  payloadLength: number,
): number {
  const length = UDP_HEADER_BYTES + payloadLength;
  buf[off] = srcPort >>> 8;
  buf[off + 1] = srcPort & 0xff;
  buf[off + 2] = dstPort >>> 8;
  buf[off + 3] = dstPort & 0xff;
  buf[off + 4] = length >>> 8;
  buf[off + 5] = length & 0xff;
  buf[off + 6] = 0;
  buf[off + 7] = 0;
  return off + UDP_HEADER_BYTES;
}

/** UDP checksum over pseudo-header, header and data; a computed zero is sent as 0xffff (RFC 768). */
export function finishUdpChecksum(
  buf: Uint8Array,
  off: number,
  datagramLength: number,
  src: number,
  dst: number,
): void {
  const checksum = transportChecksum(buf, off, datagramLength, src, dst, IP_PROTOCOL.UDP) || 0xffff;
  buf[off + 6] = checksum >>> 8;
  buf[off + 7] = checksum & 0xff;
}

/** ARP packet for Ethernet (hardware type 1) and IPv4 (protocol 0x0800), RFC 826. */
export function writeArpPacket(
  buf: Uint8Array,
  off: number,
  operation: number,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
): number {
  buf[off] = 0;
  buf[off + 1] = 1; // ar$hrd: Ethernet
  buf[off + 2] = ETHER_TYPE.IPV4 >>> 8;
  buf[off + 3] = ETHER_TYPE.IPV4 & 0xff;
  buf[off + 4] = 6; // ar$hln
  buf[off + 5] = 4; // ar$pln
  buf[off + 6] = 0;
  buf[off + 7] = operation;
  copyMac(buf, off + 8, senderMac);
  write32(buf, off + 14, senderIp);
  copyMac(buf, off + 18, targetMac);
  write32(buf, off + 24, targetIp);
  return off + ARP_PACKET_BYTES;
}

/**
 * Zero padding up to the Ethernet minimum, as the sending NIC adds it; IP's total length still
 * tells the real size. Returns the frame length.
 */
export function padFrame(buf: Uint8Array, frameStart: number, frameEnd: number): number {
  const length = frameEnd - frameStart;
  if (length >= ETHERNET_MIN_FRAME_BYTES) return length;
  buf.fill(0, frameEnd, frameStart + ETHERNET_MIN_FRAME_BYTES);
  return ETHERNET_MIN_FRAME_BYTES;
}
