// The attack episodes of the demo plant, one actor each (see attacks.ts for how they are scheduled
// and recorded). Protocol messages come from the dissectors' testing.ts builders, as the plant's
// normal traffic does. Three are subtle on purpose: a single out-of-range setpoint from the usual
// HMI, a CPU stop from the engineering workstation outside its maintenance window, and a slow port
// scan (one port every few seconds).

import { DEMO_DEVICES, demoIAm, reinitializeDevice, whoIs } from '../dissectors/bacnet/testing.ts';
import { fileBlockResponse, fileStatusResponse, openFileRequest } from '../dissectors/dnp3/testing.ts';
import {
  cipReply,
  cipRequest,
  listIdentityReply,
  listIdentityRequest,
  logicalPath,
  registerSession,
  sendRRData,
} from '../dissectors/enip/testing.ts';
import {
  umasOkResponse,
  umasReleaseReservationRequest,
  umasStopPlcRequest,
  umasTakeReservationRequest,
  umasTakeReservationResponse,
} from '../dissectors/modbus/testing.ts';
import {
  DCP_IDENTIFY_MULTICAST,
  dcpIdentifyRequest,
  dcpIdentifyResponse,
} from '../dissectors/profinet/testing.ts';
import {
  blockFile,
  componentIdentification,
  connectionConfirm,
  connectionRequest,
  downloadBlock,
  downloadBlockAck,
  downloadEnded,
  endUpload,
  endUploadAck,
  functionAck,
  moduleIdentification,
  plcControlBlocks,
  plcPassword,
  plcPasswordResponse,
  readSzl,
  requestDownload,
  setupCommunication,
  setupCommunicationAck,
  startUpload,
  startUploadAck,
  szlAnswer,
  upload,
  uploadAck,
} from '../dissectors/s7comm/testing.ts';
import { MAC_BROADCAST, MAC_ZERO, parseMac } from './addresses.ts';
import { ATTACKER, type AttackContext, type EpisodePlan } from './attacks.ts';
import { ARP_OPERATION, TCP_FLAGS } from './frames.ts';
import { ModbusClientSession } from './modbus-client.ts';
import type { ModbusRequest } from './modbus-frames.ts';
import type { Host } from './network.ts';
import { MICRO850, PROFINET_CONTROLLER, PROFINET_DEVICE, S7_CPUS } from './plant-protocols.ts';
import { type Message, tcpConversation } from './protocol-actors.ts';
import type { Behaviour } from './scheduler.ts';
import { MILLISECOND, MINUTE, SECOND, type Simulation } from './simulation.ts';
import { TcpConnection } from './tcp-connection.ts';

const { SYN, ACK, RST } = TCP_FLAGS;
const A = ATTACKER.name;
/** The plant's fixed addresses used below (plant.ts). */
const IP: Record<string, string> = {
  [A]: ATTACKER.ip,
  'plc-boiler-1': '192.0.2.11',
  'plc-boiler-2': '192.0.2.12',
  'plc-filler': '192.0.2.21',
  'plc-palletizer': '192.0.2.22',
  'plc-conveyor': '192.0.2.31',
  'plc-mixer': '192.0.2.41',
  'plc-packaging': '192.0.2.51',
  'rtu-tank-farm': '192.0.2.52',
  'rtu-pump-station': '192.0.2.61',
  'gw-power-meters': '192.0.2.62',
  'plc-utilities': '192.0.2.71',
  'rtu-substation': '192.0.2.81',
  'rtu-feeder-sel': '192.0.2.82',
  'scada-1': '192.0.2.100',
  'hmi-1': '192.0.2.101',
  'hmi-2': '192.0.2.102',
  'ews-1': '192.0.2.110',
  'historian-1': '198.51.100.10',
  'jump-1': '198.51.100.141',
};
const BROADCAST = '255.255.255.255';

