// Text forms of IPv4 and MAC addresses and their binary forms used while building frames. IPv4
// addresses are unsigned 32-bit numbers in network order (192.0.2.1 = 0xc0000201).

export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) throw new Error(`not an IPv4 address: ${text}`);
    value = value * 256 + n;
  }
  return value >>> 0;
}

export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new Error(`not a MAC address: ${text}`);
  }
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16));
}

/** Lower-case and colon-separated, the form used in events (`aa:bb:cc:dd:ee:ff`). */
export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function inSubnet(ip: number, network: number, prefixLength: number): boolean {
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return (ip & mask) >>> 0 === (network & mask) >>> 0;
}

export const MAC_BROADCAST: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const MAC_ZERO: Uint8Array = new Uint8Array(6);
export const IPV4_BROADCAST = 0xffffffff;
