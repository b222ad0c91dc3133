// Polling cadence: Welford's online mean and variance (Knuth TAOCP vol. 2 §4.2.2) of the gaps
// between poll cycles of one repeated request, and Chan et al.'s pairwise update ("Updating
// Formulae and a Pairwise Algorithm for Computing Sample Variances", 1979) to combine two.
// Constant memory per tracked request, whatever the capture's length.

/** Requests closer than this are one poll cycle (a retransmission, a scan class's burst). */
export const POLL_BURST_S = 0.05;
/** Gaps needed before a cadence counts as polling. */
export const MIN_POLL_SAMPLES = 10;
/** Largest coefficient of variation (jitter / period) of a cadence reported as steady polling. */
export const MAX_POLL_CV = 0.25;
/**
 * A gap longer than this many mean periods is an outage (controller restarting, reconnect), not
 * jitter: it is not added, so one outage does not hide an otherwise steady cadence.
 */
export const POLL_OUTAGE_FACTOR = 4;

export interface Polling {
  readonly periodS: number;
  readonly jitterS: number;
  readonly samples: number;
  /** The read it measures (poll-key.ts), when known. */
  readonly request?: string;
}

export class Cadence {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private cycleStart = Number.NaN;
  private last = Number.NaN;

  add(ts: number): void {
    const last = this.last;
    this.last = ts;
    if (ts - last <= POLL_BURST_S) return;
    const start = this.cycleStart;
    this.cycleStart = ts;
    if (Number.isNaN(start)) return;
    const gap = ts - start;
    if (gap <= 0) return;
    if (this.n >= MIN_POLL_SAMPLES && gap > POLL_OUTAGE_FACTOR * this.mean) return;
    this.n += 1;
    const delta = gap - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (gap - this.mean);
  }

  /** Mean period and sample standard deviation, or null before MIN_POLL_SAMPLES or when unsteady. */
  polling(): Polling | null {
    return steady({
      periodS: this.mean,
      jitterS: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0,
      samples: this.n,
    });
  }
}

/** The cadence when it is steady polling (enough samples, low coefficient of variation), else null. */
export function steady(p: Polling): Polling | null {
  if (p.samples < MIN_POLL_SAMPLES || !(p.periodS > 0)) return null;
  if (p.jitterS / p.periodS > MAX_POLL_CV) return null;
  return p;
}

/**
 * Two polling figures of the same channel. The same cadence (periods within MAX_POLL_CV of each
 * other) combines by Chan's formula; different cadences keep the faster one, the one whose absence
 * is noticed first (more samples wins a tie). Commutative.
 */
export function combinePolling(a: Polling | null, b: Polling | null): Polling | null {
  if (a === null) return b;
  if (b === null) return a;
  const slower = Math.max(a.periodS, b.periodS);
  if (Math.abs(a.periodS - b.periodS) > MAX_POLL_CV * slower) {
    if (a.periodS !== b.periodS) return a.periodS < b.periodS ? a : b;
    return a.samples >= b.samples ? a : b;
  }
  const n = a.samples + b.samples;
  const delta = b.periodS - a.periodS;
  const mean = a.periodS + (delta * b.samples) / n;
  const m2 =
    a.jitterS ** 2 * (a.samples - 1) +
    b.jitterS ** 2 * (b.samples - 1) +
    (delta * delta * a.samples * b.samples) / n;
  const combined = { periodS: mean, jitterS: Math.sqrt(m2 / (n - 1)), samples: n };
  // The same cadence measured on two reads: keep one name, the same whichever comes first.
  const request = [a.request, b.request].filter((r) => r !== undefined).sort()[0];
  return request === undefined ? combined : { ...combined, request };
}
