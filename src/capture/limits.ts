// Named limits of the capture layer, each with its reason (DESIGN.md: "every parser limit is a
// named constant").

/** libpcap's MAXIMUM_SNAPLEN (pcap-int.h): no capture tool writes a larger record. */
export const MAX_CAPTURED_PACKET = 262_144;

/** libpcap's limit on a pcapng block (sf-pcapng.c MAX_BLOCKSIZE is 16 MiB). */
export const MAX_PCAPNG_BLOCK = 16 * 1024 * 1024;

/** 802.1Q tags we follow before giving up (QinQ is 2; 4 leaves room for odd provider setups). */
export const MAX_VLAN_TAGS = 4;

/** IPv6 extension headers walked before giving up (RFC 8200 §4.1 recommends order, sets no limit). */
export const MAX_IPV6_EXTENSION_HEADERS = 8;

/** Fragmented datagrams held at once; the oldest is dropped beyond this. */
export const MAX_PENDING_DATAGRAMS = 1024;

/** Seconds a fragmented datagram waits for its missing pieces (RFC 791 suggests 15 s; Linux uses 30). */
export const FRAGMENT_TIMEOUT_S = 30;

/** Largest reassembled IP datagram (RFC 791 total length is 16 bits; RFC 8200 payload length likewise). */
export const MAX_DATAGRAM_BYTES = 65_535;

/** Out-of-order bytes buffered per TCP direction before the hole is declared a gap. */
export const MAX_TCP_PENDING_BYTES = 256 * 1024;

/** Out-of-order segments buffered per TCP direction before the hole is declared a gap. */
export const MAX_TCP_PENDING_SEGMENTS = 128;

/** Connections tracked at once; beyond this the oldest are evicted (memory stays flat). */
export const MAX_CONNECTIONS = 100_000;

/** Idle timeouts in capture seconds (Zeek's tcp_inactivity_timeout is 5 min, udp 1 min). */
export const TCP_IDLE_TIMEOUT_S = 300;
export const UDP_IDLE_TIMEOUT_S = 60;

/** A closed TCP connection lingers this long to absorb the last ACKs and retransmitted FINs. */
export const CLOSED_LINGER_S = 5;

/** How often, in capture seconds, the connection table is swept for idle entries. */
export const SWEEP_INTERVAL_S = 10;

/** Bytes per direction shown to probes before the connection is declared unrecognised. */
export const MAX_PROBE_BYTES = 2048;
