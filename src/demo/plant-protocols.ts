// The plant's traffic beyond Modbus (issue 3): every protocol Zoneward dissects, spoken by devices
// with realistic identities. Messages come from each dissector folder's builders (testing.ts), the
// same bytes the dissectors are tested on; protocol-actors.ts puts them on the wire in time.
//
//   scada-1        DNP3 master of rtu-feeder-sel, IEC 104 master of rtu-grid-104, BACnet client of the
//                  building controllers (Who-Is, identity, present-value polls)
//   plc-palletizer PROFINET IO controller of io-palletizer: connect, parameters, cyclic RT frames
//   ews-1          DCP identify (the engineering tool's "accessible devices"), I&M0 read, UMAS
//                  reservation and READ_ID on the M340
//   core-sw-1      LLDP and CDP; it-router-1 CDP; corp-admin-1 polls the core's SNMP system group
//   office hosts   mDNS (the printer) and NetBIOS name registration (the PC)

import {
  DEMO_DEVICES,
  demoIAm,
  demoIdentityExchange,
  readProperty,
  readPropertyAck,
  whoIs,
} from '../dissectors/bacnet/testing.ts';
import { cdpIndustrialSwitch } from '../dissectors/cdp/testing.ts';
import {
  deviceAttributesRequest,
  deviceAttributesResponse,
  integrityPoll,
  integrityResponse,
  unsolicitedEvents,
} from '../dissectors/dnp3/testing.ts';
import { mdnsPrinterResponse, nbnsRegistration } from '../dissectors/dns/testing.ts';
import {
  type IdentitySpec,
  listIdentityReply,
  listIdentityRequest,
  readTag,
  readTagReply,
  registerSession,
  sendRRData,
} from '../dissectors/enip/testing.ts';
import {
  interrogation,
  measuredFloats,
  sFrame,
  singlePoints,
  uFrame,
  withSeq,
} from '../dissectors/iec104/testing.ts';
import { lldpProfinetDevice, lldpSwitch } from '../dissectors/lldp/testing.ts';
import {
  umasOkResponse,
  umasReadIdRequest,
  umasReadIdResponse,
  umasReleaseReservationRequest,
  umasTakeReservationRequest,
  umasTakeReservationResponse,
} from '../dissectors/modbus/testing.ts';
import { SERVICES as OPCUA_SERVICES } from '../dissectors/opcua/spec.ts';
import {
  acknowledge,
  activateSessionRequest,
  BUILD_INFO_READ,
  buildInfoReadResponse,
  type ChannelInput,
  createSessionRequest,
  createSessionResponse,
  getEndpointsRequest,
  getEndpointsResponse,
  hello,
  msg,
  readRequest as opcuaReadRequest,
  readResponse as opcuaReadResponse,
  openSecureChannelRequest,
  openSecureChannelResponse,
  plcEndpoints,
  SCADA_CLIENT,
  simpleResponse,
} from '../dissectors/opcua/testing.ts';
import {
  type ConnectOptions,
  connectRequest,
  connectResponse,
  controlRequest,
  controlResponse,
  DCP_IDENTIFY_MULTICAST,
  type DcpIdentity,
  dcpIdentifyRequest,
  dcpIdentifyResponse,
  type Im0,
  type RecordTarget,
  readRequest,
  readResponseIm0,
  rtCyclic,
} from '../dissectors/profinet/testing.ts';
import {
  type ComponentIdentity,
  componentIdentification,
  connectionConfirm,
  connectionRequest,
  type ModuleIdentity,
  moduleIdentification,
  readSzl,
  readVar,
  readVarResponse,
  setupCommunication,
  setupCommunicationAck,
} from '../dissectors/s7comm/testing.ts';
import { type SystemIdentity, snmpSystemGet, snmpSystemResponse } from '../dissectors/snmp/testing.ts';
import { formatIpv4, formatMac, parseIpv4, parseMac } from './addresses.ts';
import { UNTAGGED } from './frames.ts';
import type { FramePath, Host } from './network.ts';
import {
  type ConversationPlan,
  linkBeacon,
  type Message,
  tcpConversation,
  udpConversation,
} from './protocol-actors.ts';
import { MILLISECOND, MINUTE, SECOND, type Simulation } from './simulation.ts';

/** What the plant hands over: its hosts by name, one-way latency between two, and its start time. */
export interface PlantContext {
  readonly sim: Simulation;
  host(name: string): Host;
  latency(a: string, b: string): number;
  readonly t0: number;
}

