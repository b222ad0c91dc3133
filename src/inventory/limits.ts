// Every bound of the inventory, with its reason (DESIGN.md "Streaming and bounded"): memory follows
// the number of devices on the network, never the length of the capture.

/**
 * More IP addresses than this, seen from one MAC and not explained by its own ARP or DHCP, make
 * the MAC a router: a host has one address per interface, maybe a few (IPv6 temporary addresses);
 * a router forwards for everyone behind it.
 */
export const MAX_FOREIGN_IPS_FOR_A_HOST = 4;

/**
 * ...and a MAC that claims an IPv4 address of its own by ARP or DHCP needs only more than this
 * many foreign IPv4 addresses: a host answers ARP for every address others reach it by, so
 * sending from addresses it never claims on the link while it claims another is forwarding.
 */
export const MAX_FOREIGN_IPV4_BESIDE_OWN = 1;

/** (MAC, IP) pairs tracked; past it new pairs are counted in `stats().droppedEndpoints`. */
export const MAX_ENDPOINTS = 200_000;

/**
 * MACs known from ARP and DHCP alone. A plant has hundreds; a DHCP starvation attack (random
 * `chaddr`) could invent millions, so past this new MACs are counted, not recorded.
 */
export const MAX_MAC_RECORDS = 100_000;

/** Addresses DHCP names as servers, routers or relays; a handful on a real network. */
export const MAX_DHCP_NAMED_IPS = 4096;

/** Addresses a MAC may claim by ARP or DHCP; more is a proxy-ARP router or a spoofer. */
export const MAX_OWN_IPS_PER_MAC = 64;

/** Distinct peers kept per endpoint and per (endpoint, service): enough to count "many". */
export const MAX_PEERS = 256;

/** Distinct function names kept per (client, service), to judge "mixed function codes". */
export const MAX_FUNCTIONS = 64;

/** Server ports kept per (server, service). */
export const MAX_PORTS = 16;

/** Addresses kept per asset across discoveries: the newest win, a DHCP host's history is finite. */
export const MAX_ASSET_IPS = 64;

/** Evidence entries kept per asset across discoveries, strongest first. */
export const MAX_EVIDENCE = 64;

/**
 * Identity changes kept per device within one discovery (a firmware update, a swapped module):
 * a real device changes a handful of times; a spoofer flipping values is reported by the first
 * few, and the rest would only grow memory.
 */
export const MAX_IDENTITY_CHANGES = 32;

/**
 * Devices kept behind one address (Modbus unit ids behind a serial gateway, BACnet devices
 * behind a router, modules in a CIP chassis). Modbus allows 247 serial slaves (Modbus over Serial
 * Line V1.02 §2.2), so this holds a full bus with room to spare.
 */
export const MAX_UNITS_PER_ENDPOINT = 256;
