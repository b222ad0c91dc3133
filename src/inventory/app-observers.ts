// What particular application messages tell the inventory beyond operations: DHCP leases and host
// names, and identities devices report about themselves. One observer per app, in one table;
// they run on every message of their app, so each returns early on the common case.

import { type DevicePart, deviceFields } from '../dissectors/device.ts';
import type { Fields } from '../dissectors/types.ts';
import { messageFunction, vocabularyOf } from '../dissectors/vocabulary.ts';
import type { AppEvent, LinkEvent } from '../pipeline/events.ts';
import type { AddressBook, MacRecord } from './address-book.ts';
import type { Endpoint } from './endpoint.ts';
import { identityOf, REPORTED_PARTS, type ReportedPart } from './reported-identity.ts';

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
 * Modbus/TCP unit ids that address the server itself rather than a device behind it: 0xFF is the
 * id the Implementation Guide (§4.4.1.1) recommends for a TCP device, and 0 is what many use.
 */
export const MODBUS_SELF_UNITS: ReadonlySet<number> = new Set([0, 255]);

/** `unit <n>` for every Modbus unit id, built once (a label per message would allocate). */
export const MODBUS_UNIT_LABELS: readonly string[] = Array.from({ length: 256 }, (_, i) => `unit ${i}`);

/**
 * Modbus Read Device Identification (FC 43 / MEI 14, Modbus Application Protocol V1.1b3 section
 * 6.21), answered by the server: the device names its vendor, product code and revision (the
 * mandatory basic objects) and optionally product and model names. Behind a gateway the unit id
 * says which device answered; assemble.ts decides whether the server is such a gateway. UMAS READ_ID
 * and other Modbus messages that carry `modbus.device.*` go through the generic observer.
 */
function observeModbusIdentity(e: AppEvent, ends: ConnectionEnds, book: AddressBook): void {
  if (e.dir !== 1 || ends.server === null) return;
  const f = e.fields;
  // Runs on every response: the function code (when the record has one) rules out all but FC 43.
  const code = f['modbus.func_code'];
  if (code !== undefined && code !== READ_DEVICE_IDENTIFICATION_CODE) {
    MODBUS_DEVICE(e, ends, book);
    return;
  }
  const values = {
    vendor: text(f['modbus.device_id.vendor_name']),
    productCode: text(f['modbus.device_id.product_code']),
    firmware: text(f['modbus.device_id.revision']),
    product: text(f['modbus.device_id.product_name']),
    model: text(f['modbus.device_id.model_name']),
  };
  if (Object.values(values).every((v) => v === null)) return;
  const via = 'Modbus device identification (FC 43/14)';
  const unit = f['modbus.unit'];
  if (typeof unit === 'number' && !MODBUS_SELF_UNITS.has(unit) && unit >= 0 && unit < 256) {
    const record = ends.server.unit(MODBUS_UNIT_LABELS[unit], 'modbus');
    if (record !== null) {
      record.seen(e.ts);
      identityOf(record).report('modbus', via, e.ts, values);
      return;
    }
  }
  ends.server.reportIdentity('modbus', via, e.ts, values);
}

/**
 * Any protocol's `<app>.device.<part>` fields (dissectors/device.ts): the identity of the message's
 * sender, or of a device behind it when `<app>.device.unit` names one. The message's function field
 * (the descriptor's funcFields) says which message reported it.
 */
export function deviceObserver(app: string, funcFields: readonly string[]): AppObserver {
  const keys = deviceFields(app);
  const partKeys = REPORTED_PARTS.map((part) => keys[PART_FIELD[part]]);
  const only = identityFuncsOf(app);
  return (e, ends) => {
    const f = e.fields;
    if (only !== undefined && !only.has(messageFunction({ funcFields }, f) ?? '')) return;
    let any = false;
    for (let i = 0; i < partKeys.length && !any; i++) any = f[partKeys[i]] != null;
    if (!any) return;
    const sender = e.dir === 0 ? ends.client : ends.server;
    if (sender === null) return;
    const values: Partial<Record<ReportedPart, string | null>> = {};
    REPORTED_PARTS.forEach((part, i) => {
      values[part] = fieldText(f[partKeys[i]]);
    });
    const via = messageName(f, funcFields, app);
    const unit = text(f[keys.unit]);
    if (unit !== null) {
      const record = sender.unit(unit, app);
      if (record !== null) {
        record.declared = true;
        record.seen(e.ts);
        identityOf(record).report(app, via, e.ts, values);
        return;
      }
    }
    sender.reportIdentity(app, via, e.ts, values);
  };
}

