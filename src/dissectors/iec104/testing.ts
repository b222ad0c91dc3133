// Builders of IEC 60870-5-104 APDUs as they travel on the wire (the TCP payload), for the tests and
// the synthetic demo plant. Field sizes are 104's (104 §9): cause 2 octets, common address 2,
// information object address 3, all little-endian. Every builder returns fresh bytes.

import type { ConformanceSample } from '../testing.ts';
import { CAUSES, START_BYTE, TYPE_IDS, type TypeIdName, U_FUNCTIONS, type UFunction } from './spec.ts';

export type CauseName = keyof typeof CAUSES;

/** Frames a control field and ASDU: 0x68, the length octet, then the bytes. */
export function frame(body: readonly number[]): Uint8Array {
  return Uint8Array.from([START_BYTE, body.length, ...body]);
}

/** A U-format APDU: STARTDT_ACT, TESTFR_CON, ... (104 §5.3). */
export function uFrame(func: UFunction): Uint8Array {
  return frame([U_FUNCTIONS[func], 0, 0, 0]);
}

/** An S-format APDU acknowledging everything before `recvSeq` (104 §5.2). */
export function sFrame(recvSeq: number): Uint8Array {
  return frame([0x01, 0x00, (recvSeq << 1) & 0xff, (recvSeq >> 7) & 0xff]);
}

export interface AsduOptions {
  sendSeq?: number;
  recvSeq?: number;
  cot: CauseName | number;
  negative?: boolean;
  test?: boolean;
  originator?: number;
  commonAddress: number;
  /** With SQ: one address then consecutive element sets. */
  sq?: boolean;
  /** Number of objects in the VSQ; defaults to objects.length. */
  count?: number;
}

/** One information object: its address and element set bytes. */
export interface InfoObject {
  ioa: number;
  element: readonly number[];
}

const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le24 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];

/** An I-format APDU carrying an ASDU of `type` with `objects` (with SQ, only the first address is sent). */
export function iFrame(
  type: TypeIdName | number,
  objects: readonly InfoObject[],
  o: AsduOptions,
): Uint8Array {
  const code = typeof type === 'number' ? type : TYPE_IDS[type].code;
  const cause = typeof o.cot === 'number' ? o.cot : CAUSES[o.cot];
  const count = o.count ?? objects.length;
  const body: number[] = [
    ...le16((o.sendSeq ?? 0) << 1),
    ...le16((o.recvSeq ?? 0) << 1),
    code,
    (o.sq ? 0x80 : 0) | (count & 0x7f),
    cause | (o.negative ? 0x40 : 0) | (o.test ? 0x80 : 0),
    o.originator ?? 0,
    ...le16(o.commonAddress),
  ];
  if (o.sq) {
    body.push(...le24(objects[0]?.ioa ?? 0));
    for (const obj of objects) body.push(...obj.element);
  } else {
    for (const obj of objects) body.push(...le24(obj.ioa), ...obj.element);
  }
  return frame(body);
}

/** CP56Time2a of a UTC date (IEC 60870-5-4 §6.8): ms, minutes, hours, day and weekday, month, year. */
export function cp56(date: Date): number[] {
  const ms = date.getUTCSeconds() * 1000 + date.getUTCMilliseconds();
  const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  return [
    ...le16(ms),
    date.getUTCMinutes(),
    date.getUTCHours(),
    date.getUTCDate() | (weekday << 5),
    date.getUTCMonth() + 1,
    date.getUTCFullYear() % 100,
  ];
}

/** C_IC_NA_1 station interrogation (QOI 20) from the control station. */
export function interrogation(commonAddress: number, cot: CauseName = 'ACT', qoi = 20): Uint8Array {
  return iFrame('C_IC_NA_1', [{ ioa: 0, element: [qoi] }], { cot, commonAddress });
}

/** C_SC_NA_1 single command: `on` sets SCS, `select` the S/E bit, `qu` the qualifier of command. */
export function singleCommand(
  commonAddress: number,
  ioa: number,
  on: boolean,
  select: boolean,
  cot: CauseName = 'ACT',
  qu = 0,
): Uint8Array {
  const sco = (on ? 1 : 0) | ((qu & 0x1f) << 2) | (select ? 0x80 : 0);
  return iFrame('C_SC_NA_1', [{ ioa, element: [sco] }], { cot, commonAddress });
}

/** C_DC_NA_1 double command: DCS 1 = OFF, 2 = ON. */
export function doubleCommand(
  commonAddress: number,
  ioa: number,
  dcs: 1 | 2,
  select: boolean,
  cot: CauseName = 'ACT',
): Uint8Array {
  return iFrame('C_DC_NA_1', [{ ioa, element: [dcs | (select ? 0x80 : 0)] }], { cot, commonAddress });
}

