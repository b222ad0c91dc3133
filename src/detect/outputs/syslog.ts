// Alerts to syslog: an RFC 5424 message whose MSG is a CEF record (cef.ts), over UDP (RFC 5426:
// one message per datagram) or TCP with octet-counting framing (RFC 6587 §3.4.1).

import dgram from 'node:dgram';
import net from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { Alert } from '../alert.ts';
import { formatCef } from './cef.ts';
import { DEFAULT_FACILITY, type FacilityName, type SyslogHeaderOptions, syslogMessage } from './rfc5424.ts';
import {
  type AlertSink,
  DEFAULT_CLOSE_DEADLINE_MS,
  errorText,
  type OutputCounters,
  type ProblemListener,
  sleep,
  zeroCounters,
} from './sink.ts';

/**
 * Largest UDP message sent. RFC 5426 §3.2: receivers SHOULD take 2048 octets (and MUST take 480);
 * longer messages are cut at a UTF-8 character boundary and counted as truncated.
 */
export const SYSLOG_UDP_MAX_MESSAGE_OCTETS = 2048;
/** Messages waiting for the TCP connection; beyond this new alerts are dropped and counted. */
export const SYSLOG_TCP_QUEUE_LIMIT = 10_000;
/** TCP reconnect backoff: base × 2^attempt, capped, with jitter (half fixed, half random). */
export const SYSLOG_TCP_RECONNECT_BASE_MS = 250;
export const SYSLOG_TCP_RECONNECT_MAX_MS = 30_000;

export interface SyslogOptions {
  readonly transport: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
  readonly facility?: FacilityName;
  /** HOSTNAME field; os.hostname() by default. */
  readonly hostname?: string;
  /** PROCID field; process.pid by default. */
  readonly procId?: string;
  /** Include the alert SD-ELEMENT (default) or send STRUCTURED-DATA as `-`. */
  readonly structuredData?: boolean;
  readonly productVersion?: string;
  readonly maxMessageOctets?: number;
  readonly queueLimit?: number;
  readonly reconnectBaseMs?: number;
  readonly reconnectMaxMs?: number;
  readonly onProblem?: ProblemListener;
}

function headerOptions(options: SyslogOptions): SyslogHeaderOptions {
  return {
    facility: options.facility ?? DEFAULT_FACILITY,
    hostname: options.hostname ?? osHostname(),
    procId: options.procId ?? String(process.pid),
    structuredData: options.structuredData ?? true,
  };
}

/** The RFC 5424 message with a CEF MSG for one alert. */
export function encodeSyslogAlert(alert: Alert, options: SyslogOptions): Buffer {
  return syslogMessage(alert, headerOptions(options), formatCef(alert, options));
}

/**
 * Cuts a message to `max` octets without splitting a UTF-8 sequence and without leaving a lone
 * CEF escape backslash at the end (which would escape nothing).
 */
export function truncateUtf8(message: Buffer, max: number): Buffer {
  if (message.length <= max) return message;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (message[end] & 0xc0) === 0x80) end--;
  let backslashes = 0;
  while (end - backslashes > 0 && message[end - backslashes - 1] === 0x5c) backslashes++;
  if (backslashes % 2 === 1) end--;
  return message.subarray(0, end);
}

/** RFC 6587 §3.4.1 octet counting: MSG-LEN SP SYSLOG-MSG, MSG-LEN in decimal octets. */
export function frameOctetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

function targetName(options: SyslogOptions): string {
  const host = net.isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return `syslog+${options.transport}://${host}:${options.port}`;
}

/** One datagram per alert (RFC 5426 §3.1). UDP has no delivery report: `sent` means handed to the kernel. */
export class SyslogUdpSink implements AlertSink {
  readonly name: string;
  readonly #options: SyslogOptions;
  readonly #socket: dgram.Socket;
  readonly #max: number;
  readonly #counters = zeroCounters();

  constructor(options: SyslogOptions) {
    this.#options = options;
    this.name = targetName(options);
    this.#max = options.maxMessageOctets ?? SYSLOG_UDP_MAX_MESSAGE_OCTETS;
    this.#socket = dgram.createSocket(net.isIP(options.host) === 6 ? 'udp6' : 'udp4');
    this.#socket.on('error', (error) => options.onProblem?.(`${this.name}: ${errorText(error)}`));
    this.#socket.unref();
  }

