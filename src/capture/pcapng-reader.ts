// pcapng (draft-ietf-opsawg-pcapng): Section Header (§4.1), Interface Description (§4.2),
// Enhanced Packet (§4.3), Simple Packet (§4.4), Interface Statistics (§4.6) and the obsolete
// Packet Block (Appendix A). Several sections, each with its own byte order, and several
// interfaces, each with its own link type and timestamp resolution. Other blocks are skipped.

import { ErrorCodes, ZonewardError } from '../errors.ts';
import { type CaptureReader, type FrameHandler, type InterfaceDrops, WarningLog } from './frame.ts';
import { MAX_CAPTURED_PACKET, MAX_PCAPNG_BLOCK } from './limits.ts';

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_PB = 0x00000002;
const BLOCK_SPB = 0x00000003;
const BLOCK_ISB = 0x00000005;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const MIN_BLOCK = 12;

const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const OPT_ISB_IFRECV = 4;
const OPT_ISB_IFDROP = 5;
const OPT_ISB_OSDROP = 7;

interface Interface {
  linkType: number;
  snapLen: number;
  /** Seconds per timestamp unit (if_tsresol, default 10^-6). */
  unit: number;
  /** if_tsoffset, seconds. */
  offset: number;
}

export function isPcapngMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
}

export class PcapngReader implements CaptureReader {
  readonly format = 'pcapng';
  readonly warnings: WarningLog['list'];
  readonly drops: InterfaceDrops = { ifDrop: null, osDrop: null, ifRecv: null };
  /** Link types of every interface seen, in order. */
  readonly linkTypes: number[] = [];

