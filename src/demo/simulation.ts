// What every actor of the demo plant shares: the clock and packet sink, the scheduler, the
// network, the hosts and Modbus servers by name, which devices are powered off when, and the log
// of the story events that made it into the capture.

import type { Host, Network } from './network.ts';
import type { PacketSink } from './packet-sink.ts';
import { Prng } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

export const MILLISECOND = 1000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;

/** Something that happened once in the capture: tests use it to know what to expect. */
export interface StoryEvent {
  /** Seconds since the Unix epoch, when the event's first packet was sent. */
  readonly ts: number;
  /** Packets in the capture before the event's first packet. */
  readonly packet: number;
  readonly kind: string;
  readonly device: string;
  readonly detail: string;
}

export class Simulation {
  readonly events: StoryEvent[] = [];
  private readonly hosts = new Map<string, Host>();
  private readonly outages = new Map<Host, { from: number; until: number }>();

  constructor(
    readonly seed: number,
    readonly sink: PacketSink,
    readonly scheduler: Scheduler,
    readonly network: Network,
  ) {}

  get now(): number {
    return this.sink.now;
  }

  /** A PRNG stream of its own for one actor or purpose. */
  prng(label: string): Prng {
    return Prng.derive(this.seed, label);
  }

  addHost(host: Host): void {
    this.hosts.set(host.name, host);
    this.network.add(host);
  }

  host(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no host named ${name}`);
    return host;
  }

  /** The device is powered off (or rebooting) from `from` until `until`. */
  powerOff(host: Host, from: number, until: number): void {
    this.outages.set(host, { from, until });
  }

  isDown(host: Host, at: number): boolean {
    const outage = this.outages.get(host);
    return outage !== undefined && at >= outage.from && at < outage.until;
  }

  /** Notes a story event at the current time; call it right before the event's first packet. */
  record(kind: string, device: string, detail: string): void {
    this.events.push({ ts: this.now / SECOND, packet: this.sink.packets, kind, device, detail });
  }
}
