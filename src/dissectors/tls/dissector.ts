// The TLS dissector (STYLE.md 2-4): a probe on the first record (a handshake record of TLS 1.0-1.3
// framing whose first message is a ClientHello, or a ServerHello from the server side), and a
// session that reads the record layer (RFC 8446 §5.1, RFC 5246 §6.2), reassembles handshake
// messages across records and chunks (up to MAX_HANDSHAKE_MESSAGE), reports one event per
// plaintext handshake message, ChangeCipherSpec and alert, and stops (ignoreRest) as soon as
// nothing readable can follow: after a TLS 1.3 ServerHello (the rest of the handshake is
// encrypted, RFC 8446 §2), after ServerHelloDone in TLS <= 1.2 unless the server asked for a client
// certificate, at any ChangeCipherSpec, at the first application data record, and after a fatal
// alert. Record bodies that are not handshake messages are skipped without being buffered.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  Fields,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import { alertFields, changeCipherSpecFields, handshakeFields } from './parser.ts';
import {
  ALERT_LEVELS,
  ContentType,
  HandshakeType,
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_HANDSHAKE_MESSAGE,
  MAX_RECORD_LENGTH,
  RESYNC_REPORT_BYTES,
  TLS_PORTS,
} from './spec.ts';

/** RFC 8446 §5.1: content type, legacy version, length. */
export const RECORD_HEADER_LENGTH = 5;
/** RFC 8446 §4: handshake type and 24-bit length. */
export const HANDSHAKE_HEADER_LENGTH = 4;
/** The smallest hello body: version, random, empty session id, then a ServerHello's suite and compression (RFC 8446 §4.1.3). */
const MIN_HELLO_LENGTH = 2 + 32 + 1 + 3;
/** The handshake buffer's first size; it grows to the message being reassembled, up to the limit. */
const INITIAL_HANDSHAKE_BUFFER = 4096;

export const tlsDissector: DissectorDescriptor = {
  name: 'tls',
  transport: 'tcp',
  ports: [...TLS_PORTS],
  funcFields: ['tls.handshake', 'tls.record'],
  operationField: 'tls.operation',
  errorField: 'tls.alert',
  coverage: {
    protocol: 'TLS',
    decoded: [
      'ClientHello: highest version offered, SNI, ALPN, cipher suite count',
      'ServerHello and HelloRetryRequest: version (supported_versions), cipher suite, ALPN',
      'Certificate (TLS <= 1.2): first certificate subject, issuer, validity, serial, self-signed',
      'plaintext alerts (level, description), ChangeCipherSpec',
    ],
    recognised: [
      'ServerKeyExchange, CertificateRequest, ServerHelloDone, ClientKeyExchange, CertificateVerify (type only)',
      'application data and heartbeat records (skipped; the session stops at the first application data)',
    ],
    notHandled: [
      'anything encrypted: TLS 1.3 certificates, encrypted alerts, application data',
      'SSLv2-compatible ClientHello',
      'DTLS',
    ],
  },
  probe: probeTls,
  createSession: (ctx) => new TlsSession(ctx),
};

/** A record header a TLS peer could send: a known content type, version 3.0-3.4, a length within the limit. */
function plausibleRecordHeader(b: Uint8Array, p: number): boolean {
  const type = b[p];
  const length = (b[p + 3] << 8) | b[p + 4];
  return (
    type >= ContentType.CHANGE_CIPHER_SPEC &&
    type <= ContentType.HEARTBEAT &&
    b[p + 1] === 3 &&
    b[p + 2] <= 4 &&
    length <= MAX_RECORD_LENGTH
  );
}

/**
 * Yes when the bytes start a handshake record (type 22, version 3.0-3.4) whose first message is a
 * ClientHello (client side) or ServerHello (server side) of a plausible length, with a hello
 * version 3.x; maybe while fewer bytes than that are there and they agree so far.
 */
export function probeTls(dir: Direction, data: Uint8Array): ProbeVerdict {
  const n = data.length;
  if (n < 1) return 'maybe';
  if (data[0] !== ContentType.HANDSHAKE) return 'no';
  if (n < 2) return 'maybe';
  if (data[1] !== 3) return 'no';
  if (n < 3) return 'maybe';
  if (data[2] > 4) return 'no';
  if (n < 5) return 'maybe';
  const recordLength = (data[3] << 8) | data[4];
  if (recordLength < HANDSHAKE_HEADER_LENGTH || recordLength > MAX_RECORD_LENGTH) return 'no';
  if (n < 6) return 'maybe';
  if (data[5] !== (dir === 0 ? HandshakeType.CLIENT_HELLO : HandshakeType.SERVER_HELLO)) return 'no';
  if (n < 9) return 'maybe';
  const helloLength = (data[6] << 16) | (data[7] << 8) | data[8];
  if (helloLength < MIN_HELLO_LENGTH || helloLength > MAX_HANDSHAKE_MESSAGE) return 'no';
  if (n < 11) return 'maybe';
  return data[9] === 3 && data[10] <= 4 ? 'yes' : 'no';
}

