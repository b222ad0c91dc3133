// Builds the communication map from the pipeline: one Flow per (client, server, transport, server
// port, app), summed over its connections. event() runs for every application message, so the flow
// of a connection is found once (by building its key) and then cached on the ConnectionInfo object
// the pipeline shares between all events of that connection; the events of one connection usually
// come in a row, so a one-entry cache in front of the map answers most of them.

import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  PipelineSink,
} from '../pipeline/events.ts';
import { FlowAggregate, flowId } from './flow-aggregate.ts';
import { MAX_FLOWS } from './limits.ts';
import type { Flow } from './types.ts';

export interface FlowMapStats {
  flows: number;
  /** Connections not mapped because MAX_FLOWS was reached. */
  droppedConnections: number;
}

export class FlowMapBuilder implements PipelineSink {
  private readonly flows = new Map<string, FlowAggregate>();
  /** Open connections only: an entry lives from its first event to its summary. */
  private readonly byConnection = new Map<ConnectionInfo, FlowAggregate>();
  private lastConnection: ConnectionInfo | null = null;
  private lastFlow: FlowAggregate | null = null;
  /** Absorbs connections past MAX_FLOWS so the hot path stays branch-free; never reported. */
  private readonly overflow = new FlowAggregate('overflow', '', '', 'tcp', 0, null);
  private droppedConnections = 0;

  event(e: AppEvent): void {
    const flow = e.conn === this.lastConnection ? this.lastFlow! : this.flowOfEvent(e);
    flow.seen(e.ts);
    if (e.kind === 'message' && flow.reader !== null) flow.reader(e.fields, e.dir, flow);
  }

  arp(_e: ArpEvent): void {
    // Address resolution is the inventory's business; the map is made of transport flows.
  }

  connection(c: ConnectionSummary): void {
    // The summary comes after the connection's events; when there were none, this is the first
    // (and only) time the connection is seen.
    const flow = this.byConnection.get(c.conn) ?? this.flowFor(c.conn, c.app);
    this.byConnection.delete(c.conn);
    if (this.lastConnection === c.conn) {
      this.lastConnection = null;
      this.lastFlow = null;
    }
    if (flow === this.overflow) {
      this.droppedConnections += 1;
      return;
    }
    flow.connections += 1;
    flow.packets += c.packets[0] + c.packets[1];
    flow.bytes += c.bytes[0] + c.bytes[1];
    flow.seen(c.firstTs);
    flow.seen(c.lastTs);
  }

  /** The map so far, sorted by flow id. */
  result(): Flow[] {
    return [...this.flows.values()].map((f) => f.snapshot()).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  stats(): FlowMapStats {
    return { flows: this.flows.size, droppedConnections: this.droppedConnections };
  }

  private flowOfEvent(e: AppEvent): FlowAggregate {
    let flow = this.byConnection.get(e.conn);
    if (flow === undefined) {
      flow = this.flowFor(e.conn, e.app);
      this.byConnection.set(e.conn, flow);
    }
    this.lastConnection = e.conn;
    this.lastFlow = flow;
    return flow;
  }

  private flowFor(conn: ConnectionInfo, app: string | null): FlowAggregate {
    const id = flowId(conn.transport, conn.clientIp, conn.serverIp, conn.serverPort, app);
    let flow = this.flows.get(id);
    if (flow === undefined) {
      if (this.flows.size >= MAX_FLOWS) return this.overflow;
      flow = new FlowAggregate(id, conn.clientIp, conn.serverIp, conn.transport, conn.serverPort, app);
      this.flows.set(id, flow);
    }
    return flow;
  }
}
