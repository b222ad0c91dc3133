// Mixed-protocol benchmark (issue 3): with every dissector enabled, the mixed demo plant capture
// must decode at no less than 80% of the Modbus-only packets/s, measured in the same run (fresh
// process each, alternating, medians), end to end (pipeline, inventory, flows). Two references:
//   - the target's: the Modbus-only plant capture (the demo before issue 3: Modbus and its IT
//     surroundings), decoded the same way;
//   - a stricter one, for the record: the mixed capture itself with only the Modbus dissector, so
//     that nothing but Modbus is decoded at all.
//
// Environment: BENCH_PROTOCOL_PACKETS (default 10000000), BENCH_RUNS (default 3).

import { demoCapture, measure, packetsPerSecond, type Run, thousands } from './common.ts';

const packets = Number(process.env.BENCH_PROTOCOL_PACKETS ?? 10_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 0.8;

const mixed = await demoCapture(packets);
const modbusPlant = await demoCapture(packets, 'modbus');
const all: Run[] = [];
const modbusCapture: Run[] = [];
const modbusDissector: Run[] = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so a noisy neighbour affects every measurement alike.
  modbusCapture.push(measure(modbusPlant, 'pipeline'));
  all.push(measure(mixed, 'pipeline'));
  modbusDissector.push(measure(mixed, 'pipeline-modbus'));
}
const pps = packetsPerSecond(all);
const ratio = pps / packetsPerSecond(modbusCapture);
const strict = pps / packetsPerSecond(modbusDissector);
console.log(
  [
    `mixed-protocol demo, ${thousands(packets)} packets each, median of ${runs}, end to end:`,
    `  mixed capture, every dissector:            ${thousands(pps)} packets/s`,
    `  Modbus-only plant capture (reference):     ${thousands(packetsPerSecond(modbusCapture))} packets/s`,
    `  mixed capture, Modbus dissector only:      ${thousands(packetsPerSecond(modbusDissector))} packets/s`,
    `  ratio to the Modbus-only capture ${ratio.toFixed(2)}; target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'NOT MET'}`,
    `  ratio to the Modbus dissector alone on the same capture ${strict.toFixed(2)} (stricter, for the record)`,
  ].join('\n'),
);
