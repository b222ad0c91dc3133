// Reads a capture from a file or a stream: recognises pcap, pcapng and gzip by their first bytes,
// streams it in large chunks (memory stays flat whatever the size), and turns damage into a
// report with a byte offset instead of an exception, so everything before the damage is kept.

import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import type { CaptureReader, CaptureWarning, FrameHandler, InterfaceDrops } from './frame.ts';
import { linkTypeName, SUPPORTED_LINK_TYPES, supportedLinkTypesText } from './link-types.ts';
import { isPcapMagic, PcapReader } from './pcap-reader.ts';
import { isPcapngMagic, PcapngReader } from './pcapng-reader.ts';

/** Large reads keep syscalls and chunk joins negligible next to per-packet work. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

export interface CaptureReadResult {
  format: 'pcap' | 'pcapng';
  compressed: boolean;
  /** Bytes of the capture after decompression that were read. */
  bytesRead: number;
  warnings: CaptureWarning[];
  drops: InterfaceDrops;
  /** Link types seen (one for pcap; one per interface for pcapng). */
  linkTypes: number[];
  /** Set when the capture was decoded only up to this damage. */
  damage: ZonewardError | null;
  /** SHA-256 of the file's bytes as stored (compressed if gzip), when asked for. */
  sha256: string | null;
}

export interface ReadOptions {
  /**
   * Called after every chunk with the bytes of the file consumed so far (compressed bytes for gzip).
   * Reading waits for a returned promise: this is how a slow consumer (a pipe) pushes back.
   */
  onProgress?: (fileBytesRead: number) => void | Promise<void>;
  /** Compute the file's SHA-256 while reading (used to recognise a capture already stored). */
  hash?: boolean;
}

function sniff(head: Uint8Array, what: string): 'pcap' | 'pcapng' {
  if (isPcapMagic(head)) return 'pcap';
  if (isPcapngMagic(head)) return 'pcapng';
  const text = head.length > 0 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  throw new ZonewardError(
    ErrorCodes.CAPTURE_NOT_A_CAPTURE,
    `${what} is not a pcap or pcapng capture${text ? ' (it looks like a text file)' : ''}: the first bytes are ${Buffer.from(head.subarray(0, 4)).toString('hex') || 'missing'}`,
    { offset: 0 },
  );
}

function makeReader(format: 'pcap' | 'pcapng', onFrame: FrameHandler, linkTypes: number[]): CaptureReader {
  if (format === 'pcap') {
    return new PcapReader(onFrame, (lt) => {
      linkTypes.push(lt);
      if (!SUPPORTED_LINK_TYPES.has(lt)) {
        throw new ZonewardError(
          ErrorCodes.CAPTURE_UNSUPPORTED_LINKTYPE,
          `the capture's link type ${linkTypeName(lt)} (${lt}) is not supported; supported: ${supportedLinkTypesText()}`,
          { offset: 20 },
        );
      }
    });
  }
  return new PcapngReader(onFrame, (lt) => linkTypes.push(lt));
}

/**
 * Where chunks come from. `next()` returns what the previous call left unconsumed followed by new
 * bytes (null at the end); `consumed(n)` says how much of that the reader used.
 */
interface ChunkSource {
  next(): Promise<Buffer | null>;
  consumed(n: number): void;
  /** What is left unconsumed once next() returned null. */
  rest(): Buffer;
}

/**
 * A plain file read into one reused buffer: the unconsumed tail moves to the front and the next
 * read fills the rest. Nothing is allocated per chunk, so memory stays flat at any file size.
 */
class FileChunks implements ChunkSource {
  private buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private have = 0;
  private total = 0;
  private position = 0;

  constructor(
    private readonly fd: import('node:fs/promises').FileHandle,
    private readonly onRead: (bytes: Buffer, fileBytesRead: number) => void,
  ) {}

  async next(): Promise<Buffer | null> {
    if (this.have === this.buf.length) {
      // One record larger than the buffer (a pcapng block may be up to 16 MiB): grow for it.
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.have);
      this.buf = bigger;
    }
    const { bytesRead } = await this.fd.read(this.buf, this.have, this.buf.length - this.have, this.position);
    if (bytesRead === 0) return null;
    this.position += bytesRead;
    this.onRead(this.buf.subarray(this.have, this.have + bytesRead), this.position);
    this.total = this.have + bytesRead;
    return this.buf.subarray(0, this.total);
  }

  consumed(n: number): void {
    this.have = this.total - n;
    if (this.have > 0 && n > 0) this.buf.copyWithin(0, n, this.total);
  }

  rest(): Buffer {
    return this.buf.subarray(0, this.have);
  }
}

/** Any readable stream (gunzip, tcpdump's stdout): the unconsumed tail is joined to the next chunk. */
class StreamChunks implements ChunkSource {
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private last: Buffer = Buffer.alloc(0);

