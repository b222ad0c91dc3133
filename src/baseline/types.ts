// The learned baseline (issue 4): a portable, readable JSON document of what is normal at one site.
// `zoneward baseline learn <capture>... --out FILE` writes it; a person may read, edit and confirm
// it; `zoneward monitor --baseline FILE` loads it (validated, every error named). The store keeps a
// copy. Times are seconds since the Unix epoch; addresses are IPs (MACs for devices without one).

import type { Operation } from '../dissectors/operations.ts';

export const BASELINE_FORMAT = 'zoneward.baseline/1';

export interface BaselineDocument {
  readonly format: typeof BASELINE_FORMAT;
  /** Site name, free text. */
  readonly site: string;
  /** `learning`: keeps learning while monitoring; `monitoring`: frozen, deviations alert. */
  readonly mode: 'learning' | 'monitoring';
  /** A person looked at it and confirmed it (who and when), or null. */
  readonly confirmed: { readonly by: string; readonly at: string } | null;
  readonly learned: {
    /** Captures (path and SHA-256) or live sources it was learned from. */
    readonly sources: readonly { readonly source: string; readonly sha256: string | null }[];
    readonly firstTs: number;
    readonly lastTs: number;
    readonly packets: number;
  };
  /** Every device seen: its address, MAC and what it was (role from the inventory when known). */
  readonly assets: readonly BaselineAsset[];
  /** Who talks to whom, over what (one entry per client, server, transport, server port, app). */
  readonly pairs: readonly BaselinePair[];
  /** Per client, server and app: the functions and operations used, writes, and polling cadence. */
  readonly channels: readonly BaselineChannel[];
}

export interface BaselineAsset {
  readonly ip: string | null;
  readonly mac: string | null;
  readonly role: string | null;
  readonly vendor: string | null;
  readonly model: string | null;
  readonly firmware: string | null;
  readonly serial: string | null;
}

export interface BaselinePair {
  readonly client: string;
  readonly server: string;
  readonly transport: 'tcp' | 'udp';
  readonly port: number;
  /** Dissector name, or null when no dissector recognised the traffic. */
  readonly app: string | null;
  readonly connections: number;
  readonly packets: number;
}

export interface BaselineChannel {
  readonly client: string;
  readonly server: string;
  readonly app: string;
  /** Function names with how often each was requested (`READ_HOLDING_REGISTERS`: 1200). */
  readonly functions: Readonly<Record<string, number>>;
  /** Requests per operation class. */
  readonly operations: Readonly<Partial<Record<Operation, number>>>;
  /** Units (Modbus unit id, DNP3 outstation) addressed. */
  readonly units: readonly number[];
  /** What the client wrote: per address space, the address ranges and the value range seen. */
  readonly writes: readonly BaselineWrites[];
  /**
   * Steady polling, when the client polls: mean period and jitter (standard deviation), seconds, of
   * its fastest steady read; `request` names that read (poll-key.ts: function|unit|address|quantity)
   * so that monitoring times the same one.
   */
  /**
   * The most requests seen within one second (a burst or a fast cyclic exchange); optional, older
   * baselines lack it. Flood detection scales from it.
   */
  readonly peakPerS?: number;
  /**
   * Protocol violations seen on this channel while learning (a device that always sends one
   * malformed reply); optional. With a person's confirmation of the baseline they are normal there.
   */
  readonly violations?: number;
  readonly polling: {
    readonly periodS: number;
    readonly jitterS: number;
    readonly samples: number;
    readonly request?: string;
  } | null;
}

export interface BaselineWrites {
  /** Address space (`holding_register`, `coil`, `DB10`, `analog-output`...). */
  readonly space: string;
  /** Inclusive [first, last] address ranges written, merged and sorted. */
  readonly ranges: readonly (readonly [number, number])[];
  /** Smallest and largest value written, when values were seen. */
  readonly values: { readonly min: number; readonly max: number } | null;
}
