// Event fields of EtherNet/IP, CIP and PCCC messages (DESIGN.md "Names": the dotted names are the
// public contract). One fields object per event, created with every common key in a fixed order so
// all events of a kind share one shape; the kind-specific keys (identity, connection, PCCC) are
// added only to the events that carry them. README.md lists every field with its type and meaning.

import type { DevicePart } from '../device.ts';
import type { Operation } from '../operations.ts';
import type { Fields } from '../types.ts';
import type { CipReply, CipRequest, ConnectionParams } from './cip.ts';
import type { EncapHeader, Identity } from './parser.ts';
import {
  className,
  deviceTypeName,
  encapCommandName,
  encapCommandOperation,
  encapStatusName,
  GENERAL_STATUSES,
  generalStatusName,
  identityStateName,
  pcccStatusName,
  serviceName,
  serviceOperation,
  vendorName,
} from './spec.ts';

/** Identity field names of one app (`enip.device.vendor`, ...), see device.ts. */
export type DeviceKeys = { readonly [P in DevicePart | 'unit' | 'ip']: string };

/** What the encapsulation layer says about the message an event belongs to. */
export interface Envelope {
  readonly header: EncapHeader;
  /** Connection id of the connected or sequenced address item (SendUnitData), else null. */
  readonly connectionId: number | null;
  /** CIP sequence count of a connected data item, else null. */
  readonly sequence: number | null;
  /** Route of the CIP connection a connected message travels on (from its Forward_Open). */
  readonly connectionRoute: string | null;
}

/** A reply may say PARTIAL_TRANSFER as the normal answer of a fragmented read (§A-4 / 1756-PM020). */
const NOT_AN_ERROR = GENERAL_STATUSES.PARTIAL_TRANSFER;

/** The common keys, encapsulation values filled in, CIP values null. */
export function envelopeFields(env: Envelope): Fields {
  const h = env.header;
  return {
    'enip.command': encapCommandName(h.command),
    'enip.command_code': h.command,
    'enip.length': h.length,
    'enip.session': h.session,
    'enip.status': encapStatusName(h.status),
    'enip.operation': encapCommandOperation(h.command),
    'enip.error': h.status === 0 ? null : encapStatusName(h.status),
    'cip.connection_id': env.connectionId,
    'cip.sequence': env.sequence,
    'cip.service': null,
    'cip.service_code': null,
    'cip.response': null,
    'cip.class': null,
    'cip.class_name': null,
    'cip.instance': null,
    'cip.attribute': null,
    'cip.symbol': null,
    'cip.route': null,
    'cip.status': null,
    'cip.status_code': null,
    'cip.extended_status': null,
    'cip.embedded': null,
    'cip.service_count': null,
  };
}

/** Events of a CIP request: the request, then one per Multiple_Service_Packet member. */
export function requestEvents(env: Envelope, request: CipRequest): Fields[] {
  const top = envelopeFields(env);
  fillRequest(top, env, request);
  const members = request.embedded;
  if (members === null) return [top];
  const events: Fields[] = [top];
  for (let i = 0; i < members.length; i++) {
    const f = envelopeFields(env);
    fillRequest(f, env, members[i]);
    f['cip.embedded'] = i + 1;
    if (f['cip.route'] === null) f['cip.route'] = top['cip.route'];
    events.push(f);
  }
  return events;
}

function fillRequest(f: Fields, env: Envelope, r: CipRequest): void {
  f['cip.service'] = r.name;
  f['cip.service_code'] = r.service;
  f['cip.response'] = false;
  f['cip.class'] = r.classId;
  f['cip.class_name'] = r.classId === null ? null : className(r.classId);
  f['cip.instance'] = r.instanceId;
  f['cip.attribute'] = r.attributeId;
  f['cip.symbol'] = r.symbol;
  f['cip.route'] = r.route ?? env.connectionRoute;
  f['cip.service_count'] = r.serviceCount;
  if (env.header.status === 0) f['enip.operation'] = r.operation;
  if (r.connection !== null) connectionFields(f, r.connection);
  if (r.pccc !== null) {
    f['pccc.command'] = r.pccc.cmd;
    f['pccc.function_code'] = r.pccc.fnc;
    f['pccc.function'] = r.pccc.name;
    f['pccc.tns'] = r.pccc.tns;
    f['pccc.status'] = null;
  }
}

