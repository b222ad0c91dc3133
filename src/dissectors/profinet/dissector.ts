// The PROFINET dissectors (STYLE.md 2-3):
// - `profinet`, a link-layer dissector of Ethernet type 0x8892 (PN-RT): cyclic real-time frames,
//   alarms, DCP and PTCP, one event per frame (IEC 61158-6-10 §4.2-4.4);
// - `profinet_cm`, the IO context manager over DCE/RPC connectionless on UDP (port 34964 as a
//   hint): connect, release, read, write and control of application relations (§4.10).
// Decoding is in parser.ts and cm-parser.ts.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  LinkContext,
  LinkDissectorDescriptor,
  SessionContext,
} from '../types.ts';
import { looksLikePnioCm, parseCm } from './cm-parser.ts';
import { frameFields, parseFrame } from './parser.ts';
import { ETHERTYPE_PROFINET, PNIO_CM_PORT } from './spec.ts';

/** Consecutive malformed datagrams, with no valid message yet, after which a UDP flow is given up. */
export const MAX_VIOLATIONS_BEFORE_ABANDON = 8;

export const profinetDissector: LinkDissectorDescriptor = {
  name: 'profinet',
  transport: 'link',
  ethertypes: [ETHERTYPE_PROFINET],
  snap: [],
  funcFields: ['profinet.dcp_service', 'profinet.frame_type'],
  // Only DCP answers and announcements name a device; cyclic and alarm frames never do.
  identityFuncs: ['IDENTIFY', 'HELLO', 'GET'],
  operationField: 'profinet.operation',
  coverage: {
    protocol: 'PROFINET RT / DCP',
    decoded: [
      'DCP Identify, Get, Set, Hello: service, xid, name of station, type of station, vendor and device id, role, IP suite, MAC, control, Set errors',
      'device identity from Identify responses, Hello and Get responses',
      'cyclic RT_CLASS_1/2/3 frames: frame id, cycle counter, data status',
      'alarm frames (RTA): PDU type, endpoints, sequence numbers, alarm type, PNIO status of ERR',
    ],
    recognised: ['PTCP sync, announce, follow-up and delay frames', 'fragmentation and reserved frame ids'],
    notHandled: [
      'cyclic I/O data contents (needs the GSD of the device)',
      'RT over UDP (RT_CLASS_UDP, port 34962)',
      'DCP DHCP and manufacturer-specific block contents',
    ],
  },
  decode(_ts: number, payload: Uint8Array, ctx: LinkContext): void {
    const result = parseFrame(payload);
    if (typeof result === 'string') ctx.violation(result, frameFields(payload));
    else ctx.message(result);
  },
};

export const profinetCmDissector: DissectorDescriptor = {
  name: 'profinet_cm',
  transport: 'udp',
  ports: [PNIO_CM_PORT],
  funcFields: ['profinet_cm.opnum', 'profinet_cm.packet_type'],
  operationField: 'profinet_cm.operation',
  errorField: 'profinet_cm.error',
  coverage: {
    protocol: 'PROFINET IO CM (DCE/RPC)',
    decoded: [
      'DCE/RPC connectionless header: packet type, flags, interface, object and activity UUIDs, sequence, opnum, fragments',
      'Connect: AR block (AR type, AR UUID, controller name of station and MAC), AR block response',
      'Read and Write: record headers with API, slot, subslot and index, multiple write, PNIO status',
      'Control: PrmEnd, ApplicationReady, Release, PrmBegin, Done',
      'I&M0 read responses (vendor, order id, serial, hardware and software revision) and PDInterfaceDataReal (name of station)',
    ],
    recognised: [
      'IOCR, alarm CR, expected submodule and other blocks by type',
      'ping, working, ack, fack, nocall, fault and reject packets',
    ],
    notHandled: [
      'reassembly of fragmented RPC calls (the first fragment is decoded)',
      'RPC endpoint mapper lookups (EPM) on port 34964',
      'record contents other than I&M0 and PDInterfaceDataReal',
    ],
  },
  probe(_dir: Direction, data: Uint8Array) {
    // A datagram is complete: without the RPC header and a PNIO UUID it never becomes PNIO CM.
    return looksLikePnioCm(data) ? 'yes' : 'no';
  },
  createSession(ctx: SessionContext): DissectorSession {
    return new CmSession(ctx);
  },
};

class CmSession implements DissectorSession {
  private messages = 0;
  private violationsInARow = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const result = parseCm(datagram);
    if (typeof result !== 'string') {
      this.messages++;
      this.violationsInARow = 0;
      this.ctx.message(dir, ts, result);
      return;
    }
    this.ctx.violation(dir, ts, result);
    if (++this.violationsInARow >= MAX_VIOLATIONS_BEFORE_ABANDON && this.messages === 0) {
      this.abandoned = true;
      this.ctx.abandon(`${this.violationsInARow} malformed datagrams and no valid PNIO CM message`);
    }
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves nothing to resynchronise.
  }

  end(): void {
    // No state outlives a datagram.
  }
}
