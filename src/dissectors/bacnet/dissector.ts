// The BACnet/IP dissector (STYLE.md 3 and 4): UDP, port 47808 (0xBAC0, ANSI/ASHRAE 135-2020 Annex
// J.1) as a hint only. Each datagram is one BVLL message and one event; parser.ts decodes it. The
// session adds what only the exchange knows: the service of a Reject, Abort or SegmentACK, which
// name none, from the Confirmed-Request with the same invoke id (20.1.2.3: the invoke id pairs a
// request with every PDU of its transaction).

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import {
  BIP_ADDRESS_LENGTH,
  BVLC_HEADER_LENGTH,
  bvlcLengthProblem,
  decodeInto,
  newFields,
} from './parser.ts';
import { BVLC_FUNCTIONS, BVLC_TYPE_BIP, NPDU_VERSION } from './spec.ts';

/** The BACnet/IP UDP port, 0xBAC0 (J.1). A hint for probing order only. */
export const BACNET_IP_PORT = 47808;

/**
 * Violations in a row, on a flow that never carried a valid BACnet message, after which the
 * session gives up: it is then something else on the port. A flow that has spoken BACnet is never
 * abandoned: each datagram stands alone, so a bad one leaves nothing to resynchronise, memory does
 * not grow, and an attacker must not be able to blind the monitor by sending a few bad datagrams
 * before the writes that matter.
 */
export const MAX_VIOLATIONS_BEFORE_ABANDON = 8;

/** Invoke ids are one octet (20.1.2.3), per requesting side: the pending table has 2 x 256 slots. */
export const INVOKE_IDS = 256;

export const bacnetDissector: DissectorDescriptor = {
  name: 'bacnet',
  transport: 'udp',
  ports: [BACNET_IP_PORT],
  funcFields: ['bacnet.service', 'bacnet.network_message', 'bacnet.pdu_type', 'bacnet.bvlc_function'],
  operationField: 'bacnet.operation',
  unitField: 'bacnet.unit',
  errorField: 'bacnet.error',
  coverage: {
    protocol: 'BACnet/IP',
    decoded: [
      'BVLC (Annex J): every function, Forwarded-NPDU original address, BDT/FDT entries, BVLC-Result',
      'NPDU: DNET/DADR, SNET/SADR (devices behind routers), hop count',
      'network layer messages: Who-Is/I-Am-Router-To-Network, I-Could-Be-Router, Reject-Message, Router-Busy/Available, Initialize-Routing-Table, connections, What-Is-Network-Number/Network-Number-Is',
      'APDU types with invoke id, segmentation, Reject and Abort reasons, Error class and code',
      'Who-Is / I-Am (device instance, max APDU, segmentation, vendor id and name)',
      'Who-Has / I-Have, Who-Am-I',
      'ReadProperty / WriteProperty (object, property, array index, value, priority)',
      'ReadPropertyMultiple / WritePropertyMultiple (objects and properties; Device identity from RPM acks)',
      'Device object identity: object-name, model-name, firmware-revision, application-software-version, vendor-name, vendor-identifier, serial-number',
      'ReinitializeDevice, DeviceCommunicationControl (state, duration, whether a password was given)',
      'AtomicReadFile / AtomicWriteFile (file, stream or record access, start, count)',
      'TimeSynchronization / UTCTimeSynchronization',
      'ReadRange, Add/RemoveListElement, Create/DeleteObject, SubscribeCOV(Property), COV and event notifications (object), private transfers (vendor, service number)',
    ],
    recognised: [
      'every other confirmed and unconfirmed service (by name, with its operation)',
      'continuation segments of segmented messages',
      'Secure-BVLL and the clause 24 network security messages',
      'proprietary network layer messages (vendor id)',
    ],
    notHandled: [
      'BACnet/IPv6 (Annex U, BVLC type 0x82) and BACnet/SC',
      'reassembly of segmented messages',
      'constructed property values (decoded as "constructed", not field by field)',
      'double-byte and JIS X 0208 character strings',
    ],
  },
  probe: probeBacnet,
  createSession: (ctx) => new BacnetSession(ctx),
};