const S7_PORT = 102;
const ENIP_PORT = 44818;
const DNP3_PORT = 20000;
const BACNET_PORT = 47808;
const MODBUS_PORT = 502;
const TELNET_PORT = 23;
const ETHERTYPE_PROFINET = 0x8892;
/** The slow scan: the ports it tries, one every SLOW_SCAN_GAP. */
const SLOW_SCAN_PORTS = [21, 22, 23, 80, 102, 443, 502, 2404, 4840, 20000, 44818];
const SLOW_SCAN_GAP_MICROS = 4 * SECOND;
/** The flood: SYNs to one controller, one every FLOOD_GAP. */
const FLOOD_SYNS = 400;
const FLOOD_GAP_MICROS = 500;
/** Units a Modbus unit sweep asks for behind the gateway. */
const UNIT_SWEEP = 16;
/** How long the silent device stays silent, and the restarted one reboots. */
const SILENCE_MICROS = 45 * SECOND;
const RESTART_MICROS = 12 * SECOND;
/** The poller whose cadence drifts: its usual period, the drifted one, and for how long. */
const CADENCE_PERIOD_MICROS = 10 * SECOND;
const CADENCE_DRIFTED_MICROS = 1 * SECOND;
const CADENCE_DRIFT_MICROS = 60 * SECOND;
const CADENCE_AT = 0.72;
/** The firmware the filler reports after its unauthorised update (it ran V4.5.2). */
const NEW_FILLER_FIRMWARE: readonly [number, number, number] = [4, 6, 0];
/** S7 PLC_PASSWORD refusal: "password wrong" (error class 0xd6, code 0x02). */
const S7_PASSWORD_REFUSED = 0xd602;

function s7Session(ref: number, connectionType = 1): Message[] {
  return [
    [0, connectionRequest({ type: connectionType, rack: 0, slot: 1 })],
    [1, connectionConfirm({ type: connectionType, rack: 0, slot: 1 })],
    [0, setupCommunication(ref)],
    [1, setupCommunicationAck(ref)],
  ];
}

/** A short TCP connection: connect, the messages in turn, close. */
function conversation(
  ctx: AttackContext,
  label: string,
  client: string,
  server: string,
  port: number,
  messages: readonly Message[],
): Behaviour {
  return tcpConversation(ctx.sim, {
    label: `attack ${label}`,
    client: ctx.host(client),
    server: ctx.host(server),
    port,
    latencyMicros: ctx.latency(client, server),
    startAt: ctx.sim.now + 200 * MILLISECOND,
    opening: messages,
    cycle: () => [],
    periodMicros: MINUTE,
    serverDelayMicros: [2 * MILLISECOND, 20 * MILLISECOND],
  });
}

/** A short Modbus/TCP connection with a few requests, `gap` apart. */
function* modbusRequests(
  ctx: AttackContext,
  label: string,
  client: string,
  controller: string,
  requests: readonly ModbusRequest[],
  gapMicros = 300 * MILLISECOND,
): Behaviour {
  const { sim } = ctx;
  const prng = sim.prng(`attack ${label}`);
  const session = new ModbusClientSession(
    sim,
    ctx.host(client),
    ctx.peer(controller),
    prng,
    prng.int(1, 0xfff0),
    ctx.latency(client, controller),
  );
  if (!(yield* session.connect(sim.now + 100 * MILLISECOND))) return;
  for (const request of requests) {
    if (!(yield* session.transaction(sim.now + gapMicros, request))) {
      yield* session.abandon();
      return;
    }
  }
  yield* session.close(sim.now + 200 * MILLISECOND);
}

function sendUdp(
  sim: Simulation,
  from: Host,
  toIp: number,
  sport: number,
  dport: number,
  payload: Uint8Array,
) {
  const path = sim.network.path(from, toIp);
  sim.sink.output.buffer.set(payload, sim.sink.udpPayloadOffset(path));
  sim.sink.udp(path, from.ip, toIp, sport, dport, payload.length);
}

function arpReply(sim: Simulation, from: Host, claimedIp: number, to: Host): void {
  sim.sink.arp(to.mac, from.mac, ARP_OPERATION.REPLY, from.mac, claimedIp, to.mac, to.ip);
}

function gratuitousArp(sim: Simulation, from: Host, claimedIp: number): void {
  sim.sink.arp(MAC_BROADCAST, from.mac, ARP_OPERATION.REQUEST, from.mac, claimedIp, MAC_ZERO, claimedIp);
}

