// Streaming writer of classic libpcap files ("pcap", tcpdump.org / draft-ietf-opsawg-pcap):
// little-endian, microsecond timestamps, one 24-byte file header then a 16-byte header per record.

import {
  BufferedFile,
  type CaptureFileOptions,
  type CaptureFrame,
  DEFAULT_SNAP_LENGTH,
  type FrameOutput,
  frameMicros,
  LINKTYPE_ETHERNET,
} from './capture-output.ts';

/** Magic number for microsecond timestamps; written little-endian it reads d4 c3 b2 a1. */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

export class PcapWriter implements FrameOutput {
  frames = 0;

  private constructor(
    private readonly file: BufferedFile,
    readonly snapLength: number,
  ) {}

  static async create(path: string, options: CaptureFileOptions = {}): Promise<PcapWriter> {
    const snapLength = options.snapLength ?? DEFAULT_SNAP_LENGTH;
    const file = await BufferedFile.create(path, options.bufferBytes);
    if (file.capacity < PCAP_FILE_HEADER_BYTES + PCAP_RECORD_HEADER_BYTES + snapLength) {
      throw new RangeError('capture buffer smaller than one record of the snap length');
    }
    const b = file.buffer;
    b.writeUInt32LE(PCAP_MAGIC_MICROSECONDS, 0);
    b.writeUInt16LE(2, 4); // version 2.4
    b.writeUInt16LE(4, 6);
    b.writeInt32LE(0, 8); // thiszone: timestamps are UTC
    b.writeUInt32LE(0, 12); // sigfigs
    b.writeUInt32LE(snapLength, 16);
    b.writeUInt32LE(options.linkType ?? LINKTYPE_ETHERNET, 20);
    file.position = PCAP_FILE_HEADER_BYTES;
    return new PcapWriter(file, snapLength);
  }

  get buffer(): Buffer {
    return this.file.buffer;
  }

  get frameOffset(): number {
    return this.file.position + PCAP_RECORD_HEADER_BYTES;
  }

  get needsFlush(): boolean {
    return this.file.remaining < PCAP_RECORD_HEADER_BYTES + this.snapLength;
  }

  get bytes(): number {
    return this.file.bytes;
  }

  /** Seals the frame of `length` bytes already written at `frameOffset` (at most the snap length). */
  commit(tsMicros: number, length: number, originalLength = length): void {
    const b = this.file.buffer;
    const p = this.file.position;
    const seconds = Math.floor(tsMicros / 1e6);
    b.writeUInt32LE(seconds, p);
    b.writeUInt32LE(tsMicros - seconds * 1e6, p + 4);
    b.writeUInt32LE(length, p + 8);
    b.writeUInt32LE(originalLength, p + 12);
    this.file.position = p + PCAP_RECORD_HEADER_BYTES + length;
    this.frames++;
  }

  /** Copies one frame in, cutting it at the snap length; for tests and small captures. */
  async writeFrame(frame: CaptureFrame): Promise<void> {
    if (this.needsFlush) await this.flush();
    const length = Math.min(frame.data.length, this.snapLength);
    this.buffer.set(frame.data.subarray(0, length), this.frameOffset);
    this.commit(frameMicros(frame), length, Math.max(frame.originalLength ?? 0, frame.data.length));
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

/** Writes `frames` to a new pcap file at `path`. */
export async function writePcap(
  path: string,
  frames: Iterable<CaptureFrame>,
  options: CaptureFileOptions = {},
): Promise<void> {
  const writer = await PcapWriter.create(path, options);
  try {
    for (const frame of frames) await writer.writeFrame(frame);
  } finally {
    await writer.close();
  }
}