  send(alert: Alert): Promise<void> {
    let message = encodeSyslogAlert(alert, this.#options);
    if (message.length > this.#max) {
      message = truncateUtf8(message, this.#max);
      this.#counters.truncated++;
    }
    return new Promise((resolve) => {
      this.#socket.send(message, this.#options.port, this.#options.host, (error) => {
        if (error) {
          this.#counters.failed++;
          this.#options.onProblem?.(`${this.name}: ${errorText(error)}`);
        } else {
          this.#counters.sent++;
        }
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  counters(): OutputCounters {
    return { ...this.#counters };
  }
}

/**
 * A TCP connection kept open, re-opened with backoff when it drops, fed from a bounded queue.
 * TCP syslog has no acknowledgement (RFC 6587 §4): messages in the kernel's buffer when the
 * connection breaks are lost unseen; those whose write fails are counted as failed.
 */
export class SyslogTcpSink implements AlertSink {
  readonly name: string;
  readonly #options: SyslogOptions;
  readonly #queue: Buffer[] = [];
  readonly #limit: number;
  readonly #counters = zeroCounters();
  #socket: net.Socket | null = null;
  #connected = false;
  #blocked = false;
  #inFlight = 0;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #closed = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: SyslogOptions) {
    this.#options = options;
    this.name = targetName(options);
    this.#limit = options.queueLimit ?? SYSLOG_TCP_QUEUE_LIMIT;
  }

  async send(alert: Alert): Promise<void> {
    if (this.#closed || this.#queue.length >= this.#limit) {
      this.#counters.dropped++;
      return;
    }
    this.#queue.push(frameOctetCounted(encodeSyslogAlert(alert, this.#options)));
    this.#pump();
  }

  #connect(): void {
    const socket = net.createConnection({ host: this.#options.host, port: this.#options.port });
    this.#socket = socket;
    socket.setKeepAlive(true);
    socket.on('connect', () => {
      this.#attempt = 0;
      this.#connected = true;
      this.#pump();
    });
    socket.on('drain', () => {
      this.#blocked = false;
      this.#pump();
    });
    socket.on('error', (error) => this.#options.onProblem?.(`${this.name}: ${errorText(error)}`));
    // The receiver never talks back in RFC 6587; discard anything it sends.
    socket.on('data', () => {});
    socket.on('close', () => {
      this.#socket = null;
      this.#connected = false;
      this.#blocked = false;
      if (!this.#closed) this.#scheduleReconnect();
      this.#notifyIdle();
    });
  }

  #scheduleReconnect(): void {
    if (this.#reconnectTimer) return;
    const base = this.#options.reconnectBaseMs ?? SYSLOG_TCP_RECONNECT_BASE_MS;
    const max = this.#options.reconnectMaxMs ?? SYSLOG_TCP_RECONNECT_MAX_MS;
    const ceiling = Math.min(max, base * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (!this.#closed) this.#connect();
    }, delay);
  }

  #pump(): void {
    if (!this.#connected) {
      if (!this.#socket && !this.#reconnectTimer && !this.#closed) this.#connect();
      return;
    }
    const socket = this.#socket!;
    while (this.#queue.length > 0 && !this.#blocked) {
      const frame = this.#queue.shift()!;
      this.#inFlight++;
      const fits = socket.write(frame, (error) => {
        this.#inFlight--;
        if (error) this.#counters.failed++;
        else this.#counters.sent++;
        this.#notifyIdle();
      });
      if (!fits) this.#blocked = true;
    }
  }

  #notifyIdle(): void {
    if (this.#queue.length > 0 || this.#inFlight > 0) return;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS): Promise<void> {
    const controller = new AbortController();
    const idle = new Promise<void>((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#notifyIdle();
    });
    await Promise.race([idle, sleep(deadlineMs, controller.signal)]);
    controller.abort();
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    this.#counters.dropped += this.#queue.length;
    this.#queue.length = 0;
    const socket = this.#socket;
    if (socket) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), deadlineMs).unref();
      });
    }
  }

  counters(): OutputCounters {
    return { ...this.#counters };
  }
}

export function syslogSink(options: SyslogOptions): AlertSink {
  return options.transport === 'udp' ? new SyslogUdpSink(options) : new SyslogTcpSink(options);
}