// --- The episodes -------------------------------------------------------------------------------

/** The laptop appears: it announces itself and resolves the controllers it is about to visit. */
function* newAsset(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const me = ctx.host(A);
  yield sim.now + 100 * MILLISECOND;
  gratuitousArp(sim, me, me.ip);
  for (const name of ['plc-utilities', 'plc-filler', 'plc-palletizer', 'scada-1']) {
    const peer = ctx.host(name);
    yield sim.now + 700 * MILLISECOND;
    sim.sink.arp(MAC_BROADCAST, me.mac, ARP_OPERATION.REQUEST, me.mac, me.ip, MAC_ZERO, peer.ip);
    yield sim.now + 400;
    arpReply(sim, peer, peer.ip, me);
  }
}

/** One SYN every few seconds; open ports answer SYN-ACK and get a reset, closed ones reset. */
function* slowScan(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const prng = sim.prng('attack port-scan');
  const target = ctx.host('plc-utilities');
  const latency = ctx.latency(A, 'plc-utilities');
  let at = sim.now + 100 * MILLISECOND;
  for (const port of SLOW_SCAN_PORTS) {
    const conn = new TcpConnection(sim.network, ctx.host(A), target, port, prng);
    yield at;
    sim.sink.tcp(conn, 0, SYN, 0);
    yield sim.now + 2 * latency;
    if (port === MODBUS_PORT) {
      sim.sink.tcp(conn, 1, SYN | ACK, 0);
      yield sim.now + 2 * latency;
      sim.sink.tcp(conn, 0, RST, 0);
    } else {
      sim.sink.tcp(conn, 1, RST | ACK, 0);
    }
    at += Math.round(prng.jitter(SLOW_SCAN_GAP_MICROS, 0.1));
  }
}

/** ListIdentity, Who-Is and DCP identify to everyone, and the answers that come back. */
function* discoverySweep(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const me = ctx.host(A);
  const conveyor = ctx.host('plc-conveyor');
  const ahu = ctx.host('bms-ahu-1');
  const port = 50_123;
  yield sim.now + 100 * MILLISECOND;
  sendUdp(sim, me, 0xffffffff, port, ENIP_PORT, listIdentityRequest());
  yield sim.now + 3 * MILLISECOND;
  sendUdp(sim, conveyor, me.ip, ENIP_PORT, port, listIdentityReply(MICRO850, IP['plc-conveyor']));
  yield sim.now + 400 * MILLISECOND;
  sendUdp(sim, me, 0xffffffff, BACNET_PORT, BACNET_PORT, whoIs());
  yield sim.now + 8 * MILLISECOND;
  sendUdp(sim, ahu, 0xffffffff, BACNET_PORT, BACNET_PORT, demoIAm(DEMO_DEVICES[0]));
  yield sim.now + 400 * MILLISECOND;
  sim.sink.link(parseMac(DCP_IDENTIFY_MULTICAST), me.mac, ETHERTYPE_PROFINET, dcpIdentifyRequest(0x7e01));
  for (const [name, identity] of [
    ['plc-palletizer', PROFINET_CONTROLLER],
    ['io-palletizer', PROFINET_DEVICE],
  ] as const) {
    yield sim.now + 2 * MILLISECOND;
    sim.sink.link(me.mac, ctx.host(name).mac, ETHERTYPE_PROFINET, dcpIdentifyResponse(0x7e01, identity));
  }
}

/** Reads every system status list that describes the CPU (SZL 0x0011, 0x001C, 0x0131, 0x0232, 0x0424). */
function szlEnumeration(ctx: AttackContext): Behaviour {
  const cpu = S7_CPUS['plc-palletizer'];
  const record = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff);
  const extra = [0x0131, 0x0232, 0x0424, 0x0074].flatMap((id, i): Message[] => [
    [0, readSzl(10 + i, id, id === 0x0131 ? 1 : 0)],
    [1, szlAnswer(10 + i, { id, index: 0, recordLength: 20, count: 1 }, record(20))],
  ]);
  return conversation(ctx, 'szl-enumeration', A, 'plc-palletizer', S7_PORT, [
    ...s7Session(1),
    [0, readSzl(2, 0x0011)],
    [1, moduleIdentification(2, cpu)],
    [0, readSzl(3, 0x001c)],
    [1, componentIdentification(3, cpu)],
    ...extra,
  ]);
}

