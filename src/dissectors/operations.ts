// Zoneward's shared operation vocabulary (issue 3): what a message does to the device, whatever the
// protocol. Every dissector classifies each message into one of these; detections, policy and the
// gateway reason in these words, never in per-protocol function codes.

export const OPERATIONS = [
  /** Reads process data or configuration without changing it. */
  'read',
  /** Changes process data (registers, points, tags, properties). */
  'write',
  /** Changes the logic: program download/upload, block create/delete, copy RAM to ROM. */
  'program',
  /** Changes the device's state: start, stop, restart, mode change, select/operate of a control. */
  'control',
  /** Diagnostics, counters, event logs, echo, time synchronisation. */
  'diagnostic',
  /** Who-is-there: identify, list identity, Who-Is/I-Am, DCP identify, SZL identity reads. */
  'discovery',
  /** File transfer and file management. */
  'file',
  /** Passwords, sessions, security channels, reservations. */
  'auth',
  /** Everything else, including unknown functions. */
  'other',
] as const;
export type Operation = (typeof OPERATIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(OPERATIONS);

export function isOperation(value: unknown): value is Operation {
  return typeof value === 'string' && KNOWN.has(value);
}
