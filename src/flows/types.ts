// The communication map: who talks to whom, over what, doing which operations. One record per
// (client, server, transport, server port, application protocol), aggregated over connections.

import type { Transport } from '../pipeline/events.ts';

/** A touched address range, inclusive, in the protocol's own address space (`holding`, `coil`...). */
export interface AddressRange {
  readonly space: string;
  readonly start: number;
  readonly end: number;
}

export interface FlowOperations {
  /** Function/service name -> number of requests (`READ_HOLDING_REGISTERS: 1200`). */
  functions: Record<string, number>;
  reads: number;
  writes: number;
  /** Everything that is neither a read nor a write (diagnostics, identification, programming...). */
  other: number;
  exceptions: number;
  /** Merged ranges, sorted by space then start. Bounded (see flows module). */
  addressRanges: AddressRange[];
  /** Unit ids / slave ids addressed, sorted. */
  units: number[];
}

export interface Flow {
  /** Stable key: `tcp|192.0.2.10|192.0.2.20|502|modbus`. */
  id: string;
  client: string;
  server: string;
  transport: Transport;
  port: number;
  /** Application protocol, null when unrecognised. */
  app: string | null;
  connections: number;
  packets: number;
  bytes: number;
  firstSeen: number;
  lastSeen: number;
  operations: FlowOperations;
}
