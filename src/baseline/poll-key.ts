// Which request a polling figure measures (issue 4): a client's scan classes each keep their own
// period, so the learner times each distinct read and the detector times the same one. Both build
// the key here: the function, the unit addressed, and for Modbus the address and quantity read.

import type { Fields } from '../dissectors/types.ts';

export function pollKey(app: string, func: string | null, unit: number | null, fields: Fields): string {
  return `${func}|${unit}|${pollAddress(app, fields)}`;
}

function pollAddress(app: string, fields: Fields): string {
  if (app === 'modbus') return `${fields['modbus.address']}|${fields['modbus.quantity']}`;
  return '';
}

/** The function part of a key, to rule out most requests before building a key. */
export function pollKeyFunction(key: string): string {
  const bar = key.indexOf('|');
  return bar < 0 ? key : key.slice(0, bar);
}
