// Pure, bounded decoding of one BACnet/IP datagram (ANSI/ASHRAE 135-2020): the BVLL of Annex J,
// the NPDU of clause 6, the APDU of clause 20.1 and the service parameters of clauses 13-17,
// read through the tag reader of tags.ts. Multi-octet fields are big-endian (J.2, 6.2, 20.2).
// A datagram is always whole, so a result is ok or a violation, never incomplete. Nothing here
// throws, whatever the bytes; every limit is a named constant.

import type { Fields, FieldValue, ParseResult } from '../types.ts';
import {
  ABORT_REASON_NAMES,
  APP_TAG,
  BVLC_FUNCTION_NAMES,
  BVLC_FUNCTIONS,
  BVLC_OPERATIONS,
  BVLC_RESULT_NAMES,
  BVLC_TYPE_BIP,
  CONFIRMED_SERVICE_NAMES,
  CONFIRMED_SERVICE_OPERATIONS,
  CONFIRMED_SERVICES as CS,
  ENABLE_DISABLE_NAMES,
  ERROR_CLASS_NAMES,
  ERROR_CODE_NAMES,
  FIRST_PROPRIETARY_NETWORK_MESSAGE,
  GLOBAL_BROADCAST_NETWORK,
  NETWORK_MESSAGE_NAMES,
  NETWORK_MESSAGE_OPERATIONS,
  NETWORK_REJECT_REASONS,
  NETWORK_MESSAGES as NM,
  NPCI,
  NPDU_VERSION,
  nameOf,
  OBJECT_TYPE,
  PDU_TYPES as PDU,
  PDU_TYPE_NAMES,
  PROPERTY,
  PROPERTY_NAMES,
  REINITIALIZED_STATE_NAMES,
  REJECT_REASON_NAMES,
  SEGMENTATION_NAMES,
  UNCONFIRMED_SERVICE_NAMES,
  UNCONFIRMED_SERVICE_OPERATIONS,
  UNCONFIRMED_SERVICES as US,
  WILDCARD_INSTANCE,
} from './spec.ts';
import {
  applicationValue,
  hex,
  objectInstance,
  objectLabel,
  objectType,
  objectTypeName,
  type PrimitiveValue,
  readCharacterString,
  readDate,
  readTime,
  TAG_KIND,
  TagReader,
} from './tags.ts';
import { vendorName } from './vendors.ts';

/** BVLC header: type, function, length (J.2). */
export const BVLC_HEADER_LENGTH = 4;

/** The original source's B/IP address (4 octets IP, 2 octets port) in a Forwarded-NPDU (J.2.9). */
export const BIP_ADDRESS_LENGTH = 6;

/** A BDT entry is an address and a 4-octet mask (J.2.2); an FDT entry an address, TTL and time left (J.2.8). */
export const TABLE_ENTRY_LENGTH = 10;

/** Largest NPDU on BACnet/IP (Table 6-1: 1497 octets). */
export const MAX_NPDU_LENGTH = 1497;

/** Largest BVLL message: the Forwarded-NPDU header around the largest NPDU (J.2). */
export const MAX_BVLL_LENGTH = BVLC_HEADER_LENGTH + BIP_ADDRESS_LENGTH + MAX_NPDU_LENGTH;

/** Largest APDU a B/IP device may accept (20.1.2.5, Table 6-1: 1476 octets). */
export const MAX_APDU_LENGTH = 1476;

/**
 * Items kept in one list field (`bacnet.objects`, `bacnet.properties`, `bacnet.networks`, a
 * list-valued `bacnet.value`, BDT/FDT addresses). The count fields always say how many there were.
 */
export const MAX_LIST_ITEMS = 32;

/** Every BACnet/IP message becomes one record of these fields, dotted names being the contract. */
export type BacnetMessage = Fields;

/** The fields every message has, null where they do not apply. Identity and service fields are added. */
export function newFields(): BacnetMessage {
  return {
    'bacnet.bvlc_function': null,
    'bacnet.network_message': null,
    'bacnet.pdu_type': null,
    'bacnet.service': null,
    'bacnet.operation': 'other',
    'bacnet.invoke_id': null,
    'bacnet.object_type': null,
    'bacnet.instance': null,
    'bacnet.property': null,
    'bacnet.array_index': null,
    'bacnet.value': null,
    'bacnet.priority': null,
    'bacnet.error': null,
    'bacnet.error_class': null,
    'bacnet.unit': null,
    'bacnet.snet': null,
    'bacnet.sadr': null,
    'bacnet.dnet': null,
    'bacnet.dadr': null,
    'bacnet.hop_count': null,
    'bacnet.forwarded_from': null,
  };
}

/** Parses one datagram. The message is the record of fields; a violation says why not. */
export function parseBacnet(data: Uint8Array): ParseResult<BacnetMessage> {
  const f = newFields();
  const reason = decodeInto(data, f);
  if (reason !== null) return { kind: 'violation', consumed: data.length, reason };
  return { kind: 'ok', consumed: data.length, message: f };
}

/**
 * Decodes a datagram into `f` and returns null, or the reason it is malformed. On a violation `f`
 * keeps what was decoded before the fault (BVLC function, PDU type, service, invoke id), which is
 * what a violation event reports.
 */
