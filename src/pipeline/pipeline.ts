// The packet loop: link layer -> IPv4/IPv6 (defragmented) -> TCP (reassembled) / UDP -> the
// connection table -> dissectors -> the sink. Everything here runs once per packet, so it reads
// fields in place (no per-packet objects), keys IPv4 connections with a 7-character string, and
// formats addresses only when a connection is created.
//
// Specifications: IEEE 802.3 / 802.1Q (Ethernet, VLAN tags), RFC 791 (IPv4), RFC 8200 (IPv6 and
// its extension headers), RFC 9293 (TCP), RFC 768 (UDP), RFC 826 (ARP), and the Linux cooked
// capture headers (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, ..._SLL2.html).

import { Defragmenter } from '../capture/defrag.ts';
import type { FrameHandler } from '../capture/frame.ts';
import {
  CLOSED_LINGER_S,
  MAX_CONNECTIONS,
  MAX_IPV6_EXTENSION_HEADERS,
  MAX_VLAN_TAGS,
  SWEEP_INTERVAL_S,
  TCP_IDLE_TIMEOUT_S,
  UDP_IDLE_TIMEOUT_S,
} from '../capture/limits.ts';
import { AF_INET, AF_INET6_VALUES, LINKTYPE } from '../capture/link-types.ts';
import type {
  AnyDissector,
  DissectorDescriptor,
  Fields,
  LinkContext,
  LinkDissectorDescriptor,
} from '../dissectors/types.ts';
import { Connection, type ConnectionCounters } from './connection.ts';
import type { ConnectionInfo, PipelineSink, Transport } from './events.ts';
import { formatIpv4, formatIpv6, formatMac } from './format.ts';
import { ShardAssigner } from './shard.ts';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
/** IEEE 802.3 §3.2.6: a type/length field up to 1500 is a length; the payload starts with 802.2 LLC. */
const MAX_8023_LENGTH = 1500;
/** IEEE 802.2 LLC header with DSAP = SSAP = 0xAA (SNAP) and UI control, then OUI and protocol id. */
const LLC_SNAP = 0xaa;
const LLC_UI = 0x03;
const SNAP_HEADER_LENGTH = 8;

const PROTO_TCP = 6;
const PROTO_UDP = 17;

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

export interface PipelineStats {
  frames: number;
  capturedBytes: number;
  ipv4: number;
  ipv6: number;
  arp: number;
  /** Frames decoded by a link-layer dissector (LLDP, CDP, PROFINET). */
  link: number;
  /** Frames with an ethertype or link payload we do not decode (STP, LACP...). */
  otherL2: number;
  tcp: number;
  udp: number;
  /** IP packets of other protocols (ICMP, ESP...). */
  otherIp: number;
  /** Frames too short or inconsistent to decode at the link, IP or transport layer. */
  malformed: number;
  /** Frames on interfaces whose link type we do not decode. */
  unsupportedLink: number;
  fragments: number;
  reassembledDatagrams: number;
  connections: number;
  /** Connections pushed out of a full table before they went idle. */
  evicted: number;
  tcpGaps: number;
  tcpMissedBytes: number;
  tcpRetransmittedBytes: number;
  appMessages: number;
  violations: number;
  /** Connections whose dissector gave up after repeated violations. */
  abandoned: number;
  firstTs: number | null;
  lastTs: number | null;
}

export function emptyStats(): PipelineStats {
  return {
    frames: 0,
    capturedBytes: 0,
    ipv4: 0,
    ipv6: 0,
    arp: 0,
    link: 0,
    otherL2: 0,
    tcp: 0,
    udp: 0,
    otherIp: 0,
    malformed: 0,
    unsupportedLink: 0,
    fragments: 0,
    reassembledDatagrams: 0,
    connections: 0,
    evicted: 0,
    tcpGaps: 0,
    tcpMissedBytes: 0,
    tcpRetransmittedBytes: 0,
    appMessages: 0,
    violations: 0,
    abandoned: 0,
    firstTs: null,
    lastTs: null,
  };
}

/** This pipeline decodes only its share of the traffic (see shard.ts); every frame is read by all shards. */
export interface ShardOptions {
  index: number;
  count: number;
}

export interface PipelineOptions {
  /** The dissectors to probe with; normally DISSECTORS from the registry. Link-layer ones decode frames. */
  dissectors: readonly AnyDissector[];
  /** Table size; a small one is useful in tests of eviction. */
  maxConnections?: number;
  /** Decode only one shard of the traffic (parallel discovery). Default: everything. */
  shard?: ShardOptions;
}

