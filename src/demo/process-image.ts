// The data a simulated controller serves over Modbus: four address spaces (Modbus Application
// Protocol V1.1b3 §4.3: coils, discrete inputs, input registers, holding registers) whose values
// move like a process: measurements wander around their operating point, counters count, floats
// travel as two registers (high word first), setpoints change only when someone writes them.

import type { Prng } from './prng.ts';

export type RegisterSpace = 'holding' | 'input';
export type BitSpace = 'coils' | 'discrete';

/** How a block of registers behaves. Addresses are zero-based PDU addresses (§4.4). */
export type RegisterSignal =
  /** Scaled integers (e.g. 0.1 °C per unit) wandering within center ± spread. */
  | {
      readonly kind: 'analog';
      readonly space: RegisterSpace;
      readonly address: number;
      readonly count: number;
      readonly center: number;
      readonly spread: number;
    }
  /** IEEE 754 single-precision values, two registers each, high word first. */
  | {
      readonly kind: 'float32';
      readonly space: RegisterSpace;
      readonly address: number;
      readonly count: number;
      readonly center: number;
      readonly spread: number;
    }
  /** 32-bit totalisers (two registers each, high word first) counting `perSecond` on average. */
  | {
      readonly kind: 'counter32';
      readonly space: RegisterSpace;
      readonly address: number;
      readonly count: number;
      readonly perSecond: number;
    }
  /** Setpoints and configuration: only writes change them. */
  | {
      readonly kind: 'fixed';
      readonly space: RegisterSpace;
      readonly address: number;
      readonly values: readonly number[];
    }
  /** Status words: single bits flip now and then. */
  | {
      readonly kind: 'status';
      readonly space: RegisterSpace;
      readonly address: number;
      readonly count: number;
    };

/** A block of coils or discrete inputs, `onRatio` of them set, each read flipping one with `flipChance`. */
export interface BitSignal {
  readonly space: BitSpace;
  readonly address: number;
  readonly count: number;
  readonly onRatio: number;
  readonly flipChance: number;
}

/** A controller's Modbus data model: the size of each space and what lives in it. */
export interface ModbusMap {
  readonly holdingRegisters: number;
  readonly inputRegisters: number;
  readonly coils: number;
  readonly discreteInputs: number;
  readonly registers: readonly RegisterSignal[];
  readonly bits: readonly BitSignal[];
}

const FIXED = 0;
const ANALOG = 1;
const FLOAT_HIGH = 2;
const FLOAT_LOW = 3;
const COUNTER_HIGH = 4;
const COUNTER_LOW = 5;
const STATUS = 6;
/** Per read, an analog value moves this fraction of the way back to its center... */
const MEAN_REVERSION = 0.05;
/** ...plus noise of up to this fraction of its spread. */
const NOISE = 0.15;
const STATUS_FLIP_CHANCE = 0.002;

const floatScratch = new Float32Array(1);
const floatBits = new Uint32Array(floatScratch.buffer);

/** One register space with the behaviour of every register in it. */
class RegisterBank {
  readonly values: Uint16Array;
  private readonly kind: Uint8Array;
  private readonly center: Float64Array;
  private readonly spread: Float64Array;
  private readonly level: Float64Array;
  private readonly lastMicros: Float64Array;

  constructor(size: number) {
    this.values = new Uint16Array(size);
    this.kind = new Uint8Array(size);
    this.center = new Float64Array(size);
    this.spread = new Float64Array(size);
    this.level = new Float64Array(size);
    this.lastMicros = new Float64Array(size);
  }

  define(signal: RegisterSignal, prng: Prng, startMicros: number): void {
    const at = signal.address;
    switch (signal.kind) {
      case 'fixed':
        signal.values.forEach((v, i) => {
          this.kind[at + i] = FIXED;
          this.values[at + i] = v;
        });
        return;
      case 'status':
        for (let i = 0; i < signal.count; i++) {
          this.kind[at + i] = STATUS;
          this.values[at + i] = prng.nextUint32() & 0x00ff;
        }
        return;
      case 'analog':
        for (let i = 0; i < signal.count; i++) {
          const center = signal.center * prng.jitter(1, 0.3);
          this.kind[at + i] = ANALOG;
          this.center[at + i] = center;
          this.spread[at + i] = signal.spread;
          this.level[at + i] = center + signal.spread * (prng.float() - 0.5);
          this.values[at + i] = Math.round(this.level[at + i]) & 0xffff;
        }
        return;
      case 'float32':
        for (let i = 0; i < signal.count; i++) {
          const r = at + 2 * i;
          this.kind[r] = FLOAT_HIGH;
          this.kind[r + 1] = FLOAT_LOW;
          this.center[r] = signal.center * prng.jitter(1, 0.2);
          this.spread[r] = signal.spread;
          this.level[r] = this.center[r];
          this.encodeFloat(r);
        }
        return;
      case 'counter32':
        for (let i = 0; i < signal.count; i++) {
          const r = at + 2 * i;
          this.kind[r] = COUNTER_HIGH;
          this.kind[r + 1] = COUNTER_LOW;
          this.center[r] = signal.perSecond * prng.jitter(1, 0.3);
          this.level[r] = prng.int(10_000, 5_000_000);
          this.lastMicros[r] = startMicros;
          this.encodeCounter(r);
        }
        return;
    }
  }

