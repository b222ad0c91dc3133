// Classic libpcap file format (draft-ietf-opsawg-pcap, §4 file header, §5 packet record):
// both byte orders, microsecond (0xA1B2C3D4) and nanosecond (0xA1B23C4D) timestamps.

import { ErrorCodes, ZonewardError } from '../errors.ts';
import { type CaptureReader, type FrameHandler, type InterfaceDrops, WarningLog } from './frame.ts';
import { MAX_CAPTURED_PACKET } from './limits.ts';

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;

export function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  return be === MAGIC_MICRO || be === MAGIC_NANO || le === MAGIC_MICRO || le === MAGIC_NANO;
}

export class PcapReader implements CaptureReader {
  readonly format = 'pcap';
  readonly warnings: WarningLog['list'];
  readonly drops: InterfaceDrops = { ifDrop: null, osDrop: null, ifRecv: null };
  /** LINKTYPE of the file, known once the header is read. */
  linkType = -1;
  snapLen = 0;

  private readonly log = new WarningLog();
  /** File offset of the next chunk's first byte. */
  private base = 0;
  private headerRead = false;
  private littleEndian = true;
  private tsDivisor = 1e6;

  constructor(
    private readonly onFrame: FrameHandler,
    private readonly onHeader?: (linkType: number) => void,
  ) {
    this.warnings = this.log.list;
  }

  push(b: Buffer): number {
    let off = 0;
    if (!this.headerRead) {
      if (b.length < FILE_HEADER_BYTES) return 0;
      this.readFileHeader(b);
      off = FILE_HEADER_BYTES;
    }
    const le = this.littleEndian;
    const len = b.length;
    const onFrame = this.onFrame;
    const linkType = this.linkType;
    const div = this.tsDivisor;
    while (off + RECORD_HEADER_BYTES <= len) {
      const sec = le ? b.readUInt32LE(off) : b.readUInt32BE(off);
      const frac = le ? b.readUInt32LE(off + 4) : b.readUInt32BE(off + 4);
      const capLen = le ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
      const origLen = le ? b.readUInt32LE(off + 12) : b.readUInt32BE(off + 12);
      if (capLen > MAX_CAPTURED_PACKET) {
        throw new ZonewardError(
          ErrorCodes.CAPTURE_BAD_RECORD,
          `packet record at byte ${this.base + off} claims ${capLen} captured bytes, more than the ${MAX_CAPTURED_PACKET} any capture tool writes: the file is damaged from here on`,
          { offset: this.base + off },
        );
      }
      const end = off + RECORD_HEADER_BYTES + capLen;
      if (end > len) break;
      if (capLen === 0) {
        this.log.add('zero-length-packet', 'zero-length packet record (skipped)', this.base + off);
      } else {
        if (capLen > this.snapLen && this.snapLen > 0) {
          this.log.add(
            'record-exceeds-snaplen',
            `packet record longer than the file's snap length ${this.snapLen} (decoded anyway)`,
            this.base + off,
          );
        }
        onFrame(linkType, sec + frac / div, b, off + RECORD_HEADER_BYTES, end, origLen, this.base + off);
      }
      off = end;
    }
    this.base += off;
    return off;
  }

  end(b: Buffer): void {
    if (!this.headerRead) {
      const have = b.length;
      throw new ZonewardError(
        have === 0 ? ErrorCodes.CAPTURE_EMPTY : ErrorCodes.CAPTURE_TRUNCATED,
        have === 0
          ? 'the capture is empty'
          : `the capture ends after ${have} bytes, inside the 24-byte pcap file header`,
        { offset: 0 },
      );
    }
    const rest = b.length;
    if (rest > 0) {
      const needed =
        rest < RECORD_HEADER_BYTES
          ? RECORD_HEADER_BYTES
          : RECORD_HEADER_BYTES + (this.littleEndian ? b.readUInt32LE(8) : b.readUInt32BE(8));
      throw new ZonewardError(
        ErrorCodes.CAPTURE_TRUNCATED,
        `the capture is truncated: the packet record at byte ${this.base} needs ${needed} bytes but the file ends after ${rest}`,
        { offset: this.base },
      );
    }
  }

  private readFileHeader(b: Buffer): void {
    const be = b.readUInt32BE(0);
    const le = b.readUInt32LE(0);
    if (le === MAGIC_MICRO || le === MAGIC_NANO) {
      this.littleEndian = true;
      this.tsDivisor = le === MAGIC_NANO ? 1e9 : 1e6;
    } else if (be === MAGIC_MICRO || be === MAGIC_NANO) {
      this.littleEndian = false;
      this.tsDivisor = be === MAGIC_NANO ? 1e9 : 1e6;
    } else {
      throw new ZonewardError(ErrorCodes.CAPTURE_NOT_A_CAPTURE, 'not a pcap file (bad magic number)', {
        offset: 0,
      });
    }
    this.snapLen = this.littleEndian ? b.readUInt32LE(16) : b.readUInt32BE(16);
    // The upper bits of the link-type field carry FCS information (draft-ietf-opsawg-pcap §4).
    const field = this.littleEndian ? b.readUInt32LE(20) : b.readUInt32BE(20);
    this.linkType = field & 0xffff;
    this.headerRead = true;
    this.onHeader?.(this.linkType);
  }
}
