// Modbus/TCP clients of the demo plant: a session over one long-lived TCP connection (Modbus
// Messaging on TCP/IP Implementation Guide V1.0b §4.2: one transaction at a time, transaction
// ids counting up), and the polling behaviour of SCADA servers, HMIs and the historian: scan
// classes with their own periods and timer jitter, operator writes now and then, and the driver's
// reaction to a controller that stops answering (retransmissions, response timeout, abortive
// close, reconnect attempts until it is back).

import { type ModbusRequest, writeModbusRequest } from './modbus-frames.ts';
import type { ModbusServer } from './modbus-server.ts';
import type { Host } from './network.ts';
import type { OperatorTargets, PollSpec } from './plant-modbus.ts';
import type { Prng } from './prng.ts';
import type { Behaviour } from './scheduler.ts';
import { MILLISECOND, MINUTE, SECOND, type Simulation } from './simulation.ts';
import { TcpDialogue } from './tcp-dialogue.ts';

export const MODBUS_TCP_PORT = 502;
/** Time a client needs between one response and its next request. */
const CLIENT_TURNAROUND_MICROS = 400;
/** Timer jitter of a scan class: a few percent of its period. */
const POLL_JITTER = 0.03;
/** Windows' minimum retransmission timeout; it doubles with each retry (RFC 6298 §5.5). */
const INITIAL_RTO_MICROS = 300 * MILLISECOND;
const RETRANSMISSIONS = 2;
/** How long a driver waits for a response before it gives up on the connection. */
const RESPONSE_TIMEOUT_MICROS = 3 * SECOND;
/** Pause of a driver between a failed connection and its next attempt. */
const RECONNECT_DELAY_MICROS = 5 * SECOND;
/** Windows retransmits an unanswered SYN after 3 s and then 6 s before connect() fails. */
const SYN_RETRY_MICROS = [3 * SECOND, 6 * SECOND];
/** Mean gap between operator writes on one HMI connection; the first comes within a minute. */
const OPERATOR_WRITE_MEAN_MICROS = 8 * MINUTE;

/** A controller as its clients see it. */
export interface ModbusPeer {
  readonly host: Host;
  readonly server: ModbusServer;
}

export class ModbusClientSession {
  dialogue: TcpDialogue | null = null;
  private transactionId: number;
  private lastRequest: ModbusRequest | null = null;
  private lastLength = 0;

  constructor(
    private readonly sim: Simulation,
    readonly client: Host,
    readonly peer: ModbusPeer,
    private readonly prng: Prng,
    firstTransactionId: number,
    private readonly latencyMicros: number,
  ) {
    this.transactionId = (firstTransactionId - 1) & 0xffff;
  }

  /** Opens a new connection at `at`; false when the controller does not answer the SYN. */
  *connect(at: number): Generator<number, boolean, undefined> {
    this.dialogue = new TcpDialogue(
      this.sim,
      this.client,
      this.peer.host,
      MODBUS_TCP_PORT,
      this.prng,
      this.latencyMicros,
    );
    return yield* this.dialogue.connect(at);
  }

  /** Connection attempts, as a driver makes them, until the controller answers. */
  *reconnect(): Behaviour {
    for (;;) {
      const first = this.sim.now + RECONNECT_DELAY_MICROS;
      if (yield* this.connect(first)) return;
      let at = first;
      for (const retry of SYN_RETRY_MICROS) {
        at += retry;
        if (yield* this.dialogue!.retransmitSyn(at)) return;
      }
    }
  }

  /**
   * One request and its response; the request at `at` (or as soon as possible after it). Returns
   * false when the controller is down and the request went unanswered.
   */
  *transaction(at: number, request: ModbusRequest): Generator<number, boolean, undefined> {
    const dialogue = this.dialogue!;
    const sim = this.sim;
    yield* dialogue.flushAcks(at);
    yield Math.max(at, sim.now);
    this.transactionId = (this.transactionId + 1) & 0xffff;
    const length = writeModbusRequest(
      sim.sink.output.buffer,
      dialogue.payloadOffset(0),
      this.transactionId,
      request,
    );
    dialogue.sendSegment(0, length);
    this.lastRequest = request;
    this.lastLength = length;
    if (sim.isDown(this.peer.host, sim.now)) return false;
    const server = this.peer.server;
    const exception = server.decide(request);
    const respondAt = sim.now + this.latencyMicros + server.responseDelay(exception);
    yield* dialogue.flushAcks(respondAt);
    yield respondAt;
    const buffer = sim.sink.output.buffer;
    const n = server.writeResponse(
      buffer,
      dialogue.payloadOffset(1),
      this.transactionId,
      request,
      exception,
      sim.now,
    );
    dialogue.sendSegment(1, n);
    return true;
  }

