// What a sink keeps per open connection (the communication map's flow, the inventory's connection
// state), found by the ConnectionInfo object the pipeline passes with every event of the
// connection. It is looked up for every application message, and a Map lookup per message was the
// largest single cost of the sinks; so a small direct-mapped table, indexed by the connection's
// ports, sits in front of the Map and answers most lookups with a compare. The Map holds every
// entry; the table only remembers where the latest lookups went.

import type { ConnectionInfo } from '../pipeline/events.ts';

/**
 * Slots of the table (a power of two). Messages of a few dozen connections interleave in a busy
 * plant capture (pollers talk to many servers at once); clients' ephemeral ports spread them.
 */
const SLOTS = 256;

export class ConnectionTable<T> {
  private readonly entries = new Map<ConnectionInfo, T>();
  private readonly slotKeys: (ConnectionInfo | null)[] = new Array<ConnectionInfo | null>(SLOTS).fill(null);
  private readonly slotValues: (T | null)[] = new Array<T | null>(SLOTS).fill(null);

  get size(): number {
    return this.entries.size;
  }

  get(conn: ConnectionInfo): T | undefined {
    const slot = slotOf(conn);
    if (this.slotKeys[slot] === conn) return this.slotValues[slot]!;
    const value = this.entries.get(conn);
    if (value !== undefined) {
      this.slotKeys[slot] = conn;
      this.slotValues[slot] = value;
    }
    return value;
  }

  set(conn: ConnectionInfo, value: T): void {
    this.entries.set(conn, value);
    const slot = slotOf(conn);
    this.slotKeys[slot] = conn;
    this.slotValues[slot] = value;
  }

  delete(conn: ConnectionInfo): void {
    this.entries.delete(conn);
    const slot = slotOf(conn);
    if (this.slotKeys[slot] === conn) {
      this.slotKeys[slot] = null;
      this.slotValues[slot] = null;
    }
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }
}

function slotOf(conn: ConnectionInfo): number {
  return (conn.clientPort ^ (conn.serverPort << 3)) & (SLOTS - 1);
}
