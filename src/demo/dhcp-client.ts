// DHCP in the plant office (RFC 2131): Windows PCs, a laptop and a printer get their addresses
// from the enterprise DHCP server through the core switch's relay agent (RFC 2131 §4.1, RFC 1542
// §4). The sensor sees both legs of every message: the client's broadcast and the relay's copy
// to the server (giaddr set, hops 1); the server's reply to the relay and the relay's delivery to
// the client. After a lease the client announces its address with a gratuitous ARP.
// The laptop leaves, comes back, asks for its old address (INIT-REBOOT, §3.2), is refused with a
// DHCPNAK (the address has been reserved for something else meanwhile) and gets a new one.

import { IPV4_BROADCAST, MAC_BROADCAST } from './addresses.ts';
import { sendGratuitousArp } from './arp-traffic.ts';
import {
  BOOTP_OP,
  DHCP_CLIENT_PORT,
  DHCP_MESSAGE_TYPE,
  DHCP_SERVER_PORT,
  type DhcpMessage,
  writeDhcpMessage,
} from './dhcp-messages.ts';
import { UNTAGGED } from './frames.ts';
import type { FramePath, Host } from './network.ts';
import type { Prng } from './prng.ts';
import type { Behaviour } from './scheduler.ts';
import { MILLISECOND, type Simulation } from './simulation.ts';

/** Windows 10/11's parameter request list (option 55). */
const WINDOWS_PARAMETERS = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252];
/** An embedded printer's shorter list. */
const PRINTER_PARAMETERS = [1, 3, 6, 12, 15, 28, 42, 44];
const RELAY_TTL = 255;
const RELAY_DELAY_MICROS = 150;

export interface DhcpService {
  readonly server: Host;
  /** The relay agent: the core switch, with its address on the client subnet (giaddr). */
  readonly relay: Host;
  readonly relayIp: number;
  readonly nextHopToServer: Host;
  readonly subnetMask: number;
  readonly dnsServer: number;
  readonly domain: string;
  readonly leaseSeconds: number;
  /** One-way latency between the relay and the server. */
  readonly latencyMicros: number;
}

/** Whether a DHCP client is on the network and holds a lease; other actors of the host ask. */
export class DhcpClientState {
  bound = false;
  present = true;
  get online(): boolean {
    return this.bound && this.present;
  }
}

/** The client side of one host, with the addresses the server will give it, in order. */
export class DhcpClient {
  private leaseIndex = 0;
  readonly state = new DhcpClientState();
  private readonly clientIdentifier: Uint8Array;

  constructor(
    private readonly sim: Simulation,
    readonly host: Host,
    private readonly service: DhcpService,
    private readonly leases: readonly number[],
    private readonly prng: Prng,
  ) {
    // Option 61, RFC 2132 §9.14: hardware type 1 followed by the MAC address.
    this.clientIdentifier = Uint8Array.from([1, ...host.mac]);
  }

  private get windows(): boolean {
    return this.host.stack.os === 'windows';
  }

  private clientFields(): Pick<
    DhcpMessage,
    'chaddr' | 'clientIdentifier' | 'hostName' | 'vendorClass' | 'parameterRequestList'
  > {
    return {
      chaddr: this.host.mac,
      clientIdentifier: this.windows ? this.clientIdentifier : undefined,
      hostName: this.windows
        ? this.host.name.toUpperCase()
        : `BRN${Buffer.from(this.host.mac).toString('hex').toUpperCase()}`,
      vendorClass: this.windows ? 'MSFT 5.0' : undefined,
      parameterRequestList: this.windows ? WINDOWS_PARAMETERS : PRINTER_PARAMETERS,
    };
  }

  private serverFields(type: number, xid: number, yiaddr: number): DhcpMessage {
    const s = this.service;
    const base = { op: BOOTP_OP.BOOTREPLY, messageType: type, xid, chaddr: this.host.mac, giaddr: s.relayIp };
    if (type === DHCP_MESSAGE_TYPE.DHCPNAK) {
      // RFC 2131 §4.3.2: through a relay the server sets BROADCAST so the NAK reaches the client.
      return { ...base, broadcast: true, serverIdentifier: s.server.ip };
    }
    return {
      ...base,
      yiaddr,
      serverIdentifier: s.server.ip,
      leaseSeconds: s.leaseSeconds,
      renewalSeconds: s.leaseSeconds / 2, // T1, RFC 2131 §4.4.5
      rebindingSeconds: (s.leaseSeconds * 7) / 8, // T2
      subnetMask: s.subnetMask,
      router: s.relayIp,
      domainNameServers: [s.dnsServer],
      domainName: s.domain,
    };
  }

