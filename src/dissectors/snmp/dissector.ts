// The SNMP dissector descriptor (STYLE.md 2-3): UDP, ports 161 (agents) and 162 (trap receivers)
// as hints (RFC 3417 §3). Each datagram is one message. A response takes the operation of the
// request with the same request-id (RFC 3416 §4.2: the response carries the request's id), so a
// SET's answer is a write and a GET's a read. Decoding is in parser.ts.

import type { Operation } from '../operations.ts';
import type { Direction, DissectorDescriptor, DissectorSession, SessionContext } from '../types.ts';
import { parseSnmp } from './parser.ts';
import { SNMP_PORTS } from './spec.ts';

/** Consecutive violations, with no valid message yet, after which the session gives up. */
export const MAX_VIOLATIONS_BEFORE_ABANDON = 8;
/**
 * Requests remembered per flow for pairing. A manager walks a table one request at a time, or
 * keeps a few outstanding; beyond this the oldest is forgotten and its response is unmatched.
 */
export const MAX_PENDING_REQUESTS = 64;

export const snmpDissector: DissectorDescriptor = {
  name: 'snmp',
  transport: 'udp',
  ports: [SNMP_PORTS.AGENT, SNMP_PORTS.TRAP],
  funcFields: ['snmp.pdu_type'],
  operationField: 'snmp.operation',
  errorField: 'snmp.error_status',
  coverage: {
    protocol: 'SNMP',
    decoded: [
      'SNMPv1 and v2c messages: version, community, every PDU type',
      'request id, error status and index, GetBulk non-repeaters and max-repetitions, varbind names',
      'SNMPv1 Trap-PDU; snmpTrapOID of v2 notifications',
      'system group values in responses (sysDescr, sysObjectID, sysUpTime, sysContact, sysName, sysLocation)',
      'SNMPv3 header: message id, security level, reportable, security model; USM engine id and user',
    ],
    recognised: ['SNMPv3 encrypted PDUs (ENCRYPTED_PDU)', 'SNMPv3 engine discovery (auth)'],
    notHandled: ['decryption of SNMPv3 PDUs', 'varbind values other than the system group', 'SNMP over TCP'],
  },
  probe(_dir: Direction, data: Uint8Array) {
    // A datagram is whole: it parses as SNMP or it never will.
    return parseSnmp(data).kind === 'ok' ? 'yes' : 'no';
  },
  createSession(ctx: SessionContext): DissectorSession {
    return new SnmpSession(ctx);
  },
};

class SnmpSession implements DissectorSession {
  private messages = 0;
  private violationsInARow = 0;
  private abandoned = false;
  /** request-id -> operation of requests not yet answered, oldest first (Map keeps insertion order). */
  private readonly pending = new Map<number, Operation>();

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const r = parseSnmp(datagram);
    if (r.kind === 'ok') {
      this.messages++;
      this.violationsInARow = 0;
      const m = r.message;
      const id = m['snmp.request_id'];
      if (m['snmp.pdu_type'] === 'RESPONSE' || m['snmp.pdu_type'] === 'REPORT') {
        const op = id === null ? undefined : this.pending.get(id);
        m['snmp.matched'] = op !== undefined;
        if (op !== undefined) {
          this.pending.delete(id!);
          // A REPORT stays auth: it answers with a security error, not with the data asked for.
          if (m['snmp.pdu_type'] === 'RESPONSE') m['snmp.operation'] = op;
        }
      } else if (id !== null && m['snmp.pdu_type'] !== 'SNMPV2_TRAP') {
        if (this.pending.size >= MAX_PENDING_REQUESTS) this.pending.delete(this.pending.keys().next().value!);
        this.pending.set(id, m['snmp.operation']);
      }
      this.ctx.message(dir, ts, m);
      return;
    }
    if (r.kind !== 'violation') return;
    this.violationsInARow++;
    this.ctx.violation(dir, ts, r.reason);
    if (this.messages === 0 && this.violationsInARow >= MAX_VIOLATIONS_BEFORE_ABANDON) {
      this.abandoned = true;
      this.ctx.abandon(`${this.violationsInARow} malformed datagrams and no valid SNMP message`);
    }
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves only an unanswered request behind.
  }

  end(): void {
    this.pending.clear();
  }
}
