// What the benchmarks share: demo captures cached in bench/out/ (not committed), one measured run
// per fresh process (bench/discover-worker.ts), and medians.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoCapture } from '../src/demo/generate.ts';

export const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'bench/out');

/** Bumped whenever the demo plant changes, so a cached capture of an older plant is not reused. */
const DEMO_VERSION = 'v2';

export interface Run {
  frames: number;
  bytes: number;
  seconds: number;
  storeSeconds: number | null;
  maxRssBytes: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One run of discover-worker.ts in a fresh process, so peak RSS belongs to this run alone. */
export function measure(capture: string, mode: string): Run {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/discover-worker.ts'), capture, mode],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Run;
}

/**
 * The demo plant capture of `packets` packets (seed 1), written once and cached; `modbus` for the
 * plant without its other control protocols (DemoCaptureOptions.protocols).
 */
export async function demoCapture(packets: number, protocols: 'all' | 'modbus' = 'all'): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const kind = protocols === 'all' ? '' : '-modbus';
  const capture = join(outDir, `demo-${DEMO_VERSION}${kind}-${packets}.pcap`);
  if (!existsSync(capture)) {
    const t = performance.now();
    await writeDemoCapture({ out: capture, packets, seed: 1, protocols });
    console.error(`generated ${capture} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return capture;
}

export const packetsPerSecond = (rs: readonly Run[]) => median(rs.map((r) => r.frames / r.seconds));
export const thousands = (x: number) => Math.round(x).toLocaleString('en-US');
