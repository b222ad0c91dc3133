// What a write request wrote: per protocol, the address space, the addresses and the values, for
// the protocols whose requests name their addresses. Other protocols' writes are still counted by
// operation class on their channel; they add no ranges.

import type { Fields } from '../dissectors/types.ts';

export interface WriteObservation {
  readonly space: string;
  readonly first: number;
  readonly last: number;
  readonly values: readonly number[];
}

const NONE: readonly WriteObservation[] = [];

export function extractWrites(app: string, fields: Fields): readonly WriteObservation[] {
  if (app === 'modbus') return modbusWrites(fields);
  if (app === 'dnp3' || app === 'dnp3_udp') return dnp3Writes(fields);
  return NONE;
}

/** Modbus Application Protocol V1.1b3 §6.5-§6.17: writes name a table, a start and a quantity. */
function modbusWrites(f: Fields): readonly WriteObservation[] {
  if (f['modbus.operation'] !== 'write') return NONE;
  const space = f['modbus.space'];
  if (typeof space !== 'string') return NONE;
  const values = numbers(f['modbus.values']);
  // §6.17 READ_WRITE_MULTIPLE_REGISTERS (FC 23): address/quantity are the read, these the write.
  const writeAddress = f['modbus.write_address'];
  if (typeof writeAddress === 'number') {
    const quantity = f['modbus.write_quantity'];
    return [span(space, writeAddress, typeof quantity === 'number' ? quantity : values.length, values)];
  }
  const address = f['modbus.address'];
  if (typeof address !== 'number') return NONE;
  const quantity = f['modbus.quantity'];
  // §6.16 MASK_WRITE_REGISTER carries masks, not values: the address is still what it changes.
  return [span(space, address, typeof quantity === 'number' ? quantity : 1, values)];
}

/** IEEE 1815-2012: g12 CROB and g41 analog output blocks name point indexes. */
function dnp3Writes(f: Fields): readonly WriteObservation[] {
  const out: WriteObservation[] = [];
  const aoIndexes = numbers(f['dnp3.analog_output.index']);
  const aoValues = numbers(f['dnp3.analog_output.value']);
  for (const index of aoIndexes)
    out.push({ space: 'analog-output', first: index, last: index, values: aoValues });
  for (const index of numbers(f['dnp3.crob.index']))
    out.push({ space: 'crob', first: index, last: index, values: [] });
  return out;
}

function span(space: string, first: number, quantity: number, values: readonly number[]): WriteObservation {
  return { space, first, last: first + Math.max(1, quantity) - 1, values };
}

function numbers(value: unknown): readonly number[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}
