// Builds the communication map from the pipeline: one Flow per (client, server, transport, server
// port, app), summed over its connections. event() runs for every application message, so the flow
// of a connection is found once (by building its key) and then kept under the ConnectionInfo object
// the pipeline shares between all events of that connection (connection-table.ts). Builders that each saw one shard of
// the traffic (pipeline/shard.ts) are combined through snapshot() and merge().

import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
  PipelineSink,
} from '../pipeline/events.ts';
import { ConnectionTable } from './connection-table.ts';
import { FlowAggregate, flowId } from './flow-aggregate.ts';
import { MAX_FLOWS } from './limits.ts';
import { mergeFlow } from './merge.ts';
import { readModbus } from './operations.ts';
import type { Flow } from './types.ts';

/** The format's name and version; merge() refuses anything else. */
export const FLOW_MAP_SNAPSHOT_FORMAT = 'zoneward.flow-map-snapshot/1';

/**
 * Everything result() reads, as plain JSON data (structuredClone, postMessage and JSON.stringify
 * all keep it): the flows as result() gives them, and the stats counter.
 */
export interface FlowMapSnapshot {
  readonly format: typeof FLOW_MAP_SNAPSHOT_FORMAT;
  /** Sorted by id. */
  readonly flows: readonly Flow[];
  readonly droppedConnections: number;
}

export interface FlowMapStats {
  flows: number;
  /** Connections not mapped because MAX_FLOWS was reached. */
  droppedConnections: number;
}

export class FlowMapBuilder implements PipelineSink {
  private readonly flows = new Map<string, FlowAggregate>();
  /** Open connections only: an entry lives from its first event to its summary. */
  private readonly byConnection = new ConnectionTable<FlowAggregate>();
  /** Absorbs connections past MAX_FLOWS so the hot path stays branch-free; never reported. */
  private readonly overflow = new FlowAggregate('overflow', '', '', 'tcp', 0, null);
  private droppedConnections = 0;
  /** Flows folded in from other builders' snapshots, by id; result() unites them with `flows`. */
  private readonly merged = new Map<string, Flow>();

  event(e: AppEvent): void {
    const flow = this.byConnection.get(e.conn) ?? this.flowOfNew(e);
    flow.seen(e.ts);
    if (e.kind !== 'message' || flow.reader === null) return;
    // Modbus is nearly all messages: its reader gets a call site of its own, which the compiler
    // can inline; the other protocols' readers share the second one.
    if (flow.reader === readModbus) readModbus(e.fields, e.dir, flow);
    else flow.reader(e.fields, e.dir, flow);
  }

  arp(_e: ArpEvent): void {
    // Address resolution is the inventory's business; the map is made of transport flows.
  }

  link(_e: LinkEvent): void {
    // LLDP, CDP and PROFINET frames have no transport flow; the inventory records who sent them.
  }

  connection(c: ConnectionSummary): void {
    // The summary comes after the connection's events; when there were none, this is the first
    // (and only) time the connection is seen.
    const flow = this.byConnection.get(c.conn) ?? this.flowFor(c.conn, c.app);
    this.byConnection.delete(c.conn);
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
    const out: Flow[] = [];
    for (const flow of this.flows.values()) {
      const built = flow.snapshot();
      const merged = this.merged.get(flow.id);
      out.push(merged === undefined ? built : mergeFlow(built, merged));
    }
    for (const merged of this.merged.values()) {
      if (!this.flows.has(merged.id)) out.push(structuredClone(merged));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  stats(): FlowMapStats {
    let flows = this.flows.size;
    for (const id of this.merged.keys()) if (!this.flows.has(id)) flows += 1;
    return { flows, droppedConnections: this.droppedConnections };
  }

  /** The map as plain data, for merge() into another builder (typically in another thread). */
  snapshot(): FlowMapSnapshot {
    return {
      format: FLOW_MAP_SNAPSHOT_FORMAT,
      flows: this.result(),
      droppedConnections: this.droppedConnections,
    };
  }

  /**
   * Folds in another builder's snapshot; flows with the same id combine as mergeFlow() says. Shards
   * of one capture (pipeline/shard.ts) never share a flow, so for them this is exact.
   */
  merge(snapshot: FlowMapSnapshot): void {
    if (snapshot.format !== FLOW_MAP_SNAPSHOT_FORMAT) {
      throw new Error(`FlowMapBuilder.merge: unknown snapshot format ${String(snapshot.format)}`);
    }
    this.droppedConnections += snapshot.droppedConnections;
    let flows = this.stats().flows;
    for (const flow of snapshot.flows) {
      const merged = this.merged.get(flow.id);
      if (merged !== undefined) {
        this.merged.set(flow.id, mergeFlow(merged, flow));
      } else if (this.flows.has(flow.id) || flows < MAX_FLOWS) {
        if (!this.flows.has(flow.id)) flows += 1;
        this.merged.set(flow.id, structuredClone(flow));
      } else {
        this.droppedConnections += flow.connections;
      }
    }
  }

  /** The flow of a connection seen for the first time, by its first event. */
  private flowOfNew(e: AppEvent): FlowAggregate {
    const flow = this.flowFor(e.conn, e.app);
    this.byConnection.set(e.conn, flow);
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