/**
 * A datagram is whole, so there is no `maybe`: it is BACnet/IP when it has the B/IP BVLC type, a
 * function J.2 defines and, for functions that carry an NPDU, NPDU version 1; and either its BVLC
 * length equals its own length, or (crafted traffic gets that length wrong) it decodes cleanly.
 */
export function probeBacnet(_dir: Direction, data: Uint8Array): ProbeVerdict {
  const n = data.length;
  if (n < BVLC_HEADER_LENGTH || data[0] !== BVLC_TYPE_BIP) return 'no';
  const fn = data[1];
  if (fn > BVLC_FUNCTIONS.SECURE_BVLL) return 'no';
  let npdu = -1;
  if (fn === BVLC_FUNCTIONS.FORWARDED_NPDU) npdu = BVLC_HEADER_LENGTH + BIP_ADDRESS_LENGTH;
  else if (
    fn === BVLC_FUNCTIONS.ORIGINAL_UNICAST_NPDU ||
    fn === BVLC_FUNCTIONS.ORIGINAL_BROADCAST_NPDU ||
    fn === BVLC_FUNCTIONS.DISTRIBUTE_BROADCAST_TO_NETWORK
  ) {
    npdu = BVLC_HEADER_LENGTH;
  }
  if (npdu >= 0 && (npdu + 2 > n || data[npdu] !== NPDU_VERSION)) return 'no';
  if (bvlcLengthProblem(data) === null) return 'yes';
  return decodeInto(data, newFields()) === null ? 'yes' : 'no';
}

export class BacnetSession implements DissectorSession {
  // Service name of the outstanding Confirmed-Request per (requesting direction, invoke id).
  private readonly pending: (string | null)[] = new Array(2 * INVOKE_IDS).fill(null);
  private readonly pendingOperation: (string | null)[] = new Array(2 * INVOKE_IDS).fill(null);
  private messages = 0;
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const f = newFields();
    const reason = decodeInto(datagram, f);
    if (reason !== null) {
      this.ctx.violation(dir, ts, reason, f);
      if (this.messages === 0 && ++this.violationRun >= MAX_VIOLATIONS_BEFORE_ABANDON) {
        this.abandoned = true;
        this.ctx.abandon(`${this.violationRun} malformed datagrams and no valid BACnet/IP message`);
      }
      return;
    }
    this.messages++;
    this.violationRun = 0;
    const invoke = f['bacnet.invoke_id'];
    if (typeof invoke === 'number') this.pair(dir, invoke, f);
    this.ctx.message(dir, ts, f);
    // Decoded by the datagram's length; a BVLC length that disagrees is malformed all the same.
    const lengthProblem = bvlcLengthProblem(datagram);
    if (lengthProblem !== null) this.ctx.violation(dir, ts, lengthProblem, f);
  }

  /** Remembers a request's service, or completes a PDU that names none from its request. */
  private pair(dir: Direction, invoke: number, f: Record<string, unknown>): void {
    const type = f['bacnet.pdu_type'];
    if (type === 'CONFIRMED_REQUEST') {
      this.pending[dir * INVOKE_IDS + invoke] = f['bacnet.service'] as string;
      this.pendingOperation[dir * INVOKE_IDS + invoke] = f['bacnet.operation'] as string;
      return;
    }
    // Who asked: the other side, unless the sender is the client (an Abort or SegmentACK with the
    // server bit clear, 20.1.6, 20.1.9).
    const requester = f['bacnet.from_server'] === false ? dir : 1 - dir;
    const slot = requester * INVOKE_IDS + invoke;
    const service = this.pending[slot];
    if (f['bacnet.service'] === null && service !== null) {
      f['bacnet.service'] = service;
      f['bacnet.operation'] = this.pendingOperation[slot];
    }
    // The transaction ends with its final answer; a segmented ComplexACK's later segments and
    // their SegmentACKs still belong to it.
    if (type !== 'SEGMENT_ACK' && !(type === 'COMPLEX_ACK' && 'bacnet.sequence' in f)) {
      this.pending[slot] = null;
      this.pendingOperation[slot] = null;
    }
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves nothing to resynchronise.
  }

  end(): void {
    this.pending.fill(null);
    this.pendingOperation.fill(null);
  }
}