// Well-known ports (hints the dissectors also use).
const DNP3_PORT = 20000;
const IEC104_PORT = 2404;
const BACNET_PORT = 47808;
const PNIO_CM_PORT = 34964;
const MODBUS_PORT = 502;
const SNMP_PORT = 161;
const S7_PORT = 102;
const ENIP_PORT = 44818;
const OPCUA_PORT = 4840;
const MDNS_PORT = 5353;
const NBNS_PORT = 137;

/** IEEE 802.1AB §7.1: the nearest-bridge group address LLDP is sent to. */
const LLDP_MULTICAST = parseMac('01:80:c2:00:00:0e');
/** Cisco's CDP/VTP group address. */
const CDP_MULTICAST = parseMac('01:00:0c:cc:cc:cc');
/** The SNAP header of CDP: Cisco's OUI and protocol id 0x2000. */
const CDP_SNAP = Uint8Array.from([0x00, 0x00, 0x0c, 0x20, 0x00]);
const ETHERTYPE_LLDP = 0x88cc;
const ETHERTYPE_PROFINET = 0x8892;
/** RFC 6762 §3: mDNS group 224.0.0.251 and its Ethernet address (RFC 1112 §6.4). */
const MDNS_GROUP = parseIpv4('224.0.0.251');
const MDNS_MAC = parseMac('01:00:5e:00:00:fb');

/** The DNP3 outstation and its master's addresses (IEEE 1815 §9.2.4.1.3: 16-bit link addresses). */
const DNP3 = { master: 1, outstation: 1024 };
/** The IEC 104 RTU's common address of ASDU. */
const IEC104_COMMON_ADDRESS = 7;
/** BACnet network number of the MS/TP trunk behind the router, and the devices' MS/TP MACs. */
const MSTP_NETWORK = 5;

export const PROFINET_DEVICE: DcpIdentity & { im0: Im0 } = {
  stationName: 'io-palletizer',
  typeOfStation: 'ET 200SP',
  vendorId: 0x002a,
  deviceId: 0x0313,
  role: 1,
  ip: '192.0.2.23',
  netmask: '255.255.255.0',
  gateway: '192.0.2.1',
  im0: {
    vendorId: 0x002a,
    orderId: '6ES7 155-6AU01-0BN0',
    serial: 'S C-J4UB20417735',
    hardwareRevision: 3,
    softwareRevision: ['V', 4, 2, 1],
    revisionCounter: 2,
  },
};

export const PROFINET_CONTROLLER: DcpIdentity = {
  stationName: 'plc-palletizer',
  typeOfStation: 'S7-1500',
  vendorId: 0x002a,
  deviceId: 0x010d,
  role: 2,
  ip: '192.0.2.22',
  netmask: '255.255.255.0',
  gateway: '192.0.2.1',
};

/** What the core switch says about itself over SNMP. */
const CORE_SNMP: SystemIdentity = {
  sysDescr:
    'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)',
  sysObjectID: '1.3.6.1.4.1.9.1.2494',
  sysUpTime: 912_345_600,
  sysName: 'core-sw-1',
  sysLocation: 'Plant server room, rack A2',
};

/** The Siemens CPUs' identity as SZL 0x0011 and 0x001C report it. */
export const S7_CPUS: Readonly<Record<string, ModuleIdentity & ComponentIdentity>> = {
  'plc-filler': {
    orderNumber: '6ES7 214-1AG40-0XB0',
    hardware: 5,
    firmware: [4, 5, 2],
    systemName: 'S71200/ET200SP station_1',
    moduleName: 'plc-filler',
    plantId: 'Filling line',
    copyright: 'Original Siemens Equipment',
    serial: 'S V-K7M839282019',
    moduleType: 'CPU 1214C DC/DC/DC',
    memoryCardSerial: '',
  },
  'plc-palletizer': {
    orderNumber: '6ES7 511-1AK02-0AB0',
    hardware: 2,
    firmware: [2, 9, 4],
    systemName: 'S71500/ET200MP station_1',
    moduleName: 'plc-palletizer',
    plantId: 'Palletizing',
    copyright: 'Original Siemens Equipment',
    serial: 'S V-P1J493022020',
    moduleType: 'CPU 1511-1 PN',
    memoryCardSerial: 'SMC 4F81A2C7',
  },
};

/** The Micro850 as it answers ListIdentity (vendor 1: Rockwell Automation/Allen-Bradley). */
export const MICRO850: IdentitySpec = {
  vendorId: 1,
  deviceType: 0x0e,
  productCode: 0x00c4,
  revision: [12, 11],
  status: 0x0060,
  serial: 0x4a7b2c19,
  productName: '2080-LC50-24QWB',
  state: 3,
};

