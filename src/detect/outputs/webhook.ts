// Alerts to a webhook: one HTTP POST per alert, body `alertLine(alert)` (application/json).
// One alert per request keeps retries exact (a 503 repeats one alert, never a batch) and lets the
// receiver treat each request alone; alerts are aggregated upstream, so the rate stays low.
// Requests go one at a time in order. Retries: network errors, timeouts, 5xx and 429, with
// exponential backoff and jitter, honouring Retry-After (RFC 9110 §10.2.3); other 4xx are final.

import http from 'node:http';
import https from 'node:https';
import { type Alert, alertLine } from '../alert.ts';
import { ZONEWARD_VERSION } from './cef.ts';
import {
  type AlertSink,
  DEFAULT_CLOSE_DEADLINE_MS,
  errorText,
  type OutputCounters,
  type ProblemListener,
  sleep,
  zeroCounters,
} from './sink.ts';

/** Tries per alert, the first included. */
export const WEBHOOK_MAX_ATTEMPTS = 5;
/** Backoff before retry n (1-based): min(max, base × 2^(n-1)), then jitter in its upper half. */
export const WEBHOOK_BASE_DELAY_MS = 500;
export const WEBHOOK_MAX_DELAY_MS = 30_000;
/** The longest Retry-After honoured; a receiver asking for more gets a retry after this. */
export const WEBHOOK_MAX_RETRY_AFTER_MS = 60_000;
/** Whole request, connect to response headers. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Alerts waiting to be posted; beyond this new alerts are dropped and counted. */
export const WEBHOOK_QUEUE_LIMIT = 1_000;

export interface WebhookOptions {
  readonly url: string;
  /** Extra request headers (Authorization...). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxRetryAfterMs?: number;
  readonly queueLimit?: number;
  /** [0, 1); Math.random by default. */
  readonly random?: () => number;
  readonly onProblem?: ProblemListener;
}

/** Wait before retry `retry` (1 for the first retry): equal jitter, in [ceiling/2, ceiling]. */
export function backoffDelay(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(retry - 1, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

type Outcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'final'; readonly reason: string };

export class WebhookSink implements AlertSink {
  readonly name: string;
  readonly #url: URL;
  readonly #options: WebhookOptions;
  readonly #agent: http.Agent;
  readonly #queue: string[] = [];
  readonly #counters = zeroCounters();
  readonly #abort = new AbortController();
  #running = false;
  #closing = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: WebhookOptions) {
    this.#url = new URL(options.url);
    if (this.#url.protocol !== 'http:' && this.#url.protocol !== 'https:') {
      throw new Error(`webhook URL must be http or https: ${options.url}`);
    }
    this.#options = options;
    // The name never shows credentials given in the URL.
    this.name = `${this.#url.protocol}//${this.#url.host}${this.#url.pathname}`;
    const Agent = this.#url.protocol === 'https:' ? https.Agent : http.Agent;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  async send(alert: Alert): Promise<void> {
    if (this.#closing || this.#queue.length >= (this.#options.queueLimit ?? WEBHOOK_QUEUE_LIMIT)) {
      this.#counters.dropped++;
      return;
    }
    this.#queue.push(alertLine(alert));
    if (!this.#running) void this.#run();
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0 && !this.#abort.signal.aborted) {
      const body = this.#queue[0];
      await this.#deliver(body);
      // On abort the in-flight alert stays queued and is counted as dropped by close().
      if (!this.#abort.signal.aborted) this.#queue.shift();
    }
    this.#running = false;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #deliver(body: string): Promise<void> {
    const maxAttempts = this.#options.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#post(body);
      if (this.#abort.signal.aborted) return;
      if (outcome.kind === 'ok') {
        this.#counters.sent++;
        return;
      }
      if (outcome.kind === 'final' || attempt >= maxAttempts) {
        this.#counters.failed++;
        const tries = outcome.kind === 'final' ? '' : ` after ${attempt} attempts`;
        this.#options.onProblem?.(`${this.name}: ${outcome.reason}${tries}`);
        return;
      }
      const backoff = backoffDelay(
        attempt,
        this.#options.baseDelayMs ?? WEBHOOK_BASE_DELAY_MS,
        this.#options.maxDelayMs ?? WEBHOOK_MAX_DELAY_MS,
        this.#options.random,
      );
      const wait =
        outcome.retryAfterMs === null
          ? backoff
          : Math.min(outcome.retryAfterMs, this.#options.maxRetryAfterMs ?? WEBHOOK_MAX_RETRY_AFTER_MS);
      await sleep(wait, this.#abort.signal);
    }
  }

  #post(body: string): Promise<Outcome> {
    const client = this.#url.protocol === 'https:' ? https : http;
    const timeoutMs = this.#options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = client.request(this.#url, {
        method: 'POST',
        agent: this.#agent,
        signal: this.#abort.signal,
        headers: {
          ...this.#options.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': `zoneward/${ZONEWARD_VERSION}`,
        },
      });
      const timer = setTimeout(() => {
        finish({ kind: 'retry', reason: `no response within ${timeoutMs} ms`, retryAfterMs: null });
        request.destroy();
      }, timeoutMs);
      request.on('error', (error) => finish({ kind: 'retry', reason: errorText(error), retryAfterMs: null }));
      request.on('response', (response) => {
        response.resume(); // the body is not used; drain it so the socket can be reused
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return finish({ kind: 'ok' });
        const reason = `HTTP ${status}`;
        if (status >= 500 || status === 429) {
          const retryAfter = parseRetryAfter(response.headers['retry-after']);
          return finish({ kind: 'retry', reason, retryAfterMs: retryAfter });
        }
        finish({ kind: 'final', reason });
      });
      request.end(body);
    });
  }

  /** Stops taking alerts, posts what is queued until `deadlineMs`, then drops the rest. */
  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS): Promise<void> {
    this.#closing = true;
    if (this.#running) {
      const stop = new AbortController();
      const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      await Promise.race([idle, sleep(deadlineMs, stop.signal)]);
      stop.abort();
    }
    this.#abort.abort();
    while (this.#running) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#counters.dropped += this.#queue.length;
    this.#queue.length = 0;
    this.#agent.destroy();
  }

  counters(): OutputCounters {
    return { ...this.#counters };
  }
}