export function decodeInto(data: Uint8Array, f: BacnetMessage): string | null {
  const n = data.length;
  if (n < BVLC_HEADER_LENGTH) return `BVLC header needs 4 octets, datagram has ${n}`;
  if (data[0] !== BVLC_TYPE_BIP) return `BVLC type 0x${hex(data, 0, 1)} is not BACnet/IP (0x81)`;
  const fn = data[1];
  f['bacnet.bvlc_function'] = nameOf(BVLC_FUNCTION_NAMES, fn);
  f['bacnet.operation'] = BVLC_OPERATIONS[fn] ?? 'other';
  if (n > MAX_BVLL_LENGTH) return `datagram of ${n} octets exceeds the B/IP maximum of ${MAX_BVLL_LENGTH}`;
  // The message is decoded within the datagram, whatever its BVLC length says: UDP delimits it,
  // and crafted traffic (attack tools, fuzzers) often gets the BVLC length wrong while the device
  // still acts on the request. `bvlcLengthProblem` reports such a mismatch separately.
  switch (fn) {
    case BVLC_FUNCTIONS.BVLC_RESULT: {
      if (n !== 6) return `BVLC-Result of ${n} octets (J.2.1: 6)`;
      const code = (data[4] << 8) | data[5];
      const name = (code & 0x0f) === 0 ? nameOf(BVLC_RESULT_NAMES, code >> 4) : `UNKNOWN-${code}`;
      f['bacnet.bvlc_result'] = name;
      if (code !== 0) f['bacnet.error'] = name;
      return null;
    }
    case BVLC_FUNCTIONS.WRITE_BROADCAST_DISTRIBUTION_TABLE:
    case BVLC_FUNCTIONS.READ_BROADCAST_DISTRIBUTION_TABLE_ACK:
    case BVLC_FUNCTIONS.READ_FOREIGN_DEVICE_TABLE_ACK:
      return tableEntries(data, f);
    case BVLC_FUNCTIONS.READ_BROADCAST_DISTRIBUTION_TABLE:
    case BVLC_FUNCTIONS.READ_FOREIGN_DEVICE_TABLE:
      return n === BVLC_HEADER_LENGTH
        ? null
        : `${f['bacnet.bvlc_function']} carries ${n - 4} unexpected octets`;
    case BVLC_FUNCTIONS.FORWARDED_NPDU:
      if (n < BVLC_HEADER_LENGTH + BIP_ADDRESS_LENGTH) return 'Forwarded-NPDU without the original address';
      f['bacnet.forwarded_from'] = bipAddress(data, BVLC_HEADER_LENGTH);
      // A BBMD relays the message (J.4.5): the sender's IP is the BBMD's, the device's is this one.
      f['bacnet.device.ip'] = `${data[4]}.${data[5]}.${data[6]}.${data[7]}`;
      return decodeNpdu(data, BVLC_HEADER_LENGTH + BIP_ADDRESS_LENGTH, n, f);
    case BVLC_FUNCTIONS.REGISTER_FOREIGN_DEVICE:
      if (n !== 6) return `Register-Foreign-Device of ${n} octets (J.2.6: 6)`;
      f['bacnet.ttl'] = (data[4] << 8) | data[5];
      return null;
    case BVLC_FUNCTIONS.DELETE_FOREIGN_DEVICE_TABLE_ENTRY:
      if (n !== BVLC_HEADER_LENGTH + BIP_ADDRESS_LENGTH)
        return `Delete-Foreign-Device-Table-Entry of ${n} octets (J.2.10: 10)`;
      f['bacnet.addresses'] = [bipAddress(data, BVLC_HEADER_LENGTH)];
      return null;
    case BVLC_FUNCTIONS.DISTRIBUTE_BROADCAST_TO_NETWORK:
    case BVLC_FUNCTIONS.ORIGINAL_UNICAST_NPDU:
    case BVLC_FUNCTIONS.ORIGINAL_BROADCAST_NPDU:
      return decodeNpdu(data, BVLC_HEADER_LENGTH, n, f);
    default:
      // Secure-BVLL (J.2.13) and unassigned functions: recognised by name, contents opaque.
      return null;
  }
}

/**
 * J.2: the BVLC length counts the whole BVLL message, header included, so it must equal the UDP
 * payload's length. Returns why it does not, or null.
 */
export function bvlcLengthProblem(data: Uint8Array): string | null {
  if (data.length < BVLC_HEADER_LENGTH) return null;
  const length = (data[2] << 8) | data[3];
  return length === data.length
    ? null
    : `BVLC length ${length} does not match the ${data.length}-octet datagram (J.2)`;
}