  /**
   * The last request went unanswered: TCP retransmits it, then the driver's response timeout
   * expires and it drops the connection with a reset.
   */
  *abandon(): Behaviour {
    const dialogue = this.dialogue!;
    const sentAt = this.sim.now;
    let rto = INITIAL_RTO_MICROS;
    let at = sentAt;
    for (let i = 0; i < RETRANSMISSIONS; i++) {
      at += rto;
      rto *= 2;
      yield at;
      writeModbusRequest(
        this.sim.sink.output.buffer,
        dialogue.payloadOffset(0),
        this.transactionId,
        this.lastRequest!,
      );
      dialogue.resendSegment(0, this.lastLength);
    }
    yield sentAt + RESPONSE_TIMEOUT_MICROS;
    dialogue.reset(0);
    this.dialogue = null;
  }

  /** Graceful close by the client. */
  *close(at: number): Behaviour {
    yield* this.dialogue!.close(0, at);
    this.dialogue = null;
  }
}

/** One long-lived polling connection of a SCADA server, an HMI or the historian. */
export interface PollingPlan {
  readonly label: string;
  readonly client: Host;
  readonly peer: ModbusPeer;
  readonly polls: readonly PollSpec[];
  /** What an operator writes from this client, if anything. */
  readonly operator: OperatorTargets | null;
  readonly startAt: number;
  readonly firstTransactionId: number;
  readonly latencyMicros: number;
}

interface PollItem {
  readonly request: ModbusRequest;
  readonly periodMicros: number;
  due: number;
}

export function* pollingClient(sim: Simulation, plan: PollingPlan): Behaviour {
  const prng = sim.prng(`poll:${plan.label}`);
  const session = new ModbusClientSession(
    sim,
    plan.client,
    plan.peer,
    prng,
    plan.firstTransactionId,
    plan.latencyMicros,
  );
  const items: PollItem[] = plan.polls.map((p) => ({
    request: {
      kind: 'read',
      unit: p.unit,
      functionCode: p.functionCode,
      address: p.address,
      quantity: p.quantity,
    },
    periodMicros: p.periodMillis * MILLISECOND,
    due: 0,
  }));
  const stagger = (): void => {
    for (const item of items) item.due = sim.now + Math.floor(prng.float() * item.periodMicros);
  };
  if (!(yield* session.connect(plan.startAt))) yield* session.reconnect();
  stagger();
  let nextWrite = plan.operator ? sim.now + prng.int(5 * SECOND, 60 * SECOND) : Number.POSITIVE_INFINITY;
  for (;;) {
    let item = items[0];
    for (let i = 1; i < items.length; i++) if (items[i].due < item.due) item = items[i];
    const earliest = sim.now + CLIENT_TURNAROUND_MICROS;
    let request = item.request;
    let at = Math.max(item.due, earliest);
    let isWrite = false;
    if (nextWrite <= at && plan.operator) {
      request = operatorWrite(prng, plan.peer.server, plan.operator);
      at = Math.max(nextWrite, earliest);
      nextWrite = at + prng.exponential(OPERATOR_WRITE_MEAN_MICROS);
      isWrite = true;
    }
    if (!(yield* session.transaction(at, request))) {
      yield* session.abandon();
      yield* session.reconnect();
      stagger();
      continue;
    }
    if (!isWrite) {
      item.due += Math.round(prng.jitter(item.periodMicros, POLL_JITTER));
      if (item.due < sim.now) item.due = sim.now + CLIENT_TURNAROUND_MICROS;
    }
  }
}

/** An operator's write: mostly a setpoint nudged within its range, sometimes a command coil. */
export function operatorWrite(prng: Prng, server: ModbusServer, targets: OperatorTargets): ModbusRequest {
  const setpoints = targets.setpoints;
  if (setpoints && (!targets.coils || prng.chance(0.7))) {
    const registers = server.image(setpoints.unit)!.holding.values;
    const nudge = (value: number): number => {
      const step = Math.max(1, Math.round((setpoints.max - setpoints.min) * 0.02 * (1 + 4 * prng.float())));
      const next = value + (prng.chance(0.5) ? step : -step);
      return Math.min(setpoints.max, Math.max(setpoints.min, next));
    };
    if (setpoints.count === 1 || prng.chance(0.7)) {
      const address = setpoints.address + prng.int(0, setpoints.count - 1);
      return {
        kind: 'write-single-register',
        unit: setpoints.unit,
        address,
        value: nudge(registers[address]),
      };
    }
    const values = Array.from({ length: setpoints.count }, (_, i) => nudge(registers[setpoints.address + i]));
    return { kind: 'write-multiple-registers', unit: setpoints.unit, address: setpoints.address, values };
  }
  const coils = targets.coils!;
  const address = coils.address + prng.int(0, coils.count - 1);
  const on = server.image(coils.unit)!.coils.values[address] === 0;
  return { kind: 'write-single-coil', unit: coils.unit, address, on };
}