export function startProtocolTraffic(ctx: PlantContext): void {
  const { t0 } = ctx;
  s7Traffic(ctx, t0 + 6 * SECOND);
  enipTraffic(ctx, t0 + 7 * SECOND);
  opcuaTraffic(ctx, t0 + 8 * SECOND);
  dnp3Master(ctx, t0 + 3 * SECOND);
  iec104Master(ctx, t0 + 4 * SECOND);
  bacnetSupervisor(ctx, t0 + 5 * SECOND);
  profinetController(ctx, t0 + 200 * MILLISECOND);
  discoveryBeacons(ctx, t0);
  snmpPoller(ctx, t0 + 40 * SECOND);
  umasIdentification(ctx, t0 + 50 * SECOND);
  officeNames(ctx, t0 + 90 * SECOND);
}

/** scada-1 reads the RTAC's device attributes, then polls all classes every 10 s; events come unsolicited now and then. */
function dnp3Master(ctx: PlantContext, startAt: number): void {
  const seq = (i: number) => ({ ...DNP3, seq: i & 0x0f });
  const plan: ConversationPlan = {
    label: 'dnp3 scada-1>rtu-feeder-sel',
    client: ctx.host('scada-1'),
    server: ctx.host('rtu-feeder-sel'),
    port: DNP3_PORT,
    latencyMicros: ctx.latency('scada-1', 'rtu-feeder-sel'),
    startAt,
    opening: [
      [0, deviceAttributesRequest(seq(0))],
      [
        1,
        deviceAttributesResponse(
          {
            vendor: 'Schweitzer Engineering Laboratories, Inc.',
            model: 'SEL-3530 RTAC',
            firmware: 'R148-V2-Z012012-D20231110',
            hardware: '3530 Rev B',
            serial: '1191930452',
            name: 'FEEDER-RTAC-01',
          },
          seq(0),
        ),
      ],
    ],
    periodMicros: 10 * SECOND,
    cycle(i): Message[] {
      const s = seq(i + 1);
      const poll: Message[] = [
        [0, integrityPoll(s)],
        [1, integrityResponse(s)],
      ];
      // Every sixth cycle a breaker changes state: the outstation reports it unsolicited.
      if (i % 6 === 5) poll.push([1, unsolicitedEvents([3], { ...DNP3, seq: (i >> 1) & 0x0f })]);
      return poll;
    },
  };
  ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
}

/** scada-1 starts data transfer and interrogates; the RTU then reports measurements spontaneously. */
function iec104Master(ctx: PlantContext, startAt: number): void {
  const ca = IEC104_COMMON_ADDRESS;
  // I-format sequence numbers (104 §5.1): each side counts what it sent and acknowledges the other.
  let masterSent = 0;
  let rtuSent = 0;
  const fromMaster = (apdu: Uint8Array): Message => [0, withSeq(apdu, masterSent++, rtuSent)];
  const fromRtu = (apdu: Uint8Array): Message => [1, withSeq(apdu, rtuSent++, masterSent)];
  const plan: ConversationPlan = {
    label: 'iec104 scada-1>rtu-grid-104',
    client: ctx.host('scada-1'),
    server: ctx.host('rtu-grid-104'),
    port: IEC104_PORT,
    latencyMicros: ctx.latency('scada-1', 'rtu-grid-104'),
    startAt,
    opening: [
      [0, uFrame('STARTDT_ACT')],
      [1, uFrame('STARTDT_CON')],
    ],
    periodMicros: 2 * SECOND,
    cycle(i): Message[] {
      if (i === 0) {
        return [
          fromMaster(interrogation(ca)),
          fromRtu(interrogation(ca, 'ACTCON')),
          fromRtu(singlePoints(ca, 1001, [true, false, true, true])),
          fromRtu(
            measuredFloats(
              ca,
              [
                { ioa: 2001, value: 20.4 },
                { ioa: 2002, value: 49.98 },
              ],
              'INROGEN',
            ),
          ),
          fromRtu(interrogation(ca, 'ACTTERM')),
          [0, sFrame(rtuSent)],
        ];
      }
      // Test frames keep an idle link alive (104 §5.3, t3); measurements change every cycle.
      if (i % 30 === 0) {
        return [
          [0, uFrame('TESTFR_ACT')],
          [1, uFrame('TESTFR_CON')],
        ];
      }
      const out: Message[] = [
        fromRtu(
          measuredFloats(ca, [
            { ioa: 2001, value: 20 + (i % 7) / 10 },
            { ioa: 2002, value: 49.95 + (i % 5) / 100 },
          ]),
        ),
      ];
      // The master acknowledges every eighth I-frame (104 §5.5, w = 8).
      if (i % 8 === 0) out.push([0, sFrame(rtuSent)]);
      return out;
    },
  };
  ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
}