/**
 * The same for a link-layer frame: the identity of the frame's source MAC. Runs on every frame,
 * most of them cyclic PROFINET data that names nobody, so it first checks whether any identity
 * field is there at all.
 */
export function observeLinkIdentity(e: LinkEvent, record: MacRecord, funcFields: readonly string[]): void {
  const f = e.fields;
  const only = identityFuncsOf(e.app);
  if (only !== undefined && !only.has(messageFunction({ funcFields }, f) ?? '')) return;
  const keys = partKeysOf(e.app);
  let any = false;
  for (let i = 0; i < keys.length && !any; i++) any = f[keys[i]] != null;
  if (!any) return;
  const values: Partial<Record<ReportedPart, string | null>> = {};
  REPORTED_PARTS.forEach((part, i) => {
    values[part] = fieldText(f[keys[i]]);
  });
  identityOf(record).report(e.app, messageName(f, funcFields, e.app), e.ts, values);
}

/** Per app, the messages that may carry identity, when its descriptor says (types.ts identityFuncs). */
const IDENTITY_FUNCS = new Map<string, ReadonlySet<string> | undefined>();

function identityFuncsOf(app: string): ReadonlySet<string> | undefined {
  if (!IDENTITY_FUNCS.has(app)) {
    const funcs = vocabularyOf(app)?.identityFuncs;
    IDENTITY_FUNCS.set(app, funcs === undefined ? undefined : new Set(funcs));
  }
  return IDENTITY_FUNCS.get(app);
}

const PART_KEYS = new Map<string, readonly string[]>();

/** `<app>.device.<part>` for every part in REPORTED_PARTS order, built once per app. */
function partKeysOf(app: string): readonly string[] {
  let keys = PART_KEYS.get(app);
  if (keys === undefined) {
    const fields = deviceFields(app);
    keys = REPORTED_PARTS.map((part) => fields[PART_FIELD[part]]);
    PART_KEYS.set(app, keys);
  }
  return keys;
}

/** The inventory's part names and the dissectors' field suffixes (dissectors/device.ts). */
const PART_FIELD: Readonly<Record<ReportedPart, DevicePart>> = {
  vendor: 'vendor',
  vendorId: 'vendor_id',
  model: 'model',
  product: 'product',
  productCode: 'product_code',
  firmware: 'firmware',
  hardware: 'hardware',
  serial: 'serial',
  name: 'name',
  description: 'description',
  software: 'software',
  deviceId: 'id',
};

/** `s7comm READ_SZL`: the app and the message's function, for provenance. */
function messageName(f: Fields, funcFields: readonly string[], app: string): string {
  const func = messageFunction({ funcFields }, f);
  return func === null ? app : `${app} ${func}`;
}

function fieldText(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return text(value);
}

/** Modbus messages other than 43/14 that carry identity (UMAS READ_ID). */
const MODBUS_DEVICE = deviceObserver('modbus', ['modbus.umas.func', 'modbus.func']);

export const APP_OBSERVERS: Readonly<Record<string, AppObserver>> = {
  dhcp: observeDhcp,
  modbus: observeModbusIdentity,
};

/**
 * Apps whose messages, not the connection, say who is client and who is server. DHCP runs over
 * broadcast UDP: a server's OFFER to 255.255.255.255 may look like a connection it opened.
 */
export const SIDES_FROM_MESSAGES: ReadonlySet<string> = new Set(['dhcp']);

/** The fields that name a message of `app` (its descriptor's funcFields); none for an unknown app. */
export function funcFieldsOf(app: string): readonly string[] {
  return vocabularyOf(app)?.funcFields ?? [];
}

const GENERIC_OBSERVERS = new Map<string, AppObserver>();

/** The observer for an app: its own when it has one, else the generic identity observer. */
export function appObserverFor(app: string | null): AppObserver | null {
  if (app === null) return null;
  if (Object.hasOwn(APP_OBSERVERS, app)) return APP_OBSERVERS[app];
  let observer = GENERIC_OBSERVERS.get(app);
  if (observer === undefined) {
    const v = vocabularyOf(app);
    if (v === undefined) return null;
    observer = deviceObserver(app, v.funcFields);
    GENERIC_OBSERVERS.set(app, observer);
  }
  return observer;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
