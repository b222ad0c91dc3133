// Turns "host A sends this to host B" into complete frames in the capture writer's buffer: link
// header as the sensor sees it (network.ts), IPv4 header, TCP or UDP header with checksums, the
// Ethernet minimum padding, and the record. Payloads are written first, in place, at the offset
// the sink gives (`tcpPayloadOffset`, `udpPayloadOffset`), so no frame is ever copied.

import type { FrameOutput } from './capture-output.ts';
import {
  ARP_PACKET_BYTES,
  ETHER_TYPE,
  ethernetHeaderLength,
  finishTcpChecksum,
  finishUdpChecksum,
  IP_PROTOCOL,
  IPV4_HEADER_BYTES,
  padFrame,
  TCP_FLAGS,
  TCP_HEADER_BYTES,
  UDP_HEADER_BYTES,
  UNTAGGED,
  writeArpPacket,
  writeEthernetHeader,
  writeIpv4Header,
  writeTcpHeader,
  writeUdpHeader,
} from './frames.ts';
import type { FramePath } from './network.ts';
import type { TcpConnection } from './tcp-connection.ts';

/** Largest TCP payload the demo puts in one segment: the MSS of a 1500-byte Ethernet MTU. */
export const MAX_SEGMENT_PAYLOAD = 1460;

export class PacketSink {
  /** Current simulated time in microseconds since the Unix epoch; set by the scheduler. */
  now = 0;
  packets = 0;
  /** Time of the first packet. */
  firstMicros = Number.NaN;

  constructor(readonly output: FrameOutput) {}

  get needsFlush(): boolean {
    return this.output.needsFlush;
  }

  /** Where the payload of the next segment from `dir` with `flags` goes in `output.buffer`. */
  tcpPayloadOffset(conn: TcpConnection, dir: 0 | 1, flags: number): number {
    const header = IPV4_HEADER_BYTES + TCP_HEADER_BYTES + conn.optionsLength(dir, flags);
    return this.output.frameOffset + ethernetHeaderLength(conn.paths[dir].vlan) + header;
  }

  /**
   * Emits one TCP segment from `dir` (0 = client) whose `payloadLength` bytes are already at
   * `tcpPayloadOffset`. `seq` is SND.NXT and `ack` the peer's SND.NXT, i.e. everything the peer
   * sent has arrived; SND.NXT then advances by the data plus one for SYN and FIN (RFC 793 §3.3).
   * A retransmission resends the last `payloadLength` bytes with their original sequence number.
   */
  tcp(conn: TcpConnection, dir: 0 | 1, flags: number, payloadLength: number, retransmission = false): void {
    const sender = dir === 0 ? conn.client : conn.server;
    const receiver = dir === 0 ? conn.server : conn.client;
    const path = conn.paths[dir];
    const buf = this.output.buffer;
    const start = this.output.frameOffset;
    const consumed = payloadLength + (flags & TCP_FLAGS.SYN ? 1 : 0) + (flags & TCP_FLAGS.FIN ? 1 : 0);
    const seq = retransmission ? (sender.next - consumed) >>> 0 : sender.next;
    const ack = flags & TCP_FLAGS.ACK ? receiver.next : 0;
    const optionsLength = conn.optionsLength(dir, flags);
    const segmentLength = TCP_HEADER_BYTES + optionsLength + payloadLength;
    let off = writeEthernetHeader(buf, start, path.dstMac, path.srcMac, path.vlan, ETHER_TYPE.IPV4);
    off = writeIpv4Header(
      buf,
      off,
      sender.ip,
      receiver.ip,
      IP_PROTOCOL.TCP,
      segmentLength,
      path.sender.nextIpId(),
      path.ttl,
      path.sender.stack.dontFragment,
    );
    const window = conn.windowField(dir, flags);
    writeTcpHeader(
      buf,
      off,
      sender.port,
      receiver.port,
      seq,
      ack,
      flags,
      window,
      TCP_HEADER_BYTES + optionsLength,
    );
    conn.writeOptions(buf, off + TCP_HEADER_BYTES, dir, flags, this.now / 1000);
    finishTcpChecksum(buf, off, segmentLength, sender.ip, receiver.ip);
    if (!retransmission) sender.next = (sender.next + consumed) >>> 0;
    this.commit(start, off + segmentLength);
  }

