// Reads a capture from a file or a stream: recognises pcap, pcapng and gzip by their first bytes,
// streams it in large chunks (memory stays flat whatever the size), and turns damage into a
// report with a byte offset instead of an exception, so everything before the damage is kept.

import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
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
 * Decode a capture file. Throws ZonewardError only for problems found before any packet could be
 * read (missing file, empty file, not a capture, unsupported link type); damage later in the file
 * is returned in `damage` after every earlier packet has been handed to `onFrame`.
 */
export async function readCaptureFile(path: string, onFrame: FrameHandler, options: ReadOptions = {}): Promise<CaptureReadResult> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ZonewardError(ErrorCodes.FILE_NOT_FOUND, `${path} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ZonewardError) throw err;
    throw new ZonewardError(ErrorCodes.FILE_NOT_FOUND, `cannot read ${path}: no such file`, { cause: err });
  }
  if (size === 0) throw new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${path} is empty (0 bytes): not a capture`, { offset: 0 });
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  const got = readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  const compressed = got >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  const hasher = options.hash ? createHash('sha256') : null;
  let fileBytes = 0;
  raw.on('data', (chunk) => {
    fileBytes += chunk.length;
    hasher?.update(chunk as Buffer);
  });
  const input: Readable = compressed ? raw.pipe(createGunzip({ chunkSize: 1024 * 1024 })) : raw;
  if (compressed) raw.on('error', (e) => input.destroy(e));
  const result = await readCaptureStream(input, onFrame, {
    what: path,
    onChunk: () => options.onProgress?.(fileBytes),
  });
  result.compressed = compressed;
  if (hasher !== null) {
    // A damaged file may have stopped early: hash the rest too, so the identity is the whole file's.
    if (result.damage !== null && fileBytes < size) {
      for await (const chunk of createReadStream(path, { start: fileBytes, highWaterMark: READ_CHUNK_BYTES })) {
        hasher.update(chunk as Buffer);
      }
    }
    result.sha256 = hasher.digest('hex');
  }
  return result;
}

/** Decode a capture from any byte stream (a file, a gunzip stream, tcpdump's stdout). */
export async function readCaptureStream(
  input: Readable,
  onFrame: FrameHandler,
  options: { what: string; onChunk?: () => void | Promise<void> },
): Promise<CaptureReadResult> {
  const linkTypes: number[] = [];
  let reader: CaptureReader | null = null;
  let head: Buffer | null = null;
  let bytesRead = 0;
  let damage: ZonewardError | null = null;
  try {
    for await (const c of input) {
      const chunk = c as Buffer;
      bytesRead += chunk.length;
      if (reader === null) {
        head = head === null ? chunk : Buffer.concat([head, chunk]);
        if (head.length < 4) continue;
        reader = makeReader(sniff(head, options.what), onFrame, linkTypes);
        reader.push(head);
        head = null;
      } else {
        reader.push(chunk);
      }
      const wait = options.onChunk?.();
      if (wait !== undefined) await wait;
    }
    if (reader === null) {
      if (head === null) throw new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${options.what} is empty: not a capture`, { offset: 0 });
      sniff(head, options.what);
    }
    reader!.end();
  } catch (err) {
    input.destroy();
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
    } else if (reader === null || err.code === ErrorCodes.CAPTURE_UNSUPPORTED_LINKTYPE || err.code === ErrorCodes.CAPTURE_NOT_A_CAPTURE) {
      throw err;
    } else {
      damage = err;
    }
  }
  if (reader === null) {
    // Only reachable when the gzip stream broke before four bytes came out of it.
    throw damage ?? new ZonewardError(ErrorCodes.CAPTURE_EMPTY, `${options.what} is empty: not a capture`);
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

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
