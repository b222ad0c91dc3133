// Re-ingesting a flow into the store: the stored record and a freshly discovered one with the same
// id become one. Pure; counters add up, times widen, operations unite under the same bounds as the
// builder, so a flow stored over many captures stays as small as one built from a single capture.

import { mergeAddressRanges } from './address-ranges.ts';
import { MAX_ADDRESS_RANGES, MAX_FUNCTION_NAMES, MAX_UNITS, OTHER_FUNCTIONS } from './limits.ts';
import { mergeSortedIds } from './sorted-ids.ts';
import type { Flow } from './types.ts';

export function mergeFlow(stored: Flow, fresh: Flow): Flow {
  if (stored.id !== fresh.id) {
    throw new Error(`mergeFlow: cannot merge flow ${fresh.id} into a different flow ${stored.id}`);
  }
  const functions: Record<string, number> = {};
  const names = new Set([
    ...Object.keys(stored.operations.functions),
    ...Object.keys(fresh.operations.functions),
  ]);
  let kept = 0;
  for (const name of [...names].sort()) {
    const count = (stored.operations.functions[name] ?? 0) + (fresh.operations.functions[name] ?? 0);
    // Same bound as the builder: names past MAX_FUNCTION_NAMES are counted under OTHER_FUNCTIONS.
    const key = kept < MAX_FUNCTION_NAMES || name === OTHER_FUNCTIONS ? name : OTHER_FUNCTIONS;
    if (functions[key] === undefined) kept += 1;
    functions[key] = (functions[key] ?? 0) + count;
  }
  return {
    id: stored.id,
    client: stored.client,
    server: stored.server,
    transport: stored.transport,
    port: stored.port,
    app: stored.app,
    connections: stored.connections + fresh.connections,
    packets: stored.packets + fresh.packets,
    bytes: stored.bytes + fresh.bytes,
    firstSeen: Math.min(stored.firstSeen, fresh.firstSeen),
    lastSeen: Math.max(stored.lastSeen, fresh.lastSeen),
    operations: {
      functions,
      reads: stored.operations.reads + fresh.operations.reads,
      writes: stored.operations.writes + fresh.operations.writes,
      other: stored.operations.other + fresh.operations.other,
      exceptions: stored.operations.exceptions + fresh.operations.exceptions,
      addressRanges: mergeAddressRanges(
        stored.operations.addressRanges,
        fresh.operations.addressRanges,
        MAX_ADDRESS_RANGES,
      ),
      units: mergeSortedIds(stored.operations.units, fresh.operations.units, MAX_UNITS),
    },
  };
}
