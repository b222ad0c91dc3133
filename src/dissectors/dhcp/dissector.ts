// The DHCP dissector descriptor (STYLE.md 2-3): UDP, ports 67 (server) and 68 (client) as hints
// (RFC 2131 section 4.1); the probe insists on the BOOTP header and the magic cookie. Each datagram
// is one message; malformed ones become violations, and a "connection" that never produced a valid
// message is abandoned after a few, since it is then something else on port 67/68.

import type { Direction, DissectorDescriptor, DissectorSession, SessionContext } from '../types.ts';
import { dhcpFields, looksLikeDhcp, parseDhcp, readXid } from './parser.ts';

/** Consecutive violations, with no valid message yet, after which the session gives up. */
export const MAX_VIOLATIONS_BEFORE_ABANDON = 8;

export const dhcpDissector: DissectorDescriptor = {
  name: 'dhcp',
  transport: 'udp',
  ports: [67, 68],
  funcFields: ['dhcp.msg_type'],
  operationField: 'dhcp.operation',
  coverage: {
    protocol: 'DHCP',
    decoded: [
      'BOOTP header',
      'message type, host name, vendor class, requested/assigned address, server id, routers',
    ],
    recognised: ['other options (by code)'],
    notHandled: ['DHCPv6'],
  },
  probe(_dir: Direction, data: Uint8Array) {
    // A UDP datagram is complete: without the cookie it can never become DHCP, so no 'maybe'.
    return looksLikeDhcp(data) ? 'yes' : 'no';
  },
  createSession(ctx: SessionContext): DissectorSession {
    return new DhcpSession(ctx);
  },
};

class DhcpSession implements DissectorSession {
  private messages = 0;
  private violationsInARow = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const result = parseDhcp(datagram);
    if (result.kind === 'ok') {
      this.messages += 1;
      this.violationsInARow = 0;
      this.ctx.message(dir, ts, dhcpFields(result.message));
      return;
    }
    if (result.kind !== 'violation') return;
    this.violationsInARow += 1;
    // The transaction id, when present, lets a reader match the bad datagram with its exchange.
    this.ctx.violation(dir, ts, result.reason, { 'dhcp.xid': readXid(datagram) });
    if (this.messages === 0 && this.violationsInARow >= MAX_VIOLATIONS_BEFORE_ABANDON) {
      this.abandoned = true;
      this.ctx.abandon(`${this.violationsInARow} malformed datagrams and no valid DHCP message`);
    }
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves nothing to resynchronise.
  }

  end(): void {
    // No state outlives a datagram.
  }
}
