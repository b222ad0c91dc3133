// The one small interface every alert output implements (STYLE.md 11: small required interface,
// degrade instead of crashing). AlertOutputs (outputs.ts) fans each alert out to many sinks.

import type { Alert } from '../alert.ts';

/** What an output did, for `status()` and the operator: counts only, never unbounded lists. */
export interface OutputCounters {
  /** Alerts handed to the transport (written, datagram sent, HTTP 2xx). */
  sent: number;
  /** Alerts given up on: write error, retries exhausted, HTTP 4xx. */
  failed: number;
  /** Alerts never tried: a bounded queue was full, or close() hit its deadline. */
  dropped: number;
  /** Syslog over UDP only: messages cut to the datagram limit (RFC 5426 §3.2). */
  truncated: number;
}

/** Called with a plain reason when an output has trouble (connection refused, HTTP 500...). */
export type ProblemListener = (reason: string) => void;

export interface AlertSink {
  /** Where it goes, for messages: `syslog+udp://127.0.0.1:5514`, `ecs:/var/log/alerts.ndjson`. */
  readonly name: string;
  /**
   * Hands over one alert. Resolves once the alert is accepted: written (JSONL, ECS, UDP) or queued
   * (TCP syslog, webhook; their queues are bounded and overflow is counted). Rejects only when the
   * output is broken for good (its stream errored); transient trouble is counted, not thrown.
   */
  send(alert: Alert): Promise<void>;
  /** Flushes what is queued, waiting at most `deadlineMs`; what is left is counted as dropped. */
  close(deadlineMs?: number): Promise<void>;
  counters(): OutputCounters;
}

export function zeroCounters(): OutputCounters {
  return { sent: 0, failed: 0, dropped: 0, truncated: 0 };
}

/** Default wait for close(): long enough for a healthy output, short enough for a shutdown. */
export const DEFAULT_CLOSE_DEADLINE_MS = 5_000;

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
