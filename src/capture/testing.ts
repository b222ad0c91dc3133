// Test-only builders for capture containers and packets in every variant the readers must accept
// (both byte orders, nanosecond pcap, several pcapng sections and interfaces) plus hand-made
// frames. Checksums are left zero: the pipeline does not verify them, as passive monitors must
// not (NIC offload leaves them wrong in most real captures).

export interface Rec {
  ts: number;
  data: Uint8Array;
  origLen?: number;
}

export function pcapFile(
  records: Rec[],
  opts: { le?: boolean; nano?: boolean; linkType?: number; snapLen?: number } = {},
): Buffer {
  const le = opts.le ?? true;
  const head = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, o: number) =>
    le ? b.writeUInt32LE(v >>> 0, o) : b.writeUInt32BE(v >>> 0, o);
  const w16 = (b: Buffer, v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  w32(head, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(head, 2, 4);
  w16(head, 4, 6);
  w32(head, opts.snapLen ?? 65535, 16);
  w32(head, opts.linkType ?? 1, 20);
  const parts: Buffer[] = [head];
  for (const r of records) {
    const h = Buffer.alloc(16);
    const sec = Math.floor(r.ts);
    const frac = Math.round((r.ts - sec) * (opts.nano ? 1e9 : 1e6));
    w32(h, sec, 0);
    w32(h, frac, 4);
    w32(h, r.data.length, 8);
    w32(h, r.origLen ?? r.data.length, 12);
    parts.push(h, Buffer.from(r.data));
  }
  return Buffer.concat(parts);
}

export interface NgInterface {
  linkType: number;
  /** if_tsresol option byte; omitted means the default 10^-6. */
  tsresol?: number;
  snapLen?: number;
}

export type NgBlock =
  | { kind: 'epb'; iface: number; units: bigint; data: Uint8Array; origLen?: number }
  | { kind: 'spb'; data: Uint8Array; origLen?: number }
  | { kind: 'isb'; iface: number; ifDrop?: bigint; ifRecv?: bigint; osDrop?: bigint }
  | { kind: 'custom'; type: number; body: Uint8Array };

export function pcapngSection(le: boolean, interfaces: NgInterface[], blocks: NgBlock[]): Buffer {
  const w32 = (v: number) => {
    const b = Buffer.alloc(4);
    le ? b.writeUInt32LE(v >>> 0) : b.writeUInt32BE(v >>> 0);
    return b;
  };
  const w16 = (v: number) => {
    const b = Buffer.alloc(2);
    le ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  };
  const pad = (b: Uint8Array) => Buffer.concat([Buffer.from(b), Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const opt = (code: number, value: Buffer) => Buffer.concat([w16(code), w16(value.length), pad(value)]);
  const u64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    le ? b.writeBigUInt64LE(v) : b.writeBigUInt64BE(v);
    return b;
  };
  const block = (type: number, body: Buffer) => {
    const total = 12 + body.length;
    return Buffer.concat([w32(type), w32(total), body, w32(total)]);
  };
  const out: Buffer[] = [];
  out.push(block(0x0a0d0d0a, Buffer.concat([w32(0x1a2b3c4d), w16(1), w16(0), Buffer.alloc(8, 0xff)])));
  for (const i of interfaces) {
    const opts: Buffer[] = [];
    if (i.tsresol !== undefined) opts.push(opt(9, Buffer.from([i.tsresol])));
    if (opts.length > 0) opts.push(Buffer.alloc(4));
    out.push(block(1, Buffer.concat([w16(i.linkType), w16(0), w32(i.snapLen ?? 65535), ...opts])));
  }
  for (const b of blocks) {
    if (b.kind === 'epb') {
      const hi = Number(b.units >> 32n);
      const lo = Number(b.units & 0xffffffffn);
      out.push(
        block(
          6,
          Buffer.concat([
            w32(b.iface),
            w32(hi),
            w32(lo),
            w32(b.data.length),
            w32(b.origLen ?? b.data.length),
            pad(b.data),
          ]),
        ),
      );
    } else if (b.kind === 'spb') {
      out.push(block(3, Buffer.concat([w32(b.origLen ?? b.data.length), pad(b.data)])));
    } else if (b.kind === 'isb') {
      const opts: Buffer[] = [];
      if (b.ifRecv !== undefined) opts.push(opt(4, u64(b.ifRecv)));
      if (b.ifDrop !== undefined) opts.push(opt(5, u64(b.ifDrop)));
      if (b.osDrop !== undefined) opts.push(opt(7, u64(b.osDrop)));
      opts.push(Buffer.alloc(4));
      out.push(block(5, Buffer.concat([w32(b.iface), w32(0), w32(0), ...opts])));
    } else {
      out.push(block(b.type, pad(b.body)));
    }
  }
  return Buffer.concat(out);
}

export function ip4(s: string): number[] {
  return s.split('.').map(Number);
}

export function mac(s: string): number[] {
  return s.split(':').map((x) => Number.parseInt(x, 16));
}

/** Ethernet II; `vlans` outermost first (802.1ad S-tag 0x88a8 outside when stacked, 802.1Q inside). */
export function ethernet(
  src: string,
  dst: string,
  type: number,
  payload: Uint8Array,
  vlans: number[] = [],
): Uint8Array {
  const out: number[] = [...mac(dst), ...mac(src)];
  vlans.forEach((vid, i) => {
    const tpid = i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100;
    out.push(tpid >> 8, tpid & 0xff, vid >> 8, vid & 0xff);
  });
  out.push(type >> 8, type & 0xff);
  return Uint8Array.from([...out, ...payload]);
}

export interface Ip4Opts {
  src: string;
  dst: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  moreFragments?: boolean;
  /** Override the total length field (for malformed cases). */
  totalLength?: number;
}

export function ipv4(o: Ip4Opts): Uint8Array {
  const total = o.totalLength ?? 20 + o.payload.length;
  const frag = ((o.moreFragments ? 0x2000 : 0) | ((o.fragOffset ?? 0) / 8)) & 0xffff;
  const id = o.id ?? 1;
  return Uint8Array.from([
    0x45,
    0,
    total >> 8,
    total & 0xff,
    id >> 8,
    id & 0xff,
    frag >> 8,
    frag & 0xff,
    64,
    o.proto,
    0,
    0,
    ...ip4(o.src),
    ...ip4(o.dst),
    ...o.payload,
  ]);
}

export function ipv6(src: number[], dst: number[], next: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  return Uint8Array.from([0x60, 0, 0, 0, len >> 8, len & 0xff, next, 64, ...src, ...dst, ...payload]);
}

export const TCP = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

export function tcp(
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array = new Uint8Array(0),
  ack = 0,
): Uint8Array {
  const s = seq >>> 0;
  const a = ack >>> 0;
  return Uint8Array.from([
    sport >> 8,
    sport & 0xff,
    dport >> 8,
    dport & 0xff,
    s >>> 24,
    (s >>> 16) & 0xff,
    (s >>> 8) & 0xff,
    s & 0xff,
    a >>> 24,
    (a >>> 16) & 0xff,
    (a >>> 8) & 0xff,
    a & 0xff,
    0x50,
    flags,
    0xff,
    0xff,
    0,
    0,
    0,
    0,
    ...payload,
  ]);
}

export function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const len = 8 + payload.length;
  return Uint8Array.from([
    sport >> 8,
    sport & 0xff,
    dport >> 8,
    dport & 0xff,
    len >> 8,
    len & 0xff,
    0,
    0,
    ...payload,
  ]);
}

/** Ethernet/IPv4/TCP in one call, the common case in tests. */
export function tcpFrame(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  seq: number,
  flags: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  return ethernet(
    '02:00:00:00:00:01',
    '02:00:00:00:00:02',
    0x0800,
    ipv4({ src, dst, proto: 6, payload: tcp(sport, dport, seq, flags, payload) }),
  );
}