export class Pipeline {
  readonly stats: PipelineStats = emptyStats();

  private readonly conns = new Map<string, Connection>();
  private readonly defrag = new Defragmenter();
  private readonly counters: ConnectionCounters;
  private readonly dissectors: readonly DissectorDescriptor[];
  private readonly ports: Record<Transport, Map<number, DissectorDescriptor[]>>;
  /** Link-layer dissectors by ethertype and by SNAP id (OUI * 0x10000 + protocol id). */
  private readonly byEthertype = new Map<number, LinkDissectorDescriptor>();
  private readonly bySnap = new Map<number, LinkDissectorDescriptor>();
  private readonly linkContext: FrameLinkContext;
  /** Link frames repeat the same few addresses (cyclic PROFINET data): their text is kept. */
  private readonly macText = new MacText();
  private readonly maxConnections: number;
  private readonly shardIndex: number;
  private readonly shardCount: number;
  private readonly shards: ShardAssigner | null;
  private nextSweep = Number.NEGATIVE_INFINITY;
  private uid = 0;
  /** The lookup cache (see find()). */
  private cached: Connection | undefined = undefined;
  private cachedA = 0;
  private cachedB = 0;
  private cachedPorts = 0;
  private cachedProto = 0;
  /** Set by find() when it misses: the key under which to create the connection. */
  private missKey = '';

  // Per-frame scratch, valid while one frame is decoded.
  private frameData: Uint8Array = new Uint8Array(0);
  private srcMacOff = -1;
  private dstMacOff = -1;
  private vlan = -1;
  private frameTs = 0;
  private frameLen = 0;

  constructor(
    private readonly sink: PipelineSink,
    options: PipelineOptions,
  ) {
    const transportDissectors: DissectorDescriptor[] = [];
    for (const d of options.dissectors) {
      if (d.transport !== 'link') {
        transportDissectors.push(d);
        continue;
      }
      for (const t of d.ethertypes) this.byEthertype.set(t, d);
      for (const id of d.snap) this.bySnap.set(id, d);
    }
    this.dissectors = transportDissectors;
    this.linkContext = new FrameLinkContext(sink, this.stats);
    this.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
    this.shardIndex = options.shard?.index ?? 0;
    this.shardCount = options.shard?.count ?? 1;
    this.shards = this.shardCount > 1 ? new ShardAssigner(this.shardCount) : null;
    this.ports = { tcp: new Map(), udp: new Map() };
    for (const d of this.dissectors) {
      for (const p of d.ports) {
        const list = this.ports[d.transport].get(p) ?? [];
        list.push(d);
        this.ports[d.transport].set(p, list);
      }
    }
    this.counters = this.stats;
  }

  /** The FrameHandler: decode one captured frame, buf[start, end). Never throws on packet contents. */
  readonly frame: FrameHandler = (linkType, ts, buf, start, end) => {
    const s = this.stats;
    this.frameTs = ts;
    this.frameLen = end - start;
    if (ts >= this.nextSweep) {
      if (this.nextSweep !== Number.NEGATIVE_INFINITY) this.sweep(ts);
      this.nextSweep = ts + SWEEP_INTERVAL_S;
    }
    this.frameData = buf;
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.vlan = -1;
    switch (linkType) {
      case LINKTYPE.ETHERNET:
        this.ethernet(ts, buf, start, end);
        return;
      case LINKTYPE.LINUX_SLL:
        this.sll(ts, buf, start, end);
        return;
      case LINKTYPE.LINUX_SLL2:
        this.sll2(ts, buf, start, end);
        return;
      case LINKTYPE.NULL:
      case LINKTYPE.LOOP:
        this.loopback(ts, buf, start, end, linkType === LINKTYPE.LOOP);
        return;
      case LINKTYPE.RAW:
      case LINKTYPE.RAW_OPENBSD:
      case LINKTYPE.RAW_BSDOS:
        this.rawIp(ts, buf, start, end);
        return;
      case LINKTYPE.IPV4:
        this.ipv4(ts, buf, start, end);
        return;
      case LINKTYPE.IPV6:
        this.ipv6(ts, buf, start, end);
        return;
      default:
        if (this.ownL2()) s.unsupportedLink++;
    }
  };

