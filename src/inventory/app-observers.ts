// What particular application messages tell the inventory beyond operations: DHCP leases and host
// names, and identities devices report about themselves. One observer per app, in one table;
// they run on every message of their app, so each returns early on the common case.

import type { AppEvent } from '../pipeline/events.ts';
import type { AddressBook } from './address-book.ts';
import type { Endpoint } from './endpoint.ts';

/** The two ends of the connection a message travelled on (null: not a device, e.g. broadcast). */
export interface ConnectionEnds {
  readonly client: Endpoint | null;
  readonly server: Endpoint | null;
}

export type AppObserver = (e: AppEvent, ends: ConnectionEnds, book: AddressBook) => void;

/**
 * DHCP (RFC 2131): `chaddr` names the client even when a relay forwarded the message, so the
 * client's MAC record (not the connection's ends, which may be a relay) collects leases, host name
 * and vendor class. Which address a message binds to the MAC (RFC 2131 section 4.3):
 *   ACK: yiaddr, the lease granted. REQUEST: option 50 (selecting/rebooting) or ciaddr (renewing).
 *   INFORM and RELEASE: ciaddr, an address the client already uses. DECLINE binds nothing: the
 *   client refuses the address because someone else has it.
 */
function observeDhcp(e: AppEvent, _ends: ConnectionEnds, book: AddressBook): void {
  const f = e.fields;
  const ts = e.ts;
  const mac = text(f['dhcp.client_mac']);
  const type = f['dhcp.msg_type'];
  const fromClient = f['dhcp.op'] === undefined ? e.dir === 0 : f['dhcp.op'] === 'BOOTREQUEST';
  const record = mac === null ? null : book.mac(mac);
  if (record !== null) {
    record.seen(ts);
    record.dhcpClient = true;
    const bound =
      type === 'ACK'
        ? text(f['dhcp.assigned_ip'])
        : type === 'REQUEST'
          ? (text(f['dhcp.requested_ip']) ?? text(f['dhcp.client_ip']))
          : type === 'INFORM' || type === 'RELEASE'
            ? text(f['dhcp.client_ip'])
            : null;
    if (bound !== null) book.dhcpBinding(record.mac, bound, ts);
    const hostname = text(f['dhcp.hostname']);
    if (hostname !== null && (record.hostname === null || ts >= record.hostname.ts)) {
      record.hostname = { value: hostname, ts };
    }
    // Servers may echo option 60 (PXE does); only the client's own announcement describes it.
    const vendorClass = fromClient ? text(f['dhcp.vendor_class']) : null;
    if (vendorClass !== null && (record.vendorClass === null || ts >= record.vendorClass.ts)) {
      record.vendorClass = { value: vendorClass, ts };
    }
  }
  const serverId = text(f['dhcp.server_id']);
  if (serverId !== null && !fromClient) book.ipFacts(serverId, ts).dhcpServer = true;
  const relay = text(f['dhcp.relay_ip']);
  if (relay !== null) book.ipFacts(relay, ts).dhcpRelay = true;
  const routers = f['dhcp.router'];
  if (!fromClient && Array.isArray(routers)) {
    for (const router of routers) if (typeof router === 'string') book.ipFacts(router, ts).routerFor += 1;
  }
}

/** Encapsulated Interface Transport, which carries Read Device Identification (V1.1b3 section 6.21). */
const READ_DEVICE_IDENTIFICATION_CODE = 43;

/**
 * Modbus Read Device Identification (FC 43 / MEI 14, Modbus Application Protocol V1.1b3 section
 * 6.21), answered by the server: the device names its vendor, product code and revision (the
 * mandatory basic objects) and optionally product and model names.
 */
function observeModbusIdentity(e: AppEvent, ends: ConnectionEnds): void {
  if (e.dir !== 1 || ends.server === null) return;
  const f = e.fields;
  // Runs on every response: the function code (when the record has one) rules out all but FC 43.
  const code = f['modbus.func_code'];
  if (code !== undefined && code !== READ_DEVICE_IDENTIFICATION_CODE) return;
  const vendor = text(f['modbus.device_id.vendor_name']);
  const productCode = text(f['modbus.device_id.product_code']);
  const revision = text(f['modbus.device_id.revision']);
  const productName = text(f['modbus.device_id.product_name']);
  const modelName = text(f['modbus.device_id.model_name']);
  if (
    vendor === null &&
    productCode === null &&
    revision === null &&
    productName === null &&
    modelName === null
  ) {
    return;
  }
  ends.server.reportIdentity('modbus', 'Modbus device identification (FC 43/14)', e.ts, {
    vendor,
    productCode,
    revision,
    productName,
    modelName,
  });
}

export const APP_OBSERVERS: Readonly<Record<string, AppObserver>> = {
  dhcp: observeDhcp,
  modbus: observeModbusIdentity,
};

/**
 * Apps whose messages, not the connection, say who is client and who is server. DHCP runs over
 * broadcast UDP: a server's OFFER to 255.255.255.255 may look like a connection it opened.
 */
export const SIDES_FROM_MESSAGES: ReadonlySet<string> = new Set(['dhcp']);

export function appObserverFor(app: string | null): AppObserver | null {
  return app !== null && Object.hasOwn(APP_OBSERVERS, app) ? APP_OBSERVERS[app] : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