/**
 * scada-1 as a building supervisor: Who-Is to everyone every 10 minutes, the I-Am answers (the
 * router's MS/TP devices answer through it, with their network address), identity reads, then
 * present-value polls of the AHU every 5 s.
 */
function bacnetSupervisor(ctx: PlantContext, startAt: number): void {
  const { sim } = ctx;
  const scada = ctx.host('scada-1');
  const ahu = ctx.host('bms-ahu-1');
  const router = ctx.host('bms-router-1');
  const [ahuDevice, fecDevice, pxcDevice] = DEMO_DEVICES;
  const behind = [
    { device: fecDevice, address: { net: MSTP_NETWORK, mac: [0x0a] } },
    { device: pxcDevice, address: { net: MSTP_NETWORK, mac: [0x0b] } },
  ];
  sim.scheduler.spawn(
    'bacnet who-is',
    (function* () {
      const prng = sim.prng('bacnet who-is');
      let at = startAt;
      for (;;) {
        yield at;
        broadcastUdp(sim, scada, BACNET_PORT, BACNET_PORT, whoIs());
        yield sim.now + prng.int(5, 40) * MILLISECOND;
        broadcastUdp(sim, ahu, BACNET_PORT, BACNET_PORT, demoIAm(ahuDevice));
        for (const b of behind) {
          yield sim.now + prng.int(10, 60) * MILLISECOND;
          broadcastUdp(sim, router, BACNET_PORT, BACNET_PORT, demoIAm(b.device, { source: b.address }));
        }
        at += 10 * MINUTE;
      }
    })(),
  );
  let invoke = 0;
  const nextInvoke = () => invoke++ & 0xff;
  const ahuPlan: ConversationPlan & { clientPort: number } = {
    label: 'bacnet scada-1>bms-ahu-1',
    client: scada,
    server: ahu,
    port: BACNET_PORT,
    clientPort: BACNET_PORT,
    latencyMicros: ctx.latency('scada-1', 'bms-ahu-1'),
    startAt: startAt + SECOND,
    opening: demoIdentityExchange(ahuDevice, nextInvoke()).map((bytes, i) => [i as 0 | 1, bytes] as Message),
    periodMicros: 5 * SECOND,
    cycle(i): Message[] {
      const id = nextInvoke();
      // Supply air temperature (analog-input 1, present-value 85) drifting around its setpoint.
      return [
        [0, readProperty(id, 0, 1, 85)],
        [1, readPropertyAck(id, 0, 1, 85, { real: 16 + ((i * 7) % 13) / 10 })],
      ];
    },
  };
  sim.scheduler.spawn(ahuPlan.label, udpConversation(sim, ahuPlan));
  const routerPlan: ConversationPlan & { clientPort: number } = {
    label: 'bacnet scada-1>bms-router-1',
    client: scada,
    server: router,
    port: BACNET_PORT,
    clientPort: BACNET_PORT,
    latencyMicros: ctx.latency('scada-1', 'bms-router-1'),
    startAt: startAt + 2 * SECOND,
    opening: behind.flatMap((b) =>
      demoIdentityExchange(b.device, nextInvoke(), b.address).map(
        (bytes, i) => [i as 0 | 1, bytes] as Message,
      ),
    ),
    periodMicros: 60 * SECOND,
    cycle(i): Message[] {
      const b = behind[i % behind.length];
      const id = nextInvoke();
      return [
        [0, readProperty(id, 2, 1, 85, undefined, { destination: b.address })],
        [1, readPropertyAck(id, 2, 1, 85, { real: 21.5 }, { source: b.address })],
      ];
    },
  };
  sim.scheduler.spawn(routerPlan.label, udpConversation(sim, routerPlan));
}

/**
 * plc-palletizer brings up its IO device as an S7-1500 does at start-up (IEC 61158-6-10): Connect,
 * parameter write, PrmEnd, the device's ApplicationReady; then cyclic RT frames both ways every
 * 64 ms (send clock 1 ms, reduction ratio 64). ews-1 later identifies the network by DCP and reads
 * the device's I&M0.
 */