  /**
   * Counts the current frame if it belongs to this pipeline's shard. Every path through the
   * decoder calls exactly one of ownL2/ownIpv4/ownIp, as soon as it knows the frame's addresses.
   */
  private count(): true {
    const s = this.stats;
    s.frames++;
    s.capturedBytes += this.frameLen;
    if (s.firstTs === null) s.firstTs = this.frameTs;
    s.lastTs = this.frameTs;
    return true;
  }

  /** Frames without IP addresses belong to shard 0. */
  private ownL2(): boolean {
    if (this.shardCount > 1) this.shards!.l2();
    return this.shardIndex === 0 && this.count();
  }

  private ownIpv4(src: number, dst: number): boolean {
    return (this.shardCount === 1 || this.shards!.ofIpv4(src, dst) === this.shardIndex) && this.count();
  }

  private ownIp(src: string, dst: string): boolean {
    return (this.shardCount === 1 || this.shards!.ofText(src, dst) === this.shardIndex) && this.count();
  }

  /** End of input: every open connection is closed and reported, in the order they started. */
  finish(): void {
    const ts = this.stats.lastTs ?? 0;
    for (const c of this.conns.values()) c.close(ts);
    this.conns.clear();
    this.cached = undefined;
    this.stats.fragments = this.defrag.stats.fragments;
    this.stats.reassembledDatagrams = this.defrag.stats.reassembled;
  }

  get openConnections(): number {
    return this.conns.size;
  }

  // --- link layer: each takes the frame as d[off, end) ---------------------------------------

  private ethernet(ts: number, d: Uint8Array, off: number, end: number): void {
    if (end - off < 14) {
      if (this.ownL2()) this.stats.malformed++;
      return;
    }
    this.dstMacOff = off;
    this.srcMacOff = off + 6;
    let type = (d[off + 12] << 8) | d[off + 13];
    off += 14;
    for (
      let tags = 0;
      type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD;
      tags++
    ) {
      if (tags === MAX_VLAN_TAGS || off + 4 > end) {
        if (this.ownL2()) this.stats.malformed++;
        return;
      }
      // The innermost tag names the VLAN the host is in (IEEE 802.1Q §9.6: 12-bit VID).
      this.vlan = ((d[off] << 8) | d[off + 1]) & 0x0fff;
      type = (d[off + 2] << 8) | d[off + 3];
      off += 4;
    }
    this.ethertype(ts, d, type, off, end);
  }

  private ethertype(ts: number, d: Uint8Array, type: number, off: number, end: number): void {
    if (type === ETHERTYPE_IPV4) this.ipv4(ts, d, off, end);
    else if (type === ETHERTYPE_IPV6) this.ipv6(ts, d, off, end);
    else if (type === ETHERTYPE_ARP) this.arp(ts, d, off, end);
    else if (type <= MAX_8023_LENGTH) this.llc(ts, d, off, Math.min(end, off + type));
    else this.linkFrame(ts, d, this.byEthertype.get(type), off, end);
  }

  /** An IEEE 802.3 frame: only LLC/SNAP payloads are routed (CDP); STP and others are counted. */
  private llc(ts: number, d: Uint8Array, off: number, end: number): void {
    if (
      end - off < SNAP_HEADER_LENGTH ||
      d[off] !== LLC_SNAP ||
      d[off + 1] !== LLC_SNAP ||
      d[off + 2] !== LLC_UI
    ) {
      if (this.ownL2()) this.stats.otherL2++;
      return;
    }
    const oui = (d[off + 3] << 16) | (d[off + 4] << 8) | d[off + 5];
    const pid = (d[off + 6] << 8) | d[off + 7];
    this.linkFrame(ts, d, this.bySnap.get(oui * 0x10000 + pid), off + SNAP_HEADER_LENGTH, end);
  }

  private linkFrame(
    ts: number,
    d: Uint8Array,
    dissector: LinkDissectorDescriptor | undefined,
    off: number,
    end: number,
  ): void {
    if (!this.ownL2()) return;
    // Without a source MAC (raw IP links never get here; cooked captures may lack it) there is
    // nobody to attribute the frame to.
    if (dissector === undefined || this.srcMacOff < 0) {
      this.stats.otherL2++;
      return;
    }
    this.stats.link++;
    const ctx = this.linkContext;
    ctx.begin(
      ts,
      dissector.name,
      this.macText.of(d, this.srcMacOff),
      this.dstMacOff >= 0 ? this.macText.of(d, this.dstMacOff) : null,
      this.vlan >= 0 ? this.vlan : null,
    );
    try {
      dissector.decode(ts, d.subarray(off, end), ctx);
    } catch (err) {
      // A decoder must never throw (STYLE.md 3); if one does, the frame is a violation, not a crash.
      ctx.violation(`${dissector.name} decoder failed: ${(err as Error).message}`);
    }
  }

