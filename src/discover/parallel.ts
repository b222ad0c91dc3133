// Parallel discovery (`discover --threads N`): one worker thread per shard, each reading the whole
// file (from the page cache, cheap next to decoding) and decoding the traffic between the host
// pairs of its shard. The main thread merges the shards' inventory and flow snapshots; results
// equal a single-thread run (src/inventory/parallel-merge.test.ts, test/cli.test.ts).

import { Worker } from 'node:worker_threads';
import type { CaptureReadResult } from '../capture/source.ts';
import { type ErrorCode, ZonewardError } from '../errors.ts';
import { FlowMapBuilder, type FlowMapSnapshot } from '../flows/flow-map.ts';
import type { Flow } from '../flows/types.ts';
import { InventoryBuilder, type InventorySnapshot } from '../inventory/inventory-builder.ts';
import type { IdentityChange } from '../inventory/merge.ts';
import type { Asset } from '../inventory/types.ts';
import { emptyStats, type PipelineStats } from '../pipeline/pipeline.ts';

export interface ShardRequest {
  path: string;
  index: number;
  count: number;
  /** Only one shard hashes the file. */
  hash: boolean;
}

export type ShardMessage =
  | { kind: 'progress'; bytes: number; frames: number }
  | {
      kind: 'done';
      capture: Omit<CaptureReadResult, 'damage'>;
      damage: { code: ErrorCode; message: string; offset: number } | null;
      stats: PipelineStats;
      inventory: InventorySnapshot;
      flows: FlowMapSnapshot;
    }
  | { kind: 'error'; code: ErrorCode | null; message: string; offset: number | null };

export interface ParallelResult {
  capture: CaptureReadResult;
  stats: PipelineStats;
  assets: Asset[];
  flows: Flow[];
  /** Identity changes devices reported within the capture. */
  identityChanges: readonly IdentityChange[];
}

/**
 * Threads `discover` uses unless told (--threads). One: on the 2-vCPU machines this was measured
 * on (npm run bench), two threads gained at most ~10% on a 1 GB capture, lost at 100 MB (each
 * worker loads the decoder anew), and lost badly whenever anything else ran. On machines whose
 * cores scale, `--threads 2` or more pays off for large files.
 */
export function defaultThreads(_fileBytes: number, _compressed: boolean): number {
  return 1;
}

export function mergeStats(all: readonly PipelineStats[]): PipelineStats {
  const out = emptyStats();
  for (const s of all) {
    for (const k of Object.keys(out) as (keyof PipelineStats)[]) {
      if (k === 'firstTs' || k === 'lastTs') continue;
      (out[k] as number) += s[k] as number;
    }
    if (s.firstTs !== null && (out.firstTs === null || s.firstTs < out.firstTs)) out.firstTs = s.firstTs;
    if (s.lastTs !== null && (out.lastTs === null || s.lastTs > out.lastTs)) out.lastTs = s.lastTs;
  }
  return out;
}

export async function decodeParallel(
  path: string,
  threads: number,
  options: { hash?: boolean; onProgress?: (bytes: number, frames: number) => void } = {},
): Promise<ParallelResult> {
  const progress = new Array<{ bytes: number; frames: number }>(threads).fill({ bytes: 0, frames: 0 });
  const entry = new URL('./shard-worker-entry.js', import.meta.url);
  const runs = Array.from({ length: threads }, (_, index) => {
    const request: ShardRequest = { path, index, count: threads, hash: index === 0 && options.hash === true };
    const worker = new Worker(entry, { workerData: request });
    return new Promise<Extract<ShardMessage, { kind: 'done' }>>((resolve, reject) => {
      worker.on('message', (m: ShardMessage) => {
        if (m.kind === 'progress') {
          progress[index] = m;
          // The slowest shard says how far the file has been read; packets add up over shards.
          options.onProgress?.(
            Math.min(...progress.map((p) => p.bytes)),
            progress.reduce((n, p) => n + p.frames, 0),
          );
        } else if (m.kind === 'done') resolve(m);
        else if (m.code !== null)
          reject(new ZonewardError(m.code, m.message, { offset: m.offset ?? undefined }));
        else reject(new Error(`discovery shard ${index} failed: ${m.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`discovery shard ${index} exited with code ${code}`));
      });
    }).finally(() => worker.terminate());
  });
  const done = await Promise.all(runs);
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  for (const d of done) {
    inventory.merge(d.inventory);
    flows.merge(d.flows);
  }
  const assets = inventory.result();
  // Every shard read the same bytes: the file-level facts (format, warnings, damage) are shard 0's.
  const first = done[0];
  const capture: CaptureReadResult = {
    ...first.capture,
    damage:
      first.damage === null
        ? null
        : new ZonewardError(first.damage.code, first.damage.message, { offset: first.damage.offset }),
  };
  return {
    capture,
    stats: mergeStats(done.map((d) => d.stats)),
    assets,
    flows: flows.result(),
    identityChanges: inventory.identityChanges(),
  };
}
