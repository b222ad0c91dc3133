// Vendor of a MAC address from the IEEE registries (MA-L, MA-M, MA-S), as shipped by the `oui-data`
// package: keys are 6, 7 or 9 upper-case hex digits, values "Company\nAddress...". MA-M and MA-S
// blocks are carved out of MA-L prefixes registered to the IEEE itself, so the longest prefix wins.
// The 5 MB table is loaded on first use only: commands that never look up a vendor never pay for it.

import { createRequire } from 'node:module';
import { isGroupMac, isLocallyAdministeredMac } from './addresses.ts';

/** Names in the table that say nothing about the maker. */
const NOT_A_VENDOR = new Set(['Private', 'IEEE Registration Authority']);

/** Prefix lengths in hex digits, longest first: MA-S (36 bits), MA-M (28 bits), MA-L (24 bits). */
const PREFIX_LENGTHS = [9, 7, 6] as const;

let registry: Readonly<Record<string, string>> | null = null;

function ouiRegistry(): Readonly<Record<string, string>> {
  if (registry === null) {
    const require = createRequire(import.meta.url);
    registry = require('oui-data') as Record<string, string>;
  }
  return registry;
}

export interface OuiMatch {
  /** First line of the registration: the organisation's name. */
  readonly vendor: string;
  /** The matched prefix: `00:1d:9c` for MA-L, with its length for longer blocks (`70:b3:d5:15:3/36`). */
  readonly prefix: string;
}

/**
 * The registered organisation for a MAC, or null when the address carries no OUI (group or
 * locally administered addresses) or the prefix is unregistered or listed as private.
 */
export function lookupOui(mac: string): OuiMatch | null {
  if (isGroupMac(mac) || isLocallyAdministeredMac(mac)) return null;
  const hex = mac.replaceAll(':', '').replaceAll('-', '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return null;
  const table = ouiRegistry();
  for (const length of PREFIX_LENGTHS) {
    const key = hex.slice(0, length);
    const entry = table[key];
    if (entry === undefined) continue;
    // Some registrations end the name with stray punctuation ("Siemens AG,"); drop it.
    const vendor = entry
      .split('\n', 1)[0]
      .trim()
      .replace(/[\s,;]+$/, '');
    if (vendor === '' || NOT_A_VENDOR.has(vendor)) return null;
    return { vendor, prefix: formatPrefix(key) };
  }
  return null;
}

function formatPrefix(hex: string): string {
  const text = (hex.match(/.{1,2}/g) ?? []).join(':').toLowerCase();
  return hex.length === 6 ? text : `${text}/${hex.length * 4}`;
}
