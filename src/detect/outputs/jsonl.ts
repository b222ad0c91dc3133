// Alerts as JSON lines (issue 4: "prints alerts as JSON lines"): `alertLine(alert)` and a newline
// per alert, to stdout or a file, honouring the stream's backpressure.

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { type Alert, alertLine } from '../alert.ts';
import {
  type AlertSink,
  DEFAULT_CLOSE_DEADLINE_MS,
  errorText,
  type OutputCounters,
  zeroCounters,
} from './sink.ts';

/**
 * Writes one line per alert to a Writable. When write() reports a full buffer, send() resolves only
 * after 'drain', so a slow disk or a closed pipe holds the caller back instead of growing memory.
 * A stream error is kept: later sends reject with it (the fan-out then marks this output failed).
 */
export class LineSink implements AlertSink {
  readonly name: string;
  readonly #out: Writable;
  readonly #format: (alert: Alert) => string;
  readonly #ownsStream: boolean;
  readonly #counters = zeroCounters();
  #error: Error | null = null;

  constructor(
    name: string,
    out: Writable,
    format: (alert: Alert) => string,
    options: { ownsStream?: boolean } = {},
  ) {
    this.name = name;
    this.#out = out;
    this.#format = format;
    this.#ownsStream = options.ownsStream ?? false;
    // Without a listener an 'error' event would crash the process.
    out.on('error', (error) => {
      this.#error ??= error;
    });
  }

  async send(alert: Alert): Promise<void> {
    if (this.#error || this.#out.destroyed || this.#out.writableEnded) {
      this.#counters.failed++;
      throw new Error(`${this.name}: ${this.#error ? errorText(this.#error) : 'stream closed'}`);
    }
    const line = `${this.#format(alert)}\n`;
    await new Promise<void>((resolve, reject) => {
      const fits = this.#out.write(line, (error) => {
        if (error) {
          this.#counters.failed++;
          this.#error ??= error;
          reject(new Error(`${this.name}: ${errorText(error)}`));
        } else {
          this.#counters.sent++;
          if (fits) resolve();
        }
      });
      if (!fits) {
        const onDrain = () => {
          this.#out.off('close', onDrain);
          resolve();
        };
        this.#out.once('drain', onDrain);
        this.#out.once('close', onDrain);
      }
    });
  }

  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS): Promise<void> {
    if (!this.#ownsStream || this.#out.writableEnded) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#out.destroy();
        resolve();
      }, deadlineMs);
      this.#out.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  counters(): OutputCounters {
    return { ...this.#counters };
  }
}

/** `alertLine(alert)` per line to a Writable (stdout: the stream is left open on close()). */
export function jsonlSink(out: Writable, name = 'jsonl'): LineSink {
  return new LineSink(name, out, alertLine);
}

/** `alertLine(alert)` per line appended to a file, which close() ends. */
export function jsonlFileSink(path: string): LineSink {
  return new LineSink(`jsonl:${path}`, createWriteStream(path, { flags: 'a' }), alertLine, {
    ownsStream: true,
  });
}
