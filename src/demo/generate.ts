// `writeDemoCapture`: builds the demo plant from its seed, starts every actor (pollers, the
// engineering session, DHCP, DNS and ARP background, the IT sessions) and the story events at
// fixed fractions of the requested packet count, and streams exactly that many packets, in time
// order, to a pcap or pcapng file. Same seed and count, same bytes.

import { ErrorCodes, ZonewardError } from '../errors.ts';
import { parseIpv4 } from './addresses.ts';
import { arpRefresh, sendGratuitousArp } from './arp-traffic.ts';
import { EPISODES } from './attack-scenarios.ts';
import { type AttackEpisode, type AttackLog, addAttacker, scheduleAttacks } from './attacks.ts';
import type { FrameOutput } from './capture-output.ts';
import { DhcpClient, type DhcpService } from './dhcp-client.ts';
import { type DnsDirectory, dnsClient } from './dns-client.ts';
import { type EngineeringTarget, engineeringSession } from './engineering-session.ts';
import { adminSsh, dashboardUser, historianReplication, rdpSession } from './it-sessions.ts';
import { type ModbusPeer, pollingClient } from './modbus-client.ts';
import { ModbusServer } from './modbus-server.ts';
import { Host, Network } from './network.ts';
import { PacketSink } from './packet-sink.ts';
import { PcapWriter } from './pcap-writer.ts';
import { PcapngWriter } from './pcapng-writer.ts';
import {
  buildPlant,
  DEMO_EPOCH_MICROS,
  type DemoPlant,
  type DeviceSpec,
  DHCP_LEASE_SECONDS,
  DNS_DOMAIN,
  describeDevice,
  describeSubnets,
  type PlantModel,
  SUBNETS,
} from './plant.ts';
import { CONTROLLER_PLANS, controllerPlan, describeModbusServer } from './plant-modbus.ts';
import { startProtocolTraffic } from './plant-protocols.ts';
import { Prng } from './prng.ts';
import { type Behaviour, Scheduler } from './scheduler.ts';
import { MILLISECOND, MINUTE, SECOND, Simulation, type StoryEvent } from './simulation.ts';

export type { AttackEpisode } from './attacks.ts';
export type { DemoDevice, DemoPlant } from './plant.ts';
export type { StoryEvent } from './simulation.ts';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface DemoCaptureOptions {
  readonly out: string;
  /** Exact number of packets, at least 1. */
  readonly packets: number;
  /** 0 .. 2^32 - 1. */
  readonly seed: number;
  /** Default: pcapng when `out` ends in `.pcapng`, else pcap. */
  readonly format?: CaptureFormat;
  /** Called now and then with the number of packets written so far, and once at the end. */
  readonly onProgress?: (written: number) => void;
  /**
   * `modbus`: only the Modbus plant and its IT surroundings, without the other control protocols
   * and link-layer traffic of plant-protocols.ts (the reference capture of bench/protocols.ts).
   * Default `all`. The devices that would speak only those protocols stay silent.
   */
  readonly protocols?: 'all' | 'modbus';
  /** Adds the labelled attack episodes of attacks.ts after the clean first part. Default false. */
  readonly attacks?: boolean;
}

export interface DemoSummary extends DemoPlant {
  readonly out: string;
  readonly format: CaptureFormat;
  readonly packets: number;
  readonly bytes: number;
  /** Seconds since the Unix epoch of the first and the last packet. */
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** The story events that made it into the capture, in order. */
  readonly events: readonly StoryEvent[];
  /** The attack episodes in the capture (ground truth); empty without `attacks`. */
  readonly episodes: readonly AttackEpisode[];
}