  constructor(input: Readable) {
    this.it = input[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | null> {
    const r = await this.it.next();
    if (r.done === true) return null;
    const chunk = r.value as Buffer;
    this.last = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    return this.last;
  }

  consumed(n: number): void {
    this.pending = n < this.last.length ? this.last.subarray(n) : null;
  }

  rest(): Buffer {
    return this.pending ?? Buffer.alloc(0);
  }
}

/**
 * Decode a capture file. Throws ZonewardError only for problems found before any packet could be
 * read (missing file, empty file, not a capture, unsupported link type); damage later in the file
 * is returned in `damage` after every earlier packet has been handed to `onFrame`.
 */
export async function readCaptureFile(
  path: string,
  onFrame: FrameHandler,
  options: ReadOptions = {},
): Promise<CaptureReadResult> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ZonewardError(ErrorCodes.FILE_NOT_FOUND, `${path} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ZonewardError) throw err;
    throw new ZonewardError(ErrorCodes.FILE_NOT_FOUND, `cannot read ${path}: no such file`, { cause: err });
  }
  if (size === 0)
    throw new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${path} is empty (0 bytes): not a capture`, {
      offset: 0,
    });
  const fd = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    await fd.read(head, 0, 2, 0);
    const compressed = head[0] === 0x1f && head[1] === 0x8b;
    const hasher = options.hash ? createHash('sha256') : null;
    let fileBytes = 0;
    let source: ChunkSource;
    if (compressed) {
      const raw = fd.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES, autoClose: false });
      raw.on('data', (chunk) => {
        fileBytes += chunk.length;
        hasher?.update(chunk as Buffer);
      });
      const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
      raw.on('error', (e) => gunzip.destroy(e));
      source = new StreamChunks(raw.pipe(gunzip));
    } else {
      source = new FileChunks(fd, (bytes, total) => {
        fileBytes = total;
        hasher?.update(bytes);
      });
    }
    const result = await decodeChunks(source, onFrame, path, () => options.onProgress?.(fileBytes));
    result.compressed = compressed;
    if (hasher !== null) {
      // A damaged file may have stopped early: hash the rest too, so the identity is the whole file's.
      if (fileBytes < size) {
        for await (const chunk of createReadStream(path, {
          start: fileBytes,
          highWaterMark: READ_CHUNK_BYTES,
        })) {
          hasher.update(chunk as Buffer);
        }
      }
      result.sha256 = hasher.digest('hex');
    }
    return result;
  } finally {
    await fd.close();
  }
}

/** Decode a capture from any byte stream (a gunzip stream, tcpdump's stdout). */
export function readCaptureStream(
  input: Readable,
  onFrame: FrameHandler,
  options: { what: string; onChunk?: () => void | Promise<void> },
): Promise<CaptureReadResult> {
  return decodeChunks(new StreamChunks(input), onFrame, options.what, options.onChunk).finally(() =>
    input.destroy(),
  );
}

async function decodeChunks(
  source: ChunkSource,
  onFrame: FrameHandler,
  what: string,
  onChunk?: () => void | Promise<void>,
): Promise<CaptureReadResult> {
  const linkTypes: number[] = [];
  let reader: CaptureReader | null = null;
  let bytesRead = 0;
  let damage: ZonewardError | null = null;
  try {
    for (let chunk = await source.next(); chunk !== null; chunk = await source.next()) {
      if (reader === null) {
        if (chunk.length < 4) {
          source.consumed(0);
          continue;
        }
        reader = makeReader(sniff(chunk, what), onFrame, linkTypes);
      }
      const used = reader.push(chunk);
      bytesRead += used;
      source.consumed(used);
      const wait = onChunk?.();
      if (wait !== undefined) await wait;
    }
    const rest = source.rest();
    if (reader === null) {
      if (rest.length === 0)
        throw new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${what} is empty: not a capture`, { offset: 0 });
      sniff(rest, what);
    }
    reader!.end(rest);
  } catch (err) {
    if (!(err instanceof ZonewardError)) {
      // zlib reports a damaged or cut-off gzip member; everything decoded before it is kept.
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && code.startsWith('Z_')) {
        damage = new ZonewardError(
          ErrorCodes.CAPTURE_GZIP,
          `the gzip stream is damaged after ${bytesRead} decompressed bytes (${(err as Error).message})`,
          { offset: bytesRead, cause: err },
        );
      } else throw err;
    } else if (
      reader === null ||
      err.code === ErrorCodes.CAPTURE_UNSUPPORTED_LINKTYPE ||
      err.code === ErrorCodes.CAPTURE_NOT_A_CAPTURE
    ) {
      throw err;
    } else {
      damage = err;
    }
  }
  if (reader === null) {
    // Only reachable when the gzip stream broke before four bytes came out of it.
    throw damage ?? new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${what} is empty: not a capture`);
  }
  return {
    format: reader.format,
    compressed: false,
    bytesRead,
    warnings: reader.warnings,
    drops: reader.drops,
    linkTypes,
    damage,
    sha256: null,
  };
}

/** True when the file starts with the gzip magic (RFC 1952 §2.3.1); false when unreadable. */
export function isGzipFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