  /** Brings registers [start, start + quantity) up to `nowMicros` before they are read. */
  refresh(start: number, quantity: number, nowMicros: number, prng: Prng): void {
    const end = start + quantity;
    for (let i = start; i < end; i++) {
      switch (this.kind[i]) {
        case ANALOG:
          this.walk(i, prng);
          this.values[i] = Math.round(this.level[i]) & 0xffff;
          break;
        case FLOAT_HIGH:
          this.walk(i, prng);
          this.encodeFloat(i);
          break;
        case COUNTER_HIGH: {
          const seconds = (nowMicros - this.lastMicros[i]) / 1e6;
          this.lastMicros[i] = nowMicros;
          this.level[i] += this.center[i] * seconds * (0.5 + prng.float());
          this.encodeCounter(i);
          break;
        }
        case STATUS:
          if (prng.chance(STATUS_FLIP_CHANCE)) this.values[i] ^= 1 << prng.int(0, 15);
          break;
      }
    }
  }

  /** A write from a client: the register holds the value until the process moves it again. */
  write(address: number, value: number): void {
    this.values[address] = value;
    if (this.kind[address] === ANALOG) this.level[address] = value;
  }

  private walk(i: number, prng: Prng): void {
    const center = this.center[i];
    const spread = this.spread[i];
    let v = this.level[i];
    v += (center - v) * MEAN_REVERSION + (prng.float() - 0.5) * spread * NOISE;
    if (v > center + spread) v = center + spread;
    else if (v < center - spread) v = center - spread;
    this.level[i] = v;
  }

  private encodeFloat(i: number): void {
    floatScratch[0] = this.level[i];
    const bits = floatBits[0];
    this.values[i] = bits >>> 16;
    this.values[i + 1] = bits & 0xffff;
  }

  private encodeCounter(i: number): void {
    const value = Math.floor(this.level[i]) % 0x100000000;
    this.values[i] = value >>> 16;
    this.values[i + 1] = value & 0xffff;
  }
}

/** One bit space: coils or discrete inputs. */
class BitBank {
  readonly values: Uint8Array;
  private readonly flipChance: Float64Array;

  constructor(size: number) {
    this.values = new Uint8Array(size);
    this.flipChance = new Float64Array(size);
  }

  define(signal: BitSignal, prng: Prng): void {
    for (let i = 0; i < signal.count; i++) {
      this.values[signal.address + i] = prng.chance(signal.onRatio) ? 1 : 0;
      this.flipChance[signal.address + i] = signal.flipChance;
    }
  }

  /** A read may find one bit changed: a motor started, a level switch tripped. */
  refresh(start: number, quantity: number, prng: Prng): void {
    const i = start + Math.floor(prng.float() * quantity);
    if (prng.chance(this.flipChance[i])) this.values[i] ^= 1;
  }
}

export class ProcessImage {
  readonly holding: RegisterBank;
  readonly input: RegisterBank;
  readonly coils: BitBank;
  readonly discrete: BitBank;

  constructor(
    readonly map: ModbusMap,
    private readonly prng: Prng,
    startMicros: number,
  ) {
    this.holding = new RegisterBank(map.holdingRegisters);
    this.input = new RegisterBank(map.inputRegisters);
    this.coils = new BitBank(map.coils);
    this.discrete = new BitBank(map.discreteInputs);
    for (const signal of map.registers) this.registers(signal.space).define(signal, prng, startMicros);
    for (const signal of map.bits) this.bitBank(signal.space).define(signal, prng);
  }

  registers(space: RegisterSpace): RegisterBank {
    return space === 'holding' ? this.holding : this.input;
  }

  bitBank(space: BitSpace): BitBank {
    return space === 'coils' ? this.coils : this.discrete;
  }

  readRegisters(space: RegisterSpace, start: number, quantity: number, nowMicros: number): Uint16Array {
    const bank = this.registers(space);
    bank.refresh(start, quantity, nowMicros, this.prng);
    return bank.values;
  }

  readBits(space: BitSpace, start: number, quantity: number): Uint8Array {
    const bank = this.bitBank(space);
    bank.refresh(start, quantity, this.prng);
    return bank.values;
  }
}