/** C_SE_NC_1 set point, short floating point, execute unless `select`. */
export function setpointFloat(
  commonAddress: number,
  ioa: number,
  value: number,
  select = false,
  cot: CauseName = 'ACT',
): Uint8Array {
  const f = new Uint8Array(4);
  new DataView(f.buffer).setFloat32(0, value, true);
  return iFrame('C_SE_NC_1', [{ ioa, element: [...f, select ? 0x80 : 0] }], { cot, commonAddress });
}

/** C_CS_NA_1 clock synchronisation to `date`. */
export function clockSync(commonAddress: number, date: Date, cot: CauseName = 'ACT'): Uint8Array {
  return iFrame('C_CS_NA_1', [{ ioa: 0, element: cp56(date) }], { cot, commonAddress });
}

/** M_SP_NA_1 single points with SQ: `states` from `firstIoa` up, good quality. */
export function singlePoints(
  commonAddress: number,
  firstIoa: number,
  states: readonly boolean[],
  cot: CauseName = 'INROGEN',
): Uint8Array {
  const objects = states.map((s, i) => ({ ioa: firstIoa + i, element: [s ? 1 : 0] }));
  return iFrame('M_SP_NA_1', objects, { cot, commonAddress, sq: true });
}

/** M_ME_NC_1 measured values, short floating point, one address per value (SQ = 0). */
export function measuredFloats(
  commonAddress: number,
  values: readonly { ioa: number; value: number }[],
  cot: CauseName = 'SPONT',
): Uint8Array {
  const objects = values.map(({ ioa, value }) => {
    const f = new Uint8Array(4);
    new DataView(f.buffer).setFloat32(0, value, true);
    return { ioa, element: [...f, 0x00] };
  });
  return iFrame('M_ME_NC_1', objects, { cot, commonAddress });
}

/** M_EI_NA_1 end of initialisation after a local power-on (COI 0). */
export function endOfInitialisation(commonAddress: number, coi = 0): Uint8Array {
  return iFrame('M_EI_NA_1', [{ ioa: 0, element: [coi] }], { cot: 'INIT', commonAddress });
}

/** A copy of an I-format APDU with its send and receive sequence numbers set (104 §5.1). */
export function withSeq(apdu: Uint8Array, sendSeq: number, recvSeq: number): Uint8Array {
  const out = apdu.slice();
  out[2] = (sendSeq << 1) & 0xff;
  out[3] = (sendSeq >> 7) & 0xff;
  out[4] = (recvSeq << 1) & 0xff;
  out[5] = (recvSeq >> 7) & 0xff;
  return out;
}

/**
 * A typical session opening from a SCADA master to an RTU, both directions in order: STARTDT,
 * general interrogation with its confirmation, data and termination, then a select-before-operate
 * single command.
 */
export function sampleSession(commonAddress = 1): { dir: 0 | 1; bytes: Uint8Array }[] {
  return [
    { dir: 0, bytes: uFrame('STARTDT_ACT') },
    { dir: 1, bytes: uFrame('STARTDT_CON') },
    { dir: 0, bytes: withSeq(interrogation(commonAddress), 0, 0) },
    { dir: 1, bytes: withSeq(interrogation(commonAddress, 'ACTCON'), 0, 1) },
    { dir: 1, bytes: withSeq(singlePoints(commonAddress, 1001, [true, false, true, true]), 1, 1) },
    { dir: 1, bytes: withSeq(measuredFloats(commonAddress, [{ ioa: 2001, value: 230.5 }], 'INROGEN'), 2, 1) },
    { dir: 1, bytes: withSeq(interrogation(commonAddress, 'ACTTERM'), 3, 1) },
    { dir: 0, bytes: sFrame(4) },
    { dir: 0, bytes: withSeq(singleCommand(commonAddress, 5001, true, true), 1, 4) },
    { dir: 1, bytes: withSeq(singleCommand(commonAddress, 5001, true, true, 'ACTCON'), 4, 2) },
    { dir: 0, bytes: withSeq(singleCommand(commonAddress, 5001, true, false), 2, 5) },
    { dir: 1, bytes: withSeq(singleCommand(commonAddress, 5001, true, false, 'ACTCON'), 5, 3) },
  ];
}

/** Valid exchanges for the shared conformance suite (registry.test.ts): chunked, truncated, probed. */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'iec104',
    name: 'STARTDT, general interrogation with data, select-before-operate single command',
    transmissions: sampleSession(0x910d).map(({ dir, bytes }, i) => [dir, i, bytes] as const),
  },
  {
    dissector: 'iec104',
    name: 'set point, clock synchronisation, test frame',
    transmissions: [
      [0, 0, withSeq(setpointFloat(7, 4001, 42.5), 0, 0)],
      [1, 1, withSeq(setpointFloat(7, 4001, 42.5, false, 'ACTCON'), 0, 1)],
      [0, 2, withSeq(clockSync(7, new Date(Date.UTC(2024, 4, 17, 8, 30, 15, 250))), 1, 1)],
      [0, 3, uFrame('TESTFR_ACT')],
      [1, 4, uFrame('TESTFR_CON')],
    ],
  },
];
