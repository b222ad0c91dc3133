// Mixed-protocol benchmark (issue 3): with every dissector enabled, the mixed demo plant capture
// must decode at no less than 80% of the packets/s it decodes with only the Modbus dissector, the
// two measured alternately in the same run (fresh process each, medians), end to end (pipeline,
// inventory, flows).
//
// Environment: BENCH_PROTOCOL_PACKETS (default 1000000), BENCH_RUNS (default 3).

import { demoCapture, measure, packetsPerSecond, type Run, thousands } from './common.ts';

const packets = Number(process.env.BENCH_PROTOCOL_PACKETS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 0.8;

const capture = await demoCapture(packets);
const all: Run[] = [];
const modbusOnly: Run[] = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so a noisy neighbour affects both alike.
  modbusOnly.push(measure(capture, 'pipeline-modbus'));
  all.push(measure(capture, 'pipeline'));
}
const ratio = packetsPerSecond(all) / packetsPerSecond(modbusOnly);
const ratios = all.map((r, i) =>
  (r.frames / r.seconds / (modbusOnly[i].frames / modbusOnly[i].seconds)).toFixed(2),
);
console.log(
  [
    `mixed-protocol demo, ${thousands(packets)} packets, median of ${runs}:`,
    `  every dissector (${'all registered'}): ${thousands(packetsPerSecond(all))} packets/s`,
    `  Modbus dissector only (reference):   ${thousands(packetsPerSecond(modbusOnly))} packets/s`,
    `  ratio ${ratio.toFixed(2)} (per run: ${ratios.join(', ')}); target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
  ].join('\n'),
);
