// Benchmark of `discover` on demo captures (issue: >= 1,500,000 packets/s end to end on 2 cores,
// peak RSS <= 300 MB at 10 million packets). Each run is a fresh process; figures are medians,
// with the capture reader alone measured in the same run as the reference, because these
// machines are shared and noisy.
//
// Environment: BENCH_PACKETS (comma list, default 1000000,10000000), BENCH_RUNS (default 3).

import { statSync } from 'node:fs';
import { demoCapture, measure, median, type Run } from './common.ts';

const sizes = (process.env.BENCH_PACKETS ?? '1000000,10000000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);

const rows: string[] = [];
for (const packets of sizes) {
  const capture = await demoCapture(packets);
  const size = statSync(capture).size;
  const reader: Run[] = [];
  const single: Run[] = [];
  const parallel: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a noisy neighbour affects every measurement alike.
    reader.push(measure(capture, 'reader'));
    single.push(measure(capture, 'pipeline'));
    parallel.push(measure(capture, 'parallel'));
  }
  const store = measure(capture, 'store');
  const pps = (rs: Run[]) => median(rs.map((r) => r.frames / r.seconds));
  const mbs = (rs: Run[]) => median(rs.map((r) => size / 1e6 / r.seconds));
  const rss = (rs: Run[]) => Math.max(...rs.map((r) => r.maxRssBytes)) / 1e6;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const headline = pps(single);
  rows.push(
    [
      `discover ${packets.toLocaleString('en-US')} packets (${(size / 1e6).toFixed(0)} MB), median of ${runs}, end to end (parse, reassembly, every dissector, inventory, flows):`,
      `  discover (default, 1 thread): ${n(headline)} packets/s, ${mbs(single).toFixed(0)} MB/s, peak RSS ${rss(single).toFixed(0)} MB`,
      `  discover --threads 2:         ${n(pps(parallel))} packets/s, ${mbs(parallel).toFixed(0)} MB/s, peak RSS ${rss(parallel).toFixed(0)} MB (${(pps(parallel) / headline).toFixed(2)} x 1 thread)`,
      `  reference, reader alone:      ${n(pps(reader))} packets/s (1 thread = ${(headline / pps(reader)).toFixed(2)} x reader)`,
      `  with the SQLite store merge:  ${n(store.frames / store.seconds)} packets/s (one run; merge ${store.storeSeconds?.toFixed(2)} s, peak RSS ${(store.maxRssBytes / 1e6).toFixed(0)} MB)`,
      `  targets: >= 1,500,000 packets/s ${headline >= 1_500_000 ? 'MET' : 'NOT MET'}; peak RSS <= 300 MB ${rss(single) <= 300 ? 'MET' : 'NOT MET'}`,
    ].join('\n'),
  );
  console.log(rows[rows.length - 1]);
}