  private readonly log = new WarningLog();
  /** File offset of the next chunk's first byte. */
  private base = 0;
  private le = true;
  private inSection = false;
  private interfaces: Interface[] = [];

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly onInterface?: (linkType: number) => void,
  ) {
    this.warnings = this.log.list;
  }

  push(b: Buffer): number {
    let off = 0;
    const len = b.length;
    while (off + MIN_BLOCK <= len) {
      const type = this.readType(b, off);
      if (type === BLOCK_SHB) {
        // The byte order of a section is only known from its own header (§4.1).
        const magic = b.readUInt32LE(off + 8);
        if (magic === BYTE_ORDER_MAGIC) this.le = true;
        else if (magic === 0x4d3c2b1a) this.le = false;
        else throw this.damage(off, 'section header block has an invalid byte-order magic');
        this.inSection = true;
        this.interfaces = [];
      } else if (!this.inSection) {
        throw new ZonewardError(ErrorCodes.CAPTURE_NOT_A_CAPTURE, 'not a pcapng file (no section header)', {
          offset: this.base + off,
        });
      }
      const total = this.u32(b, off + 4);
      if (total < MIN_BLOCK || total % 4 !== 0 || total > MAX_PCAPNG_BLOCK) {
        throw this.damage(off, `block of type 0x${type.toString(16)} has an invalid length ${total}`);
      }
      if (off + total > len) break;
      if (this.u32(b, off + total - 4) !== total) {
        throw this.damage(
          off,
          `block of type 0x${type.toString(16)} has mismatched leading and trailing lengths`,
        );
      }
      this.block(type, b, off, total);
      off += total;
    }
    this.base += off;
    return off;
  }

  end(b: Buffer): void {
    const rest = b.length;
    if (this.base === 0 && rest === 0) {
      throw new ZonewardError(ErrorCodes.CAPTURE_EMPTY, 'the capture is empty', { offset: 0 });
    }
    if (rest > 0) {
      const needed = rest >= 8 ? this.u32(b, 4) : MIN_BLOCK;
      throw new ZonewardError(
        ErrorCodes.CAPTURE_TRUNCATED,
        `the capture is truncated: the block at byte ${this.base} needs ${needed} bytes but the file ends after ${rest}`,
        { offset: this.base },
      );
    }
  }

  private block(type: number, b: Buffer, off: number, total: number): void {
    const bodyEnd = off + total - 4;
    switch (type) {
      case BLOCK_IDB:
        this.interfaceDescription(b, off, bodyEnd);
        return;
      case BLOCK_EPB:
        this.enhancedPacket(b, off, bodyEnd);
        return;
      case BLOCK_SPB:
        this.simplePacket(b, off, bodyEnd);
        return;
      case BLOCK_PB:
        this.obsoletePacket(b, off, bodyEnd);
        return;
      case BLOCK_ISB:
        this.interfaceStatistics(b, off, bodyEnd);
        return;
      case BLOCK_SHB:
        return;
      default:
        // Name resolution, decryption secrets, custom blocks...: not packets, skipped by design.
        return;
    }
  }

  private interfaceDescription(b: Buffer, off: number, bodyEnd: number): void {
    if (off + 16 > bodyEnd) throw this.damage(off, 'interface description block is too short');
    const iface: Interface = {
      linkType: this.u16(b, off + 8),
      snapLen: this.u32(b, off + 12),
      unit: 1e-6,
      offset: 0,
    };
    this.walkOptions(b, off + 16, bodyEnd, (code, o, l) => {
      if (code === OPT_IF_TSRESOL && l >= 1) {
        // MSB clear: 10^-v seconds; MSB set: 2^-v seconds (§4.2, if_tsresol).
        const v = b[o];
        iface.unit = v & 0x80 ? 2 ** -(v & 0x7f) : 10 ** -v;
      } else if (code === OPT_IF_TSOFFSET && l >= 8) {
        iface.offset = this.u64(b, o);
      }
    });
    this.interfaces.push(iface);
    this.linkTypes.push(iface.linkType);
    this.onInterface?.(iface.linkType);
  }

  private enhancedPacket(b: Buffer, off: number, bodyEnd: number): void {
    if (off + 28 > bodyEnd) throw this.damage(off, 'enhanced packet block is too short');
    const ifId = this.u32(b, off + 8);
    const iface = this.interfaces[ifId];
    if (iface === undefined) {
      this.log.add(
        'unknown-interface',
        `packet refers to interface ${ifId}, which was never described (skipped)`,
        this.base + off,
      );
      return;
    }
    const units = this.u32(b, off + 12) * 4294967296 + this.u32(b, off + 16);
    const capLen = this.u32(b, off + 20);
    const origLen = this.u32(b, off + 24);
    this.packet(iface, units, b, off, off + 28, capLen, origLen, bodyEnd);
  }

  private simplePacket(b: Buffer, off: number, bodyEnd: number): void {
    const iface = this.interfaces[0];
    if (iface === undefined) {
      this.log.add(
        'unknown-interface',
        'simple packet block before any interface description (skipped)',
        this.base + off,
      );
      return;
    }
    const origLen = this.u32(b, off + 8);
    // The captured length is implied: the smaller of the wire length, the snap length and the block (§4.4).
    let capLen = Math.min(origLen, bodyEnd - (off + 12));
    if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
    // A simple packet has no timestamp; NaN would poison time arithmetic, so it inherits 0.
    this.packet(iface, Number.NaN, b, off, off + 12, capLen, origLen, bodyEnd);
  }

  private obsoletePacket(b: Buffer, off: number, bodyEnd: number): void {
    if (off + 28 > bodyEnd) throw this.damage(off, 'packet block is too short');
    const iface = this.interfaces[this.u16(b, off + 8)];
    if (iface === undefined) {
      this.log.add(
        'unknown-interface',
        'packet block refers to an undescribed interface (skipped)',
        this.base + off,
      );
      return;
    }
    const units = this.u32(b, off + 12) * 4294967296 + this.u32(b, off + 16);
    this.packet(iface, units, b, off, off + 28, this.u32(b, off + 20), this.u32(b, off + 24), bodyEnd);
  }

  private packet(
    iface: Interface,
    units: number,
    b: Buffer,
    off: number,
    dataStart: number,
    capLen: number,
    origLen: number,
    bodyEnd: number,
  ): void {
    if (capLen > MAX_CAPTURED_PACKET || dataStart + capLen > bodyEnd) {
      throw this.damage(off, `packet claims ${capLen} captured bytes, more than its block holds`);
    }
    if (capLen === 0) {
      this.log.add('zero-length-packet', 'zero-length packet (skipped)', this.base + off);
      return;
    }
    const ts = Number.isNaN(units) ? 0 : units * iface.unit + iface.offset;
    this.onFrame(iface.linkType, ts, b, dataStart, dataStart + capLen, origLen, this.base + off);
  }

  private interfaceStatistics(b: Buffer, off: number, bodyEnd: number): void {
    if (off + 20 > bodyEnd) return;
    this.walkOptions(b, off + 20, bodyEnd, (code, o, l) => {
      if (l < 8) return;
      // Counters are cumulative since capture start; the last ISB for an interface wins, summed over interfaces
      // would double count, so we keep the maximum seen.
      const v = this.u64(b, o);
      if (code === OPT_ISB_IFDROP) this.drops.ifDrop = Math.max(this.drops.ifDrop ?? 0, v);
      else if (code === OPT_ISB_OSDROP) this.drops.osDrop = Math.max(this.drops.osDrop ?? 0, v);
      else if (code === OPT_ISB_IFRECV) this.drops.ifRecv = Math.max(this.drops.ifRecv ?? 0, v);
    });
  }

  /** Options are TLVs padded to 32 bits (§3.5); a malformed list is ignored rather than trusted. */
  private walkOptions(
    b: Buffer,
    start: number,
    end: number,
    visit: (code: number, off: number, len: number) => void,
  ): void {
    let o = start;
    while (o + 4 <= end) {
      const code = this.u16(b, o);
      const l = this.u16(b, o + 2);
      if (code === OPT_END) return;
      if (o + 4 + l > end) return;
      visit(code, o + 4, l);
      o += 4 + ((l + 3) & ~3);
    }
  }

  private damage(off: number, what: string): ZonewardError {
    return new ZonewardError(
      ErrorCodes.CAPTURE_BAD_RECORD,
      `${what} at byte ${this.base + off}: the file is damaged from here on`,
      {
        offset: this.base + off,
      },
    );
  }

  private readType(b: Buffer, off: number): number {
    // The SHB type is a palindrome, so it reads the same in either byte order.
    return this.le ? b.readUInt32LE(off) : b.readUInt32BE(off);
  }
  private u16(b: Buffer, off: number): number {
    return this.le ? b.readUInt16LE(off) : b.readUInt16BE(off);
  }
  private u32(b: Buffer, off: number): number {
    return this.le ? b.readUInt32LE(off) : b.readUInt32BE(off);
  }
  private u64(b: Buffer, off: number): number {
    return this.le
      ? b.readUInt32LE(off + 4) * 4294967296 + b.readUInt32LE(off)
      : b.readUInt32BE(off) * 4294967296 + b.readUInt32BE(off + 4);
  }
}