/** The filler's S7 password, guessed four times and refused each time. */
function passwordGuessing(ctx: AttackContext): Behaviour {
  const tries = [2, 3, 4, 5].flatMap((ref): Message[] => [
    [0, plcPassword(ref)],
    [1, plcPasswordResponse(ref, S7_PASSWORD_REFUSED)],
  ]);
  return conversation(ctx, 'auth', A, 'plc-filler', S7_PORT, [...s7Session(1), ...tries]);
}

/** OB 1 of the palletizer, uploaded. */
function programUpload(ctx: AttackContext): Behaviour {
  const file = blockFile('08', 1);
  const block = Uint8Array.from({ length: 180 }, (_, i) => (i * 31) & 0xff);
  return conversation(ctx, 'program-upload', A, 'plc-palletizer', S7_PORT, [
    ...s7Session(1),
    [0, startUpload(2, file)],
    [1, startUploadAck(2, 7, block.length)],
    [0, upload(3, 7)],
    [1, uploadAck(3, block)],
    [0, endUpload(4, 7)],
    [1, endUploadAck(4)],
  ]);
}

/** A modified OB 1 downloaded to the filler and inserted into its program (PI service _INSE). */
function programDownload(ctx: AttackContext): Behaviour {
  const file = blockFile('08', 1, 'P');
  const block = Uint8Array.from({ length: 220 }, (_, i) => (i * 13 + 5) & 0xff);
  return conversation(ctx, 'program-download', A, 'plc-filler', S7_PORT, [
    ...s7Session(1),
    [0, requestDownload(2, file, block.length + 36, block.length)],
    [1, functionAck(2, 0x1a)],
    [1, downloadBlock(3, file)],
    [0, downloadBlockAck(3, block)],
    [1, downloadEnded(4, file)],
    [0, functionAck(4, 0x1c)],
    [0, plcControlBlocks(5, '_INSE', [['08', 1]])],
    [1, functionAck(5, 0x28)],
  ]);
}

/** The engineering workstation, on a Saturday night: reservation, STOP, release (UMAS). */
function cpuStop(ctx: AttackContext): Behaviour {
  const session = 0x5d;
  return conversation(ctx, 'cpu-stop', 'ews-1', 'plc-boiler-1', MODBUS_PORT, [
    [0, umasTakeReservationRequest(1, 'EWS-1')],
    [1, umasTakeReservationResponse(1, session)],
    [0, umasStopPlcRequest(2, session)],
    [1, umasOkResponse(2, session)],
    [0, umasReleaseReservationRequest(3, session)],
    [1, umasOkResponse(3, session)],
  ]);
}

/** CIP Reset (service 0x05) of the Micro850's Identity object; the controller reboots. */
function* deviceRestart(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const plc = ctx.host('plc-conveyor');
  const session = 0x0bad1dea;
  const identity = logicalPath({ class: 1, instance: 1 });
  yield* conversation(ctx, 'device-restart', A, 'plc-conveyor', ENIP_PORT, [
    [0, registerSession()],
    [1, registerSession({ session })],
    [0, sendRRData(cipRequest(0x05, identity), { session })],
    [1, sendRRData(cipReply(0x05), { session })],
  ]);
  sim.powerOff(plc, sim.now, sim.now + RESTART_MICROS);
}

/** DNP3 file read of the RTAC's settings (function 25 OPEN_FILE, g70v3), then one block. */
function fileOperation(ctx: AttackContext): Behaviour {
  const a = { master: 3, outstation: 1024 };
  return conversation(ctx, 'file-operation', A, 'rtu-feeder-sel', DNP3_PORT, [
    [0, openFileRequest('/SETTINGS/SET_1.TXT', 1, { ...a, seq: 1 })],
    [1, fileStatusResponse(0x1001, 2048, 0, { ...a, seq: 1 })],
    [
      1,
      fileBlockResponse(
        0x1001,
        0,
        true,
        Uint8Array.from({ length: 64 }, (_, i) => 0x41 + (i % 26)),
        { ...a, seq: 2 },
      ),
    ],
  ]);
}

