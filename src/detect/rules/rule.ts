// The shape of a detection rule: a small object that looks at the events it cares about and raises
// findings. Rules keep their own bounded state; the detector owns aggregation and notification.

import type { Operation } from '../../dissectors/operations.ts';
import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
} from '../../pipeline/events.ts';
import type { Raise } from '../finding.ts';
import type { AppVocabulary } from '../vocabulary.ts';

/**
 * One message as the rules see it. The detector reuses a single instance (no allocation per
 * event): a rule must not keep it.
 */
export interface MessageView {
  e: AppEvent;
  v: AppVocabulary;
  op: Operation | null;
  func: string | null;
  /** The sender's and the receiver's IP. */
  src: string;
  dst: string;
  /** Sent by the client (dir 0). Requests carry the operation that matters. */
  isRequest: boolean;
}

export interface Rule {
  readonly name: string;
  message?(m: MessageView, raise: Raise): void;
  violation?(e: AppEvent, raise: Raise): void;
  link?(e: LinkEvent, raise: Raise): void;
  arp?(e: ArpEvent, raise: Raise): void;
  connection?(c: ConnectionSummary, raise: Raise): void;
  /** A connection's first packet, as it happens (pipeline/events.ts connectionStart). */
  connectionStart?(conn: ConnectionInfo, ts: number, raise: Raise): void;
  /** Capture time advanced (called at most every SILENCE_CHECK_INTERVAL_S). */
  tick?(now: number, raise: Raise): void;
}
