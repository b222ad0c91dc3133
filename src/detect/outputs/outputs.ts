// Fan-out of alerts to every configured output (issue 4: "alerts also go to ... syslog (RFC 5424
// with CEF), Elastic Common Schema JSON, and a webhook with retries"). Each output gets its own
// bounded queue and its own pump, so a slow or broken output never holds back or crashes another
// (STYLE.md 11: degrade, report the reason once, keep the rest running).

import { ErrorCodes, ZonewardError } from '../../errors.ts';
import type { Alert } from '../alert.ts';
import { ecsFileSink } from './ecs.ts';
import { jsonlFileSink, jsonlSink } from './jsonl.ts';
import { FACILITIES, type FacilityName } from './rfc5424.ts';
import {
  type AlertSink,
  DEFAULT_CLOSE_DEADLINE_MS,
  errorText,
  type OutputCounters,
  type ProblemListener,
  sleep,
} from './sink.ts';
import { syslogSink } from './syslog.ts';
import { WebhookSink } from './webhook.ts';

/** Alerts waiting for one output's send(); beyond this they are dropped for that output and counted. */
export const OUTPUT_QUEUE_LIMIT = 1_000;

export type OutputSpec =
  | {
      readonly kind: 'syslog';
      readonly transport: 'udp' | 'tcp';
      readonly host: string;
      readonly port: number;
      readonly facility?: FacilityName;
    }
  | { readonly kind: 'ecs'; readonly path: string }
  | { readonly kind: 'jsonl'; readonly path: string }
  | { readonly kind: 'webhook'; readonly url: string };

export const OUTPUT_FORMS = [
  'syslog+udp://HOST:PORT[?facility=local4]',
  'syslog+tcp://HOST:PORT[?facility=local4]',
  'ecs:FILE',
  'jsonl:FILE (jsonl:- for stdout)',
  'https://HOST/PATH (webhook; http:// too)',
] as const;

function usage(text: string, why: string): ZonewardError {
  return new ZonewardError(
    ErrorCodes.USAGE,
    `alert output "${text}": ${why}; expected one of: ${OUTPUT_FORMS.join(', ')}`,
  );
}

/** Reads one `--output` value. Throws ZonewardError(ZW_USAGE) naming the accepted forms. */
export function parseOutputSpec(text: string): OutputSpec {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'ecs' || scheme === 'jsonl') {
    const path = text.slice(scheme.length + 1);
    if (path === '' || (scheme === 'ecs' && path === '-')) throw usage(text, 'a file name is needed');
    return { kind: scheme, path };
  }
  if (scheme === 'http' || scheme === 'https') {
    try {
      new URL(text);
    } catch {
      throw usage(text, 'not a valid URL');
    }
    return { kind: 'webhook', url: text };
  }
  if (scheme === 'syslog+udp' || scheme === 'syslog+tcp') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw usage(text, 'not a valid URL');
    }
    const port = Number(url.port);
    if (url.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw usage(text, 'a host and a port (1-65535) are needed');
    }
    const facility = url.searchParams.get('facility');
    if (facility !== null && !(facility in FACILITIES)) {
      throw usage(text, `unknown facility "${facility}" (${Object.keys(FACILITIES).join(', ')})`);
    }
    return {
      kind: 'syslog',
      transport: scheme === 'syslog+udp' ? 'udp' : 'tcp',
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      ...(facility !== null ? { facility: facility as FacilityName } : {}),
    };
  }
  throw usage(text, 'unknown kind');
}

/** Builds a sink from its spec; `onProblem` hears transport trouble. */
export function createOutput(spec: OutputSpec, onProblem: ProblemListener): AlertSink {
  switch (spec.kind) {
    case 'syslog':
      return syslogSink({ ...spec, onProblem });
    case 'ecs':
      return ecsFileSink(spec.path);
    case 'jsonl':
      return spec.path === '-' ? jsonlSink(process.stdout, 'jsonl:-') : jsonlFileSink(spec.path);
    case 'webhook':
      return new WebhookSink({ url: spec.url, onProblem });
  }
}

/** Makes a sink, given the listener the fan-out wants its problems reported to. */
export type OutputMaker = (onProblem: ProblemListener) => AlertSink;

