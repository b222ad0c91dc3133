// What a capture reader hands to the pipeline for every record, and what it reports when the
// file itself is damaged. Readers call `FrameHandler` synchronously with the frame's position in
// the reader's current chunk rather than a view of it: no object per packet. The bytes are only
// valid during the call (the chunk buffer is reused).

/**
 * @param linkType LINKTYPE_* value (https://www.tcpdump.org/linktypes.html)
 * @param ts seconds since the Unix epoch (microsecond precision survives a double)
 * @param buf the chunk holding the frame; the captured bytes are buf[start, end) (may be shorter
 *   than origLen when the snap length cut them)
 * @param origLen the length of the packet on the wire
 * @param offset byte offset of the record in the (decompressed) capture, for messages
 */
export type FrameHandler = (
  linkType: number,
  ts: number,
  buf: Uint8Array,
  start: number,
  end: number,
  origLen: number,
  offset: number,
) => void;

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
  /**
   * Decode every whole record at the front of `chunk` and return how many bytes that took. The
   * caller presents the rest again at the start of the next chunk (the incomplete(consumed)
   * contract of Suricata's parsers), so readers keep no copies. Throws ZonewardError when the
   * file is damaged.
   */
  push(chunk: Buffer): number;
  /** No more input; `rest` is what push() left unconsumed. Throws ZonewardError when it is not empty. */
  end(rest: Buffer): void;
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
