// What a capture reader hands to the pipeline for every record, and what it reports when the
// file itself is damaged. Readers call `FrameHandler` synchronously; `data` is only valid during
// the call (it is a view into the reader's chunk).

/**
 * @param linkType LINKTYPE_* value (https://www.tcpdump.org/linktypes.html)
 * @param ts seconds since the Unix epoch (microsecond precision survives a double)
 * @param data the captured bytes (may be shorter than origLen when the snap length cut it)
 * @param origLen the length of the packet on the wire
 * @param offset byte offset of the record in the (decompressed) capture, for messages
 */
export type FrameHandler = (linkType: number, ts: number, data: Uint8Array, origLen: number, offset: number) => void;

/** Something odd in the file that did not stop decoding (zero-length packet, unknown block...). */
export interface CaptureWarning {
  readonly code: string;
  readonly message: string;
  /** Byte offset of the first occurrence. */
  readonly offset: number;
  count: number;
}

/** Counters the interface or the capture tool itself reported (pcapng ISB, tcpdump's summary). */
export interface InterfaceDrops {
  /** Packets the kernel/interface dropped (isb_ifdrop, or tcpdump's "dropped by kernel"). */
  ifDrop: number | null;
  /** Packets dropped by the OS/capture tool (isb_osdrop). */
  osDrop: number | null;
  /** Packets the interface received (isb_ifrecv). */
  ifRecv: number | null;
}

export interface CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  /** Feed the next chunk of the (decompressed) file. Throws ZonewardError when the file is damaged. */
  push(chunk: Buffer): void;
  /** No more input. Throws ZonewardError(CAPTURE_TRUNCATED) when a record was cut short. */
  end(): void;
  readonly warnings: CaptureWarning[];
  readonly drops: InterfaceDrops;
}

/** Collects warnings by code, keeping the first offset and a count (never unbounded). */
export class WarningLog {
  readonly list: CaptureWarning[] = [];
  private readonly byCode = new Map<string, CaptureWarning>();

  add(code: string, message: string, offset: number): void {
    const seen = this.byCode.get(code);
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    const w: CaptureWarning = { code, message, offset, count: 1 };
    this.byCode.set(code, w);
    this.list.push(w);
  }
}

/**
 * Concatenates a leftover partial record with the next chunk. Copies only when a record spans two
 * chunks, i.e. once per chunk of several megabytes: negligible next to the per-packet work.
 */
export function joinLeftover(leftover: Buffer | null, chunk: Buffer): Buffer {
  if (leftover === null || leftover.length === 0) return chunk;
  return Buffer.concat([leftover, chunk]);
}