  private sll(ts: number, d: Uint8Array, off: number, end: number): void {
    // 16 bytes: packet type, ARPHRD type, address length, 8 address bytes, protocol.
    if (end - off < 16) {
      if (this.ownL2()) this.stats.malformed++;
      return;
    }
    const arphrd = (d[off + 2] << 8) | d[off + 3];
    const addrLen = (d[off + 4] << 8) | d[off + 5];
    if (arphrd === 1 && addrLen === 6) this.srcMacOff = off + 6;
    this.ethertype(ts, d, (d[off + 14] << 8) | d[off + 15], off + 16, end);
  }

  private sll2(ts: number, d: Uint8Array, off: number, end: number): void {
    // 20 bytes: protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address bytes.
    if (end - off < 20) {
      if (this.ownL2()) this.stats.malformed++;
      return;
    }
    const arphrd = (d[off + 8] << 8) | d[off + 9];
    if (arphrd === 1 && d[off + 11] === 6) this.srcMacOff = off + 12;
    this.ethertype(ts, d, (d[off] << 8) | d[off + 1], off + 20, end);
  }

  private loopback(ts: number, d: Uint8Array, off: number, end: number, networkOrder: boolean): void {
    if (end - off < 4) {
      if (this.ownL2()) this.stats.malformed++;
      return;
    }
    // NULL carries the family in the writer's byte order; the low values make the order evident.
    const be = ((d[off] << 24) | (d[off + 1] << 16) | (d[off + 2] << 8) | d[off + 3]) >>> 0;
    const le = ((d[off + 3] << 24) | (d[off + 2] << 16) | (d[off + 1] << 8) | d[off]) >>> 0;
    const af = networkOrder ? be : be < 0x10000 ? be : le;
    if (af === AF_INET) this.ipv4(ts, d, off + 4, end);
    else if (AF_INET6_VALUES.has(af)) this.ipv6(ts, d, off + 4, end);
    else if (this.ownL2()) this.stats.otherL2++;
  }

  private rawIp(ts: number, d: Uint8Array, off: number, end: number): void {
    const v = end > off ? d[off] >> 4 : 0;
    if (v === 4) this.ipv4(ts, d, off, end);
    else if (v === 6) this.ipv6(ts, d, off, end);
    else if (this.ownL2()) this.stats.malformed++;
  }

  private arp(ts: number, d: Uint8Array, off: number, end: number): void {
    if (!this.ownL2()) return;
    this.stats.arp++;
    // RFC 826 for Ethernet/IPv4: hardware type 1, protocol 0x0800, lengths 6 and 4.
    if (
      off + 28 > end ||
      d[off + 4] !== 6 ||
      d[off + 5] !== 4 ||
      ((d[off + 2] << 8) | d[off + 3]) !== 0x0800
    ) {
      this.stats.malformed++;
      return;
    }
    const op = (d[off + 6] << 8) | d[off + 7];
    this.sink.arp({
      ts,
      op: op === 1 ? 'request' : op === 2 ? 'reply' : 'other',
      senderMac: formatMac(d, off + 8),
      senderIp: formatIpv4(readU32(d, off + 14)),
      targetMac: formatMac(d, off + 18),
      targetIp: formatIpv4(readU32(d, off + 24)),
      frameSrcMac: this.srcMacOff >= 0 ? formatMac(d, this.srcMacOff) : '',
      vlan: this.vlan >= 0 ? this.vlan : null,
    });
  }

  // --- IP ----------------------------------------------------------------------------------

