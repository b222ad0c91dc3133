// Streaming writer of pcapng files (draft-ietf-opsawg-pcapng): one Section Header Block, one
// Interface Description Block whose if_tsresol option says nanoseconds, then one Enhanced Packet
// Block per frame. Little-endian, as the byte-order magic in the section header declares.

import {
  BufferedFile,
  type CaptureFileOptions,
  type CaptureFrame,
  DEFAULT_SNAP_LENGTH,
  type FrameOutput,
  LINKTYPE_ETHERNET,
} from './capture-output.ts';

export const PCAPNG_BLOCK_TYPE = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  ENHANCED_PACKET: 0x00000006,
} as const;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Option codes (pcapng §3.5, §4.2). */
const OPT_ENDOFOPT = 0;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;
/** if_tsresol value: a power of ten, 10^-9 seconds. */
const TSRESOL_NANOSECONDS = 9;
/** Enhanced Packet Block without its data: 7 fixed 32-bit fields and the trailing length. */
const EPB_HEADER_BYTES = 28;
const EPB_OVERHEAD_BYTES = 32;
const APPLICATION = 'zoneward demo';

const pad4 = (n: number): number => (n + 3) & ~3;
const TWO_POW_32 = 0x100000000;

/** Writes an option (code, length, value padded to 32 bits) and returns the offset after it. */
function writeOption(b: Buffer, p: number, code: number, value: Buffer): number {
  b.writeUInt16LE(code, p);
  b.writeUInt16LE(value.length, p + 2);
  value.copy(b, p + 4);
  const end = p + 4 + pad4(value.length);
  b.fill(0, p + 4 + value.length, end);
  return end;
}

function writeHeaderBlocks(b: Buffer, linkType: number, snapLength: number): number {
  // Section Header Block (§4.1), section length unknown (-1) because the file is streamed.
  let p = 0;
  b.writeUInt32LE(PCAPNG_BLOCK_TYPE.SECTION_HEADER, p);
  b.writeUInt32LE(PCAPNG_BYTE_ORDER_MAGIC, p + 8);
  b.writeUInt16LE(1, p + 12); // major version
  b.writeUInt16LE(0, p + 14); // minor version
  b.writeBigInt64LE(-1n, p + 16);
  let q = writeOption(b, p + 24, SHB_USERAPPL, Buffer.from(APPLICATION, 'utf8'));
  b.writeUInt32LE(OPT_ENDOFOPT, q);
  q += 4;
  b.writeUInt32LE(q + 4 - p, p + 4);
  b.writeUInt32LE(q + 4 - p, q);
  p = q + 4;
  // Interface Description Block (§4.2).
  const idb = p;
  b.writeUInt32LE(PCAPNG_BLOCK_TYPE.INTERFACE_DESCRIPTION, p);
  b.writeUInt16LE(linkType, p + 8);
  b.writeUInt16LE(0, p + 10); // reserved
  b.writeUInt32LE(snapLength, p + 12);
  q = writeOption(b, p + 16, IF_TSRESOL, Buffer.from([TSRESOL_NANOSECONDS]));
  b.writeUInt32LE(OPT_ENDOFOPT, q);
  q += 4;
  b.writeUInt32LE(q + 4 - idb, idb + 4);
  b.writeUInt32LE(q + 4 - idb, q);
  return q + 4;
}

export class PcapngWriter implements FrameOutput {
  frames = 0;

  private constructor(
    private readonly file: BufferedFile,
    readonly snapLength: number,
  ) {}

  static async create(path: string, options: CaptureFileOptions = {}): Promise<PcapngWriter> {
    const snapLength = options.snapLength ?? DEFAULT_SNAP_LENGTH;
    const file = await BufferedFile.create(path, options.bufferBytes);
    if (file.capacity < 256 + EPB_OVERHEAD_BYTES + snapLength) {
      throw new RangeError('capture buffer smaller than one block of the snap length');
    }
    file.position = writeHeaderBlocks(file.buffer, options.linkType ?? LINKTYPE_ETHERNET, snapLength);
    return new PcapngWriter(file, snapLength);
  }

  get buffer(): Buffer {
    return this.file.buffer;
  }

  get frameOffset(): number {
    return this.file.position + EPB_HEADER_BYTES;
  }

  get needsFlush(): boolean {
    return this.file.remaining < EPB_OVERHEAD_BYTES + pad4(this.snapLength);
  }

  get bytes(): number {
    return this.file.bytes;
  }

  /** Seals the frame at `frameOffset`; the timestamp is whole microseconds, stored as nanoseconds. */
  commit(tsMicros: number, length: number, originalLength = length): void {
    // tsMicros * 1000 exceeds 2^53, so multiply the high and low 32-bit halves separately.
    const microsHigh = Math.floor(tsMicros / TWO_POW_32);
    const lowNanos = (tsMicros - microsHigh * TWO_POW_32) * 1000;
    const carry = Math.floor(lowNanos / TWO_POW_32);
    this.seal(microsHigh * 1000 + carry, lowNanos - carry * TWO_POW_32, length, originalLength);
  }

  /** Copies one frame in, cutting it at the snap length; for tests and small captures. */
  async writeFrame(frame: CaptureFrame): Promise<void> {
    if (this.needsFlush) await this.flush();
    const length = Math.min(frame.data.length, this.snapLength);
    this.buffer.set(frame.data.subarray(0, length), this.frameOffset);
    const originalLength = Math.max(frame.originalLength ?? 0, frame.data.length);
    const nanos = frame.tsNanos ?? BigInt(Math.round(frame.ts * 1e6)) * 1000n;
    this.seal(Number(nanos >> 32n), Number(nanos & 0xffffffffn), length, originalLength);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /** Enhanced Packet Block (§4.3) around the frame bytes already in place. */
  private seal(tsHigh: number, tsLow: number, length: number, originalLength: number): void {
    const b = this.file.buffer;
    const p = this.file.position;
    const padded = pad4(length);
    const total = EPB_OVERHEAD_BYTES + padded;
    b.writeUInt32LE(PCAPNG_BLOCK_TYPE.ENHANCED_PACKET, p);
    b.writeUInt32LE(total, p + 4);
    b.writeUInt32LE(0, p + 8); // interface id: the one IDB
    b.writeUInt32LE(tsHigh, p + 12);
    b.writeUInt32LE(tsLow, p + 16);
    b.writeUInt32LE(length, p + 20);
    b.writeUInt32LE(originalLength, p + 24);
    b.fill(0, p + EPB_HEADER_BYTES + length, p + EPB_HEADER_BYTES + padded);
    b.writeUInt32LE(total, p + EPB_HEADER_BYTES + padded);
    this.file.position = p + total;
    this.frames++;
  }
}

/** Writes `frames` to a new pcapng file at `path`, with nanosecond timestamps. */
export async function writePcapng(
  path: string,
  frames: Iterable<CaptureFrame>,
  options: CaptureFileOptions = {},
): Promise<void> {
  const writer = await PcapngWriter.create(path, options);
  try {
    for (const frame of frames) await writer.writeFrame(frame);
  } finally {
    await writer.close();
  }
}
