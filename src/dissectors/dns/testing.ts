// Builders of realistic DNS, mDNS and NBNS messages (payload bytes), for the tests and for the demo
// plant. Names are compressed as real servers do (RFC 1035 §4.1.4); NetBIOS names are first-level
// encoded (RFC 1001 §14.1). Values are documentation addresses (RFC 5737, RFC 3849).

import { Flag, NBNS_FLAG_B, NBNS_OPCODES, NBNS_RR_TYPES, RR_TYPES } from './spec.ts';

export type RrTypeName = keyof typeof RR_TYPES;

/** One resource record to write: `data` is an address, a name, strings, or raw bytes by type. */
export interface RecordSpec {
  readonly name: string;
  readonly type: RrTypeName | 'NB' | 'NBSTAT';
  readonly ttl?: number;
  /** mDNS: set the cache-flush bit on the class (RFC 6762 §10.2). */
  readonly cacheFlush?: boolean;
  /**
   * A/AAAA/NB: address text; NS/CNAME/PTR: a name; TXT/HINFO: strings; SRV: [priority, weight,
   * port, target]; MX: [preference, exchange]; SOA: [mname, rname, serial, refresh, retry,
   * expire, minimum]; NBSTAT: node names and MAC; anything else: bytes.
   */
  readonly data: string | readonly string[] | readonly (number | string)[] | NodeStatusSpec | Uint8Array;
}

export interface NodeStatusSpec {
  readonly names: readonly { name: string; suffix: number; group?: boolean }[];
  readonly mac: string;
}

