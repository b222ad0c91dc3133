// Labelled attack episodes for the demo plant (issue 4: `zoneward demo-capture --attacks`). After
// an attack-free first part (CLEAN_FRACTION of the packets) each episode starts at a fixed fraction
// of the capture, as the plant's story events do, so the same seed gives the same capture. Each
// episode runs as its own actor; a wrapper notes the time of every packet the actor sends, which
// gives the ground truth: the capture times of the first and the last malicious packet.
//
// Techniques are MITRE ATT&CK for ICS ids (https://attack.mitre.org/matrices/ics/).

import { parseIpv4, parseMac } from './addresses.ts';
import type { ModbusPeer } from './modbus-client.ts';
import { Host, LINUX_STACK } from './network.ts';
import { SUBNETS } from './plant.ts';
import type { Behaviour } from './scheduler.ts';
import { SECOND, type Simulation } from './simulation.ts';

export const ATTACKS_FORMAT = 'zoneward.attacks/1';

/** Every kind of episode the demo plant can carry; each appears at least once. */
export const ATTACK_KINDS = [
  'new-asset',
  'new-pair',
  'new-protocol',
  'new-function',
  'unusual-writer',
  'write-out-of-range',
  'program-download',
  'program-upload',
  'cpu-stop',
  'device-restart',
  'firmware-change',
  'auth',
  'file-operation',
  'port-scan',
  'modbus-unit-sweep',
  'discovery-sweep',
  'szl-enumeration',
  'arp-spoof',
  'ip-conflict',
  'cadence-drift',
  'device-silent',
  'malformed',
  'flood',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** The first part of the capture, as a fraction of its packets, carries no episode. */
export const CLEAN_FRACTION = 0.3;

/** The intruder's laptop: a documentation address on the control network and a Dell OUI. */
export const ATTACKER = {
  name: 'attacker-laptop',
  ip: '192.0.2.200',
  mac: 'f8:bc:12:5e:a7:31',
} as const;

export interface AttackEpisode {
  /** `A01`, `A02`... in order of start. */
  readonly id: string;
  readonly kind: AttackKind;
  /** Capture time (seconds since the Unix epoch) of the first and the last malicious packet. */
  readonly start: number;
  readonly end: number;
  /** IPv4 addresses of the host that acts and of the one acted on (broadcast for sweeps). */
  readonly source: string;
  readonly target: string;
  readonly detail: string;
  /** MITRE ATT&CK for ICS technique id. */
  readonly technique: string;
}

export interface AttackTruth {
  readonly format: typeof ATTACKS_FORMAT;
  readonly seed: number;
  readonly packets: number;
  readonly episodes: readonly AttackEpisode[];
}

/** What an episode needs from the plant. */
export interface AttackContext {
  readonly sim: Simulation;
  readonly t0: number;
  /** Packets the capture will hold: episodes start at fractions of it. */
  readonly packets: number;
  host(name: string): Host;
  /** A Modbus controller with its server model. */
  peer(name: string): ModbusPeer;
  latency(a: string, b: string): number;
}

/** One planned episode: when it starts, what it is, and the actor that plays it. */
export interface EpisodePlan {
  /** Fraction of the capture's packets at which it starts (at least CLEAN_FRACTION). */
  readonly at: number;
  readonly kind: AttackKind;
  readonly source: string;
  readonly target: string;
  readonly detail: string;
  readonly technique: string;
  /** The actor; `mark()` notes a malicious moment that sends no packet (a device going silent). */
  play(ctx: AttackContext, mark: (micros: number) => void): Behaviour;
  /**
   * Episodes that run from the start of the capture (the poller whose cadence later drifts) count
   * only the packets they mark themselves.
   */
  readonly fromStart?: boolean;
}

/** Episodes as they happen: the first and last packet time of each. */
export class AttackLog {
  private readonly seen = new Map<EpisodePlan, { first: number; last: number }>();

  constructor(private readonly plans: readonly EpisodePlan[]) {}

  note(plan: EpisodePlan, micros: number): void {
    const span = this.seen.get(plan);
    if (span === undefined) this.seen.set(plan, { first: micros, last: micros });
    else {
      span.first = Math.min(span.first, micros);
      span.last = Math.max(span.last, micros);
    }
  }

  /** The episodes that made it into the capture, by start time, numbered. */
  episodes(): AttackEpisode[] {
    return this.plans
      .filter((p) => this.seen.has(p))
      .map((p) => ({ plan: p, span: this.seen.get(p)! }))
      .sort((a, b) => a.span.first - b.span.first)
      .map(({ plan, span }, i) => ({
        id: `A${String(i + 1).padStart(2, '0')}`,
        kind: plan.kind,
        start: span.first / SECOND,
        end: span.last / SECOND,
        source: plan.source,
        target: plan.target,
        detail: plan.detail,
        technique: plan.technique,
      }));
  }
}

/** Adds the intruder's laptop to the network (only with --attacks: the clean capture has no such host). */
export function addAttacker(sim: Simulation): Host {
  const ids = sim.prng(`host:${ATTACKER.name}`);
  const host = new Host(
    ATTACKER.name,
    parseIpv4(ATTACKER.ip),
    parseMac(ATTACKER.mac),
    LINUX_STACK,
    SUBNETS.control,
    false,
    ids.nextUint32(),
    ids.nextUint32(),
  );
  sim.addHost(host);
  return host;
}

/** Starts every episode at its fraction of the capture; returns the log that becomes the ground truth. */
export function scheduleAttacks(ctx: AttackContext, plans: readonly EpisodePlan[]): AttackLog {
  const log = new AttackLog(plans);
  for (const plan of plans) {
    if (plan.at < CLEAN_FRACTION) throw new Error(`episode ${plan.kind} starts in the clean part`);
    const mark = (micros: number): void => log.note(plan, micros);
    if (plan.fromStart) {
      ctx.sim.scheduler.spawn(`attack ${plan.kind}`, plan.play(ctx, mark));
      continue;
    }
    ctx.sim.scheduler.atPacket(Math.floor(ctx.packets * plan.at), `attack ${plan.kind}`, () =>
      tracked(ctx.sim, plan.play(ctx, mark), mark),
    );
  }
  return log;
}

/** Runs `inner`, noting the time of every packet it sends. */
function* tracked(sim: Simulation, inner: Behaviour, mark: (micros: number) => void): Behaviour {
  let step = inner.next();
  while (!step.done) {
    yield step.value;
    const before = sim.sink.packets;
    step = inner.next();
    if (sim.sink.packets > before) mark(sim.now);
  }
}

export function attackTruth(seed: number, packets: number, episodes: readonly AttackEpisode[]): AttackTruth {
  return { format: ATTACKS_FORMAT, seed, packets, episodes };
}