/** The filler, asked by its usual engineering station, now reports another firmware. */
function firmwareChange(ctx: AttackContext): Behaviour {
  const cpu = { ...S7_CPUS['plc-filler'], firmware: NEW_FILLER_FIRMWARE };
  return conversation(ctx, 'firmware-change', 'ews-1', 'plc-filler', S7_PORT, [
    ...s7Session(1),
    [0, readSzl(2, 0x0011)],
    [1, moduleIdentification(2, cpu)],
  ]);
}

/** The laptop tells the boiler PLC it is scada-1, and scada-1 that it is the PLC (ARP poisoning). */
function* arpSpoof(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const me = ctx.host(A);
  const scada = ctx.host('scada-1');
  const plc = ctx.host('plc-boiler-1');
  for (let i = 0; i < 8; i++) {
    yield sim.now + 2 * SECOND;
    arpReply(sim, me, scada.ip, plc);
    yield sim.now + 300;
    arpReply(sim, me, plc.ip, scada);
  }
}

/** The laptop announces hmi-2's address; hmi-2 defends it (RFC 5227 §2.4). */
function* ipConflict(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const me = ctx.host(A);
  const hmi = ctx.host('hmi-2');
  for (let i = 0; i < 2; i++) {
    yield sim.now + SECOND;
    gratuitousArp(sim, me, hmi.ip);
    yield sim.now + 5 * MILLISECOND;
    gratuitousArp(sim, hmi, hmi.ip);
  }
}

/** The device stops answering for a while: nothing is sent, the malicious span is the outage. */
function* deviceSilent(ctx: AttackContext, mark: (micros: number) => void): Behaviour {
  const { sim } = ctx;
  const rtu = ctx.host('rtu-pump-station');
  const from = sim.now;
  sim.powerOff(rtu, from, from + SILENCE_MICROS);
  mark(from);
  yield from + SILENCE_MICROS;
  mark(sim.now);
}

/** Modbus ADUs that break MBAP (wrong protocol id, length that lies, unknown function); the PLC resets. */
function* malformed(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const conn = new TcpConnection(
    sim.network,
    ctx.host(A),
    ctx.host('plc-mixer'),
    MODBUS_PORT,
    sim.prng('attack malformed'),
  );
  const latency = ctx.latency(A, 'plc-mixer');
  const adus = [
    [0x13, 0x37, 0x12, 0x34, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a], // protocol id 0x1234
    [0x13, 0x38, 0x00, 0x00, 0x00, 0xff, 0x01, 0x03, 0x00, 0x00], // length 255, 4 bytes follow
    [0x13, 0x39, 0x00, 0x00, 0x00, 0x02, 0x01, 0xe7], // function 0x67 | 0x80: a response code in a request
  ];
  yield sim.now + 100 * MILLISECOND;
  sim.sink.tcp(conn, 0, SYN, 0);
  yield sim.now + 2 * latency;
  sim.sink.tcp(conn, 1, SYN | ACK, 0);
  yield sim.now + 2 * latency;
  sim.sink.tcp(conn, 0, ACK, 0);
  for (const adu of adus) {
    yield sim.now + 150 * MILLISECOND;
    const bytes = Uint8Array.from(adu);
    sim.sink.output.buffer.set(bytes, sim.sink.tcpPayloadOffset(conn, 0, TCP_FLAGS.PSH | ACK));
    sim.sink.tcp(conn, 0, TCP_FLAGS.PSH | ACK, bytes.length);
  }
  yield sim.now + 2 * latency;
  sim.sink.tcp(conn, 1, RST | ACK, 0);
}