function profinetController(ctx: PlantContext, startAt: number): void {
  const { sim } = ctx;
  const plc = ctx.host('plc-palletizer');
  const io = ctx.host('io-palletizer');
  const ews = ctx.host('ews-1');
  const arUuid = '7c1e0d52-3a9b-4f21-8d6e-0a1b2c3d4e5f';
  const activity = '5d0c9e21-7b3a-1011-8000-000e8c0a1b2c';
  const target = { vendorId: PROFINET_DEVICE.vendorId, deviceId: PROFINET_DEVICE.deviceId };
  const connect: ConnectOptions = {
    arUuid,
    activity,
    target,
    controller: {
      stationName: PROFINET_CONTROLLER.stationName,
      mac: formatMac(plc.mac),
      vendorId: PROFINET_CONTROLLER.vendorId,
      deviceId: PROFINET_CONTROLLER.deviceId,
    },
  };
  const record = (seq: number): RecordTarget => ({ arUuid, activity, seq, target });
  const cm: ConversationPlan & { clientPort: number } = {
    label: 'pnio-cm plc-palletizer>io-palletizer',
    client: plc,
    server: io,
    port: PNIO_CM_PORT,
    clientPort: 49_152,
    latencyMicros: ctx.latency('plc-palletizer', 'io-palletizer'),
    startAt,
    serverDelayMicros: [800, 3 * MILLISECOND],
    opening: [
      [0, connectRequest(connect)],
      [1, connectResponse(connect, formatMac(io.mac))],
      [0, controlRequest(record(1), 'PRM_END')],
      [1, controlResponse(record(1), 'PRM_END')],
    ],
    periodMicros: 60 * MINUTE,
    cycle: () => [],
  };
  sim.scheduler.spawn(cm.label, udpConversation(sim, cm));
  // ApplicationReady goes from the device to the controller's RPC server (IEC 61158-6-10 §5.x: the
  // device is then the RPC client).
  const ready: ConversationPlan & { clientPort: number } = {
    label: 'pnio-cm io-palletizer>plc-palletizer',
    client: io,
    server: plc,
    port: PNIO_CM_PORT,
    clientPort: 49_153,
    latencyMicros: ctx.latency('plc-palletizer', 'io-palletizer'),
    startAt: startAt + 40 * MILLISECOND,
    opening: [
      [0, controlRequest(record(2), 'APPLICATION_READY')],
      [1, controlResponse(record(2), 'APPLICATION_READY')],
    ],
    periodMicros: 60 * MINUTE,
    cycle: () => [],
  };
  sim.scheduler.spawn(ready.label, udpConversation(sim, ready));
  // Cyclic data: output frames to the device, input frames back (frame ids of RT class 1, 0xC000-0xF7FF).
  for (const [from, to, frameId] of [
    [plc, io, 0xc001],
    [io, plc, 0xc002],
  ] as const) {
    sim.scheduler.spawn(
      `pnio-rt ${from.name}`,
      linkBeacon(sim, {
        label: `pnio-rt ${from.name}`,
        from,
        dstMac: to.mac,
        etherType: ETHERTYPE_PROFINET,
        startAt: startAt + 100 * MILLISECOND + (from === io ? 500 : 0),
        periodMicros: 64 * MILLISECOND,
        jitter: 0,
        frame: (i) => rtCyclic(frameId, (i * 64 * 32) & 0xffff, 0x35, 12),
      }),
    );
  }
  // The engineering tool's DCP identify (multicast), every PROFINET device's answer, then an I&M0 read.
  sim.scheduler.spawn(
    'dcp identify',
    (function* () {
      const prng = sim.prng('dcp identify');
      let at = startAt + 30 * SECOND;
      for (let xid = 0x1000; ; xid++) {
        yield at;
        sim.sink.link(parseMac(DCP_IDENTIFY_MULTICAST), ews.mac, ETHERTYPE_PROFINET, dcpIdentifyRequest(xid));
        for (const [host, identity] of [
          [plc, PROFINET_CONTROLLER],
          [io, PROFINET_DEVICE],
        ] as const) {
          // Responses are spread over the request's ResponseDelay (IEC 61158-6-10 DCP).
          yield sim.now + (prng.int(1, 400) * MILLISECOND) / 100;
          sim.sink.link(ews.mac, host.mac, ETHERTYPE_PROFINET, dcpIdentifyResponse(xid, identity));
        }
        at += 30 * MINUTE;
      }
    })(),
  );
  const im0: ConversationPlan & { clientPort: number } = {
    label: 'pnio-cm ews-1>io-palletizer',
    client: ews,
    server: io,
    port: PNIO_CM_PORT,
    clientPort: 50_211,
    latencyMicros: ctx.latency('ews-1', 'io-palletizer'),
    startAt: startAt + 32 * SECOND,
    opening: [
      [0, readRequest(record(3))],
      [1, readResponseIm0(record(3), PROFINET_DEVICE.im0)],
    ],
    periodMicros: 60 * MINUTE,
    cycle: () => [],
  };
  sim.scheduler.spawn(im0.label, udpConversation(sim, im0));
}