function connectionFields(f: Fields, c: ConnectionParams): void {
  f['cip.connection.o_t_id'] = c.otId;
  f['cip.connection.t_o_id'] = c.toId;
  f['cip.connection.serial'] = c.serial;
  f['cip.connection.originator_vendor'] = c.originatorVendor;
  f['cip.connection.originator_serial'] = c.originatorSerial;
  f['cip.connection.rpi_o_t'] = c.rpiOt;
  f['cip.connection.rpi_t_o'] = c.rpiTo;
  f['cip.connection.transport_class'] = c.transportClass;
}

/**
 * Events of a CIP reply: the reply, then one per Multiple_Service_Packet member. `request` is the
 * request it answers (null when it was never seen); the reply takes its class, instance, attribute,
 * tag, route and operation from it, since a reply names none of them (Vol 1 §2-4.2).
 */
export function replyEvents(env: Envelope, reply: CipReply, request: CipRequest | null, dev: DeviceKeys) {
  const top = envelopeFields(env);
  fillReply(top, env, reply, request, dev);
  const members = reply.embedded;
  if (members === null) return [top];
  const events: Fields[] = [top];
  for (let i = 0; i < members.length; i++) {
    const f = envelopeFields(env);
    fillReply(f, env, members[i], request?.embedded?.[i] ?? null, dev);
    f['cip.embedded'] = i + 1;
    if (f['cip.route'] === null) f['cip.route'] = top['cip.route'];
    events.push(f);
  }
  return events;
}

function fillReply(f: Fields, env: Envelope, reply: CipReply, asked: CipRequest | null, dev: DeviceKeys) {
  // A reply answers its request when the service matches; an Unconnected_Send that the router
  // itself rejects answers with 0xD2 instead of the reply of the message it carried (§3-5.5.2).
  const request = asked !== null && asked.service === reply.service ? asked : null;
  const routerError = request === null && asked !== null && asked.routed && reply.service === 0x52;
  f['cip.service'] =
    request?.name ?? (routerError ? 'UNCONNECTED_SEND' : serviceName(reply.service, null, false));
  f['cip.service_code'] = reply.service;
  f['cip.response'] = true;
  const source = request ?? (routerError ? asked : null);
  if (source !== null) {
    f['cip.class'] = routerError ? 0x06 : source.classId;
    f['cip.class_name'] = f['cip.class'] === null ? null : className(f['cip.class'] as number);
    f['cip.instance'] = routerError ? 0x01 : source.instanceId;
    f['cip.attribute'] = routerError ? null : source.attributeId;
    f['cip.symbol'] = routerError ? null : source.symbol;
    f['cip.route'] = source.route ?? env.connectionRoute;
  } else {
    f['cip.route'] = env.connectionRoute;
  }
  f['cip.status'] = generalStatusName(reply.status);
  f['cip.status_code'] = reply.status;
  f['cip.extended_status'] = reply.extendedStatus;
  f['cip.service_count'] = reply.serviceCount;
  const operation: Operation =
    request?.operation ?? (routerError ? 'other' : serviceOperation(reply.service, null, false));
  if (env.header.status === 0) f['enip.operation'] = operation;
  if (env.header.status === 0 && reply.status !== 0 && reply.status !== NOT_AN_ERROR) {
    f['enip.error'] = generalStatusName(reply.status);
  }
  if (reply.connection !== null) connectionFields(f, reply.connection);
  if (request?.pccc != null) {
    const p = request.pccc;
    f['pccc.command'] = reply.pccc?.cmd ?? p.cmd;
    f['pccc.function_code'] = p.fnc;
    f['pccc.function'] = p.name;
    f['pccc.tns'] = reply.pccc?.tns ?? p.tns;
    f['pccc.status'] = reply.pccc?.status ?? null;
    const sts = reply.pccc?.status ?? 0;
    if (sts !== 0 && f['enip.error'] === null) f['enip.error'] = pcccStatusName(sts);
    const catalog = reply.pccc?.catalog ?? null;
    if (catalog !== null) {
      f['pccc.catalog'] = catalog;
      f[dev.model] = catalog;
      const unit = f['cip.route'];
      if (unit !== null) f[dev.unit] = unit;
    }
  }
  if (reply.identity !== null) {
    identityFields(f, reply.identity, dev);
    // A module answering through a chassis backplane is a device of its own (device.ts `unit`).
    const unit = f['cip.route'];
    if (unit !== null) f[dev.unit] = unit;
  }
}

