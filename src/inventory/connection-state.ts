// The inventory's view of one open connection: its two endpoints and the activity records its
// messages update, found once when the connection is first seen. It is the OperationRecorder the
// protocol's reader (flows/operations.ts) writes into, so a message costs a few counter updates.

import type { OperationReader, OperationRecorder } from '../flows/operations.ts';
import { type AppObserver, type ConnectionEnds, MODBUS_UNIT_LABELS } from './app-observers.ts';
import type { ClientActivity, Endpoint, ServerActivity, UnitRecord } from './endpoint.ts';

/** The Modbus address space of coils: writing it switches outputs directly (V1.1b3 section 4.3). */
const COIL_SPACE = 'coil';

export class ConnectionState implements OperationRecorder, ConnectionEnds {
  /** Time of the message being read, for `request()`. */
  ts = 0;
  lastTs: number;
  private lastUnitId = -1;
  private lastUnit: UnitRecord | null = null;

  constructor(
    /** The app its first event or its summary named. */
    readonly app: string | null,
    readonly client: Endpoint | null,
    readonly server: Endpoint | null,
    readonly clientActivity: ClientActivity | null,
    readonly serverActivity: ServerActivity | null,
    readonly reader: OperationReader | null,
    readonly observer: AppObserver | null,
    firstTs: number,
  ) {
    this.lastTs = firstTs;
  }

  request(func: string, operation: string): void {
    this.clientActivity?.request(this.ts, func, operation);
  }

  exception(_func: string): void {
    // Exceptions matter to the map and the detectors, not to what a device is.
  }

  touch(space: string, _start: number, _count: number, write: boolean): void {
    if (write && space === COIL_SPACE && this.clientActivity !== null) this.clientActivity.coilWrites += 1;
  }

  unit(id: number): void {
    // Unit ids and station addresses name devices behind a gateway (units.ts decides whether the
    // server is one). A connection talks to one unit or cycles through a few: the last is kept.
    if (this.server === null || this.app === null || !Number.isInteger(id) || id < 0) return;
    let record = this.lastUnitId === id ? this.lastUnit : null;
    if (record === null) {
      const label = this.app === 'modbus' && id < 256 ? MODBUS_UNIT_LABELS[id] : `${this.app} address ${id}`;
      record = this.server.unit(label, this.app);
      if (record === null) return;
      this.lastUnitId = id;
      this.lastUnit = record;
    }
    record.requests += 1;
    if (this.ts > record.lastSeen) record.lastSeen = this.ts;
    if (this.ts < record.firstSeen) record.firstSeen = this.ts;
  }
}