/** When the story events start, as fractions of the requested packet count. */
export const STORY = {
  adminSsh: 0.1,
  engineeringSession: 0.2,
  controllerPowerCycle: 0.4,
  laptopLeaves: 0.5,
  laptopReturns: 0.56,
  vendorRemoteSupport: 0.7,
} as const;
/** The controller that power-cycles, and how long it stays dark. */
export const POWER_CYCLED_CONTROLLER = 'plc-conveyor';
const POWER_CYCLE_MICROS = 40 * SECOND;
const LATENCY_SAME_SUBNET = 120;
const LATENCY_ROUTED = 350;
const LATENCY_BEYOND_ROUTER = 1_500;
/** The engineering workstation's tests: out-of-range probes and coils it switches. */
const ENGINEERING_OUT_OF_RANGE = new Set(['plc-boiler-1', 'plc-filler', 'rtu-tank-farm']);
const ENGINEERING_COIL_TESTS: Record<string, { address: number; count: number }> = {
  'plc-conveyor': { address: 8, count: 8 },
  'rtu-tank-farm': { address: 520, count: 8 },
  'rtu-pump-station': { address: 0, count: 4 },
};

/** The plant a seed describes: devices with addresses, MACs, vendors, roles and Purdue levels. */
export function demoPlant(seed: number): DemoPlant {
  checkSeed(seed);
  const plant = buildPlant(seed);
  return describePlant(plant);
}

function describePlant(plant: PlantModel): DemoPlant {
  return {
    seed: plant.seed,
    epoch: DEMO_EPOCH_MICROS / SECOND,
    domain: DNS_DOMAIN,
    subnets: describeSubnets(),
    devices: plant.devices.map((d) => {
      const plan = controllerPlan(d.name);
      return describeDevice(plant, d, plan ? describeModbusServer(plan) : null);
    }),
  };
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ZonewardError(ErrorCodes.USAGE, `--seed must be an integer from 0 to 4294967295, not ${seed}`);
  }
}

export async function writeDemoCapture(options: DemoCaptureOptions): Promise<DemoSummary> {
  const { packets, seed } = options;
  if (!Number.isSafeInteger(packets) || packets < 1) {
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `--packets must be a whole number of at least 1, not ${packets}`,
    );
  }
  checkSeed(seed);
  const format: CaptureFormat = options.format ?? (options.out.endsWith('.pcapng') ? 'pcapng' : 'pcap');
  const output: FrameOutput =
    format === 'pcapng' ? await PcapngWriter.create(options.out) : await PcapWriter.create(options.out);
  const plant = buildPlant(seed);
  const sink = new PacketSink(output);
  sink.now = DEMO_EPOCH_MICROS;
  const scheduler = new Scheduler(sink);
  try {
    const { sim, attackLog } = startPlant(
      plant,
      sink,
      scheduler,
      packets,
      options.protocols ?? 'all',
      options.attacks ?? false,
    );
    while (sink.packets < packets) {
      scheduler.run(packets);
      if (sink.needsFlush) await output.flush();
      options.onProgress?.(sink.packets);
    }
    await output.close();
    return {
      ...describePlant(plant),
      out: options.out,
      format,
      packets: sink.packets,
      bytes: output.bytes,
      firstTimestamp: sink.firstMicros / SECOND,
      lastTimestamp: sink.now / SECOND,
      events: sim.events,
      episodes: attackLog?.episodes() ?? [],
    };
  } catch (error) {
    await output.close().catch(() => undefined);
    throw error;
  }
}

function latency(a: DeviceSpec, b: DeviceSpec): number {
  if (a.beyondRouter || b.beyondRouter) return LATENCY_BEYOND_ROUTER;
  return a.subnet === b.subnet ? LATENCY_SAME_SUBNET : LATENCY_ROUTED;
}