  private ipv4(ts: number, d: Uint8Array, off: number, frameEnd: number): void {
    const s = this.stats;
    if (off + 20 > frameEnd || d[off] >> 4 !== 4) {
      if (this.ownL2()) s.malformed++;
      return;
    }
    const src = readU32(d, off + 12);
    const dst = readU32(d, off + 16);
    if (!this.ownIpv4(src, dst)) return;
    s.ipv4++;
    const ihl = (d[off] & 0x0f) * 4;
    const total = (d[off + 2] << 8) | d[off + 3];
    if (ihl < 20 || total < ihl) {
      s.malformed++;
      return;
    }
    // Total length cuts off Ethernet padding; a snap length may have cut the packet shorter still.
    const end = Math.min(off + total, frameEnd);
    if (end < off + ihl) {
      s.malformed++;
      return;
    }
    // Bytes the IP header promises but the capture lacks (snap length): TCP learns them as a gap.
    const cut = off + total - end;
    const proto = d[off + 9];
    const frag = (d[off + 6] << 8) | d[off + 7];
    if ((frag & 0x3fff) !== 0) {
      // MF set or a non-zero offset (RFC 791 §3.1): hold until the datagram is whole.
      const id = (d[off + 4] << 8) | d[off + 5];
      const whole = this.defrag.add(
        `4|${src}|${dst}|${id}|${proto}`,
        ts,
        (frag & 0x1fff) * 8,
        (frag & 0x2000) !== 0,
        d.subarray(off + ihl, end),
      );
      if (whole === null) return;
      if (proto === PROTO_TCP)
        this.tcp(ts, src, dst, null, null, whole, 0, whole.length, ihl + whole.length, 0);
      else if (proto === PROTO_UDP)
        this.udp(ts, src, dst, null, null, whole, 0, whole.length, ihl + whole.length);
      else s.otherIp++;
      return;
    }
    if (proto === PROTO_TCP) this.tcp(ts, src, dst, null, null, d, off + ihl, end, total, cut);
    else if (proto === PROTO_UDP) this.udp(ts, src, dst, null, null, d, off + ihl, end, total);
    else s.otherIp++;
  }