/** SYN flood of the packaging PLC's Modbus port. */
function* flood(ctx: AttackContext): Behaviour {
  const { sim } = ctx;
  const prng = sim.prng('attack flood');
  const me = ctx.host(A);
  const plc = ctx.host('plc-packaging');
  let at = sim.now + 100 * MILLISECOND;
  for (let i = 0; i < FLOOD_SYNS; i++) {
    const conn = new TcpConnection(sim.network, me, plc, MODBUS_PORT, prng);
    yield at;
    sim.sink.tcp(conn, 0, SYN, 0);
    at = sim.now + FLOOD_GAP_MICROS;
  }
}

/**
 * historian-1 reads the utilities PLC's tank levels every 10 s from the start of the capture; at
 * CADENCE_AT of the capture its period drops to 1 s for a minute, then returns. Only the
 * drifted requests are marked.
 */
function* cadencePoller(ctx: AttackContext, mark: (micros: number) => void): Behaviour {
  const { sim } = ctx;
  const prng = sim.prng('attack cadence-drift');
  const session = new ModbusClientSession(
    sim,
    ctx.host('historian-1'),
    ctx.peer('plc-utilities'),
    prng,
    0x2200,
    ctx.latency('historian-1', 'plc-utilities'),
  );
  const driftAt = Math.floor(ctx.packets * CADENCE_AT);
  let driftUntil = -1;
  if (!(yield* session.connect(ctx.t0 + 12 * SECOND))) return;
  let at = sim.now + CADENCE_PERIOD_MICROS;
  const request: ModbusRequest = { kind: 'read', unit: 1, functionCode: 3, address: 0, quantity: 8 };
  for (;;) {
    if (driftUntil < 0 && sim.sink.packets >= driftAt) driftUntil = sim.now + CADENCE_DRIFT_MICROS;
    const drifted = driftUntil > 0 && sim.now < driftUntil;
    const before = sim.sink.packets;
    if (!(yield* session.transaction(at, request))) {
      yield* session.abandon();
      return;
    }
    if (drifted && sim.sink.packets > before) mark(sim.now);
    const period = drifted ? CADENCE_DRIFTED_MICROS : CADENCE_PERIOD_MICROS;
    at = Math.max(sim.now + MILLISECOND, at + Math.round(prng.jitter(period, 0.02)));
  }
}

const modbusRead = (unit: number): ModbusRequest => ({
  kind: 'read',
  unit,
  functionCode: 3,
  address: 0,
  quantity: 1,
});

