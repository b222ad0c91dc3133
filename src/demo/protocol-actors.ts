// Generic actors for the plant's many protocols (issue 3: the demo plant speaks all of them). Each
// protocol's messages come from its dissector folder's testing.ts builders, so the demo carries
// exactly what the dissectors are tested to decode; these actors only put them on the wire in time:
//   tcpConversation: one TCP connection, an opening exchange, then a cycle repeated every period;
//   udpConversation: the same over UDP, one datagram per message, replies from the server port;
//   linkBeacon: a frame without IP sent every period (LLDP, CDP, PROFINET RT and DCP).

import type { Host } from './network.ts';
import type { Behaviour } from './scheduler.ts';
import { MILLISECOND, SECOND, type Simulation } from './simulation.ts';
import { type Direction, TcpDialogue } from './tcp-dialogue.ts';

/** One message of a conversation: who sends it (0 = the client) and its application bytes. */
export type Message = readonly [dir: Direction, bytes: Uint8Array];

export interface ConversationPlan {
  /** Names the PRNG stream and the story log. */
  readonly label: string;
  readonly client: Host;
  readonly server: Host;
  readonly port: number;
  readonly latencyMicros: number;
  /** When the conversation starts (microseconds since the epoch). */
  readonly startAt: number;
  /** Sent once after connecting (a session setup, an identification). */
  readonly opening: readonly Message[];
  /** The messages of cycle `i`, repeated every `periodMicros` (with 2 % jitter); empty to stop. */
  cycle(i: number): readonly Message[];
  readonly periodMicros: number;
  /** How long the server takes to answer, microseconds (besides the latency). */
  readonly serverDelayMicros?: readonly [number, number];
}

/** Delay before a message: the peer's turn around, or a pause between consecutive sends. */
function delay(
  sim: Simulation,
  plan: ConversationPlan,
  previous: Direction | null,
  dir: Direction,
  rnd: () => number,
): number {
  if (previous === null) return sim.now;
  if (previous === dir) return sim.now + 50 + Math.floor(rnd() * 400);
  const [low, high] = plan.serverDelayMicros ?? [300, 4 * MILLISECOND];
  const think = dir === 1 ? low + Math.floor(rnd() * (high - low)) : 200 + Math.floor(rnd() * 800);
  return sim.now + 2 * plan.latencyMicros + think;
}

/** A TCP client that connects once and keeps the connection (pollers, SCADA masters). */
export function* tcpConversation(sim: Simulation, plan: ConversationPlan): Behaviour {
  const prng = sim.prng(`conversation:${plan.label}`);
  const rnd = () => prng.float();
  const d = new TcpDialogue(sim, plan.client, plan.server, plan.port, prng, plan.latencyMicros);
  if (!(yield* d.connect(plan.startAt))) return;
  let previous: Direction | null = null;
  for (const [dir, bytes] of plan.opening) {
    yield* d.send(dir, bytes, previous === null ? sim.now + 500 : delay(sim, plan, previous, dir, rnd));
    previous = dir;
  }
  let at = sim.now + plan.periodMicros;
  for (let i = 0; ; i++) {
    const messages = plan.cycle(i);
    if (messages.length === 0) break;
    previous = null;
    for (const [dir, bytes] of messages) {
      yield* d.send(dir, bytes, previous === null ? at : delay(sim, plan, previous, dir, rnd));
      previous = dir;
    }
    at = Math.max(sim.now + MILLISECOND, at + Math.round(prng.jitter(plan.periodMicros, 0.02)));
  }
  yield* d.close(0, sim.now + SECOND);
}

/** The same over UDP: the client's port is fixed for the whole conversation, as SCADA masters do. */
export function* udpConversation(
  sim: Simulation,
  plan: ConversationPlan & { clientPort: number },
): Behaviour {
  const prng = sim.prng(`conversation:${plan.label}`);
  const rnd = () => prng.float();
  const send = (dir: Direction, bytes: Uint8Array): void => {
    const from = dir === 0 ? plan.client : plan.server;
    const to = dir === 0 ? plan.server : plan.client;
    const path = sim.network.path(from, to.ip);
    sim.sink.output.buffer.set(bytes, sim.sink.udpPayloadOffset(path));
    const [sport, dport] = dir === 0 ? [plan.clientPort, plan.port] : [plan.port, plan.clientPort];
    sim.sink.udp(path, from.ip, to.ip, sport, dport, bytes.length);
  };
  let previous: Direction | null = null;
  let first = true;
  for (const [dir, bytes] of plan.opening) {
    yield first ? plan.startAt : delay(sim, plan, previous, dir, rnd);
    first = false;
    send(dir, bytes);
    previous = dir;
  }
  let at = first ? plan.startAt : sim.now + plan.periodMicros;
  for (let i = 0; ; i++) {
    const messages = plan.cycle(i);
    if (messages.length === 0) break;
    previous = null;
    for (const [dir, bytes] of messages) {
      if (sim.isDown(dir === 0 ? plan.client : plan.server, sim.now)) continue;
      yield previous === null ? at : delay(sim, plan, previous, dir, rnd);
      send(dir, bytes);
      previous = dir;
    }
    at = Math.max(sim.now + MILLISECOND, at + Math.round(prng.jitter(plan.periodMicros, 0.02)));
  }
}

export interface BeaconPlan {
  readonly label: string;
  readonly from: Host;
  readonly dstMac: Uint8Array;
  /** Ethernet II type, or null for an IEEE 802.3 frame with the LLC/SNAP header `snap`. */
  readonly etherType: number | null;
  readonly snap?: Uint8Array;
  readonly startAt: number;
  readonly periodMicros: number;
  /** Relative jitter of the period (0.02: 2 %); cyclic real-time traffic has almost none. */
  readonly jitter: number;
  /** The payload of frame `i`. */
  frame(i: number): Uint8Array;
}

/** A frame without IP every period, for as long as the capture runs. */
export function* linkBeacon(sim: Simulation, plan: BeaconPlan): Behaviour {
  const prng = sim.prng(`beacon:${plan.label}`);
  let at = plan.startAt;
  for (let i = 0; ; i++) {
    yield at;
    if (!sim.isDown(plan.from, sim.now)) {
      sim.sink.link(plan.dstMac, plan.from.mac, plan.etherType, plan.frame(i), plan.snap);
    }
    const period = plan.jitter > 0 ? prng.jitter(plan.periodMicros, plan.jitter) : plan.periodMicros;
    at = Math.max(sim.now + 1, at + Math.round(period));
  }
}