/** Record-layer state of one direction. */
class RecordReader {
  readonly header = new Uint8Array(RECORD_HEADER_LENGTH);
  headerLength = 0;
  /** Content type and bytes left of the record being read; `inRecord` false between records. */
  inRecord = false;
  type = 0;
  remaining = 0;
  recordLength = 0;
  /** The handshake message being reassembled (header included), and bytes of an oversized one to skip. */
  hs: Uint8Array | null = null;
  hsLength = 0;
  hsSkip = 0;
  readonly alert = new Uint8Array(2);
  alertLength = 0;
  resyncing = false;
  skipped = 0;

  resetHandshake(): void {
    this.hsLength = 0;
    this.hsSkip = 0;
  }
}

export class TlsSession implements DissectorSession {
  private readonly readers: readonly [RecordReader, RecordReader] = [new RecordReader(), new RecordReader()];
  /** A ServerHello (not a HelloRetryRequest) was seen: the version is settled. */
  private serverHelloSeen = false;
  /** The client offered TLS 1.3, so its ChangeCipherSpec may be the compatibility one (RFC 8446 §D.4). */
  private clientOffered13 = false;
  private certificateRequested = false;
  /** Per direction: a ChangeCipherSpec was sent, its handshake records are encrypted from here on. */
  private readonly encrypted: [boolean, boolean] = [false, false];
  private violationRun = 0;
  private stopped = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    const st = this.readers[dir];
    const n = chunk.length;
    let off = 0;
    while (off < n && !this.stopped) {
      if (!st.inRecord) {
        off = this.readHeader(st, dir, ts, chunk, off);
        continue;
      }
      const take = Math.min(st.remaining, n - off);
      if (st.type === ContentType.HANDSHAKE) {
        if (!this.encrypted[dir]) this.handshakeBytes(st, dir, ts, chunk, off, off + take);
      } else if (st.type === ContentType.ALERT) {
        const room = Math.min(2 - st.alertLength, take);
        if (room > 0) st.alert.set(chunk.subarray(off, off + room), st.alertLength);
        st.alertLength += room;
      }
      off += take;
      st.remaining -= take;
      if (st.remaining === 0 && !this.stopped) this.recordEnd(st, dir, ts);
    }
  }

  gap(dir: Direction, _ts: number, length: number): void {
    const st = this.readers[dir];
    if (st.inRecord && st.type === ContentType.APPLICATION_DATA && length < st.remaining) {
      // Inside a record skipped anyway: the framing survives.
      st.remaining -= length;
      return;
    }
    st.inRecord = false;
    st.headerLength = 0;
    st.resetHandshake();
    st.resyncing = true;
    st.skipped = 0;
  }

  end(): void {
    for (const st of this.readers) st.hs = null;
  }

  private readHeader(st: RecordReader, dir: Direction, ts: number, chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    if (st.resyncing) {
      while (n - off >= RECORD_HEADER_LENGTH && !plausibleRecordHeader(chunk, off)) {
        off++;
        if (++st.skipped >= RESYNC_REPORT_BYTES) {
          st.skipped = 0;
          this.report(dir, ts, `no TLS record header in ${RESYNC_REPORT_BYTES} bytes`);
          if (this.stopped) return n;
        }
      }
      // A header cut by the chunk's end is not judged: the next chunk is scanned afresh.
      if (n - off < RECORD_HEADER_LENGTH) return n;
      st.resyncing = false;
    }
    const take = Math.min(RECORD_HEADER_LENGTH - st.headerLength, n - off);
    st.header.set(chunk.subarray(off, off + take), st.headerLength);
    st.headerLength += take;
    off += take;
    if (st.headerLength < RECORD_HEADER_LENGTH) return off;
    st.headerLength = 0;
    const h = st.header;
    const length = (h[3] << 8) | h[4];
    if (!plausibleRecordHeader(h, 0)) {
      st.resyncing = true;
      st.skipped = 0;
      st.resetHandshake();
      this.report(
        dir,
        ts,
        length > MAX_RECORD_LENGTH && h[1] === 3
          ? `record of ${length} bytes exceeds the ${MAX_RECORD_LENGTH}-byte maximum (RFC 5246 §6.2.3)`
          : `not a TLS record header (type ${h[0]}, version ${h[1]}.${h[2]})`,
      );
      return off;
    }
    st.type = h[0];
    if (st.type === ContentType.APPLICATION_DATA && (dir === 1 || this.serverHelloSeen)) {
      // Encrypted traffic from here on (early data before the ServerHello excepted): stop.
      this.stop();
      return n;
    }
    st.inRecord = true;
    st.remaining = length;
    st.recordLength = length;
    st.alertLength = 0;
    if (length === 0) this.recordEnd(st, dir, ts);
    return off;
  }

  private recordEnd(st: RecordReader, dir: Direction, ts: number): void {
    st.inRecord = false;
    if (st.type === ContentType.CHANGE_CIPHER_SPEC) {
      this.deliver(dir, ts, changeCipherSpecFields());
      // What this side sends next is encrypted (RFC 5246 §7.1): once the ServerHello settled the
      // version, nothing readable can follow. Before it, a TLS 1.3 client's CCS is the
      // compatibility one (RFC 8446 §D.4), sent before early data or a second ClientHello, which is
      // plaintext; any other CCS before the ServerHello (a capture that missed the server's side)
      // makes this direction's handshake records unreadable.
      if (this.serverHelloSeen) this.stop();
      else if (!(dir === 0 && this.clientOffered13)) this.encrypted[dir] = true;
    } else if (st.type === ContentType.ALERT && st.recordLength === 2) {
      // A plaintext alert is exactly two bytes; a longer one is encrypted.
      this.deliver(dir, ts, alertFields(st.alert[0], st.alert[1]));
      if (st.alert[0] === ALERT_LEVELS.FATAL) this.stop();
    }
  }

  /** Appends handshake record bytes b[s, e), delivering every message they complete. */
  private handshakeBytes(
    st: RecordReader,
    dir: Direction,
    ts: number,
    b: Uint8Array,
    s: number,
    e: number,
  ): void {
    while (s < e && !this.stopped) {
      if (st.hsSkip > 0) {
        const k = Math.min(st.hsSkip, e - s);
        st.hsSkip -= k;
        s += k;
        continue;
      }
      let need = HANDSHAKE_HEADER_LENGTH;
      if (st.hsLength >= HANDSHAKE_HEADER_LENGTH) {
        const hs = st.hs!;
        const length = (hs[1] << 16) | (hs[2] << 8) | hs[3];
        if (length > MAX_HANDSHAKE_MESSAGE) {
          // Too large to reassemble: report it and skip its body as it streams past.
          st.hsSkip = length;
          st.hsLength = 0;
          this.report(
            dir,
            ts,
            `handshake message of ${length} bytes exceeds the ${MAX_HANDSHAKE_MESSAGE}-byte limit`,
          );
          continue;
        }
        need = HANDSHAKE_HEADER_LENGTH + length;
      }
      if (st.hs === null || st.hs.length < need) {
        const grown = new Uint8Array(
          Math.max(
            need,
            Math.min(2 * (st.hs?.length ?? 0), HANDSHAKE_HEADER_LENGTH + MAX_HANDSHAKE_MESSAGE),
            INITIAL_HANDSHAKE_BUFFER,
          ),
        );
        if (st.hs !== null) grown.set(st.hs.subarray(0, st.hsLength));
        st.hs = grown;
      }
      const take = Math.min(need - st.hsLength, e - s);
      st.hs.set(b.subarray(s, s + take), st.hsLength);
      st.hsLength += take;
      s += take;
      if (st.hsLength >= HANDSHAKE_HEADER_LENGTH) {
        const hs = st.hs;
        // Complete once the body is in; a zero-length body (ServerHelloDone) completes with the header.
        if (st.hsLength === HANDSHAKE_HEADER_LENGTH + ((hs[1] << 16) | (hs[2] << 8) | hs[3])) {
          st.hsLength = 0;
          this.onHandshake(dir, ts, hs[0], hs, HANDSHAKE_HEADER_LENGTH, need);
        }
      }
    }
  }

  private onHandshake(dir: Direction, ts: number, type: number, b: Uint8Array, s: number, e: number): void {
    const fields = handshakeFields(type, b, s, e);
    if (typeof fields === 'string') {
      this.report(dir, ts, fields);
      return;
    }
    this.deliver(dir, ts, fields);
    switch (type) {
      case HandshakeType.CLIENT_HELLO:
        if (fields['tls.version'] === 'TLSv13') this.clientOffered13 = true;
        break;
      case HandshakeType.SERVER_HELLO:
        // A HelloRetryRequest asks for a second ClientHello, which is still readable.
        if (fields['tls.handshake'] !== 'SERVER_HELLO') break;
        this.serverHelloSeen = true;
        // TLS 1.3: everything after the ServerHello is encrypted (RFC 8446 §2).
        if (fields['tls.version'] === 'TLSv13') this.stop();
        break;
      case HandshakeType.CERTIFICATE_REQUEST:
        this.certificateRequested = true;
        break;
      case HandshakeType.SERVER_HELLO_DONE:
        // The client's flight is its key exchange and encrypted Finished, unless it must send a
        // certificate first (RFC 5246 §7.4.6): keep reading only then.
        if (!this.certificateRequested) this.stop();
        break;
    }
  }

  private deliver(dir: Direction, ts: number, fields: Fields): void {
    this.violationRun = 0;
    this.ctx.message(dir, ts, fields);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ctx.ignoreRest();
  }

  private report(dir: Direction, ts: number, reason: string): void {
    this.ctx.violation(dir, ts, reason);
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS && !this.stopped) {
      this.stopped = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} TLS violations in a row`);
    }
  }
}
