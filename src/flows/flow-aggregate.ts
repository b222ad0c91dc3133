// One flow being built: counters from connection summaries and operations from application
// messages. It is the OperationRecorder its protocol's reader writes into, so recording a message
// is a handful of field updates with no allocation.

import type { Transport } from '../pipeline/events.ts';
import { AddressRangeSet } from './address-ranges.ts';
import { MAX_ADDRESS_RANGES, MAX_FUNCTION_NAMES, MAX_UNITS, OTHER_FUNCTIONS } from './limits.ts';
import { countedAs, type OperationReader, type OperationRecorder, operationReaderFor } from './operations.ts';
import { SortedIdSet } from './sorted-ids.ts';
import type { Flow } from './types.ts';

/** The stable flow key: `tcp|192.0.2.10|192.0.2.20|502|modbus`, `-` when no app was recognised. */
export function flowId(
  transport: Transport,
  client: string,
  server: string,
  port: number,
  app: string | null,
): string {
  return `${transport}|${client}|${server}|${port}|${app ?? '-'}`;
}

export class FlowAggregate implements OperationRecorder {
  readonly reader: OperationReader | null;
  connections = 0;
  packets = 0;
  bytes = 0;
  firstSeen = Number.POSITIVE_INFINITY;
  lastSeen = Number.NEGATIVE_INFINITY;
  reads = 0;
  writes = 0;
  other = 0;
  exceptions = 0;
  private readonly functions = new Map<string, number>();
  private readonly ranges = new AddressRangeSet(MAX_ADDRESS_RANGES);
  private readonly units = new SortedIdSet(MAX_UNITS);

  constructor(
    readonly id: string,
    readonly client: string,
    readonly server: string,
    readonly transport: Transport,
    readonly port: number,
    readonly app: string | null,
  ) {
    this.reader = operationReaderFor(app);
  }

  seen(ts: number): void {
    if (ts < this.firstSeen) this.firstSeen = ts;
    if (ts > this.lastSeen) this.lastSeen = ts;
  }

  request(func: string, operation: string): void {
    const functions = this.functions;
    const count = functions.get(func);
    if (count !== undefined) functions.set(func, count + 1);
    else if (functions.size < MAX_FUNCTION_NAMES) functions.set(func, 1);
    else functions.set(OTHER_FUNCTIONS, (functions.get(OTHER_FUNCTIONS) ?? 0) + 1);
    switch (countedAs(operation)) {
      case 'read':
        this.reads += 1;
        break;
      case 'write':
        this.writes += 1;
        break;
      case 'both':
        this.reads += 1;
        this.writes += 1;
        break;
      default:
        this.other += 1;
    }
  }

  exception(_func: string): void {
    this.exceptions += 1;
  }

  touch(space: string, start: number, count: number, _write: boolean): void {
    this.ranges.add(space, start, start + (count > 0 ? count : 1) - 1);
  }

  unit(id: number): void {
    this.units.add(id);
  }

  /** A plain Flow record; deterministic (functions in name order). */
  snapshot(): Flow {
    const functions: Record<string, number> = {};
    for (const name of [...this.functions.keys()].sort()) functions[name] = this.functions.get(name)!;
    const bounded = Number.isFinite(this.firstSeen);
    return {
      id: this.id,
      client: this.client,
      server: this.server,
      transport: this.transport,
      port: this.port,
      app: this.app,
      connections: this.connections,
      packets: this.packets,
      bytes: this.bytes,
      firstSeen: bounded ? this.firstSeen : 0,
      lastSeen: bounded ? this.lastSeen : 0,
      operations: {
        functions,
        reads: this.reads,
        writes: this.writes,
        other: this.other,
        exceptions: this.exceptions,
        addressRanges: this.ranges.toArray(),
        units: this.units.toArray(),
      },
    };
  }
}
