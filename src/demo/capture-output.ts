// What the capture writers share: a file filled through large buffers with backpressure, and the
// small interface the demo generator writes frames through (so it can write pcap or pcapng).
//
// Memory stays flat whatever the capture size: two buffers of `bufferBytes` each, one being filled
// while the other is written to the file.

import { type FileHandle, open } from 'node:fs/promises';

export const DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024;

/** One frame for the convenience writers (`writePcap`, `writePcapng`): what tests build. */
export interface CaptureFrame {
  /** Seconds since the Unix epoch; kept to the microsecond (pcap) or as far as a double goes (pcapng). */
  readonly ts: number;
  /** Nanoseconds since the Unix epoch; when given it wins over `ts` in pcapng. */
  readonly tsNanos?: bigint;
  /** Frame bytes, starting with the link-layer header. */
  readonly data: Uint8Array;
  /** Length on the wire when larger than `data` (a frame cut by a snap length). */
  readonly originalLength?: number;
}

export interface CaptureFileOptions {
  /** Link-layer header type (tcpdump.org link-layer registry). Default 1, LINKTYPE_ETHERNET. */
  readonly linkType?: number;
  /** Largest frame stored; longer frames are cut. Default 65535. */
  readonly snapLength?: number;
  readonly bufferBytes?: number;
}

export const LINKTYPE_ETHERNET = 1;
export const DEFAULT_SNAP_LENGTH = 65535;

/**
 * The hot path of a capture writer: build the frame in place at `buffer[frameOffset]`, then
 * `commit` it. Fetch `buffer` again for every frame: it changes after `flush`.
 */
export interface FrameOutput {
  readonly buffer: Buffer;
  readonly frameOffset: number;
  commit(tsMicros: number, length: number, originalLength?: number): void;
  /** True when there may not be room for one more frame of the snap length: call `flush`. */
  readonly needsFlush: boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
  readonly frames: number;
  /** File size so far, including what is still buffered. */
  readonly bytes: number;
}

async function writeAll(handle: FileHandle, data: Buffer, length: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await handle.write(data, done, length - done, null);
    done += bytesWritten;
  }
}

/** A file written through two alternating buffers: the caller fills one while the other drains. */
export class BufferedFile {
  buffer: Buffer;
  position = 0;
  private spare: Buffer;
  private pending: Promise<void> | null = null;
  private failure: unknown = null;
  private flushedBytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    capacity: number,
  ) {
    this.buffer = Buffer.alloc(capacity);
    this.spare = Buffer.alloc(capacity);
  }

  static async create(path: string, capacity = DEFAULT_BUFFER_BYTES): Promise<BufferedFile> {
    return new BufferedFile(await open(path, 'w'), capacity);
  }

  get capacity(): number {
    return this.buffer.length;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  get bytes(): number {
    return this.flushedBytes + this.position;
  }

  /** Hands the filled buffer to the file and returns once the previous write has finished. */
  async flush(): Promise<void> {
    await this.settle();
    if (this.position === 0) return;
    const full = this.buffer;
    const length = this.position;
    this.flushedBytes += length;
    // The rejection is kept and rethrown by the next flush or close, never left unhandled.
    this.pending = writeAll(this.handle, full, length).catch((error: unknown) => {
      this.failure = error;
    });
    this.buffer = this.spare;
    this.spare = full;
    this.position = 0;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
      await this.settle();
    } finally {
      await this.handle.close();
    }
  }

  private async settle(): Promise<void> {
    if (this.pending) {
      await this.pending;
      this.pending = null;
    }
    if (this.failure) throw this.failure;
  }
}

/** Whole microseconds from a frame's timestamp in seconds. */
export function frameMicros(frame: CaptureFrame): number {
  return Math.round(frame.ts * 1e6);
}
