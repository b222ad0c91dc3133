// One flow being built: counters from connection summaries and operations from application
// messages. It is the OperationRecorder its protocol's reader writes into, so recording a message
// is a handful of field updates with no allocation.

import type { Transport } from '../pipeline/events.ts';
import { AddressRangeSet } from './address-ranges.ts';
import { MAX_ADDRESS_RANGES, MAX_FUNCTION_NAMES, MAX_UNITS, OTHER_FUNCTIONS } from './limits.ts';
import { countedAs, type OperationReader, type OperationRecorder, operationReaderFor } from './operations.ts';
import { RecentCache } from './recent.ts';
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

/** A function's request count, boxed so that counting a request is one increment, not a map update. */
interface FunctionCount {
  n: number;
}

/** Functions whose counts request() keeps at hand: a poller cycles through a few per server. */
const RECENT_FUNCTIONS = 4;

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
  /** Requests per function name; past MAX_FUNCTION_NAMES names, new ones count under OTHER_FUNCTIONS. */
  private readonly functions = new Map<string, FunctionCount>();
  private readonly recentFunctions = new RecentCache<FunctionCount>(RECENT_FUNCTIONS);
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
    let count = this.recentFunctions.get(func);
    if (count === undefined) {
      count = this.countOf(func);
      this.recentFunctions.remember(func, count);
    }
    count.n += 1;
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

  /** The count a request of `func` adds to (created at 0). */
  private countOf(func: string): FunctionCount {
    const functions = this.functions;
    let count = functions.get(func);
    if (count === undefined) {
      const key = functions.size < MAX_FUNCTION_NAMES ? func : OTHER_FUNCTIONS;
      count = functions.get(key);
      if (count === undefined) {
        count = { n: 0 };
        functions.set(key, count);
      }
    }
    return count;
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
    for (const name of [...this.functions.keys()].sort()) functions[name] = this.functions.get(name)!.n;
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