  /** Client broadcast and the relay's copy to the server: two packets. */
  private *fromClient(message: DhcpMessage, at: number): Behaviour {
    const sim = this.sim;
    const s = this.service;
    yield at;
    const broadcastPath: FramePath = {
      srcMac: this.host.mac,
      dstMac: MAC_BROADCAST,
      ttl: this.host.stack.ttl,
      vlan: UNTAGGED,
      sender: this.host,
    };
    let n = writeDhcpMessage(sim.sink.output.buffer, sim.sink.udpPayloadOffset(broadcastPath), message);
    sim.sink.udp(broadcastPath, 0, IPV4_BROADCAST, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, n);
    yield sim.now + RELAY_DELAY_MICROS;
    const relayed: DhcpMessage = { ...message, giaddr: s.relayIp, hops: 1 };
    const toServer: FramePath = {
      srcMac: s.relay.mac,
      dstMac: s.nextHopToServer.mac,
      ttl: RELAY_TTL,
      vlan: UNTAGGED,
      sender: s.relay,
    };
    n = writeDhcpMessage(sim.sink.output.buffer, sim.sink.udpPayloadOffset(toServer), relayed);
    sim.sink.udp(toServer, s.relayIp, s.server.ip, DHCP_SERVER_PORT, DHCP_SERVER_PORT, n);
  }

  /** The server's reply to the relay and the relay's delivery to the client: two packets. */
  private *fromServer(reply: DhcpMessage): Behaviour {
    const sim = this.sim;
    const s = this.service;
    yield sim.now + 2 * s.latencyMicros + this.prng.int(500, 4_000);
    const toRelay = sim.network.path(s.server, s.relayIp);
    let n = writeDhcpMessage(sim.sink.output.buffer, sim.sink.udpPayloadOffset(toRelay), reply);
    sim.sink.udp(toRelay, s.server.ip, s.relayIp, DHCP_SERVER_PORT, DHCP_SERVER_PORT, n);
    yield sim.now + RELAY_DELAY_MICROS;
    const broadcast = reply.broadcast === true;
    const toClient: FramePath = {
      srcMac: s.relay.mac,
      dstMac: broadcast ? MAC_BROADCAST : this.host.mac,
      ttl: RELAY_TTL,
      vlan: UNTAGGED,
      sender: s.relay,
    };
    n = writeDhcpMessage(sim.sink.output.buffer, sim.sink.udpPayloadOffset(toClient), reply);
    sim.sink.udp(
      toClient,
      s.relayIp,
      broadcast ? IPV4_BROADCAST : (reply.yiaddr ?? 0),
      DHCP_SERVER_PORT,
      DHCP_CLIENT_PORT,
      n,
    );
  }

  /** DISCOVER, OFFER, REQUEST, ACK (RFC 2131 §3.1), then the gratuitous ARP. */
  *acquire(at: number, previousIp: number | undefined): Behaviour {
    const offered = this.leases[Math.min(this.leaseIndex, this.leases.length - 1)];
    const xid = this.prng.nextUint32();
    const client = this.clientFields();
    const request = { op: BOOTP_OP.BOOTREQUEST, xid, ...client };
    yield* this.fromClient(
      { ...request, messageType: DHCP_MESSAGE_TYPE.DHCPDISCOVER, requestedIp: previousIp },
      at,
    );
    yield* this.fromServer(this.serverFields(DHCP_MESSAGE_TYPE.DHCPOFFER, xid, offered));
    const requestAt = this.sim.now + this.prng.int(2, 40) * MILLISECOND;
    yield* this.fromClient(
      {
        ...request,
        secs: 0,
        messageType: DHCP_MESSAGE_TYPE.DHCPREQUEST,
        requestedIp: offered,
        serverIdentifier: this.service.server.ip,
      },
      requestAt,
    );
    yield* this.fromServer(this.serverFields(DHCP_MESSAGE_TYPE.DHCPACK, xid, offered));
    const old = this.host.ip;
    this.host.ip = offered;
    this.sim.network.readdress(this.host, old);
    this.leaseIndex++;
    yield this.sim.now + this.prng.int(300, 1_000) * MILLISECOND;
    sendGratuitousArp(this.sim, this.host);
    this.state.bound = true;
  }

  /**
   * Back on the network: INIT-REBOOT asks for the old address (§3.2, §4.3.2); the server refuses
   * with DHCPNAK, and the client starts over from DISCOVER and gets the next address.
   */
  *rejoin(at: number): Behaviour {
    const oldIp = this.host.ip;
    const xid = this.prng.nextUint32();
    this.sim.record(
      'dhcp-address-change',
      this.host.name,
      'INIT-REBOOT refused by DHCPNAK; new lease from DISCOVER',
    );
    const reboot: DhcpMessage = {
      op: BOOTP_OP.BOOTREQUEST,
      xid,
      ...this.clientFields(),
      messageType: DHCP_MESSAGE_TYPE.DHCPREQUEST,
      requestedIp: oldIp,
    };
    yield* this.fromClient(reboot, at);
    yield* this.fromServer(this.serverFields(DHCP_MESSAGE_TYPE.DHCPNAK, xid, 0));
    this.state.bound = false;
    yield* this.acquire(this.sim.now + this.prng.int(5, 50) * MILLISECOND, oldIp);
    this.state.present = true;
  }
}
