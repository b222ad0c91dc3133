// The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of the
// data taken as big-endian 16-bit words. Used by the IPv4 header (RFC 791 §3.1), TCP (RFC 793 §3.1)
// and UDP (RFC 768), the latter two over a pseudo-header as well.

/**
 * Adds buf[start, end) as big-endian 16-bit words to `sum` without folding; an odd last byte is
 * padded with a zero byte (RFC 1071 §4.1). Sums stay exact doubles far beyond any frame length.
 */
export function sumWords(buf: Uint8Array, start: number, end: number, sum: number): number {
  let i = start;
  const evenEnd = end - ((end - start) & 1);
  for (; i < evenEnd; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  return sum;
}

/** Folds the carries back in and complements: the value to store in the checksum field. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768): source, destination, protocol, length. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
