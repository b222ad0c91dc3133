// Identity evidence: who made the device, what it is, which firmware, what it is called. Each
// source has a fixed weight that says how far it is trusted: what a device reports about itself
// (Modbus 43/14) outranks what its MAC prefix suggests (the NIC maker may be a module supplier).

import { lookupOui } from './oui.ts';
import type { ReportedIdentity, ReportedPart } from './reported-identity.ts';
import type { Evidence } from './types.ts';

/** Weights per source, highest first. */
export const IDENTITY_CONFIDENCE = {
  reportedByDevice: 0.9,
  reportedModelName: 0.8,
  reportedProductCode: 0.75,
  reportedProductName: 0.7,
  reportedName: 0.75,
  dhcpHostName: 0.7,
  oui: 0.6,
} as const;

export function ouiEvidence(mac: string): Evidence[] {
  const match = lookupOui(mac);
  if (match === null) return [];
  return [
    {
      field: 'vendor',
      value: match.vendor,
      confidence: IDENTITY_CONFIDENCE.oui,
      source: 'oui',
      rule: 'oui-vendor',
      detail: `MAC prefix ${match.prefix} is registered to ${match.vendor} (IEEE OUI)`,
    },
  ];
}

/**
 * How each reported part supports an asset field, and how far it is trusted: what the device says
 * its vendor, model or firmware is outranks inferences; a product name or description is a weaker
 * statement of the model than an order number.
 */
const REPORTED_EVIDENCE: readonly {
  part: ReportedPart;
  field: string;
  confidence: number;
  object: string;
}[] = [
  { part: 'vendor', field: 'vendor', confidence: IDENTITY_CONFIDENCE.reportedByDevice, object: 'vendor' },
  { part: 'model', field: 'model', confidence: IDENTITY_CONFIDENCE.reportedModelName, object: 'model' },
  // A product code is an order number to some makers (Modbus 43/14) and an internal number to
  // others (CIP): weaker than a model the device names as such.
  {
    part: 'productCode',
    field: 'model',
    confidence: IDENTITY_CONFIDENCE.reportedProductCode,
    object: 'product code',
  },
  {
    part: 'product',
    field: 'model',
    confidence: IDENTITY_CONFIDENCE.reportedProductName,
    object: 'product name',
  },
  {
    part: 'firmware',
    field: 'firmware',
    confidence: IDENTITY_CONFIDENCE.reportedByDevice,
    object: 'firmware revision',
  },
  {
    part: 'serial',
    field: 'serial',
    confidence: IDENTITY_CONFIDENCE.reportedByDevice,
    object: 'serial number',
  },
  { part: 'name', field: 'name', confidence: IDENTITY_CONFIDENCE.reportedName, object: 'name' },
  // Observations a person wants to see, not asset fields: they keep their own field names.
  { part: 'vendorId', field: 'device.vendor_id', confidence: 1, object: 'vendor id' },
  { part: 'hardware', field: 'device.hardware', confidence: 1, object: 'hardware revision' },
  { part: 'description', field: 'device.description', confidence: 1, object: 'description' },
  { part: 'software', field: 'device.software', confidence: 1, object: 'software' },
  { part: 'deviceId', field: 'device.id', confidence: 1, object: 'device id' },
];

const HEX_NUMBER = /^0x[0-9a-f]+$/i;

/** Evidence for every reported part, each naming the protocol and message it came from. */
export function reportedIdentityEvidence(identity: ReportedIdentity): Evidence[] {
  const out: Evidence[] = [];
  for (const { part, field, confidence, object } of REPORTED_EVIDENCE) {
    const v = identity.get(part);
    if (v === null) continue;
    // A product code that is only a number in hex (PROFINET's device id 0x0313) names no model.
    const shown = part === 'productCode' && HEX_NUMBER.test(v.value) ? 'device.product_code' : field;
    out.push({
      field: shown,
      value: v.value,
      confidence,
      source: v.source,
      rule: `reported-${part}`,
      detail: `${v.via} reports ${object} "${v.value}"`,
    });
  }
  return out;
}

/** The asset field a reported part shows in, when it shows in one (for the identity history). */
export function assetFieldOfPart(
  part: ReportedPart,
): 'vendor' | 'model' | 'firmware' | 'serial' | 'name' | null {
  const field = REPORTED_EVIDENCE.find((e) => e.part === part)?.field;
  return field === 'vendor' ||
    field === 'model' ||
    field === 'firmware' ||
    field === 'serial' ||
    field === 'name'
    ? field
    : null;
}

export function dhcpHostNameEvidence(hostname: string): Evidence {
  return {
    field: 'name',
    value: hostname,
    confidence: IDENTITY_CONFIDENCE.dhcpHostName,
    source: 'dhcp',
    rule: 'dhcp-host-name',
    detail: `sent host name "${hostname}" in DHCP (option 12)`,
  };
}

/** An observation, not an inference: the vendor class a DHCP client announces (RFC 2132 9.13). */
export function dhcpVendorClassEvidence(vendorClass: string): Evidence {
  return {
    field: 'dhcp.vendor_class',
    value: vendorClass,
    confidence: 1,
    source: 'dhcp',
    rule: 'dhcp-vendor-class',
    detail: `announced vendor class "${vendorClass}" in DHCP (option 60)`,
  };
}