  private ipv6(ts: number, d: Uint8Array, off: number, frameEnd: number): void {
    const s = this.stats;
    if (off + 40 > frameEnd || d[off] >> 4 !== 6) {
      if (this.ownL2()) s.malformed++;
      return;
    }
    const src = formatIpv6(d, off + 8);
    const dst = formatIpv6(d, off + 24);
    if (!this.ownIp(src, dst)) return;
    s.ipv6++;
    const payloadLen = (d[off + 4] << 8) | d[off + 5];
    const end = Math.min(off + 40 + payloadLen, frameEnd);
    const cut = off + 40 + payloadLen - end;
    let next = d[off + 6];
    let p = off + 40;
    // RFC 8200 §4: walk the extension header chain to the upper-layer header.
    for (let i = 0; i <= MAX_IPV6_EXTENSION_HEADERS; i++) {
      if (next === PROTO_TCP || next === PROTO_UDP) break;
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (p + 8 > end) return void s.malformed++;
        next = d[p];
        p += (d[p + 1] + 1) * 8;
      } else if (next === 51) {
        // Authentication header counts its length in 4-octet units minus 2 (RFC 4302 §2.2).
        if (p + 8 > end) return void s.malformed++;
        next = d[p];
        p += (d[p + 1] + 2) * 4;
      } else if (next === 44) {
        // Fragment header (RFC 8200 §4.5): reassemble, then continue with the whole payload.
        if (p + 8 > end) return void s.malformed++;
        const fragNext = d[p];
        const offFlags = (d[p + 2] << 8) | d[p + 3];
        const id = readU32(d, p + 4);
        const whole = this.defrag.add(
          `6|${src}|${dst}|${id}`,
          ts,
          offFlags & 0xfff8,
          (offFlags & 1) !== 0,
          d.subarray(p + 8, end),
        );
        if (whole === null) return;
        this.ipv6Upper(ts, src, dst, fragNext, whole, 0, whole.length, 40 + whole.length, 0);
        return;
      } else {
        // ICMPv6, ESP, no-next-header (59), or anything else: not a transport we follow.
        s.otherIp++;
        return;
      }
      if (p > end) return void s.malformed++;
    }
    this.ipv6Upper(ts, src, dst, next, d, p, end, 40 + payloadLen, cut);
  }

  private ipv6Upper(
    ts: number,
    src: string,
    dst: string,
    next: number,
    d: Uint8Array,
    off: number,
    end: number,
    ipLen: number,
    cut: number,
  ): void {
    if (next === PROTO_TCP) this.tcp(ts, 0, 0, src, dst, d, off, end, ipLen, cut);
    else if (next === PROTO_UDP) this.udp(ts, 0, 0, src, dst, d, off, end, ipLen);
    else this.stats.otherIp++;
  }

  // --- transport ---------------------------------------------------------------------------

  /**
   * TCP segment d[off, end). IPv4 addresses come as numbers (src4/dst4) with src6/dst6 null; IPv6
   * addresses as strings. `ipLen` is the IP packet length counted in byte totals; `cut` is how
   * many bytes at the end of the segment the capture did not keep (snap length).
   */
  private tcp(
    ts: number,
    src4: number,
    dst4: number,
    src6: string | null,
    dst6: string | null,
    d: Uint8Array,
    off: number,
    end: number,
    ipLen: number,
    cut: number,
  ): void {
    const s = this.stats;
    if (end - off < 20) {
      s.malformed++;
      return;
    }
    const dataOff = (d[off + 12] >> 4) * 4;
    if (dataOff < 20 || off + dataOff > end) {
      s.malformed++;
      return;
    }
    s.tcp++;
    const sport = (d[off] << 8) | d[off + 1];
    const dport = (d[off + 2] << 8) | d[off + 3];
    const flags = d[off + 13];
    const seq = readU32(d, off + 4);
    const fromA =
      src6 === null
        ? src4 < dst4 || (src4 === dst4 && sport <= dport)
        : src6 < dst6! || (src6 === dst6 && sport <= dport);
    let c = this.find(PROTO_TCP, fromA, src4, dst4, src6, dst6, sport, dport);
    if (c?.closed) {
      // A lingering closed connection absorbs stray ACKs; a fresh SYN starts a new one (port reuse).
      if ((flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return;
      this.drop(c);
      c = undefined;
    }
    if (c === undefined) {
      // A clean SYN or SYN/ACK names the client; a SYN mixed with FIN or RST is no handshake
      // (scanners and fuzzers send such), so then, as for streams picked up mid-way, ports decide.
      const handshake = (flags & (TCP_SYN | TCP_FIN | TCP_RST)) === TCP_SYN;
      const senderIsClient = handshake
        ? (flags & TCP_ACK) === 0
        : this.senderLooksLikeClient('tcp', sport, dport);
      c = this.open(
        this.missKey,
        'tcp',
        ts,
        fromA,
        senderIsClient,
        handshake,
        src4,
        dst4,
        src6,
        dst6,
        sport,
        dport,
      );
    }
    const dir = c.account(fromA, ts, ipLen);
    const stream = c.tcp![dir];
    if ((flags & TCP_SYN) !== 0) stream.syn(seq);
    const payloadStart = off + dataOff;
    if (payloadStart < end || cut > 0) stream.segment(ts, seq, view(d, payloadStart, end), cut);
    if ((flags & TCP_RST) !== 0) {
      // Stays in the table for CLOSED_LINGER_S so the final ACKs do not open a phantom connection.
      c.close(ts);
      return;
    }
    if ((flags & TCP_FIN) !== 0) {
      if (dir === 0) c.finSeen0 = true;
      else c.finSeen1 = true;
      if (c.finSeen0 && c.finSeen1) c.close(ts);
    }
  }

  /** UDP datagram d[off, end). */
  private udp(
    ts: number,
    src4: number,
    dst4: number,
    src6: string | null,
    dst6: string | null,
    d: Uint8Array,
    off: number,
    end: number,
    ipLen: number,
  ): void {
    const s = this.stats;
    if (end - off < 8) {
      s.malformed++;
      return;
    }
    s.udp++;
    const sport = (d[off] << 8) | d[off + 1];
    const dport = (d[off + 2] << 8) | d[off + 3];
    const udpLen = (d[off + 4] << 8) | d[off + 5];
    // RFC 768: the length covers header and data; trust it only when it fits what was captured.
    const dataEnd = udpLen >= 8 && off + udpLen <= end ? off + udpLen : end;
    const fromA =
      src6 === null
        ? src4 < dst4 || (src4 === dst4 && sport <= dport)
        : src6 < dst6! || (src6 === dst6 && sport <= dport);
    let c = this.find(PROTO_UDP, fromA, src4, dst4, src6, dst6, sport, dport);
    if (c === undefined) {
      const senderIsClient = this.senderLooksLikeClient('udp', sport, dport);
      c = this.open(
        this.missKey,
        'udp',
        ts,
        fromA,
        senderIsClient,
        false,
        src4,
        dst4,
        src6,
        dst6,
        sport,
        dport,
      );
    }
    const dir = c.account(fromA, ts, ipLen);
    if (dataEnd > off + 8) c.appData(dir, ts, view(d, off + 8, dataEnd));
  }

  /**
   * The connection of a packet, or undefined (then `missKey` holds the table key to create it
   * under). Keys are direction-independent: endpoint A is the numerically (or lexically) lower one.
   * A one-entry cache in front of the table catches most packets, since consecutive packets tend to
   * belong to one connection, and saves building the key string for them.
   */
  private find(
    proto: number,
    fromA: boolean,
    src4: number,
    dst4: number,
    src6: string | null,
    dst6: string | null,
    sport: number,
    dport: number,
  ): Connection | undefined {
    if (src6 === null) {
      const a = fromA ? src4 : dst4;
      const b = fromA ? dst4 : src4;
      const pa = fromA ? sport : dport;
      const pb = fromA ? dport : sport;
      const ports = pa * 65536 + pb;
      const cached = this.cached;
      if (
        cached !== undefined &&
        a === this.cachedA &&
        b === this.cachedB &&
        ports === this.cachedPorts &&
        proto === this.cachedProto
      ) {
        return cached;
      }
      const key = String.fromCharCode(proto, a >>> 16, a & 0xffff, pa, b >>> 16, b & 0xffff, pb);
      const c = this.conns.get(key);
      if (c === undefined) {
        this.missKey = key;
        return undefined;
      }
      this.cached = c;
      this.cachedA = a;
      this.cachedB = b;
      this.cachedPorts = ports;
      this.cachedProto = proto;
      return c;
    }
    const key = fromA
      ? `${proto}|${src6}|${sport}|${dst6}|${dport}`
      : `${proto}|${dst6}|${dport}|${src6}|${sport}`;
    const c = this.conns.get(key);
    if (c === undefined) this.missKey = key;
    return c;
  }

  /** Remove a connection from the table (and from the lookup cache). */
  private drop(c: Connection): void {
    this.conns.delete(c.key);
    if (this.cached === c) this.cached = undefined;
  }

  /**
   * Without a handshake: the side on a port some dissector registered is the server, then the side
   * on a privileged port (< 1024), then the lower port (clients use ephemeral ports).
   */
  private senderLooksLikeClient(transport: Transport, sport: number, dport: number): boolean {
    const known = this.ports[transport];
    const score = (p: number): number => (known.has(p) ? 2 : p < 1024 ? 1 : 0);
    const ss = score(sport);
    const ds = score(dport);
    if (ss !== ds) return ds > ss;
    return dport <= sport;
  }

  private open(
    key: string,
    transport: Transport,
    ts: number,
    fromA: boolean,
    senderIsClient: boolean,
    fromHandshake: boolean,
    src4: number,
    dst4: number,
    src6: string | null,
    dst6: string | null,
    sport: number,
    dport: number,
  ): Connection {
    if (this.conns.size >= this.maxConnections) this.evictOldest(ts);
    const srcIp = src6 ?? formatIpv4(src4);
    const dstIp = dst6 ?? formatIpv4(dst4);
    const d = this.frameData;
    const srcMac = this.srcMacOff >= 0 ? formatMac(d, this.srcMacOff) : null;
    const dstMac = this.dstMacOff >= 0 ? formatMac(d, this.dstMacOff) : null;
    const info: ConnectionInfo = senderIsClient
      ? {
          uid: `C${++this.uid}`,
          transport,
          clientIp: srcIp,
          clientPort: sport,
          serverIp: dstIp,
          serverPort: dport,
          clientMac: srcMac,
          serverMac: dstMac,
          vlan: this.vlan >= 0 ? this.vlan : null,
        }
      : {
          uid: `C${++this.uid}`,
          transport,
          clientIp: dstIp,
          clientPort: dport,
          serverIp: srcIp,
          serverPort: sport,
          clientMac: dstMac,
          serverMac: srcMac,
          vlan: this.vlan >= 0 ? this.vlan : null,
        };
    const clientIsA = senderIsClient === fromA;
    const c = new Connection(
      key,
      info,
      clientIsA,
      fromHandshake,
      ts,
      this.candidatesFor(transport, info.serverPort),
      this.ports[transport].get(info.serverPort)?.[0] ?? null,
      this.sink,
      this.counters,
    );
    this.conns.set(key, c);
    this.stats.connections++;
    this.sink.connectionStart?.(info, ts);
    return c;
  }

  /** Dissectors to probe: those registered for the server port first, then the rest of the transport. */
  private candidatesFor(transport: Transport, serverPort: number): DissectorDescriptor[] {
    const hinted = this.ports[transport].get(serverPort) ?? [];
    const out = hinted.slice();
    for (const d of this.dissectors) if (d.transport === transport && !hinted.includes(d)) out.push(d);
    return out;
  }

  /** Close and drop idle connections. Runs every SWEEP_INTERVAL_S of capture time. */
  private sweep(now: number): void {
    for (const c of this.conns.values()) {
      const idle = c.closed ? CLOSED_LINGER_S : c.tcp !== null ? TCP_IDLE_TIMEOUT_S : UDP_IDLE_TIMEOUT_S;
      if (now - c.lastTs > idle) {
        c.close(c.lastTs);
        this.drop(c);
      }
    }
  }

  /** The table is full: drop the oldest tenth (Map order is creation order), closed ones first. */
  private evictOldest(now: number): void {
    this.sweep(now);
    if (this.conns.size < this.maxConnections) return;
    let toDrop = Math.max(1, Math.floor(this.maxConnections / 10));
    for (const c of this.conns.values()) {
      if (toDrop-- === 0) break;
      if (!c.closed) this.stats.evicted++;
      c.close(c.lastTs);
      this.drop(c);
    }
  }
}

/** A view of d[start, end) made with the plain constructor: cheaper than subarray() on a Buffer. */
function view(d: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(d.buffer, d.byteOffset + start, end - start);
}

function readU32(d: Uint8Array, off: number): number {
  return ((d[off] << 24) | (d[off + 1] << 16) | (d[off + 2] << 8) | d[off + 3]) >>> 0;
}

/** The LinkContext handed to link-layer dissectors, re-aimed at each frame (no per-frame object). */
class FrameLinkContext implements LinkContext {
  private ts = 0;
  private app = '';
  private srcMac = '';
  private dstMac: string | null = null;
  private vlan: number | null = null;

  constructor(
    private readonly sink: PipelineSink,
    private readonly stats: PipelineStats,
  ) {}

  begin(ts: number, app: string, srcMac: string, dstMac: string | null, vlan: number | null): void {
    this.ts = ts;
    this.app = app;
    this.srcMac = srcMac;
    this.dstMac = dstMac;
    this.vlan = vlan;
  }

  message(fields: Fields): void {
    this.stats.appMessages++;
    this.emit('message', fields);
  }

  violation(reason: string, fields?: Fields): void {
    this.stats.violations++;
    this.emit('violation', fields === undefined ? { reason } : { reason, ...fields });
  }

  private emit(kind: 'message' | 'violation', fields: Fields): void {
    const { ts, app, srcMac, dstMac, vlan } = this;
    this.sink.link({ ts, app, kind, srcMac, dstMac, vlan, fields });
  }
}

/**
 * Text of the MAC addresses of recent link frames. Link frames repeat the same few addresses
 * (cyclic PROFINET data every few milliseconds, both ways), so the last RECENT_MACS are compared
 * byte by byte before a new string is made.
 */
class MacText {
  private readonly bytes = new Uint8Array(RECENT_MACS * 6);
  private readonly texts: string[] = new Array<string>(RECENT_MACS).fill('');
  private next = 0;

  of(d: Uint8Array, off: number): string {
    const b = this.bytes;
    for (let i = 0, j = 0; i < RECENT_MACS; i++, j += 6) {
      if (
        b[j + 5] === d[off + 5] &&
        b[j + 4] === d[off + 4] &&
        b[j + 3] === d[off + 3] &&
        b[j + 2] === d[off + 2] &&
        b[j + 1] === d[off + 1] &&
        b[j] === d[off] &&
        this.texts[i] !== ''
      ) {
        return this.texts[i];
      }
    }
    const i = this.next;
    this.next = (i + 1) % RECENT_MACS;
    for (let k = 0; k < 6; k++) b[i * 6 + k] = d[off + k];
    const text = formatMac(d, off);
    this.texts[i] = text;
    return text;
  }
}

/** Addresses MacText remembers: the two ends of a few cyclic connections. */
const RECENT_MACS = 8;