/** LLDP from the core switch (every 30 s) and the PROFINET devices (every 5 s); CDP from the Cisco gear every 60 s. */
function discoveryBeacons(ctx: PlantContext, t0: number): void {
  const { sim } = ctx;
  const core = ctx.host('core-sw-1');
  const router = ctx.host('it-router-1');
  const beacon = (
    label: string,
    from: Host,
    period: number,
    offset: number,
    frame: () => Uint8Array,
    cdp = false,
  ) =>
    sim.scheduler.spawn(
      label,
      linkBeacon(sim, {
        label,
        from,
        dstMac: cdp ? CDP_MULTICAST : LLDP_MULTICAST,
        etherType: cdp ? null : ETHERTYPE_LLDP,
        snap: cdp ? CDP_SNAP : undefined,
        startAt: t0 + offset,
        periodMicros: period,
        jitter: 0.01,
        frame,
      }),
    );
  const lldpCore = lldpSwitch('core-sw-1', formatIpv4(core.ip), 'GigabitEthernet1/0/1');
  beacon('lldp core-sw-1', core, 30 * SECOND, 700 * MILLISECOND, () => lldpCore);
  for (const [name, description] of [
    ['plc-palletizer', 'Siemens, SIMATIC S7-1500, 6ES7 511-1AK02-0AB0, HW: 2, FW: V2.9.4'],
    ['io-palletizer', 'Siemens, ET200SP, 6ES7 155-6AU01-0BN0, HW: 3, FW: V4.2.1'],
  ]) {
    const host = ctx.host(name);
    const frame = lldpProfinetDevice(name, formatIpv4(host.ip), formatMac(host.mac), description);
    beacon(`lldp ${name}`, host, 5 * SECOND, 1300 * MILLISECOND, () => frame);
  }
  const cdpCore = cdpIndustrialSwitch({
    deviceId: 'core-sw-1',
    ip: formatIpv4(core.ip),
    port: 'GigabitEthernet1/0/1',
    platform: 'cisco C9300-24T',
    softwareVersion:
      'Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)',
    nativeVlan: 1,
  });
  beacon('cdp core-sw-1', core, 60 * SECOND, 2 * SECOND, () => cdpCore, true);
  const cdpRouter = cdpIndustrialSwitch({
    deviceId: 'it-router-1',
    ip: formatIpv4(router.ip),
    port: 'GigabitEthernet0/0/1',
    platform: 'cisco ISR4331/K9',
    softwareVersion:
      'Cisco IOS XE Software, Version 17.06.05\nCisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.6.5, RELEASE SOFTWARE (fc2)',
    nativeVlan: 1,
  });
  beacon('cdp it-router-1', router, 60 * SECOND, 9 * SECOND, () => cdpRouter, true);
}

/** corp-admin-1's monitoring reads the core switch's system group every 5 minutes. */
function snmpPoller(ctx: PlantContext, startAt: number): void {
  let id = 0x2a10;
  const plan: ConversationPlan & { clientPort: number } = {
    label: 'snmp corp-admin-1>core-sw-1',
    client: ctx.host('corp-admin-1'),
    server: ctx.host('core-sw-1'),
    port: SNMP_PORT,
    clientPort: 40_161,
    latencyMicros: ctx.latency('corp-admin-1', 'core-sw-1'),
    startAt,
    opening: [],
    periodMicros: 5 * MINUTE,
    cycle(): Message[] {
      const requestId = id++;
      return [
        [0, snmpSystemGet(requestId, 'plant-ro')],
        [1, snmpSystemResponse(requestId, CORE_SNMP, 'plant-ro')],
      ];
    },
  };
  ctx.sim.scheduler.spawn(plan.label, udpConversation(ctx.sim, plan));
}

/** ews-1 (Control Expert) takes the M340's reservation, reads its identity, and releases it. */
function umasIdentification(ctx: PlantContext, startAt: number): void {
  const session = 0x3c;
  const plan: ConversationPlan = {
    label: 'umas ews-1>plc-boiler-1',
    client: ctx.host('ews-1'),
    server: ctx.host('plc-boiler-1'),
    port: MODBUS_PORT,
    latencyMicros: ctx.latency('ews-1', 'plc-boiler-1'),
    startAt,
    opening: [
      [0, umasReadIdRequest(1)],
      [1, umasReadIdResponse(1, 'BMX P34 2020')],
      [0, umasTakeReservationRequest(2, 'EWS-1')],
      [1, umasTakeReservationResponse(2, session)],
      [0, umasReleaseReservationRequest(3, session)],
      [1, umasOkResponse(3, session)],
    ],
    periodMicros: 60 * MINUTE,
    cycle: () => [],
  };
  ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
}

