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
  /**
   * Nothing more of interest will come (TLS after the handshake, SSH after the banners): the
   * pipeline stops feeding the session, and the connection stays counted under this app.
   */
  ignoreRest(): void;
}

export interface DissectorSession {
  /** In-order bytes of one direction. The chunk is only valid during the call: copy what you keep. */
  data(dir: Direction, ts: number, chunk: Uint8Array): void;
  /** `length` bytes of this direction were never seen (capture loss); resynchronise. */
  gap(dir: Direction, ts: number, length: number): void;
  /** The connection ended (FIN/RST, idle eviction, or end of capture). */
  end(ts: number): void;
}

/**
 * What a dissector decodes, published in docs/protocols.md (a test renders the table from these
 * and compares). Short phrases naming messages or features, e.g. `ReadProperty / WriteProperty`.
 */
export interface Coverage {
  /** Display name, e.g. `DNP3`, `EtherNet/IP + CIP`. */
  readonly protocol: string;
  /** Decoded in full: every field of these messages becomes an event field. */
  readonly decoded: readonly string[];
  /** Recognised: the message is identified and classified, its body not (fully) decoded. */
  readonly recognised: readonly string[];
  /** Not yet handled: honest gaps. */
  readonly notHandled: readonly string[];
}

/**
 * Which fields of a message event say what it does (DESIGN.md "Names"). The communication map,
 * detections, policy and the gateway read messages of every protocol through these.
 */
export interface MessageVocabulary {
  /**
   * Fields naming the message's function or service in upper snake case, most specific first:
   * the first that is a non-empty string wins (`['cip.service', 'enip.command']`).
   */
  readonly funcFields: readonly string[];
  /** Field with the operation class from OPERATIONS (operations.ts); requests carry it. */
  readonly operationField: string;
  /** Field with the unit / station / device address a request addresses, when the protocol has one. */
  readonly unitField?: string;
  /** Field that is present and not null/false when a response reports an error (exception, NAK). */
  readonly errorField?: string;
  /**
   * The function values (of funcFields) of the only messages that may carry `<app>.device.*`
   * identity. Optional: without it every message is searched for identity fields. Dissectors of
   * high-rate traffic declare it (PROFINET's cyclic frames come by the thousand per second and
   * never name anybody), so the inventory skips them with one set lookup.
   */
  readonly identityFuncs?: readonly string[];
}

export interface DissectorDescriptor extends MessageVocabulary {
  /**
   * Lower-case protocol name; also the prefix of its dotted fields (`modbus`). It lives in the
   * folder of the same name, or of the part before the first underscore (`s7comm_plus` in s7comm/).
   */
  readonly name: string;
  readonly transport: 'tcp' | 'udp';
  readonly coverage: Coverage;
  /** Well-known server ports. A hint for probing order, never a verdict (STYLE.md 3). */
  readonly ports: readonly number[];
  /** Look at the first bytes a direction sent. Must not throw, whatever the bytes. */
  probe(dir: Direction, data: Uint8Array): ProbeVerdict;
  createSession(ctx: SessionContext): DissectorSession;
}

/** What a link-layer dissector may tell the pipeline about one frame. */
export interface LinkContext {
  message(fields: Fields): void;
  violation(reason: string, fields?: Fields): void;
}

/**
 * A dissector of Ethernet frames that carry no IP (LLDP, CDP, PROFINET DCP and RT). Each frame is
 * decoded on its own: there is no connection and no session.
 */
export interface LinkDissectorDescriptor extends MessageVocabulary {
  readonly name: string;
  readonly transport: 'link';
  readonly coverage: Coverage;
  /** Ethernet II types it decodes (after any 802.1Q tags), e.g. 0x88cc for LLDP. */
  readonly ethertypes: readonly number[];
  /**
   * IEEE 802.3 frames with an 802.2 LLC/SNAP header it decodes, as `OUI * 0x10000 + protocol id`
   * (CDP: 0x00000c * 0x10000 + 0x2000).
   */
  readonly snap: readonly number[];
  /** Decodes the payload after the ethertype (or after the SNAP header). Must not throw. */
  decode(ts: number, payload: Uint8Array, ctx: LinkContext): void;
}

export type AnyDissector = DissectorDescriptor | LinkDissectorDescriptor;
