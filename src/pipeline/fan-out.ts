// Hands every pipeline output to several sinks in order (inventory, flow map, detectors...).

import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
  PipelineSink,
} from './events.ts';

export class FanOut implements PipelineSink {
  constructor(private readonly sinks: readonly PipelineSink[]) {}

  event(e: AppEvent): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].event(e);
  }
  arp(e: ArpEvent): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].arp(e);
  }
  link(e: LinkEvent): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].link(e);
  }
  connectionStart(conn: ConnectionInfo, ts: number): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].connectionStart?.(conn, ts);
  }
  connection(c: ConnectionSummary): void {
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].connection(c);
  }
}
