// The event scheduler that keeps the capture in time order. Each actor of the plant (a polling
// connection, a DHCP client, an ARP refresher...) is a generator that yields the time of its next
// packet and, when resumed at that time, emits at most one packet before yielding again. A binary
// heap ordered by (time, actor id) picks the next actor, so the output is time-ordered and the
// same seed always interleaves the actors the same way.

/** An actor's program: yields absolute times in microseconds; emits at most one packet per step. */
export type Behaviour = Generator<number, void, undefined>;

interface Actor {
  readonly id: number;
  readonly name: string;
  time: number;
  readonly behaviour: Behaviour;
}

/** Something to start once the capture has this many packets (the plant's story events). */
interface Trigger {
  readonly packet: number;
  readonly name: string;
  readonly start: () => Behaviour;
}

/** Counts packets and knows the current time: the part of the packet sink the scheduler drives. */
export interface Clocked {
  now: number;
  readonly packets: number;
  readonly needsFlush: boolean;
}

export class Scheduler {
  private readonly heap: Actor[] = [];
  private nextId = 0;
  private readonly triggers: Trigger[] = [];

  constructor(private readonly sink: Clocked) {}

  get now(): number {
    return this.sink.now;
  }

  /** Adds an actor; its first yield (before any packet) says when it starts. */
  spawn(name: string, behaviour: Behaviour): void {
    const before = this.sink.packets;
    const first = behaviour.next();
    if (this.sink.packets !== before) throw new Error(`actor ${name} sent a packet before its first yield`);
    if (first.done) return;
    this.checkTime(name, first.value);
    this.push({ id: this.nextId++, name, time: first.value, behaviour });
  }

  /** Starts `start()` as an actor when the capture reaches `packet` packets. */
  atPacket(packet: number, name: string, start: () => Behaviour): void {
    this.triggers.push({ packet, name, start });
    this.triggers.sort((a, b) => a.packet - b.packet);
  }

  /**
   * Runs actors until the capture holds `limit` packets or the output wants a flush. Each step
   * is checked: at most one packet, and never a time earlier than the current one.
   */
  run(limit: number): void {
    const sink = this.sink;
    const heap = this.heap;
    while (sink.packets < limit && !sink.needsFlush) {
      if (this.triggers.length > 0 && sink.packets >= this.triggers[0].packet) {
        const trigger = this.triggers.shift()!;
        this.spawn(trigger.name, trigger.start());
        continue;
      }
      const actor = heap[0];
      if (actor === undefined) throw new Error('every actor of the demo plant has finished');
      sink.now = actor.time;
      const before = sink.packets;
      const step = actor.behaviour.next();
      if (sink.packets - before > 1)
        throw new Error(`actor ${actor.name} sent ${sink.packets - before} packets in one step`);
      if (step.done) {
        this.popTop();
      } else {
        this.checkTime(actor.name, step.value);
        actor.time = step.value;
        this.siftDown(0);
      }
    }
  }

  private checkTime(name: string, time: number): void {
    if (!(time >= this.sink.now) || !Number.isFinite(time)) {
      throw new Error(`actor ${name} asked for time ${time}, before now (${this.sink.now})`);
    }
  }

  private static before(a: Actor, b: Actor): boolean {
    return a.time < b.time || (a.time === b.time && a.id < b.id);
  }

  private push(actor: Actor): void {
    const heap = this.heap;
    heap.push(actor);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Scheduler.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private popTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && Scheduler.before(heap[left], heap[smallest])) smallest = left;
      if (right < n && Scheduler.before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