  /** Where the payload of the next UDP datagram on `path` goes. */
  udpPayloadOffset(path: FramePath): number {
    return this.output.frameOffset + ethernetHeaderLength(path.vlan) + IPV4_HEADER_BYTES + UDP_HEADER_BYTES;
  }

  /** Emits one UDP datagram whose payload is already at `udpPayloadOffset(path)`. */
  udp(
    path: FramePath,
    srcIp: number,
    dstIp: number,
    srcPort: number,
    dstPort: number,
    payloadLength: number,
  ): void {
    const buf = this.output.buffer;
    const start = this.output.frameOffset;
    const datagramLength = UDP_HEADER_BYTES + payloadLength;
    let off = writeEthernetHeader(buf, start, path.dstMac, path.srcMac, path.vlan, ETHER_TYPE.IPV4);
    // UDP senders here leave DF clear: DNS and DHCP datagrams are small.
    off = writeIpv4Header(
      buf,
      off,
      srcIp,
      dstIp,
      IP_PROTOCOL.UDP,
      datagramLength,
      path.sender.nextIpId(),
      path.ttl,
      false,
    );
    writeUdpHeader(buf, off, srcPort, dstPort, payloadLength);
    finishUdpChecksum(buf, off, datagramLength, srcIp, dstIp);
    this.commit(start, off + datagramLength);
  }

  /** Emits one ARP packet (RFC 826) with the given Ethernet addressing. */
  arp(
    frameDst: Uint8Array,
    frameSrc: Uint8Array,
    operation: number,
    senderMac: Uint8Array,
    senderIp: number,
    targetMac: Uint8Array,
    targetIp: number,
  ): void {
    const buf = this.output.buffer;
    const start = this.output.frameOffset;
    const off = writeEthernetHeader(buf, start, frameDst, frameSrc, UNTAGGED, ETHER_TYPE.ARP);
    writeArpPacket(buf, off, operation, senderMac, senderIp, targetMac, targetIp);
    this.commit(start, off + ARP_PACKET_BYTES);
  }

  /**
   * Emits one frame of a protocol that runs on Ethernet without IP: Ethernet II with `etherType`
   * (LLDP 0x88cc, PROFINET 0x8892), or, with `etherType` null, IEEE 802.3 with the 802.2 LLC/SNAP
   * header `snap` (5 bytes: OUI and protocol id) in front of the payload (CDP).
   */
  link(
    dst: Uint8Array,
    src: Uint8Array,
    etherType: number | null,
    payload: Uint8Array,
    snap?: Uint8Array,
  ): void {
    const buf = this.output.buffer;
    const start = this.output.frameOffset;
    if (etherType !== null) {
      const off = writeEthernetHeader(buf, start, dst, src, UNTAGGED, etherType);
      buf.set(payload, off);
      this.commit(start, off + payload.length);
      return;
    }
    // IEEE 802.3 §3.2.6: the type field is the length of the LLC data that follows.
    const llc = 8 + payload.length;
    let off = writeEthernetHeader(buf, start, dst, src, UNTAGGED, llc);
    buf[off++] = 0xaa; // DSAP: SNAP
    buf[off++] = 0xaa; // SSAP: SNAP
    buf[off++] = 0x03; // UI
    buf.set(snap ?? new Uint8Array(5), off);
    off += 5;
    buf.set(payload, off);
    this.commit(start, off + payload.length);
  }

  private commit(start: number, end: number): void {
    if (this.packets === 0) this.firstMicros = this.now;
    this.output.commit(this.now, padFrame(this.output.buffer, start, end));
    this.packets++;
  }
}
