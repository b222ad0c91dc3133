// How a message says who a device is (issue 3, "identity with provenance"): every dissector puts what
// a device reports about itself under `<app>.device.<part>` (`s7comm.device.serial`), and the
// inventory reads these the same way for every protocol, recording the protocol and the message
// (the event's function field) each value came from.
//
// The identity describes the SENDER of the message: the server for a response (dir 1), the client
// for a request (dir 0), the source MAC for a link-layer frame. Two parts refine that:
//   `<app>.device.unit`: a device behind the sender's address (a serial slave behind a Modbus
//     gateway: `unit 3`; a BACnet device behind a router: `net 5 mac 0a`; a CIP module: `slot 2`).
//     The inventory makes it an asset of its own, linked to the gateway.
//   `<app>.device.ip`: the device described has this IP, not the sender's (LLDP management
//     address, an IP a gateway reports for another device).

/** The identity parts, each a string field `<app>.device.<part>`. */
export const DEVICE_PARTS = [
  /** Manufacturer's name (map numeric vendor ids to names in the dissector's spec tables). */
  'vendor',
  /** Numeric vendor id as the protocol carries it (CIP vendor id, BACnet vendor id), as a string. */
  'vendor_id',
  /** Model or order number (`6ES7 315-2EH14-0AB0`, `1756-L61/B LOGIX5561`). */
  'model',
  /** Product name or type when it differs from the model (`CPU 315-2 PN/DP`). */
  'product',
  /** Product code / device id as the protocol carries it. */
  'product_code',
  /** Firmware or software revision (`V3.2.6`, `20.11`). */
  'firmware',
  /** Hardware revision. */
  'hardware',
  /** Serial number. */
  'serial',
  /** The device's own name: station name, system name, sysName, object name, host name. */
  'name',
  /** Free text the device reports: sysDescr, LLDP system description, plant identification. */
  'description',
  /** Software it runs, as a server announces it (SSH banner, HTTP Server header): not a model. */
  'software',
  /** Protocol-level device id: DNP3 address, BACnet device instance, PROFINET device id. */
  'id',
] as const;
export type DevicePart = (typeof DEVICE_PARTS)[number];

/** Field names of the identity parts for one app, built once per app. */
export function deviceFields(app: string): { readonly [P in DevicePart | 'unit' | 'ip']: string } {
  const out = {} as Record<DevicePart | 'unit' | 'ip', string>;
  for (const part of DEVICE_PARTS) out[part] = `${app}.device.${part}`;
  out.unit = `${app}.device.unit`;
  out.ip = `${app}.device.ip`;
  return out;
}