/** The office printer announces itself by mDNS; the office PC registers its NetBIOS name. */
function officeNames(ctx: PlantContext, startAt: number): void {
  const { sim } = ctx;
  const printer = ctx.host('office-printer-1');
  const pc = ctx.host('office-pc-1');
  sim.scheduler.spawn(
    'mdns office-printer-1',
    (function* () {
      let at = startAt;
      for (;;) {
        yield at;
        // Only once it holds a lease (the DHCP client sets the address).
        if (printer.ip !== 0) {
          const announcement = mdnsPrinterResponse({
            instance: 'Brother HL-L6400DW series',
            // Brother names its printers BRN and the MAC, as in its DHCP host name.
            host: `BRN${formatMac(printer.mac).replaceAll(':', '').toUpperCase()}`,
            ipv4: formatIpv4(printer.ip),
            make: 'Brother',
            model: 'HL-L6400DW series',
          });
          const path: FramePath = {
            srcMac: printer.mac,
            dstMac: MDNS_MAC,
            ttl: 255,
            vlan: UNTAGGED,
            sender: printer,
          };
          sim.sink.output.buffer.set(announcement, sim.sink.udpPayloadOffset(path));
          sim.sink.udp(path, printer.ip, MDNS_GROUP, MDNS_PORT, MDNS_PORT, announcement.length);
        }
        at += 2 * MINUTE;
      }
    })(),
  );
  sim.scheduler.spawn(
    'nbns office-pc-1',
    (function* () {
      let at = startAt + 7 * SECOND;
      for (let id = 0x8101; ; id++) {
        yield at;
        if (pc.ip !== 0)
          broadcastUdp(
            sim,
            pc,
            NBNS_PORT,
            NBNS_PORT,
            nbnsRegistration(id, 'OFFICE-PC-1', 0x00, formatIpv4(pc.ip)),
          );
        at += 10 * MINUTE;
      }
    })(),
  );
}

/**
 * scada-1 reads a data block of the S7-1500 every second over an OP connection; ews-1 (TIA Portal)
 * connects to both Siemens CPUs as a PG and reads their identity lists (SZL 0x0011 and 0x001C).
 */
function s7Traffic(ctx: PlantContext, startAt: number): void {
  let ref = 0x0100;
  const poll: ConversationPlan = {
    label: 's7comm scada-1>plc-palletizer',
    client: ctx.host('scada-1'),
    server: ctx.host('plc-palletizer'),
    port: S7_PORT,
    latencyMicros: ctx.latency('scada-1', 'plc-palletizer'),
    startAt,
    opening: [
      [0, connectionRequest({ type: 2, rack: 0, slot: 1 })],
      [1, connectionConfirm({ type: 2, rack: 0, slot: 1 })],
      [0, setupCommunication(ref)],
      [1, setupCommunicationAck(ref++)],
    ],
    periodMicros: SECOND,
    cycle(i): Message[] {
      const r = ref++ & 0xffff;
      return [
        [0, readVar(r, [{ area: 'DB', db: 10, start: 0, size: 'BYTE', count: 16 }])],
        [1, readVarResponse(r, [Uint8Array.from({ length: 16 }, (_, k) => (i + k) & 0xff)])],
      ];
    },
  };
  ctx.sim.scheduler.spawn(poll.label, tcpConversation(ctx.sim, poll));
  ['plc-filler', 'plc-palletizer'].forEach((name, n) => {
    const cpu = S7_CPUS[name];
    const slot = name === 'plc-filler' ? 1 : 1;
    const plan: ConversationPlan = {
      label: `s7comm ews-1>${name}`,
      client: ctx.host('ews-1'),
      server: ctx.host(name),
      port: S7_PORT,
      latencyMicros: ctx.latency('ews-1', name),
      startAt: startAt + (55 + n * 3) * SECOND,
      opening: [
        [0, connectionRequest({ type: 1, rack: 0, slot })],
        [1, connectionConfirm({ type: 1, rack: 0, slot })],
        [0, setupCommunication(1)],
        [1, setupCommunicationAck(1)],
        [0, readSzl(2, 0x0011)],
        [1, moduleIdentification(2, cpu)],
        [0, readSzl(3, 0x001c)],
        [1, componentIdentification(3, cpu)],
      ],
      periodMicros: 60 * MINUTE,
      cycle: () => [],
    };
    ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
  });
}

