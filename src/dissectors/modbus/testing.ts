// Builders of realistic Modbus/TCP ADUs carrying Schneider UMAS (function code 90), for tests and
// for the synthetic demo plant (src/demo). Each returns the TCP payload of one message: the MBAP
// header (Guide §3.1.3) and the PDU. Layouts follow the sources cited in spec.ts; UMAS fields
// after the function code are little-endian.

import type { ConformanceSample } from '../testing.ts';
import {
  UMAS_EXTENDED_FUNCTION_CODES,
  UMAS_FUNCTION_CODES,
  UMAS_STATUS_CODES,
  VENDOR_FUNCTION_CODES,
} from './spec.ts';

const FC_UMAS = VENDOR_FUNCTION_CODES.PROGRAM_UNITY;
const U = UMAS_FUNCTION_CODES;

/** An ADU around `pdu`: transaction id, protocol id 0, length (unit id + PDU), unit id. */
export function modbusAdu(tid: number, unit: number, pdu: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + pdu.length);
  out[0] = (tid >> 8) & 0xff;
  out[1] = tid & 0xff;
  out[4] = ((pdu.length + 1) >> 8) & 0xff;
  out[5] = (pdu.length + 1) & 0xff;
  out[6] = unit;
  out.set(pdu, 7);
  return out;
}

/** A UMAS request ADU: 0x5A, session byte, UMAS function code, data. */
export function umasRequest(
  tid: number,
  session: number,
  func: number,
  data: readonly number[] = [],
  unit = 0,
): Uint8Array {
  return modbusAdu(tid, unit, Uint8Array.from([FC_UMAS, session, func, ...data]));
}

/** A UMAS response ADU: 0x5A, session byte, status (0xFE OK, 0xFD error), data. */
export function umasResponse(
  tid: number,
  session: number,
  data: readonly number[] = [],
  ok = true,
  unit = 0,
): Uint8Array {
  const status = ok ? UMAS_STATUS_CODES.OK : UMAS_STATUS_CODES.ERROR;
  return modbusAdu(tid, unit, Uint8Array.from([FC_UMAS, session, status, ...data]));
}

function le16(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff];
}

function le32(v: number): number[] {
  return [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0) & 0x7f);
}

/** STOP_PLC request (0x41) from the reservation holder; its data is an empty block header. */
export function umasStopPlcRequest(tid: number, session: number): Uint8Array {
  return umasRequest(tid, session, U.STOP_PLC, [0xff, 0x00]);
}

/** START_PLC request (0x40) from the reservation holder. */
export function umasStartPlcRequest(tid: number, session: number): Uint8Array {
  return umasRequest(tid, session, U.START_PLC, [0xff, 0x00]);
}

/** INITIALIZE_DOWNLOAD request (0x33): memory range 1 (application), as engineering software sends. */
export function umasInitializeDownloadRequest(tid: number, session: number): Uint8Array {
  return umasRequest(tid, session, U.INITIALIZE_DOWNLOAD, [0x01, 0x00]);
}

/** DOWNLOAD_BLOCK request (0x34): range 0x0001, block number, byte count, then `bytes` of program. */
export function umasDownloadBlockRequest(
  tid: number,
  session: number,
  block: number,
  bytes: readonly number[],
): Uint8Array {
  return umasRequest(tid, session, U.DOWNLOAD_BLOCK, [
    0x01,
    0x00,
    ...le16(block),
    ...le16(bytes.length),
    ...bytes,
  ]);
}

/** END_STRATEGY_DOWNLOAD request (0x35): range 0x0001. */
export function umasEndStrategyDownloadRequest(tid: number, session: number): Uint8Array {
  return umasRequest(tid, session, U.END_STRATEGY_DOWNLOAD, [0x01, 0x00]);
}

/** TAKE_PLC_RESERVATION request (0x10), session 0: two bytes, then the workstation's name. */
export function umasTakeReservationRequest(tid: number, workstation: string): Uint8Array {
  return umasRequest(tid, 0x00, U.TAKE_PLC_RESERVATION, [0x00, 0x00, ...ascii(workstation), 0x00]);
}

