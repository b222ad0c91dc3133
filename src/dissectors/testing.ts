// Test helpers shared by the dissector folders: a SessionContext and a LinkContext that record what
// a dissector reports, and a feeder that replays transmissions in chunks of any size (STYLE.md 8).

import type { Direction, DissectorDescriptor, Fields, LinkContext, SessionContext } from './types.ts';

export interface RecordedEvent {
  readonly kind: 'message' | 'violation';
  readonly dir: Direction;
  readonly ts: number;
  readonly fields: Fields;
  /** Violations only. */
  readonly reason?: string;
}

/** Records everything a session reports; fields are cloned so later mutation would show. */
export class RecordingContext implements SessionContext {
  readonly events: RecordedEvent[] = [];
  readonly abandoned: string[] = [];
  ignoredRest = false;

  message(dir: Direction, ts: number, fields: Fields): void {
    this.events.push({ kind: 'message', dir, ts, fields: structuredClone(fields) });
  }

  violation(dir: Direction, ts: number, reason: string, fields?: Fields): void {
    this.events.push({ kind: 'violation', dir, ts, reason, fields: structuredClone(fields ?? {}) });
  }

  abandon(reason: string): void {
    this.abandoned.push(reason);
  }

  ignoreRest(): void {
    this.ignoredRest = true;
  }

  messages(): Fields[] {
    return this.events.filter((e) => e.kind === 'message').map((e) => e.fields);
  }

  violations(): RecordedEvent[] {
    return this.events.filter((e) => e.kind === 'violation');
  }
}

/** Records what a link-layer dissector reports for the frames it is given. */
export class RecordingLinkContext implements LinkContext {
  readonly messages: Fields[] = [];
  readonly violations: { reason: string; fields: Fields }[] = [];

  message(fields: Fields): void {
    this.messages.push(structuredClone(fields));
  }

  violation(reason: string, fields?: Fields): void {
    this.violations.push({ reason, fields: structuredClone(fields ?? {}) });
  }
}

export type Transmission = readonly [dir: Direction, ts: number, bytes: Uint8Array];

/**
 * Feeds transmissions to a new session of `d`, each cut into chunks of `chunk` bytes (whole when
 * omitted; ignored for UDP, where a datagram is never split), copying every chunk as the pipeline's
 * buffers would not survive the call.
 */
export function replay(d: DissectorDescriptor, transmissions: readonly Transmission[], chunk?: number) {
  const ctx = new RecordingContext();
  const session = d.createSession(ctx);
  for (const [dir, ts, bytes] of transmissions) {
    const step = d.transport === 'udp' || chunk === undefined ? bytes.length || 1 : chunk;
    for (let i = 0; i < bytes.length; i += step) session.data(dir, ts, bytes.slice(i, i + step));
  }
  session.end(transmissions.at(-1)?.[1] ?? 0);
  return ctx;
}

/**
 * A valid exchange for the shared conformance suite (registry.test.ts): each protocol folder's
 * testing.ts exports `CONFORMANCE_SAMPLES: readonly ConformanceSample[]`. For a link-layer
 * dissector each transmission is one frame's payload after the ethertype (dir 0).
 */
export interface ConformanceSample {
  /** The descriptor it is for, by name (`dnp3`)... */
  readonly dissector: string;
  /** ...and transport, when the protocol has one descriptor per transport (default: any). */
  readonly transport?: 'tcp' | 'udp' | 'link';
  /** What it is, e.g. `READ class 0 and its response`. */
  readonly name: string;
  readonly transmissions: readonly Transmission[];
}