export interface OutputStatus {
  readonly name: string;
  /** `failed`: the output broke for good (its stream errored) and gets no more alerts. */
  readonly state: 'ok' | 'degraded' | 'failed';
  /** The latest problem, when there was one. */
  readonly reason: string | null;
  /** The sink's own counters; `dropped` includes alerts the fan-out queue dropped. */
  readonly counters: OutputCounters;
}

export interface AlertOutputsOptions {
  /** Hears each output's first problem once: `(name, reason)`. */
  readonly onProblem?: (output: string, reason: string) => void;
  readonly queueLimit?: number;
}

class OutputLane {
  readonly sink: AlertSink;
  readonly queue: Alert[] = [];
  state: OutputStatus['state'] = 'ok';
  reason: string | null = null;
  reported = false;
  dropped = 0;
  running = false;
  idleWaiters: Array<() => void> = [];

  constructor(make: OutputMaker, report: (lane: OutputLane, reason: string) => void) {
    this.sink = make((reason) => report(this, reason));
  }
}

export class AlertOutputs {
  readonly #lanes: OutputLane[] = [];
  readonly #options: AlertOutputsOptions;

  constructor(makers: readonly OutputMaker[], options: AlertOutputsOptions = {}) {
    this.#options = options;
    for (const make of makers)
      this.#lanes.push(new OutputLane(make, (lane, reason) => this.#problem(lane, reason, 'degraded')));
  }

  /** Parses every spec first (all errors or none), then opens the outputs. */
  static open(specs: readonly string[], options: AlertOutputsOptions = {}): AlertOutputs {
    const parsed = specs.map(parseOutputSpec);
    return new AlertOutputs(
      parsed.map((spec) => (onProblem: ProblemListener) => createOutput(spec, onProblem)),
      options,
    );
  }

  #problem(lane: OutputLane, reason: string, state: 'degraded' | 'failed'): void {
    lane.reason = reason;
    if (lane.state !== 'failed') lane.state = state;
    if (lane.reported) return;
    lane.reported = true;
    this.#options.onProblem?.(lane.sink.name, reason);
  }

  /** Queues the alert for every output and returns at once; never throws. */
  send(alert: Alert): void {
    const limit = this.#options.queueLimit ?? OUTPUT_QUEUE_LIMIT;
    for (const lane of this.#lanes) {
      if (lane.state === 'failed' || lane.queue.length >= limit) {
        lane.dropped++;
        continue;
      }
      lane.queue.push(alert);
      if (!lane.running) void this.#pump(lane);
    }
  }

  async #pump(lane: OutputLane): Promise<void> {
    lane.running = true;
    while (lane.queue.length > 0 && lane.state !== 'failed') {
      const alert = lane.queue.shift()!;
      try {
        await lane.sink.send(alert);
      } catch (error) {
        this.#problem(lane, errorText(error), 'failed');
      }
    }
    lane.dropped += lane.queue.length;
    if (lane.state === 'failed') lane.queue.length = 0;
    lane.running = false;
    for (const wake of lane.idleWaiters.splice(0)) wake();
  }

  status(): OutputStatus[] {
    return this.#lanes.map((lane) => {
      const counters = lane.sink.counters();
      return {
        name: lane.sink.name,
        state: lane.state,
        reason: lane.reason,
        counters: { ...counters, dropped: counters.dropped + lane.dropped },
      };
    });
  }

  /** Flushes every output in parallel within one deadline; one output's trouble does not stop the others. */
  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS): Promise<void> {
    const started = Date.now();
    await Promise.all(
      this.#lanes.map(async (lane) => {
        if (lane.running) {
          const stop = new AbortController();
          await Promise.race([
            new Promise<void>((r) => lane.idleWaiters.push(r)),
            sleep(deadlineMs, stop.signal),
          ]);
          stop.abort();
        }
        lane.dropped += lane.queue.length;
        lane.queue.length = 0;
        const left = Math.max(0, deadlineMs - (Date.now() - started));
        try {
          await lane.sink.close(left);
        } catch (error) {
          this.#problem(lane, errorText(error), 'failed');
        }
      }),
    );
  }
}