function startPlant(
  plant: PlantModel,
  sink: PacketSink,
  scheduler: Scheduler,
  packets: number,
  protocols: 'all' | 'modbus',
  attacks: boolean,
): { sim: Simulation; attackLog: AttackLog | null } {
  const core = plant.device('core-sw-1');
  const router = plant.device('it-router-1');
  const hostOf = (spec: DeviceSpec): Host => {
    const ids = Prng.derive(plant.seed, `host:${spec.name}`);
    return new Host(
      spec.name,
      spec.dhcp ? 0 : spec.ip,
      spec.mac,
      spec.stack,
      SUBNETS[spec.subnet],
      spec.beyondRouter,
      ids.nextUint32(),
      ids.nextUint32(),
    );
  };
  const coreHost = hostOf(core);
  const routerHost = hostOf(router);
  const network = new Network(coreHost, routerHost);
  const sim = new Simulation(plant.seed, sink, scheduler, network);
  for (const spec of plant.devices)
    sim.addHost(spec.name === core.name ? coreHost : spec.name === router.name ? routerHost : hostOf(spec));
  const t0 = DEMO_EPOCH_MICROS;
  const spec = (name: string): DeviceSpec => plant.device(name);
  const host = (name: string): Host => sim.host(name);
  const prng = sim.prng('plant');

  // Controllers and their pollers.
  const peers = new Map<string, ModbusPeer>();
  for (const plan of CONTROLLER_PLANS) {
    peers.set(plan.device, {
      host: host(plan.device),
      server: new ModbusServer(plan.server, sim.prng(`server:${plan.device}`), t0),
    });
  }
  CONTROLLER_PLANS.forEach((plan, i) => {
    const peer = peers.get(plan.device)!;
    const poller = (
      client: string,
      polls: typeof plan.scadaPolls,
      startAt: number,
      operator: boolean,
    ): void => {
      if (polls.length === 0) return;
      const label = `${client}>${plan.device}`;
      scheduler.spawn(
        `poll ${label}`,
        pollingClient(sim, {
          label,
          client: host(client),
          peer,
          polls,
          operator: operator && (plan.operator.setpoints || plan.operator.coils) ? plan.operator : null,
          startAt,
          firstTransactionId: client === 'hmi-1' || client === 'hmi-2' ? 1 : prng.int(1, 0xffff),
          latencyMicros: latency(spec(client), spec(plan.device)),
        }),
      );
    };
    poller('scada-1', plan.scadaPolls, t0 + 20 * MILLISECOND + i * 37 * MILLISECOND, false);
    poller(plan.hmi, plan.hmiPolls, t0 + 600 * MILLISECOND + i * 53 * MILLISECOND, true);
    poller('historian-1', plan.historianPolls, t0 + 1500 * MILLISECOND + i * 71 * MILLISECOND, false);
  });

  // DHCP in the office, through the core's relay.
  const dhcpService: DhcpService = {
    server: host('dhcp-1'),
    relay: coreHost,
    relayIp: SUBNETS.office.gateway,
    nextHopToServer: routerHost,
    subnetMask: parseIpv4('255.255.255.192'),
    dnsServer: spec('dns-1').ip,
    domain: DNS_DOMAIN,
    leaseSeconds: DHCP_LEASE_SECONDS,
    latencyMicros: LATENCY_BEYOND_ROUTER,
  };
  const dhcpClients = new Map<string, DhcpClient>();
  [
    ['office-pc-1', 2],
    ['office-laptop-1', 6],
    ['office-printer-1', 11],
  ].forEach(([name, second]) => {
    const d = spec(name as string);
    const client = new DhcpClient(
      sim,
      host(d.name),
      dhcpService,
      [d.ip, ...d.moreIps],
      sim.prng(`dhcp:${d.name}`),
    );
    dhcpClients.set(d.name, client);
    scheduler.spawn(
      `dhcp ${d.name}`,
      client.acquire(t0 + (second as number) * SECOND + prng.int(0, 900_000), undefined),
    );
  });
  const online = (name: string): (() => boolean) => {
    const client = dhcpClients.get(name);
    return client ? () => client.state.online : () => true;
  };

  // ARP background: hosts keep their peers and gateways in cache.
  const arp = (from: string, to: string, targetIp: number): void => {
    scheduler.spawn(`arp ${from}>${to}`, arpRefresh(sim, host(from), host(to), targetIp, t0, online(from)));
  };
  for (const plan of CONTROLLER_PLANS) {
    arp('scada-1', plan.device, spec(plan.device).ip);
    arp(plan.hmi, plan.device, spec(plan.device).ip);
    arp(plan.device, 'scada-1', spec('scada-1').ip);
    arp(plan.device, plan.hmi, spec(plan.hmi).ip);
    if (plan.historianPolls.length > 0) arp(plan.device, core.name, SUBNETS.control.gateway);
  }
  for (const name of ['scada-1', 'hmi-1', 'hmi-2', 'ews-1']) arp(name, core.name, SUBNETS.control.gateway);
  arp('historian-1', core.name, SUBNETS.siteOperations.gateway);
  arp('dmz-hist-1', core.name, SUBNETS.otDmz.gateway);
  arp('jump-1', core.name, SUBNETS.otDmz.gateway);
  for (const name of dhcpClients.keys()) arp(name, core.name, SUBNETS.office.gateway);
  arp(router.name, core.name, SUBNETS.transit.gateway);

  // DNS lookups of the Windows hosts.
  const zoneHosts = ['scada-1', 'historian-1', 'dmz-hist-1', 'jump-1', 'ews-1', 'dns-1', 'dhcp-1'];
  const directory: DnsDirectory = {
    zone: {
      name: DNS_DOMAIN,
      primaryLabel: 'dns-1',
      mailboxLabel: 'hostmaster',
      serial: 2026030201,
      ttl: 3600,
    },
    server: host('dns-1'),
    resolve(name: string): readonly number[] {
      const label = name.slice(0, -(DNS_DOMAIN.length + 1));
      if (zoneHosts.includes(label)) return [spec(label).ip];
      if (label === 'pi') return [spec('dmz-hist-1').ip];
      if (label === 'intranet') return [parseIpv4('203.0.113.30')];
      return [];
    },
  };
  const fqdn = (label: string): string => `${label}.${DNS_DOMAIN}`;
  const windowsNames = ['wpad', 'isatap', 'dns-1'].map(fqdn);
  const lookups: Record<string, string[]> = {
    'scada-1': [...windowsNames, fqdn('historian-1')],
    'hmi-1': [...windowsNames, fqdn('scada-1')],
    'hmi-2': [...windowsNames, fqdn('scada-1')],
    'ews-1': [...windowsNames, fqdn('scada-1'), fqdn('historian-1')],
    'historian-1': [...windowsNames, fqdn('dmz-hist-1'), fqdn('pi')],
    'jump-1': [...windowsNames, fqdn('ews-1')],
    'office-pc-1': [...windowsNames, fqdn('intranet'), fqdn('pi')],
    'office-laptop-1': [...windowsNames, fqdn('intranet'), fqdn('dhcp-1')],
  };
  for (const [name, names] of Object.entries(lookups)) {
    const start = t0 + 15 * SECOND;
    scheduler.spawn(
      `dns ${name}`,
      dnsClient(sim, host(name), directory, names, start, latency(spec(name), spec('dns-1')), online(name)),
    );
  }

  // Sessions across the plant's boundaries.
  scheduler.spawn(
    'replication',
    historianReplication(sim, host('historian-1'), host('dmz-hist-1'), LATENCY_ROUTED),
  );
  scheduler.spawn(
    'dashboards',
    dashboardUser(sim, host('corp-eng-1'), host('dmz-hist-1'), LATENCY_BEYOND_ROUTER),
  );

  // Every other protocol the dissectors know (plant-protocols.ts), and the ARP that goes with it.
  if (protocols === 'all')
    startProtocolTraffic({ sim, t0, host, latency: (a, b) => latency(spec(a), spec(b)) });
  for (const [a, b] of protocols === 'modbus'
    ? []
    : [
        ['scada-1', 'rtu-feeder-sel'],
        ['scada-1', 'rtu-grid-104'],
        ['scada-1', 'bms-ahu-1'],
        ['scada-1', 'bms-router-1'],
        ['plc-palletizer', 'io-palletizer'],
        ['ews-1', 'io-palletizer'],
        ['ews-1', 'plc-boiler-1'],
      ]) {
    arp(a, b, spec(b).ip);
    arp(b, a, spec(a).ip);
  }

  // The story, at fixed fractions of the capture.
  const at = (fraction: number): number => Math.floor(packets * fraction);
  scheduler.atPacket(at(STORY.adminSsh), 'ssh', () =>
    adminSsh(sim, host('corp-admin-1'), host('dmz-hist-1'), LATENCY_BEYOND_ROUTER),
  );
  const targets: EngineeringTarget[] = CONTROLLER_PLANS.filter((p) => !p.server.gateway).map((p) => ({
    name: p.device,
    peer: peers.get(p.device)!,
    probeOutOfRange: ENGINEERING_OUT_OF_RANGE.has(p.device),
    testCoils: ENGINEERING_COIL_TESTS[p.device] ?? null,
  }));
  scheduler.atPacket(at(STORY.engineeringSession), 'engineering', () =>
    engineeringSession(sim, host('ews-1'), targets, LATENCY_SAME_SUBNET),
  );
  scheduler.atPacket(at(STORY.controllerPowerCycle), 'power cycle', () =>
    powerCycle(sim, host(POWER_CYCLED_CONTROLLER)),
  );
  const laptop = dhcpClients.get('office-laptop-1')!;
  scheduler.atPacket(at(STORY.laptopLeaves), 'laptop leaves', () => laptopLeaves(sim, laptop));
  scheduler.atPacket(at(STORY.laptopReturns), 'laptop returns', () => laptopReturns(sim, laptop));
  scheduler.atPacket(at(STORY.vendorRemoteSupport), 'vendor rdp', () =>
    rdpSession(sim, host('vendor-vpn-1'), host('jump-1'), 'vendor01', 3 * MINUTE, LATENCY_BEYOND_ROUTER),
  );
  scheduler.atPacket(at(STORY.vendorRemoteSupport), 'jump rdp', () =>
    delayed(sim, 25 * SECOND, () =>
      rdpSession(sim, host('jump-1'), host('ews-1'), 'vendor01', 2 * MINUTE, LATENCY_ROUTED),
    ),
  );
  if (!attacks) return { sim, attackLog: null };
  // The attack episodes (attacks.ts): an intruder's laptop on the control network, and misuse by
  // the plant's own hosts, after the clean first part.
  const attacker = addAttacker(sim);
  const attackLog = scheduleAttacks(
    {
      sim,
      t0,
      packets,
      host,
      peer: (name) => peers.get(name)!,
      latency: (a, b) =>
        a === attacker.name || b === attacker.name
          ? latency(spec(a === attacker.name ? 'ews-1' : a), spec(b === attacker.name ? 'ews-1' : b))
          : latency(spec(a), spec(b)),
    },
    EPISODES,
  );
  return { sim, attackLog };
}

function* delayed(sim: Simulation, delayMicros: number, start: () => Behaviour): Behaviour {
  yield sim.now + delayMicros;
  yield* start();
}

/** The controller goes dark, and announces itself with a gratuitous ARP when it is back. */
function* powerCycle(sim: Simulation, controller: Host): Behaviour {
  const from = sim.now;
  sim.powerOff(controller, from, from + POWER_CYCLE_MICROS);
  sim.record('power-cycle', controller.name, `no answer for ${POWER_CYCLE_MICROS / SECOND} s`);
  yield from + POWER_CYCLE_MICROS;
  sendGratuitousArp(sim, controller);
}

function* laptopLeaves(sim: Simulation, laptop: DhcpClient): Behaviour {
  yield sim.now;
  sim.record('link-down', laptop.host.name, 'leaves the office network');
  laptop.state.present = false;
}

function* laptopReturns(sim: Simulation, laptop: DhcpClient): Behaviour {
  if (!laptop.state.bound) return;
  yield* laptop.rejoin(sim.now + SECOND);
}