/** `a.b.c.d:port` of a 6-octet B/IP address (J.1.2). */
function bipAddress(d: Uint8Array, at: number): string {
  return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}:${(d[at + 4] << 8) | d[at + 5]}`;
}

/** BDT (J.2.2, J.2.4) and FDT (J.2.8) entries: 10 octets each, led by a B/IP address. */
function tableEntries(d: Uint8Array, f: BacnetMessage): string | null {
  const body = d.length - BVLC_HEADER_LENGTH;
  if (body % TABLE_ENTRY_LENGTH !== 0) {
    return `${f['bacnet.bvlc_function']} of ${body} octets is not a whole number of 10-octet entries`;
  }
  const count = body / TABLE_ENTRY_LENGTH;
  const addresses: string[] = [];
  for (let i = 0; i < count && i < MAX_LIST_ITEMS; i++) {
    addresses.push(bipAddress(d, BVLC_HEADER_LENGTH + i * TABLE_ENTRY_LENGTH));
  }
  f['bacnet.entries'] = count;
  f['bacnet.addresses'] = addresses;
  return null;
}

/** `net <n> mac <hex>`, the address of a device beyond a router (6.2.2), as device.ts names units. */
function remoteAddress(net: number, d: Uint8Array, at: number, length: number): string {
  return length === 0 ? `net ${net}` : `net ${net} mac ${hex(d, at, length)}`;
}

/** The NPDU in d[pos, end): NPCI (6.2), then a network layer message or an APDU. */
function decodeNpdu(d: Uint8Array, pos: number, end: number, f: BacnetMessage): string | null {
  if (end - pos < 2) return 'NPDU shorter than its version and control octets';
  if (end - pos > MAX_NPDU_LENGTH)
    return `NPDU of ${end - pos} octets exceeds the B/IP maximum of ${MAX_NPDU_LENGTH}`;
  if (d[pos] !== NPDU_VERSION) return `NPDU version ${d[pos]} is not 1`;
  const control = d[pos + 1];
  // 6.2.2: bits 6 and 4 are reserved and shall be zero.
  if ((control & 0x50) !== 0) return `NPCI control 0x${hex(d, pos + 1, 1)} sets reserved bits`;
  let p = pos + 2;
  let dnet = -1;
  let dadrAt = 0;
  let dlen = 0;
  if ((control & NPCI.DESTINATION_PRESENT) !== 0) {
    if (end - p < 3) return 'NPCI destination truncated';
    dnet = (d[p] << 8) | d[p + 1];
    dlen = d[p + 2];
    p += 3;
    if (end - p < dlen) return 'NPCI destination address truncated';
    dadrAt = p;
    p += dlen;
    f['bacnet.dnet'] = dnet;
    // DLEN 0 is a broadcast on DNET (6.2.2): no address.
    f['bacnet.dadr'] = dlen === 0 ? null : hex(d, dadrAt, dlen);
  }
  if ((control & NPCI.SOURCE_PRESENT) !== 0) {
    if (end - p < 3) return 'NPCI source truncated';
    const snet = (d[p] << 8) | d[p + 1];
    const slen = d[p + 2];
    p += 3;
    // 6.2.2: SNET 0xFFFF and SLEN 0 are invalid; a source is always one device on one network.
    if (snet === GLOBAL_BROADCAST_NETWORK) return 'NPCI source network 65535 (invalid)';
    if (slen === 0) return 'NPCI source address length 0 (invalid)';
    if (end - p < slen) return 'NPCI source address truncated';
    f['bacnet.snet'] = snet;
    f['bacnet.sadr'] = hex(d, p, slen);
    // The sender is a device on another network, reached through the router at the sender's IP.
    const unit = remoteAddress(snet, d, p, slen);
    f['bacnet.unit'] = unit;
    f['bacnet.device.unit'] = unit;
    p += slen;
  }
  if (dnet >= 0) {
    if (p >= end) return 'NPCI hop count missing';
    f['bacnet.hop_count'] = d[p++];
    if (f['bacnet.unit'] === null && dnet !== GLOBAL_BROADCAST_NETWORK && dlen > 0) {
      f['bacnet.unit'] = remoteAddress(dnet, d, dadrAt, dlen);
    }
  }
  if ((control & NPCI.NETWORK_MESSAGE) !== 0) return decodeNetworkMessage(d, p, end, f);
  if (p >= end) return 'NPDU without an APDU';
  if (end - p > MAX_APDU_LENGTH) return `APDU of ${end - p} octets exceeds the maximum of ${MAX_APDU_LENGTH}`;
  return decodeApdu(d, p, end, f);
}

/** Network layer messages (6.4): type, vendor id for proprietary types, then the message. */
function decodeNetworkMessage(d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  if (p >= end) return 'network layer message type missing';
  const type = d[p++];
  f['bacnet.network_message'] = nameOf(NETWORK_MESSAGE_NAMES, type);
  f['bacnet.operation'] = NETWORK_MESSAGE_OPERATIONS[type] ?? 'other';
  if (type >= FIRST_PROPRIETARY_NETWORK_MESSAGE) {
    if (end - p < 2) return 'proprietary network message without its vendor id';
    f['bacnet.vendor_id'] = (d[p] << 8) | d[p + 1];
    return null;
  }
  const body = end - p;
  switch (type) {
    case NM.WHO_IS_ROUTER_TO_NETWORK:
      // 6.4.1: the network number is optional.
      if (body === 0) return null;
      if (body !== 2) return `Who-Is-Router-To-Network with ${body} octets (0 or 2)`;
      f['bacnet.networks'] = [(d[p] << 8) | d[p + 1]];
      return null;
    case NM.I_AM_ROUTER_TO_NETWORK:
    case NM.ROUTER_BUSY_TO_NETWORK:
    case NM.ROUTER_AVAILABLE_TO_NETWORK:
      return networkList(d, p, end, f);
    case NM.I_COULD_BE_ROUTER_TO_NETWORK:
      if (body !== 3) return `I-Could-Be-Router-To-Network with ${body} octets (3)`;
      f['bacnet.networks'] = [(d[p] << 8) | d[p + 1]];
      return null;
    case NM.REJECT_MESSAGE_TO_NETWORK:
      if (body !== 3) return `Reject-Message-To-Network with ${body} octets (3)`;
      f['bacnet.error'] = nameOf(NETWORK_REJECT_REASONS, d[p]);
      f['bacnet.networks'] = [(d[p + 1] << 8) | d[p + 2]];
      return null;
    case NM.INITIALIZE_ROUTING_TABLE:
    case NM.INITIALIZE_ROUTING_TABLE_ACK:
      return routingTable(d, p, end, f);
    case NM.ESTABLISH_CONNECTION_TO_NETWORK:
    case NM.DISCONNECT_CONNECTION_TO_NETWORK:
    case NM.NETWORK_NUMBER_IS: {
      const want = type === NM.DISCONNECT_CONNECTION_TO_NETWORK ? 2 : 3;
      if (body !== want) return `${f['bacnet.network_message']} with ${body} octets (${want})`;
      f['bacnet.networks'] = [(d[p] << 8) | d[p + 1]];
      return null;
    }
    default:
      // What-Is-Network-Number has no body; the clause 24 security messages are recognised only.
      return null;
  }
}

/** A list of 2-octet network numbers (6.4.2, 6.4.5, 6.4.6). */
function networkList(d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  if ((end - p) % 2 !== 0) return `${f['bacnet.network_message']}: odd length for a list of network numbers`;
  const networks: number[] = [];
  for (let q = p; q < end && networks.length < MAX_LIST_ITEMS; q += 2) networks.push((d[q] << 8) | d[q + 1]);
  f['bacnet.networks'] = networks;
  f['bacnet.network_count'] = (end - p) / 2;
  return null;
}

/** Initialize-Routing-Table(-Ack) (6.4.7): port count, then DNET, port id, info length, info. */
function routingTable(d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  if (p >= end) return `${f['bacnet.network_message']} without its port count`;
  const ports = d[p++];
  const networks: number[] = [];
  for (let i = 0; i < ports; i++) {
    if (end - p < 4) return `${f['bacnet.network_message']}: routing table entry ${i + 1} truncated`;
    if (networks.length < MAX_LIST_ITEMS) networks.push((d[p] << 8) | d[p + 1]);
    const infoLength = d[p + 3];
    p += 4;
    if (end - p < infoLength) return `${f['bacnet.network_message']}: port info of entry ${i + 1} truncated`;
    p += infoLength;
  }
  if (p !== end) return `${f['bacnet.network_message']}: ${end - p} octets after the routing table`;
  f['bacnet.networks'] = networks;
  f['bacnet.network_count'] = ports;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Clause 20.1: the APDU

/** The APDU in d[p, end) (20.1.2 - 20.1.9). */
function decodeApdu(d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  const type = d[p] >> 4;
  const flags = d[p] & 0x0f;
  const length = end - p;
  f['bacnet.pdu_type'] = nameOf(PDU_TYPE_NAMES, type);
  switch (type) {
    case PDU.CONFIRMED_REQUEST: {
      // 20.1.2: flags (SEG, MOR, SA), max segments / max APDU, invoke id, [sequence, window], service.
      const segmented = (flags & 0x08) !== 0;
      const header = segmented ? 6 : 4;
      if (length < header) return 'Confirmed-Request PDU header truncated';
      f['bacnet.invoke_id'] = d[p + 2];
      const service = d[p + header - 1];
      confirmedService(service, f);
      if (segmented) {
        f['bacnet.sequence'] = d[p + 3];
        // Only the first segment starts the service parameters; later ones continue them.
        if (d[p + 3] !== 0) return null;
      }
      return tolerate(confirmedRequest(service, d, p + header, end, f), segmented);
    }
    case PDU.UNCONFIRMED_REQUEST: {
      if (length < 2) return 'Unconfirmed-Request PDU without a service choice';
      const service = d[p + 1];
      f['bacnet.service'] = nameOf(UNCONFIRMED_SERVICE_NAMES, service);
      f['bacnet.operation'] = UNCONFIRMED_SERVICE_OPERATIONS[service] ?? 'other';
      return unconfirmedRequest(service, d, p + 2, end, f);
    }
    case PDU.SIMPLE_ACK:
      if (length < 3) return 'SimpleACK PDU truncated';
      if (length > 3) return `SimpleACK PDU with ${length - 3} octets after the service choice`;
      f['bacnet.invoke_id'] = d[p + 1];
      confirmedService(d[p + 2], f);
      return null;
    case PDU.COMPLEX_ACK: {
      const segmented = (flags & 0x08) !== 0;
      const header = segmented ? 5 : 3;
      if (length < header) return 'ComplexACK PDU header truncated';
      f['bacnet.invoke_id'] = d[p + 1];
      const service = d[p + header - 1];
      confirmedService(service, f);
      if (segmented) {
        f['bacnet.sequence'] = d[p + 2];
        if (d[p + 2] !== 0) return null;
      }
      return tolerate(complexAck(service, d, p + header, end, f), segmented);
    }
    case PDU.SEGMENT_ACK:
      if (length !== 4) return `SegmentACK PDU of ${length} octets (20.1.6: 4)`;
      f['bacnet.invoke_id'] = d[p + 1];
      f['bacnet.sequence'] = d[p + 2];
      f['bacnet.window'] = d[p + 3];
      f['bacnet.nak'] = (flags & 0x02) !== 0;
      f['bacnet.from_server'] = (flags & 0x01) !== 0;
      return null;
    case PDU.ERROR_PDU:
      if (length < 3) return 'Error PDU truncated';
      f['bacnet.invoke_id'] = d[p + 1];
      confirmedService(d[p + 2], f);
      return errorBody(d, p + 3, end, f);
    case PDU.REJECT_PDU:
      if (length !== 3) return `Reject PDU of ${length} octets (20.1.8: 3)`;
      f['bacnet.invoke_id'] = d[p + 1];
      f['bacnet.error'] = nameOf(REJECT_REASON_NAMES, d[p + 2]);
      return null;
    case PDU.ABORT_PDU:
      if (length !== 3) return `Abort PDU of ${length} octets (20.1.9: 3)`;
      f['bacnet.invoke_id'] = d[p + 1];
      f['bacnet.error'] = nameOf(ABORT_REASON_NAMES, d[p + 2]);
      f['bacnet.from_server'] = (flags & 0x01) !== 0;
      return null;
    default:
      return `reserved APDU type ${type}`;
  }
}

/** The first segment of a segmented message holds only the start of the parameters: no verdict. */
function tolerate(reason: string | null, segmented: boolean): string | null {
  return segmented ? null : reason;
}

function confirmedService(service: number, f: BacnetMessage): void {
  f['bacnet.service'] = nameOf(CONFIRMED_SERVICE_NAMES, service);
  f['bacnet.operation'] = CONFIRMED_SERVICE_OPERATIONS[service] ?? 'other';
}

// ---------------------------------------------------------------------------------------------
// Service parameters (clauses 13-17, ASN.1 in clause 21)

// Scratch for one decoded value and the one tag reader: parsing is synchronous and never re-entered,
// so one of each per module serves every call without allocating.
const scratchValue: PrimitiveValue = { value: null, type: '' };
const reader = new TagReader();

function confirmedRequest(
  service: number,
  d: Uint8Array,
  p: number,
  end: number,
  f: BacnetMessage,
): string | null {
  const r = reader.reset(d, p, end);
  switch (service) {
    case CS.READ_PROPERTY:
      // 15.5.1.1: [0] object, [1] property, [2] array index OPTIONAL.
      return objectPropertyReference(r, f, 0) ?? finished(r);
    case CS.WRITE_PROPERTY:
      // 15.9.1.1: ... [3] value, [4] priority OPTIONAL.
      return (
        objectPropertyReference(r, f, 0) ?? propertyValue(r, 3, f) ?? writePriority(r, 4, f) ?? finished(r)
      );
    case CS.READ_RANGE:
    case CS.ADD_LIST_ELEMENT:
    case CS.REMOVE_LIST_ELEMENT:
      // 15.8.1.1, 15.1.1.1, 15.2.1.1 start with the same object property reference; the rest is
      // a range or a list of elements, recognised.
      return objectPropertyReference(r, f, 0);
    case CS.READ_PROPERTY_MULTIPLE:
      return readAccessSpecifications(r, f);
    case CS.WRITE_PROPERTY_MULTIPLE:
      return writeAccessSpecifications(r, f);
    case CS.REINITIALIZE_DEVICE:
      return reinitializeDevice(r, f);
    case CS.DEVICE_COMMUNICATION_CONTROL:
      return deviceCommunicationControl(r, f);
    case CS.ATOMIC_READ_FILE:
    case CS.ATOMIC_WRITE_FILE:
      return atomicFileRequest(r, service === CS.ATOMIC_WRITE_FILE, f);
    case CS.SUBSCRIBE_COV:
    case CS.SUBSCRIBE_COV_PROPERTY:
      // 13.14.1.1, 13.15.1.1: [0] process id, [1] monitored object, then options.
      if (!r.expectContext(0)) return r.error;
      return contextObject(r, 1, f);
    case CS.ACKNOWLEDGE_ALARM:
      // 13.5.1.1: [0] process id, [1] event object.
      if (!r.expectContext(0)) return r.error;
      return contextObject(r, 1, f);
    case CS.CONFIRMED_COV_NOTIFICATION:
    case CS.CONFIRMED_EVENT_NOTIFICATION:
      return notification(r, f);
    case CS.CREATE_OBJECT:
      return createObject(r, f);
    case CS.DELETE_OBJECT:
      // 15.4.1.1: the object identifier, application-tagged.
      return applicationObject(r, f) ?? finished(r);
    case CS.CONFIRMED_PRIVATE_TRANSFER:
      return privateTransfer(r, f);
    default:
      // Recognised by name; parameters not decoded.
      return null;
  }
}

function complexAck(service: number, d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  const r = reader.reset(d, p, end);
  switch (service) {
    case CS.READ_PROPERTY: {
      // 15.5.1.3: [0] object, [1] property, [2] array index OPTIONAL, [3] value.
      const fault = objectPropertyReference(r, f, 0) ?? propertyValue(r, 3, f) ?? finished(r);
      if (fault === null) deviceProperty(f, f['bacnet.property_id'] as number, f['bacnet.value']);
      return fault;
    }
    case CS.READ_RANGE: {
      // 15.8.1.3: [0] object, [1] property, [2] index OPTIONAL, [3] result flags, [4] item count, ...
      const fault = objectPropertyReference(r, f, 0);
      if (fault !== null) return fault;
      if (!r.expectContext(3) || !r.expectContext(4)) return r.error;
      f['bacnet.item_count'] = r.unsigned();
      return null;
    }
    case CS.READ_PROPERTY_MULTIPLE:
      return readAccessResults(r, f);
    case CS.ATOMIC_READ_FILE:
      return atomicReadFileAck(r, f);
    case CS.ATOMIC_WRITE_FILE: {
      // 14.2.1.3: [0] file start position or [1] file start record.
      if (!r.next() || r.kind !== TAG_KIND.CONTEXT || r.tagNumber > 1)
        return r.error || 'expected context tag 0 or 1';
      f['bacnet.file_access'] = r.tagNumber === 0 ? 'stream' : 'record';
      f['bacnet.file_start'] = r.signed();
      return finished(r);
    }
    case CS.CREATE_OBJECT:
      // 15.3.1.3: the new object's identifier.
      return applicationObject(r, f) ?? finished(r);
    case CS.CONFIRMED_PRIVATE_TRANSFER:
      return privateTransfer(r, f);
    default:
      return null;
  }
}

function unconfirmedRequest(
  service: number,
  d: Uint8Array,
  p: number,
  end: number,
  f: BacnetMessage,
): string | null {
  const r = reader.reset(d, p, end);
  switch (service) {
    case US.WHO_IS:
      return whoIs(r, f);
    case US.I_AM:
      return iAm(r, f);
    case US.WHO_HAS:
      return whoHas(r, f);
    case US.I_HAVE:
      return iHave(r, f);
    case US.TIME_SYNCHRONIZATION:
    case US.UTC_TIME_SYNCHRONIZATION: {
      // 16.7.1, 16.8.1: BACnetDateTime, a Date then a Time.
      if (!r.expectApplication(APP_TAG.DATE) || r.length !== 4)
        return r.error || 'date of other than 4 octets';
      const date = readDate(d, r.valueStart);
      if (!r.expectApplication(APP_TAG.TIME) || r.length !== 4)
        return r.error || 'time of other than 4 octets';
      f['bacnet.time'] = `${date} ${readTime(d, r.valueStart)}`;
      return finished(r);
    }
    case US.UNCONFIRMED_COV_NOTIFICATION:
    case US.UNCONFIRMED_EVENT_NOTIFICATION:
      return notification(r, f);
    case US.UNCONFIRMED_PRIVATE_TRANSFER:
      return privateTransfer(r, f);
    case US.WHO_AM_I:
      return whoAmI(r, f);
    default:
      return null;
  }
}

/** Fails unless every octet of the parameters was used. */
function finished(r: TagReader): string | null {
  return r.atEnd() ? null : `${r.end - r.pos} octets after the service parameters`;
}

/** Sets the object fields from an object identifier's 4 contents octets at `at`. */
function setObject(f: BacnetMessage, d: Uint8Array, at: number): void {
  const type = objectType(d, at);
  f['bacnet.object_type'] = objectTypeName(type);
  f['bacnet.object_type_id'] = type;
  f['bacnet.instance'] = objectInstance(d, at);
}

/** Context tag `n` holding an object identifier: sets the object fields. */
function contextObject(r: TagReader, n: number, f: BacnetMessage): string | null {
  if (!r.expectContext(n)) return r.error;
  if (r.length !== 4) return `object identifier of ${r.length} octets (20.2.14: 4)`;
  setObject(f, r.buf, r.valueStart);
  return null;
}

/** An application-tagged object identifier: sets the object fields. */
function applicationObject(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectApplication(APP_TAG.OBJECT_IDENTIFIER)) return r.error;
  if (r.length !== 4) return `object identifier of ${r.length} octets (20.2.14: 4)`;
  setObject(f, r.buf, r.valueStart);
  return null;
}

/** `[n] object, [n+1] property, [n+2] array index OPTIONAL`, the head of most property services. */
function objectPropertyReference(r: TagReader, f: BacnetMessage, n: number): string | null {
  const fault = contextObject(r, n, f);
  if (fault !== null) return fault;
  if (!r.expectContext(n + 1)) return r.error;
  const property = r.unsigned();
  if (property < 0) return `property identifier of ${r.length} octets`;
  f['bacnet.property'] = nameOf(PROPERTY_NAMES, property);
  f['bacnet.property_id'] = property;
  if (r.peekContext(n + 2, TAG_KIND.CONTEXT)) {
    r.next();
    f['bacnet.array_index'] = r.unsigned();
  }
  return null;
}

/**
 * `[n] ABSTRACT-SYNTAX.&Type`, a property value between opening and closing tag `n` (20.2.1.3.2).
 * One primitive becomes `bacnet.value` with its type; several primitives (an array or list, such
 * as the object list) become a list of strings kept to MAX_LIST_ITEMS; anything with context tags
 * inside is a constructed value, named but not decoded.
 */
function propertyValue(r: TagReader, n: number, f: BacnetMessage): string | null {
  if (!r.expectBracket(n, TAG_KIND.OPENING)) return r.error;
  const property = f['bacnet.property_id'] as number;
  const objType = (f['bacnet.object_type_id'] as number | null) ?? -1;
  let count = 0;
  let first: string | number | boolean | null = null;
  let firstType = '';
  let list: string[] | null = null;
  let constructed = false;
  let depth = 0;
  for (;;) {
    if (!r.next()) return r.error;
    if (r.kind === TAG_KIND.CLOSING) {
      if (depth === 0) {
        if (r.tagNumber !== n) return `closing tag ${r.tagNumber} where ${n} was expected`;
        break;
      }
      depth--;
      continue;
    }
    if (r.kind === TAG_KIND.OPENING) {
      depth++;
      constructed = true;
      continue;
    }
    if (r.kind === TAG_KIND.CONTEXT || depth > 0) {
      constructed = true;
      continue;
    }
    if (!applicationValue(r, property, objType, scratchValue)) return r.error;
    count++;
    if (count === 1) {
      first = scratchValue.value;
      firstType = scratchValue.type;
    } else {
      if (list === null) list = [String(first)];
      if (list.length < MAX_LIST_ITEMS) list.push(String(scratchValue.value));
    }
  }
  if (constructed) {
    f['bacnet.value_type'] = 'constructed';
    f['bacnet.value_count'] = null;
    return null;
  }
  f['bacnet.value'] = list ?? first;
  f['bacnet.value_type'] = count === 0 ? 'empty' : firstType;
  f['bacnet.value_count'] = count;
  return null;
}

/** `[n] Unsigned (1..16) OPTIONAL`, the command priority of a write (15.9.1.1.5). */
function writePriority(r: TagReader, n: number, f: BacnetMessage): string | null {
  if (!r.peekContext(n, TAG_KIND.CONTEXT)) return null;
  r.next();
  const priority = r.unsigned();
  if (priority < 1 || priority > 16) return `write priority ${priority} outside 1-16`;
  f['bacnet.priority'] = priority;
  return null;
}

/** Identity parts a Device object's properties carry (12.11), by property identifier. */
function deviceProperty(f: BacnetMessage, property: number, value: FieldValue): void {
  if (f['bacnet.object_type_id'] !== OBJECT_TYPE.DEVICE) return;
  identityFromProperty(f, property, value);
  const instance = f['bacnet.instance'] as number;
  if (instance !== WILDCARD_INSTANCE) f['bacnet.device.id'] = `device ${instance}`;
}

function identityFromProperty(f: BacnetMessage, property: number, value: FieldValue): void {
  if (property === PROPERTY.VENDOR_IDENTIFIER) {
    if (typeof value !== 'number') return;
    f['bacnet.device.vendor_id'] = String(value);
    // The device's own Vendor_Name, when the same message carries it, wins over the registry.
    const name = vendorName(value);
    if (name !== null && !('bacnet.device.vendor' in f)) f['bacnet.device.vendor'] = name;
    return;
  }
  if (typeof value !== 'string' || value === '') return;
  switch (property) {
    case PROPERTY.MODEL_NAME:
      f['bacnet.device.model'] = value;
      break;
    case PROPERTY.FIRMWARE_REVISION:
      f['bacnet.device.firmware'] = value;
      break;
    case PROPERTY.APPLICATION_SOFTWARE_VERSION:
      // No identity part names the loaded application; description keeps it apart from firmware.
      f['bacnet.device.description'] = `application software ${value}`;
      break;
    case PROPERTY.OBJECT_NAME:
      f['bacnet.device.name'] = value;
      break;
    case PROPERTY.VENDOR_NAME:
      f['bacnet.device.vendor'] = value;
      break;
    case PROPERTY.SERIAL_NUMBER:
      f['bacnet.device.serial'] = value;
      break;
  }
}

/** ReadPropertyMultiple-Request (15.7.1.1): SEQUENCE OF { [0] object, [1] (SEQUENCE OF { [0] property, [1] index }) }. */
function readAccessSpecifications(r: TagReader, f: BacnetMessage): string | null {
  const lists = new AccessLists();
  while (!r.atEnd()) {
    if (!r.expectContext(0) || r.length !== 4) return r.error || 'object identifier of other than 4 octets';
    lists.object(f, r);
    if (!r.expectBracket(1, TAG_KIND.OPENING)) return r.error;
    while (!r.peekContext(1, TAG_KIND.CLOSING)) {
      if (!r.expectContext(0)) return r.error;
      lists.property(f, r.unsigned());
      if (r.peekContext(1, TAG_KIND.CONTEXT)) r.next();
    }
    r.next();
  }
  return lists.finish(f);
}

/** WritePropertyMultiple-Request (15.10.1.1): like RPM, with [2] value and [3] priority per property. */
function writeAccessSpecifications(r: TagReader, f: BacnetMessage): string | null {
  const lists = new AccessLists();
  while (!r.atEnd()) {
    if (!r.expectContext(0) || r.length !== 4) return r.error || 'object identifier of other than 4 octets';
    lists.object(f, r);
    if (!r.expectBracket(1, TAG_KIND.OPENING)) return r.error;
    while (!r.peekContext(1, TAG_KIND.CLOSING)) {
      if (!r.expectContext(0)) return r.error;
      lists.property(f, r.unsigned());
      if (r.peekContext(1, TAG_KIND.CONTEXT)) r.next();
      if (!r.expectBracket(2, TAG_KIND.OPENING) || !r.skipConstructed(2)) return r.error;
      if (r.peekContext(3, TAG_KIND.CONTEXT)) r.next();
    }
    r.next();
  }
  return lists.finish(f);
}

/**
 * ReadPropertyMultiple-ACK (15.7.1.3): per object [0] object, [1] list of { [2] property,
 * [3] index OPTIONAL, [4] value | [5] error }. Device object properties fill the identity.
 */
function readAccessResults(r: TagReader, f: BacnetMessage): string | null {
  const lists = new AccessLists();
  const value: BacnetMessage = { 'bacnet.value': null };
  while (!r.atEnd()) {
    if (!r.expectContext(0) || r.length !== 4) return r.error || 'object identifier of other than 4 octets';
    const objType = objectType(r.buf, r.valueStart);
    const instance = objectInstance(r.buf, r.valueStart);
    lists.object(f, r);
    if (!r.expectBracket(1, TAG_KIND.OPENING)) return r.error;
    while (!r.peekContext(1, TAG_KIND.CLOSING)) {
      if (!r.expectContext(2)) return r.error;
      const property = r.unsigned();
      lists.property(f, property);
      if (r.peekContext(3, TAG_KIND.CONTEXT)) r.next();
      if (r.peekContext(4, TAG_KIND.OPENING)) {
        value['bacnet.property_id'] = property;
        value['bacnet.object_type_id'] = objType;
        const fault = propertyValue(r, 4, value);
        if (fault !== null) return fault;
        if (objType === OBJECT_TYPE.DEVICE) {
          identityFromProperty(f, property, value['bacnet.value']);
          if (instance !== WILDCARD_INSTANCE) f['bacnet.device.id'] = `device ${instance}`;
        }
      } else if (r.peekContext(5, TAG_KIND.OPENING)) {
        r.next();
        if (!r.skipConstructed(5)) return r.error;
      } else {
        return 'read access result without a value or an error';
      }
    }
    r.next();
  }
  return lists.finish(f);
}

/** Collects the objects and properties of RPM/WPM: the first of each, counts, capped lists. */
class AccessLists {
  objects: string[] = [];
  properties: string[] = [];
  objectCount = 0;
  propertyCount = 0;

  object(f: BacnetMessage, r: TagReader): void {
    const d = r.buf;
    const at = r.valueStart;
    if (this.objectCount++ === 0) setObject(f, d, at);
    if (this.objects.length < MAX_LIST_ITEMS)
      this.objects.push(objectLabel(objectType(d, at), objectInstance(d, at)));
  }

  property(f: BacnetMessage, id: number): void {
    const name = nameOf(PROPERTY_NAMES, id);
    if (this.propertyCount++ === 0) {
      f['bacnet.property'] = name;
      f['bacnet.property_id'] = id;
    }
    if (this.properties.length < MAX_LIST_ITEMS) this.properties.push(name);
  }

  finish(f: BacnetMessage): string | null {
    if (this.objectCount === 0) return 'no object in the access specification list';
    f['bacnet.objects'] = this.objects;
    f['bacnet.object_count'] = this.objectCount;
    f['bacnet.properties'] = this.properties;
    f['bacnet.property_count'] = this.propertyCount;
    return null;
  }
}

/** Who-Is (16.10.1.1): [0] low limit, [1] high limit, both or neither. */
function whoIs(r: TagReader, f: BacnetMessage): string | null {
  f['bacnet.low_limit'] = null;
  f['bacnet.high_limit'] = null;
  if (r.atEnd()) return null;
  if (!r.expectContext(0)) return r.error;
  f['bacnet.low_limit'] = r.unsigned();
  if (!r.expectContext(1)) return r.error;
  f['bacnet.high_limit'] = r.unsigned();
  return finished(r);
}

/** I-Am (16.10.3): device identifier, max APDU accepted, segmentation, vendor id; all application-tagged. */
function iAm(r: TagReader, f: BacnetMessage): string | null {
  const fault = applicationObject(r, f);
  if (fault !== null) return fault;
  if (f['bacnet.object_type_id'] !== OBJECT_TYPE.DEVICE)
    return `I-Am for a ${f['bacnet.object_type']} object`;
  f['bacnet.device.id'] = `device ${f['bacnet.instance']}`;
  if (!r.expectApplication(APP_TAG.UNSIGNED)) return r.error;
  f['bacnet.max_apdu'] = r.unsigned();
  if (!r.expectApplication(APP_TAG.ENUMERATED)) return r.error;
  f['bacnet.segmentation'] = nameOf(SEGMENTATION_NAMES, r.unsigned());
  if (!r.expectApplication(APP_TAG.UNSIGNED)) return r.error;
  const vendor = r.unsigned();
  if (vendor < 0) return `vendor identifier of ${r.length} octets`;
  f['bacnet.vendor_id'] = vendor;
  f['bacnet.device.vendor_id'] = String(vendor);
  const name = vendorName(vendor);
  if (name !== null) f['bacnet.device.vendor'] = name;
  return finished(r);
}

/** Who-Has (16.9.1.1): [0] low, [1] high OPTIONAL, then [2] object identifier or [3] object name. */
function whoHas(r: TagReader, f: BacnetMessage): string | null {
  f['bacnet.low_limit'] = null;
  f['bacnet.high_limit'] = null;
  if (r.peekContext(0, TAG_KIND.CONTEXT)) {
    r.next();
    f['bacnet.low_limit'] = r.unsigned();
    if (!r.expectContext(1)) return r.error;
    f['bacnet.high_limit'] = r.unsigned();
  }
  if (!r.next()) return r.error;
  if (r.kind === TAG_KIND.CONTEXT && r.tagNumber === 2 && r.length === 4) {
    setObject(f, r.buf, r.valueStart);
  } else if (r.kind === TAG_KIND.CONTEXT && r.tagNumber === 3) {
    f['bacnet.object_name'] = readCharacterString(r.buf, r.valueStart, r.length);
  } else {
    return 'Who-Has without an object identifier or name';
  }
  return finished(r);
}

/** I-Have (16.9.3): device identifier, object identifier, object name; all application-tagged. */
function iHave(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectApplication(APP_TAG.OBJECT_IDENTIFIER) || r.length !== 4)
    return r.error || 'device identifier of other than 4 octets';
  if (objectType(r.buf, r.valueStart) !== OBJECT_TYPE.DEVICE)
    return 'I-Have from an identifier that is not a device';
  f['bacnet.device.id'] = `device ${objectInstance(r.buf, r.valueStart)}`;
  const fault = applicationObject(r, f);
  if (fault !== null) return fault;
  if (!r.expectApplication(APP_TAG.CHARACTER_STRING)) return r.error;
  const name = readCharacterString(r.buf, r.valueStart, r.length);
  f['bacnet.object_name'] = name;
  if (f['bacnet.object_type_id'] === OBJECT_TYPE.DEVICE && name !== null && name !== '')
    f['bacnet.device.name'] = name;
  return finished(r);
}

/**
 * Who-Am-I (16.11, 135-2020 addendum): an unconfigured device asks for its identity, telling its
 * vendor id, model name and serial number, which are the sender's identity.
 */
function whoAmI(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectApplication(APP_TAG.UNSIGNED)) return r.error;
  const vendor = r.unsigned();
  f['bacnet.vendor_id'] = vendor;
  f['bacnet.device.vendor_id'] = String(vendor);
  const name = vendorName(vendor);
  if (name !== null) f['bacnet.device.vendor'] = name;
  if (!r.expectApplication(APP_TAG.CHARACTER_STRING)) return r.error;
  const model = readCharacterString(r.buf, r.valueStart, r.length);
  if (model) f['bacnet.device.model'] = model;
  if (!r.expectApplication(APP_TAG.CHARACTER_STRING)) return r.error;
  const serial = readCharacterString(r.buf, r.valueStart, r.length);
  if (serial) f['bacnet.device.serial'] = serial;
  return finished(r);
}

/** ReinitializeDevice-Request (16.4.1.1): [0] state, [1] password OPTIONAL (never put in events). */
function reinitializeDevice(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectContext(0)) return r.error;
  f['bacnet.state'] = nameOf(REINITIALIZED_STATE_NAMES, r.unsigned());
  f['bacnet.password_given'] = false;
  if (r.peekContext(1, TAG_KIND.CONTEXT)) {
    r.next();
    f['bacnet.password_given'] = true;
  }
  return finished(r);
}

/** DeviceCommunicationControl-Request (16.1.1.1): [0] minutes OPTIONAL, [1] enable-disable, [2] password OPTIONAL. */
function deviceCommunicationControl(r: TagReader, f: BacnetMessage): string | null {
  f['bacnet.duration'] = null;
  if (r.peekContext(0, TAG_KIND.CONTEXT)) {
    r.next();
    f['bacnet.duration'] = r.unsigned();
  }
  if (!r.expectContext(1)) return r.error;
  f['bacnet.state'] = nameOf(ENABLE_DISABLE_NAMES, r.unsigned());
  f['bacnet.password_given'] = false;
  if (r.peekContext(2, TAG_KIND.CONTEXT)) {
    r.next();
    f['bacnet.password_given'] = true;
  }
  return finished(r);
}

/**
 * AtomicReadFile-Request (14.1.1.1) and AtomicWriteFile-Request (14.2.1.1): the file object, then
 * [0] stream access (start position; octet count or data) or [1] record access (start record;
 * record count or records).
 */
function atomicFileRequest(r: TagReader, write: boolean, f: BacnetMessage): string | null {
  const fault = applicationObject(r, f);
  if (fault !== null) return fault;
  if (!r.next() || r.kind !== TAG_KIND.OPENING || r.tagNumber > 1)
    return r.error || 'expected opening tag 0 or 1';
  const access = r.tagNumber;
  f['bacnet.file_access'] = access === 0 ? 'stream' : 'record';
  if (!r.expectApplication(APP_TAG.SIGNED)) return r.error;
  f['bacnet.file_start'] = r.signed();
  if (write && access === 0) {
    // The data: its length is what is written.
    if (!r.expectApplication(APP_TAG.OCTET_STRING)) return r.error;
    f['bacnet.file_count'] = r.length;
  } else {
    // Read: octets or records asked for; record write: how many records follow.
    if (!r.expectApplication(APP_TAG.UNSIGNED)) return r.error;
    f['bacnet.file_count'] = r.unsigned();
    if (write) {
      while (r.peekApplication(APP_TAG.OCTET_STRING)) r.next();
    }
  }
  if (!r.expectBracket(access, TAG_KIND.CLOSING)) return r.error;
  return finished(r);
}

/** AtomicReadFile-ACK (14.1.1.3): end-of-file, then [0] stream (start, data) or [1] records. */
function atomicReadFileAck(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectApplication(APP_TAG.BOOLEAN)) return r.error;
  f['bacnet.end_of_file'] = r.length === 1;
  if (!r.next() || r.kind !== TAG_KIND.OPENING || r.tagNumber > 1)
    return r.error || 'expected opening tag 0 or 1';
  const access = r.tagNumber;
  f['bacnet.file_access'] = access === 0 ? 'stream' : 'record';
  if (!r.expectApplication(APP_TAG.SIGNED)) return r.error;
  f['bacnet.file_start'] = r.signed();
  if (access === 0) {
    if (!r.expectApplication(APP_TAG.OCTET_STRING)) return r.error;
    f['bacnet.file_count'] = r.length;
  } else {
    if (!r.expectApplication(APP_TAG.UNSIGNED)) return r.error;
    f['bacnet.file_count'] = r.unsigned();
    while (r.peekApplication(APP_TAG.OCTET_STRING)) r.next();
  }
  if (!r.expectBracket(access, TAG_KIND.CLOSING)) return r.error;
  return finished(r);
}

/**
 * COV and event notifications (13.6, 13.8, 13.7, 13.9): [0] process id, [1] initiating device,
 * [2] monitored or event object, then values or event details (not decoded). The initiating device
 * is the sender's own identifier.
 */
function notification(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectContext(0) || !r.expectContext(1)) return r.error;
  if (r.length === 4 && objectType(r.buf, r.valueStart) === OBJECT_TYPE.DEVICE) {
    const instance = objectInstance(r.buf, r.valueStart);
    if (instance !== WILDCARD_INSTANCE) f['bacnet.device.id'] = `device ${instance}`;
  }
  return contextObject(r, 2, f);
}

/** CreateObject-Request (15.3.1.1): [0] { [0] object type | [1] object identifier }, values OPTIONAL. */
function createObject(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectBracket(0, TAG_KIND.OPENING)) return r.error;
  if (!r.next() || r.kind !== TAG_KIND.CONTEXT) return r.error || 'CreateObject without an object specifier';
  if (r.tagNumber === 0) {
    const type = r.unsigned();
    f['bacnet.object_type'] = objectTypeName(type);
    f['bacnet.object_type_id'] = type;
  } else if (r.tagNumber === 1 && r.length === 4) {
    setObject(f, r.buf, r.valueStart);
  } else {
    return 'CreateObject with a bad object specifier';
  }
  return r.expectBracket(0, TAG_KIND.CLOSING) ? null : r.error;
}

/** Private transfer (16.2, 16.3): [0] vendor id, [1] service number, [2] parameters OPTIONAL. */
function privateTransfer(r: TagReader, f: BacnetMessage): string | null {
  if (!r.expectContext(0)) return r.error;
  f['bacnet.vendor_id'] = r.unsigned();
  if (!r.expectContext(1)) return r.error;
  f['bacnet.service_number'] = r.unsigned();
  return null;
}

/**
 * The Error PDU's parameters (20.1.7, 21): error class and error code, both enumerated; some
 * services wrap them in [0] and add context after it (CreateObject, WritePropertyMultiple, ...).
 */
function errorBody(d: Uint8Array, p: number, end: number, f: BacnetMessage): string | null {
  const r = reader.reset(d, p, end);
  const wrapped = r.peekContext(0, TAG_KIND.OPENING);
  if (wrapped) r.next();
  if (!r.expectApplication(APP_TAG.ENUMERATED)) return r.error;
  f['bacnet.error_class'] = nameOf(ERROR_CLASS_NAMES, r.unsigned());
  if (!r.expectApplication(APP_TAG.ENUMERATED)) return r.error;
  f['bacnet.error'] = nameOf(ERROR_CODE_NAMES, r.unsigned());
  if (wrapped) return r.expectBracket(0, TAG_KIND.CLOSING) ? null : r.error;
  return finished(r);
}