/** TAKE_PLC_RESERVATION answer: OK and the session byte later requests carry. */
export function umasTakeReservationResponse(tid: number, grantedSession: number): Uint8Array {
  return umasResponse(tid, 0x00, [grantedSession]);
}

/** RELEASE_PLC_RESERVATION request (0x11) from the holder. */
export function umasReleaseReservationRequest(tid: number, session: number): Uint8Array {
  return umasRequest(tid, session, U.RELEASE_PLC_RESERVATION);
}

/** READ_ID request (0x02): no data, session 0 (modicon-info.nse sends exactly `5a 00 02`). */
export function umasReadIdRequest(tid: number): Uint8Array {
  return umasRequest(tid, 0x00, U.READ_ID);
}

/**
 * READ_ID answer with the layout spec.ts cites: range, hardware id, model number, version words,
 * hardware version, crash code, two unnamed bytes, the CPU reference, then one memory bank.
 */
export function umasReadIdResponse(tid: number, model = 'BMX P34 2020', hardwareId = 0x06010e01): Uint8Array {
  const data = [
    ...le16(0x0000), // range
    ...le32(hardwareId),
    ...le16(0x0138), // model number
    ...le16(0x0302), // com version
    ...le16(0x0000), // com patch
    ...le16(0x0100), // internal version
    ...le16(0x0002), // hardware version
    ...le32(0), // crash code
    0x00,
    0x00,
    model.length,
    ...ascii(model),
    0x01, // one memory bank
    0x01, // type: CPU RAM
    0x00, // folio
    ...le16(0x0000), // status
    ...le32(0x00080000), // length
  ];
  return umasResponse(tid, 0x00, data);
}

/** Success answer with no data (START_PLC, STOP_PLC, END_STRATEGY_DOWNLOAD...). */
export function umasOkResponse(tid: number, session: number): Uint8Array {
  return umasResponse(tid, session, []);
}

/** Error answer (0xFD) with a two-byte error code, as a PLC refuses a request without reservation. */
export function umasErrorResponse(tid: number, session: number, code = 0x0081): Uint8Array {
  return umasResponse(tid, session, le16(code), false);
}

/** A signed request (0x38): magic byte, 32-byte signature, then the wrapped UMAS request. */
export function umasSignedRequest(
  tid: number,
  session: number,
  func: number,
  data: readonly number[] = [],
): Uint8Array {
  const signature = Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
  return umasRequest(tid, session, UMAS_EXTENDED_FUNCTION_CODES.UMAS_RESERVED, [
    0x02,
    ...signature,
    FC_UMAS,
    session,
    func,
    ...data,
  ]);
}

/** UMAS exchanges for the shared conformance suite (../registry.test.ts). */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'modbus',
    name: 'UMAS READ_ID and its answer naming a BMX P34 2020',
    transmissions: [
      [0, 1, umasReadIdRequest(1)],
      [1, 1.01, umasReadIdResponse(1)],
    ],
  },
  {
    dissector: 'modbus',
    name: 'UMAS reservation, download, STOP_PLC and START_PLC',
    transmissions: [
      [0, 2, umasTakeReservationRequest(2, 'ENG-WS01')],
      [1, 2.01, umasTakeReservationResponse(2, 0x4c)],
      [0, 2.1, umasInitializeDownloadRequest(3, 0x4c)],
      [1, 2.11, umasOkResponse(3, 0x4c)],
      [0, 2.2, umasDownloadBlockRequest(4, 0x4c, 1, [1, 2, 3, 4])],
      [1, 2.21, umasOkResponse(4, 0x4c)],
      [0, 2.3, umasEndStrategyDownloadRequest(5, 0x4c)],
      [1, 2.31, umasOkResponse(5, 0x4c)],
      [0, 2.4, umasStopPlcRequest(6, 0x4c)],
      [1, 2.41, umasOkResponse(6, 0x4c)],
      [0, 2.5, umasStartPlcRequest(7, 0x4c)],
      [1, 2.51, umasErrorResponse(7, 0x4c)],
    ],
  },
];
