// Link-layer header types we decode (https://www.tcpdump.org/linktypes.html), with their names
// for messages. Anything else is reported by name and number, never guessed at.

export const LINKTYPE = {
  NULL: 0, // BSD loopback: 4-byte address family in the writer's byte order
  ETHERNET: 1,
  RAW_OPENBSD: 12, // DLT_RAW as some platforms number it
  RAW_BSDOS: 14,
  RAW: 101,
  LOOP: 108, // OpenBSD loopback: address family in network byte order
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW (IPv4/IPv6)',
  108: 'LOOP (OpenBSD loopback)',
  113: 'LINUX_SLL (Linux cooked v1)',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2 (Linux cooked v2)',
  // Common ones we do not decode, named so the message is useful.
  105: 'IEEE802_11 (Wi-Fi)',
  127: 'IEEE802_11_RADIOTAP',
  147: 'USER0',
  195: 'IEEE802_15_4',
  220: 'USB_LINUX_MMAPPED',
};

export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set(Object.values(LINKTYPE));

export function linkTypeName(lt: number): string {
  return NAMES[lt] ?? `LINKTYPE ${lt}`;
}

export function supportedLinkTypesText(): string {
  return 'Ethernet, Linux cooked (SLL, SLL2), raw IPv4/IPv6, BSD/OpenBSD loopback';
}

/** BSD loopback address families meaning IPv6 (AF_INET6 differs per BSD: 24, 28, 30). */
export const AF_INET = 2;
export const AF_INET6_VALUES: ReadonlySet<number> = new Set([10, 24, 28, 30]);
