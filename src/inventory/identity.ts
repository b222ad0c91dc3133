// Identity evidence: who made the device, what it is, which firmware, what it is called. Each
// source has a fixed weight that says how far it is trusted: what a device reports about itself
// (Modbus 43/14) outranks what its MAC prefix suggests (the NIC maker may be a module supplier).

import type { ReportedIdentity } from './endpoint.ts';
import { lookupOui } from './oui.ts';
import type { Evidence } from './types.ts';

/** Weights per source, highest first. */
export const IDENTITY_CONFIDENCE = {
  reportedByDevice: 0.9,
  reportedModelName: 0.8,
  reportedProductName: 0.7,
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

export function reportedIdentityEvidence(identity: ReportedIdentity): Evidence[] {
  const out: Evidence[] = [];
  const add = (field: string, rule: string, value: string | null, confidence: number, object: string) => {
    if (value === null || value === '') return;
    out.push({
      field,
      value,
      confidence,
      source: identity.source,
      rule,
      detail: `${identity.via} reports ${object} "${value}"`,
    });
  };
  const high = IDENTITY_CONFIDENCE.reportedByDevice;
  add('vendor', 'device-id-vendor-name', identity.vendor, high, 'vendor name');
  add('model', 'device-id-product-code', identity.productCode, high, 'product code');
  add(
    'model',
    'device-id-model-name',
    identity.modelName,
    IDENTITY_CONFIDENCE.reportedModelName,
    'model name',
  );
  add(
    'model',
    'device-id-product-name',
    identity.productName,
    IDENTITY_CONFIDENCE.reportedProductName,
    'product name',
  );
  add('firmware', 'device-id-revision', identity.revision, high, 'revision');
  return out;
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