/** Identity fields of a ListIdentity reply that carries no CIP message. */
export function listIdentityEvent(env: Envelope, identity: Identity, dev: DeviceKeys): Fields {
  const f = envelopeFields(env);
  identityFields(f, identity, dev);
  return f;
}

/** Serial numbers print as ICSNPP prints them: 0x and eight hex digits (`0x00524d8e`). */
export function formatSerial(serial: number): string {
  return `0x${serial.toString(16).padStart(8, '0')}`;
}

/**
 * The identity as protocol fields (`enip.identity.*`, every one present, null when the message did
 * not carry it) and as the device's identity (`<app>.device.*`, only the parts it carried): vendor
 * by its CIP vendor id, model from the product name (it is the catalog number, `1756-ENBT/A`),
 * product from the device type, firmware from the revision.
 */
export function identityFields(f: Fields, id: Identity, dev: DeviceKeys): void {
  const revision =
    id.revisionMajor === null || id.revisionMinor === null ? null : `${id.revisionMajor}.${id.revisionMinor}`;
  const serial = id.serial === null ? null : formatSerial(id.serial);
  const vendor = id.vendorId === null ? null : vendorName(id.vendorId);
  const deviceType = id.deviceType === null ? null : deviceTypeName(id.deviceType);
  f['enip.identity.encapsulation_version'] = id.encapsulationVersion;
  f['enip.identity.socket_address'] = id.socketAddress;
  f['enip.identity.socket_port'] = id.socketPort;
  f['enip.identity.vendor_id'] = id.vendorId;
  f['enip.identity.vendor'] = vendor;
  f['enip.identity.device_type'] = id.deviceType;
  f['enip.identity.device_type_name'] = deviceType;
  f['enip.identity.product_code'] = id.productCode;
  f['enip.identity.revision'] = revision;
  f['enip.identity.status'] = id.status;
  f['enip.identity.serial'] = serial;
  f['enip.identity.product_name'] = id.productName;
  f['enip.identity.state'] = id.state;
  f['enip.identity.state_name'] = id.state === null ? null : identityStateName(id.state);
  if (vendor !== null) {
    f[dev.vendor] = vendor;
    f[dev.vendor_id] = String(id.vendorId);
  }
  const model = id.productName?.trim() ?? '';
  if (model !== '') f[dev.model] = model;
  if (deviceType !== null) f[dev.product] = deviceType;
  if (id.productCode !== null) f[dev.product_code] = String(id.productCode);
  if (revision !== null) f[dev.firmware] = revision;
  if (serial !== null) f[dev.serial] = serial;
}

/** The event of one implicit I/O datagram (enip_io). */
export function ioEvent(connectionId: number, sequence: number | null, length: number): Fields {
  return {
    'enip.command': 'CIP_IO',
    'enip.operation': 'other',
    'enip.error': null,
    'cip.connection_id': connectionId,
    'cip.io.sequence': sequence,
    'cip.io.length': length,
  };
}

/** Fields a violation carries so a reader can place it: the encapsulation command and session. */
export function violationFields(header: EncapHeader | null): Fields | undefined {
  if (header === null) return undefined;
  return {
    'enip.command': encapCommandName(header.command),
    'enip.session': header.session,
  };
}