/** A message writer with a compression dictionary, as a real server's encoder keeps one. */
class MessageWriter {
  readonly bytes: number[] = [];
  private readonly offsets = new Map<string, number>();

  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): this {
    return this.u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
  }
  /** A name, pointing to an earlier occurrence of its longest known suffix. */
  name(name: string, compress = true): this {
    const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const known = compress ? this.offsets.get(suffix) : undefined;
      if (known !== undefined) return this.u16(0xc000 | known);
      if (this.bytes.length < 0x3fff) this.offsets.set(suffix, this.bytes.length);
      const label = Buffer.from(labels[i], 'utf8');
      this.u8(label.length);
      for (const b of label) this.u8(b);
    }
    return this.u8(0);
  }
  question(name: string, type: number, cls: number): this {
    return this.name(name).u16(type).u16(cls);
  }
  record(r: RecordSpec, typeCode: number): this {
    this.name(r.name)
      .u16(typeCode)
      .u16(1 | (r.cacheFlush ? 0x8000 : 0))
      .u32(r.ttl ?? 120);
    const lengthAt = this.bytes.length;
    this.u16(0);
    writeRdata(this, r);
    const n = this.bytes.length - lengthAt - 2;
    this.bytes[lengthAt] = n >>> 8;
    this.bytes[lengthAt + 1] = n & 0xff;
    return this;
  }
  string(s: string): this {
    const b = Buffer.from(s, 'utf8');
    this.u8(b.length);
    for (const x of b) this.u8(x);
    return this;
  }
  raw(b: Iterable<number>): this {
    for (const x of b) this.u8(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

function ipv6Bytes(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.flatMap((g) => [g >>> 8, g & 0xff]);
}

function writeRdata(w: MessageWriter, r: RecordSpec): void {
  const d = r.data;
  switch (r.type) {
    case 'A':
      w.raw(ipv4Bytes(d as string));
      return;
    case 'AAAA':
      w.raw(ipv6Bytes(d as string));
      return;
    case 'NS':
    case 'CNAME':
    case 'PTR':
      w.name(d as string);
      return;
    case 'SOA': {
      // MNAME, RNAME, SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM (RFC 1035 §3.3.13).
      const [mname, rname, ...numbers] = d as readonly (number | string)[];
      w.name(mname as string).name(rname as string);
      for (const n of numbers) w.u32(n as number);
      return;
    }
    case 'MX': {
      const [pref, exchange] = d as readonly (number | string)[];
      w.u16(pref as number).name(exchange as string);
      return;
    }
    case 'SRV': {
      const [priority, weight, port, target] = d as readonly (number | string)[];
      // RFC 2782 forbids compressing the target; mDNS (RFC 6762 §18.14) allows it.
      w.u16(priority as number)
        .u16(weight as number)
        .u16(port as number)
        .name(target as string);
      return;
    }
    case 'TXT':
    case 'HINFO':
      for (const s of d as readonly string[]) w.string(s);
      return;
    case 'NB':
      // NB_FLAGS (B-node, unique) then the address (RFC 1002 §4.2.1.3).
      w.u16(0).raw(ipv4Bytes(d as string));
      return;
    case 'NBSTAT': {
      const status = d as NodeStatusSpec;
      w.u8(status.names.length);
      for (const n of status.names) {
        w.raw(Buffer.from(n.name.toUpperCase().padEnd(15, ' ').slice(0, 15), 'latin1')).u8(n.suffix);
        // NAME_FLAGS: G, ONT = B, ACT (RFC 1002 §4.2.18).
        w.u16((n.group ? 0x8000 : 0) | 0x0400);
      }
      w.raw(status.mac.split(':').map((x) => Number.parseInt(x, 16)));
      w.raw(new Array(40).fill(0)); // the rest of STATISTICS: counters a Windows host leaves at zero
      return;
    }
    default:
      w.raw(d as Uint8Array);
  }
}

function typeCode(type: RecordSpec['type']): number {
  return type === 'NB' ? NBNS_RR_TYPES.NB : type === 'NBSTAT' ? NBNS_RR_TYPES.NBSTAT : RR_TYPES[type];
}

/** A stub resolver's recursive query (RD set) for one name and type. */
export function dnsQuery(id: number, name: string, type: RrTypeName = 'A'): Uint8Array {
  return new MessageWriter().header(id, Flag.RD, 1, 0, 0, 0).question(name, RR_TYPES[type], 1).done();
}

/** A recursive server's answer: the question echoed, then `answers` (and `authority`), compressed. */
export function dnsResponse(
  id: number,
  name: string,
  type: RrTypeName,
  answers: readonly RecordSpec[],
  options: { rcode?: number; authoritative?: boolean; authority?: readonly RecordSpec[] } = {},
): Uint8Array {
  const authority = options.authority ?? [];
  const flags = Flag.QR | Flag.RD | Flag.RA | (options.authoritative ? Flag.AA : 0) | (options.rcode ?? 0);
  const w = new MessageWriter().header(id, flags, 1, answers.length, authority.length, 0);
  w.question(name, RR_TYPES[type], 1);
  for (const r of answers) w.record(r, typeCode(r.type));
  for (const r of authority) w.record(r, typeCode(r.type));
  return w.done();
}

/** DNS over TCP: the message with its 2-byte length prefix (RFC 1035 §4.2.2). */
export function dnsOverTcp(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 2);
  out[0] = message.length >>> 8;
  out[1] = message.length & 0xff;
  out.set(message, 2);
  return out;
}

/** An mDNS query (id 0) for `name`, as a browser asks who offers a service (RFC 6762 §5, RFC 6763 §4). */
export function mdnsQuery(name: string, type: RrTypeName = 'PTR', unicastResponse = false): Uint8Array {
  return new MessageWriter()
    .header(0, 0, 1, 0, 0, 0)
    .question(name, RR_TYPES[type], 1 | (unicastResponse ? 0x8000 : 0))
    .done();
}

/** An unsolicited mDNS response (RFC 6762 §8.3): any records, answers then additionals. */
export function mdnsResponse(
  answers: readonly RecordSpec[],
  additional: readonly RecordSpec[] = [],
): Uint8Array {
  const w = new MessageWriter().header(0, Flag.QR | Flag.AA, 0, answers.length, 0, additional.length);
  for (const r of answers) w.record(r, typeCode(r.type));
  for (const r of additional) w.record(r, typeCode(r.type));
  return w.done();
}

/**
 * A Mac's announcement: its host name's A and AAAA records (cache-flush set) and the
 * `_device-info._tcp` TXT record with its model, as mDNSResponder sends them.
 */
export function mdnsHostAnnouncement(opts: {
  host: string;
  friendlyName: string;
  ipv4: string;
  ipv6?: string;
  model: string;
}): Uint8Array {
  const hostName = `${opts.host}.local`;
  const answers: RecordSpec[] = [{ name: hostName, type: 'A', cacheFlush: true, data: opts.ipv4 }];
  if (opts.ipv6) answers.push({ name: hostName, type: 'AAAA', cacheFlush: true, data: opts.ipv6 });
  answers.push({
    name: `${opts.friendlyName}._device-info._tcp.local`,
    type: 'TXT',
    ttl: 4500,
    data: [`model=${opts.model}`, 'osxvers=23'],
  });
  return mdnsResponse(answers);
}

/**
 * A network printer's answer to an `_ipp._tcp` browse: PTR to its instance, then SRV, TXT (make
 * and model keys of the Bonjour Printing Specification §9) and its host's A record as additionals.
 */
export function mdnsPrinterResponse(opts: {
  instance: string;
  host: string;
  ipv4: string;
  make: string;
  model: string;
}): Uint8Array {
  const service = '_ipp._tcp.local';
  const instance = `${opts.instance}.${service}`;
  const hostName = `${opts.host}.local`;
  return mdnsResponse(
    [{ name: service, type: 'PTR', ttl: 4500, data: instance }],
    [
      { name: instance, type: 'SRV', cacheFlush: true, data: [0, 0, 631, hostName] },
      {
        name: instance,
        type: 'TXT',
        cacheFlush: true,
        ttl: 4500,
        data: [
          'txtvers=1',
          'qtotal=1',
          'rp=ipp/print',
          `ty=${opts.make} ${opts.model}`,
          `product=(${opts.make} ${opts.model})`,
          `usb_MFG=${opts.make}`,
          `usb_MDL=${opts.model}`,
          'pdl=application/octet-stream,image/urf,image/pwg-raster',
        ],
      },
      { name: hostName, type: 'A', cacheFlush: true, data: opts.ipv4 },
    ],
  );
}

/**
 * RFC 1001 §14.1 first-level encoding of a NetBIOS name (upper-cased, space-padded to 15 bytes,
 * the suffix byte 16th) into the 32-letter label, optionally followed by a scope id.
 */
export function netbiosName(name: string, suffix: number, scope = ''): string {
  const raw =
    name === '*'
      ? [0x2a, ...new Array(14).fill(0), suffix]
      : [...Buffer.from(name.toUpperCase().padEnd(15, ' ').slice(0, 15), 'latin1'), suffix];
  let label = '';
  for (const b of raw) label += String.fromCharCode(0x41 + (b >> 4), 0x41 + (b & 0xf));
  return scope ? `${label}.${scope}` : label;
}

const NB_IN = 1;

/** A Windows host's broadcast name query (RFC 1002 §4.2.12): B and RD set. */
export function nbnsNameQuery(id: number, name: string, suffix = 0x00): Uint8Array {
  return new MessageWriter()
    .header(id, Flag.RD | NBNS_FLAG_B, 1, 0, 0, 0)
    .question(netbiosName(name, suffix), NBNS_RR_TYPES.NB, NB_IN)
    .done();
}

/**
 * A broadcast name registration (RFC 1002 §4.2.2): the question names the name, the additional
 * record (a pointer to it) binds it to the sender's address; `group` for a workgroup name.
 */
export function nbnsRegistration(
  id: number,
  name: string,
  suffix: number,
  ip: string,
  group = false,
  opcode: number = NBNS_OPCODES.REGISTRATION,
): Uint8Array {
  const encoded = netbiosName(name, suffix);
  const w = new MessageWriter()
    .header(id, (opcode << 11) | Flag.RD | NBNS_FLAG_B, 1, 0, 0, 1)
    .question(encoded, NBNS_RR_TYPES.NB, NB_IN);
  w.name(encoded)
    .u16(NBNS_RR_TYPES.NB)
    .u16(NB_IN)
    .u32(300_000)
    .u16(6)
    .u16(group ? 0x8000 : 0)
    .raw(ipv4Bytes(ip));
  return w.done();
}

/** The owner's positive answer to a name query (RFC 1002 §4.2.13): no question, one NB record. */
export function nbnsPositiveResponse(id: number, name: string, suffix: number, ip: string): Uint8Array {
  const w = new MessageWriter().header(id, Flag.QR | Flag.AA | Flag.RD, 0, 1, 0, 0);
  w.name(netbiosName(name, suffix))
    .u16(NBNS_RR_TYPES.NB)
    .u16(NB_IN)
    .u32(300_000)
    .u16(6)
    .u16(0)
    .raw(ipv4Bytes(ip));
  return w.done();
}

/** A node status request for `*` (RFC 1002 §4.2.17), as `nbtstat -A` and scanners send it. */
export function nbnsNodeStatusQuery(id: number): Uint8Array {
  return new MessageWriter()
    .header(id, 0, 1, 0, 0, 0)
    .question(netbiosName('*', 0x00), NBNS_RR_TYPES.NBSTAT, NB_IN)
    .done();
}

/** The node status response (RFC 1002 §4.2.18): the host's name table and its MAC address. */
export function nbnsNodeStatusResponse(id: number, status: NodeStatusSpec): Uint8Array {
  const w = new MessageWriter().header(id, Flag.QR | Flag.AA, 0, 1, 0, 0);
  w.record({ name: netbiosName('*', 0x00), type: 'NBSTAT', ttl: 0, data: status }, NBNS_RR_TYPES.NBSTAT);
  return w.done();
}
