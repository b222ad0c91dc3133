// The shape every dissector has (STYLE.md 2-4): a plain descriptor listed once in registry.ts, a
// probe that never throws and treats ports as hints, and a per-connection session that receives
// reassembled, in-order stream bytes (TCP) or whole datagrams (UDP) and emits events.

/** Direction of a message within a connection: 0 = from the client (originator), 1 = from the server. */
export type Direction = 0 | 1;

/** Field values an event may carry. Dotted names (`modbus.func`) are the public contract. */
export type FieldValue = string | number | boolean | null | readonly number[] | readonly string[];
export type Fields = Record<string, FieldValue>;

/** Result of parsing one message from the front of a buffer (STYLE.md 4). */
export type ParseResult<T> =
  | { readonly kind: 'ok'; readonly consumed: number; readonly message: T }
  | { readonly kind: 'incomplete'; readonly needed: number }
  | { readonly kind: 'violation'; readonly consumed: number; readonly reason: string };

/** What a probe says about the first bytes of a stream: it is ours, it is not, or show me more. */
export type ProbeVerdict = 'yes' | 'no' | 'maybe';

/** What a session may tell the rest of the pipeline. Implemented by the pipeline, not by dissectors. */
export interface SessionContext {
  /** An application message. `fields` uses the protocol's dotted names. */
  message(dir: Direction, ts: number, fields: Fields): void;
  /**
   * A protocol violation: malformed or unexpected bytes. `reason` is a short human sentence;
   * the flow stays pinned to the dissector unless `abandon` is called.
   */
  violation(dir: Direction, ts: number, reason: string, fields?: Fields): void;
  /** Give up on this connection (too many violations): the pipeline stops feeding the session. */
  abandon(reason: string): void;
}

export interface DissectorSession {
  /** In-order bytes of one direction. The chunk is only valid during the call: copy what you keep. */
  data(dir: Direction, ts: number, chunk: Uint8Array): void;
  /** `length` bytes of this direction were never seen (capture loss); resynchronise. */
  gap(dir: Direction, ts: number, length: number): void;
  /** The connection ended (FIN/RST, idle eviction, or end of capture). */
  end(ts: number): void;
}

export interface DissectorDescriptor {
  /** Lower-case protocol name; also the prefix of its dotted fields (`modbus`). */
  readonly name: string;
  readonly transport: 'tcp' | 'udp';
  /** Well-known server ports. A hint for probing order, never a verdict (STYLE.md 3). */
  readonly ports: readonly number[];
  /** Look at the first bytes a direction sent. Must not throw, whatever the bytes. */
  probe(dir: Direction, data: Uint8Array): ProbeVerdict;
  createSession(ctx: SessionContext): DissectorSession;
}
