// One measured discovery run in a fresh process, so peak RSS belongs to this run alone.
// Usage: discover-worker.ts <capture> <mode>; mode `parallel` (`discover --threads 2`:
// two shards on two threads, read, parse, reassembly, Modbus, inventory, flows, merged),
// `pipeline` (the same on one thread), `pipeline-modbus` (the same with only the Modbus dissector), `reader` (the capture reader alone: the in-run reference)
// `store` (`discover` with the merge into a fresh SQLite file, timed separately), or `monitor`
// (the detector with the baseline file named by BENCH_BASELINE).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBaseline } from '../src/baseline/validate.ts';
import { readCaptureFile } from '../src/capture/source.ts';
import { Detector } from '../src/detect/detector.ts';
import { discoverFile } from '../src/discover/discover.ts';
import { decodeParallel } from '../src/discover/parallel.ts';
import { DISSECTORS } from '../src/dissectors/registry.ts';
import { FlowMapBuilder } from '../src/flows/flow-map.ts';
import { InventoryBuilder } from '../src/inventory/inventory-builder.ts';
import { decodeCaptureFile } from '../src/pipeline/decode-file.ts';
import { FanOut } from '../src/pipeline/fan-out.ts';
import { openStore } from '../src/store/store.ts';

const [capture, mode] = process.argv.slice(2);
const started = performance.now();
let frames = 0;
let bytes = 0;
let storeSeconds: number | null = null;
let monitorSeconds: number | null = null;
if (mode === 'reader') {
  const r = await readCaptureFile(capture, (_lt, _ts, _d, start, end) => {
    frames++;
    bytes += end - start;
  });
  if (r.damage !== null) throw r.damage;
} else if (mode === 'pipeline' || mode === 'pipeline-modbus') {
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  // `pipeline-modbus`: the same work with only the Modbus dissector registered (the reference of
  // the mixed-protocol benchmark, bench/protocols.ts).
  const dissectors = mode === 'pipeline' ? DISSECTORS : DISSECTORS.filter((d) => d.name === 'modbus');
  const { stats } = await decodeCaptureFile(capture, new FanOut([inventory, flows]), { dissectors });
  inventory.result();
  flows.result();
  frames = stats.frames;
  bytes = stats.capturedBytes;
} else if (mode === 'monitor') {
  // `zoneward monitor --baseline`: the baseline (learned from the same capture, BENCH_BASELINE)
  // is loaded before the clock starts, as monitor loads it before reading packets.
  const baseline = parseBaseline(readFileSync(process.env.BENCH_BASELINE!, 'utf8'));
  if (!baseline.ok) throw new Error('invalid baseline');
  const t = performance.now();
  const detector = new Detector({ baseline: baseline.baseline, onAlert: () => {} });
  const { stats } = await decodeCaptureFile(capture, detector);
  detector.flush();
  frames = stats.frames;
  bytes = stats.capturedBytes;
  monitorSeconds = (performance.now() - t) / 1000;
} else if (mode === 'parallel') {
  const r = await decodeParallel(capture, 2);
  frames = r.stats.frames;
  bytes = r.stats.capturedBytes;
} else if (mode === 'store') {
  const dir = mkdtempSync(join(tmpdir(), 'zw-bench-'));
  const store = await openStore({ db: join(dir, 'bench.db') });
  const outcome = await discoverFile(capture, store);
  await store.close();
  frames = outcome.stats.frames;
  bytes = outcome.stats.capturedBytes;
  storeSeconds = (performance.now() - started) / 1000 - outcome.seconds;
  rmSync(dir, { recursive: true, force: true });
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = monitorSeconds ?? (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ mode, frames, bytes, seconds, storeSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
