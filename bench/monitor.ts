// Monitoring throughput (issue 4): `monitor` with a learned baseline must keep at least 70% of
// `discover`'s packets/s on the same capture, measured in the same run (fresh processes,
// alternating, medians). The baseline is learned once from the capture itself.
//
// Environment: BENCH_MONITOR_PACKETS (default 10000000), BENCH_RUNS (default 3).

import { existsSync, writeFileSync } from 'node:fs';
import { learnBaseline } from '../src/baseline/learn.ts';
import { demoCapture, measure, packetsPerSecond, type Run, thousands } from './common.ts';

const packets = Number(process.env.BENCH_MONITOR_PACKETS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 0.7;

const capture = await demoCapture(packets);
const baselinePath = `${capture}.baseline.json`;
if (!existsSync(baselinePath)) {
  const t = performance.now();
  writeFileSync(baselinePath, JSON.stringify(await learnBaseline([capture], { site: 'bench' })));
  console.error(`learned ${baselinePath} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
process.env.BENCH_BASELINE = baselinePath;
const discover: Run[] = [];
const monitor: Run[] = [];
for (let i = 0; i < runs; i++) {
  discover.push(measure(capture, 'pipeline'));
  monitor.push(measure(capture, 'monitor'));
}
const ratio = packetsPerSecond(monitor) / packetsPerSecond(discover);
console.log(
  [
    `monitor with a baseline, ${thousands(packets)} packets, median of ${runs}:`,
    `  discover (reference):   ${thousands(packetsPerSecond(discover))} packets/s`,
    `  monitor --baseline:     ${thousands(packetsPerSecond(monitor))} packets/s, peak RSS ${(Math.max(...monitor.map((r) => r.maxRssBytes)) / 1e6).toFixed(0)} MB`,
    `  ratio ${ratio.toFixed(2)}; target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
  ].join('\n'),
);