/** scada-1 identifies the Micro850, opens a session and reads two tags every second. */
function enipTraffic(ctx: PlantContext, startAt: number): void {
  const session = 0x1a2b3c4d;
  const plan: ConversationPlan = {
    label: 'enip scada-1>plc-conveyor',
    client: ctx.host('scada-1'),
    server: ctx.host('plc-conveyor'),
    port: ENIP_PORT,
    latencyMicros: ctx.latency('scada-1', 'plc-conveyor'),
    startAt,
    opening: [
      [0, listIdentityRequest()],
      [1, listIdentityReply(MICRO850, formatIpv4(ctx.host('plc-conveyor').ip))],
      [0, registerSession()],
      [1, registerSession({ session })],
    ],
    periodMicros: SECOND,
    cycle(i): Message[] {
      return [
        [0, sendRRData(readTag('Conveyor_Speed'), { session })],
        [1, sendRRData(readTagReply([1450 + (i % 11)]), { session })],
      ];
    },
  };
  ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
}

/**
 * historian-1 collects from the S7-1500's OPC UA server: secure channel (policy None), endpoints,
 * session, the server's BuildInfo, then a read of two values every 5 s.
 */
function opcuaTraffic(ctx: PlantContext, startAt: number): void {
  const plc = ctx.host('plc-palletizer');
  const url = `opc.tcp://${formatIpv4(plc.ip)}:${OPCUA_PORT}`;
  const seq: [number, number] = [0, 0];
  let requestId = 0;
  const channel = (dir: 0 | 1, id: number): ChannelInput => ({
    channelId: 0x51,
    tokenId: 1,
    sequenceNumber: ++seq[dir],
    requestId: id,
  });
  const exchange = (request: (h: number) => Uint8Array, response: (h: number) => Uint8Array): Message[] => {
    const id = ++requestId;
    return [
      [0, msg(channel(0, id), request(id))],
      [1, msg(channel(1, id), response(id))],
    ];
  };
  const nodes = [
    { ns: 3, s: '"Palletizer"."LayerCount"' },
    { ns: 3, s: '"Palletizer"."CycleTime"' },
  ];
  const openId = ++requestId;
  seq[0]++;
  seq[1]++;
  const plan: ConversationPlan = {
    label: 'opcua historian-1>plc-palletizer',
    client: ctx.host('historian-1'),
    server: plc,
    port: OPCUA_PORT,
    latencyMicros: ctx.latency('historian-1', 'plc-palletizer'),
    startAt,
    opening: [
      [0, hello(url)],
      [1, acknowledge()],
      [0, openSecureChannelRequest({ sequenceNumber: 1, requestId: openId })],
      [1, openSecureChannelResponse({ channelId: 0x51, tokenId: 1, sequenceNumber: 1, requestId: openId })],
      ...exchange(
        (h) => getEndpointsRequest(h, url),
        (h) => getEndpointsResponse(h, plcEndpoints(url)),
      ),
      ...exchange(
        (h) =>
          createSessionRequest(
            h,
            {
              ...SCADA_CLIENT,
              applicationName: 'historian-1 OPC UA collector',
              applicationUri: 'urn:historian-1:Collector',
              productUri: 'urn:plant:historian',
            },
            url,
          ),
        (h) => createSessionResponse(h, plcEndpoints(url)),
      ),
      ...exchange(
        (h) => activateSessionRequest(h, { kind: 'anonymous' }),
        (h) => simpleResponse(OPCUA_SERVICES.ActivateSession.response, h),
      ),
      ...exchange(
        (h) => opcuaReadRequest(h, BUILD_INFO_READ),
        (h) => buildInfoReadResponse(h),
      ),
    ],
    periodMicros: 5 * SECOND,
    cycle(i): Message[] {
      return exchange(
        (h) => opcuaReadRequest(h, nodes),
        (h) => opcuaReadResponse(h, [{ double: 12 + (i % 8) }, { double: 41.5 + (i % 5) / 10 }]),
      );
    },
  };
  ctx.sim.scheduler.spawn(plan.label, tcpConversation(ctx.sim, plan));
}

/** One datagram to 255.255.255.255 (BACnet global broadcast, NetBIOS name registration). */
function broadcastUdp(
  sim: Simulation,
  from: Host,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
): void {
  const path = sim.network.path(from, 0xffffffff);
  sim.sink.output.buffer.set(payload, sim.sink.udpPayloadOffset(path));
  sim.sink.udp(path, from.ip, 0xffffffff, srcPort, dstPort, payload.length);
}