export const EPISODES: readonly EpisodePlan[] = [
  {
    at: 0.3,
    kind: 'new-asset',
    source: ATTACKER.ip,
    target: IP['plc-utilities'],
    detail: `${A} (${ATTACKER.mac}) appears on the control network and resolves four hosts`,
    technique: 'T0864', // Transient Cyber Asset
    play: newAsset,
  },
  {
    at: 0.32,
    kind: 'port-scan',
    source: ATTACKER.ip,
    target: IP['plc-utilities'],
    detail: `slow TCP scan of ${SLOW_SCAN_PORTS.length} ports, one every ${SLOW_SCAN_GAP_MICROS / SECOND} s`,
    technique: 'T0846', // Remote System Discovery
    play: slowScan,
  },
  {
    at: 0.34,
    kind: 'new-pair',
    source: IP['jump-1'],
    target: IP['plc-filler'],
    detail: 'jump-1 (DMZ) reads the filler PLC directly over Modbus/TCP',
    technique: 'T0886', // Remote Services
    play: (ctx) =>
      modbusRequests(ctx, 'new-pair', 'jump-1', 'plc-filler', [
        { kind: 'read', unit: 1, functionCode: 3, address: 40, quantity: 3 },
        { kind: 'read', unit: 1, functionCode: 3, address: 0, quantity: 10 },
      ]),
  },
  {
    at: 0.36,
    kind: 'discovery-sweep',
    source: ATTACKER.ip,
    target: BROADCAST,
    detail: 'EtherNet/IP ListIdentity and BACnet Who-Is broadcasts, PROFINET DCP identify-all',
    technique: 'T0846', // Remote System Discovery
    play: discoverySweep,
  },
  {
    at: 0.38,
    kind: 'szl-enumeration',
    source: ATTACKER.ip,
    target: IP['plc-palletizer'],
    detail: 'S7 READ_SZL of 0x0011, 0x001C, 0x0131, 0x0232, 0x0424, 0x0074',
    technique: 'T0888', // Remote System Information Discovery
    play: szlEnumeration,
  },
  {
    at: 0.4,
    kind: 'modbus-unit-sweep',
    source: ATTACKER.ip,
    target: IP['gw-power-meters'],
    detail: `Modbus reads of units 1..${UNIT_SWEEP} behind the power-meter gateway`,
    technique: 'T0846', // Remote System Discovery
    play: (ctx) =>
      modbusRequests(
        ctx,
        'modbus-unit-sweep',
        A,
        'gw-power-meters',
        Array.from({ length: UNIT_SWEEP }, (_, i) => modbusRead(i + 1)),
        150 * MILLISECOND,
      ),
  },
  {
    at: 0.42,
    kind: 'auth',
    source: ATTACKER.ip,
    target: IP['plc-filler'],
    detail: 'S7 PLC_PASSWORD guessed 4 times, refused each time',
    technique: 'T0859', // Valid Accounts
    play: passwordGuessing,
  },
  {
    at: 0.44,
    kind: 'program-upload',
    source: ATTACKER.ip,
    target: IP['plc-palletizer'],
    detail: 'S7 upload of OB 1',
    technique: 'T0845', // Program Upload
    play: programUpload,
  },
  {
    at: 0.46,
    kind: 'new-function',
    source: IP['historian-1'],
    target: IP['plc-boiler-2'],
    detail: 'historian-1, which only ever read holding registers, asks for device identification (FC 43/14)',
    technique: 'T0888', // Remote System Information Discovery
    play: (ctx) =>
      modbusRequests(ctx, 'new-function', 'historian-1', 'plc-boiler-2', [
        { kind: 'read-device-identification', unit: 255, readDeviceIdCode: 1, objectId: 0 },
      ]),
  },
  {
    at: 0.48,
    kind: 'unusual-writer',
    source: IP['historian-1'],
    target: IP['rtu-tank-farm'],
    detail: 'historian-1, a reader, writes the tank-farm setpoint register 512 (FC 6)',
    technique: 'T0855', // Unauthorized Command Message
    play: (ctx) =>
      modbusRequests(ctx, 'unusual-writer', 'historian-1', 'rtu-tank-farm', [
        { kind: 'write-single-register', unit: 1, address: 512, value: 9000 },
      ]),
  },
  {
    at: 0.5,
    kind: 'write-out-of-range',
    source: IP['hmi-1'],
    target: IP['plc-boiler-1'],
    detail: 'hmi-1 writes 2600 to setpoint register 101 (engineering range 600..1300), once',
    technique: 'T0836', // Modify Parameter
    play: (ctx) =>
      modbusRequests(ctx, 'write-out-of-range', 'hmi-1', 'plc-boiler-1', [
        { kind: 'write-single-register', unit: 255, address: 101, value: 2600 },
      ]),
  },
  {
    at: 0.52,
    kind: 'new-protocol',
    source: IP['hmi-2'],
    target: IP['rtu-substation'],
    detail: 'hmi-2 opens a Telnet session (TCP 23) to the substation RTU',
    technique: 'T0886', // Remote Services
    play: (ctx) =>
      conversation(ctx, 'new-protocol', 'hmi-2', 'rtu-substation', TELNET_PORT, [
        [1, new TextEncoder().encode('\r\nRTU login: ')],
        [0, new TextEncoder().encode('admin\r\n')],
        [1, new TextEncoder().encode('Password: ')],
        [0, new TextEncoder().encode('admin\r\n')],
        [1, new TextEncoder().encode('\r\nLogin incorrect\r\n')],
      ]),
  },
  {
    at: 0.54,
    kind: 'program-download',
    source: ATTACKER.ip,
    target: IP['plc-filler'],
    detail: 'S7 download of OB 1 and PI service _INSE',
    technique: 'T0843', // Program Download
    play: programDownload,
  },
  {
    at: 0.56,
    kind: 'cpu-stop',
    source: IP['ews-1'],
    target: IP['plc-boiler-1'],
    detail: 'ews-1 stops the M340 (UMAS STOP_PLC) outside its maintenance window',
    technique: 'T0858', // Change Operating Mode
    play: cpuStop,
  },
  {
    at: 0.58,
    kind: 'device-restart',
    source: ATTACKER.ip,
    target: IP['plc-conveyor'],
    detail: `CIP Reset of the Identity object; the Micro850 reboots for ${RESTART_MICROS / SECOND} s`,
    technique: 'T0816', // Device Restart/Shutdown
    play: deviceRestart,
  },
  {
    at: 0.6,
    kind: 'file-operation',
    source: ATTACKER.ip,
    target: IP['rtu-feeder-sel'],
    detail: 'DNP3 OPEN_FILE /SETTINGS/SET_1.TXT (read) and a file block',
    technique: 'T0882', // Theft of Operational Information
    play: fileOperation,
  },
  {
    at: 0.62,
    kind: 'firmware-change',
    source: IP['plc-filler'],
    target: IP['ews-1'],
    detail: `plc-filler reports firmware V${NEW_FILLER_FIRMWARE.join('.')} (was V4.5.2) in SZL 0x0011`,
    technique: 'T0839', // Module Firmware
    play: firmwareChange,
  },
  {
    at: 0.64,
    kind: 'arp-spoof',
    source: ATTACKER.ip,
    target: IP['plc-boiler-1'],
    detail: `${ATTACKER.mac} claims scada-1's and plc-boiler-1's addresses in ARP replies`,
    technique: 'T0830', // Adversary-in-the-Middle
    play: arpSpoof,
  },
  {
    at: 0.68,
    kind: 'ip-conflict',
    source: ATTACKER.ip,
    target: IP['hmi-2'],
    detail: `${ATTACKER.mac} announces hmi-2's address; hmi-2 defends it`,
    technique: 'T0849', // Masquerading
    play: ipConflict,
  },
  {
    at: CADENCE_AT,
    kind: 'cadence-drift',
    source: IP['historian-1'],
    target: IP['plc-utilities'],
    detail: `historian-1's poll of plc-utilities goes from every ${CADENCE_PERIOD_MICROS / SECOND} s to every ${CADENCE_DRIFTED_MICROS / SECOND} s for ${CADENCE_DRIFT_MICROS / SECOND} s`,
    technique: 'T0801', // Monitor Process State
    play: cadencePoller,
    fromStart: true,
  },
  {
    at: 0.76,
    kind: 'device-silent',
    source: IP['rtu-pump-station'],
    target: IP['rtu-pump-station'],
    detail: `rtu-pump-station answers nothing for ${SILENCE_MICROS / SECOND} s (start and end bound the outage)`,
    technique: 'T0826', // Loss of Availability
    play: deviceSilent,
  },
  {
    at: 0.8,
    kind: 'malformed',
    source: ATTACKER.ip,
    target: IP['plc-mixer'],
    detail: 'three Modbus/TCP ADUs with a bad protocol id, a lying length and a response code',
    technique: 'T0866', // Exploitation of Remote Services
    play: malformed,
  },
  {
    at: 0.84,
    kind: 'flood',
    source: ATTACKER.ip,
    target: IP['plc-packaging'],
    detail: `${FLOOD_SYNS} SYNs to TCP 502, one every ${FLOOD_GAP_MICROS} µs`,
    technique: 'T0814', // Denial of Service
    play: flood,
  },
  {
    at: 0.88,
    kind: 'device-restart',
    source: ATTACKER.ip,
    target: '192.0.2.91',
    detail: 'BACnet ReinitializeDevice (warmstart) of the AHU controller',
    technique: 'T0816', // Device Restart/Shutdown
    play: function* (ctx) {
      const { sim } = ctx;
      yield sim.now + 100 * MILLISECOND;
      sendUdp(sim, ctx.host(A), ctx.host('bms-ahu-1').ip, BACNET_PORT, BACNET_PORT, reinitializeDevice(9, 1));
    },
  },
];
