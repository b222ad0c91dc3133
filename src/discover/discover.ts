// Discovery: decode captures (files or a live interface) into an inventory and a communication
// map, then merge them into the store. A capture already stored (same SHA-256) changes nothing;
// a new one merges: counters add up, identities update (with history), user overrides stay.

import type { FrameHandler } from '../capture/frame.ts';
import { type LiveOptions, type LiveResult, startLiveCapture } from '../capture/live.ts';
import { type CaptureReadResult, fileSize, isGzipFile } from '../capture/source.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import { FlowMapBuilder } from '../flows/flow-map.ts';
import { mergeFlow } from '../flows/merge.ts';
import type { Flow } from '../flows/types.ts';
import { InventoryBuilder } from '../inventory/inventory-builder.ts';
import { type IdentityChange, mergeAsset } from '../inventory/merge.ts';
import type { Asset } from '../inventory/types.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { Pipeline, type PipelineStats } from '../pipeline/pipeline.ts';
import type { Store } from '../store/store.ts';
import { decodeParallel, defaultThreads } from './parallel.ts';

export interface CaptureOutcome {
  /** The file path, or `live:<interface>`. */
  source: string;
  sha256: string | null;
  /** True when this exact capture had been discovered before: nothing was changed. */
  alreadyStored: boolean;
  capture: CaptureReadResult;
  stats: PipelineStats;
  seconds: number;
  /** Ids of the assets and flows this capture touched (their stored, merged versions are in the store). */
  assetIds: string[];
  flowIds: string[];
  /** Live capture only: packets the kernel dropped (tcpdump's count), null if unknown. */
  kernelDrops?: number | null;
}

export interface DiscoverProgress {
  source: string;
  fileBytesRead: number;
  /** Packets decoded so far. */
  frames: number;
}

export interface DiscoverFileOptions {
  onProgress?: (p: DiscoverProgress) => void;
  /** Worker threads; default: 2 for a large uncompressed file on a machine with 2+ cores, else 1. */
  threads?: number;
}

/** Decode one capture file and merge what it shows into the store. */
export async function discoverFile(
  path: string,
  store: Store,
  options: DiscoverFileOptions = {},
): Promise<CaptureOutcome> {
  const onProgress = options.onProgress;
  const threads = options.threads ?? defaultThreads(fileSize(path), isGzipFile(path));
  const started = performance.now();
  if (threads > 1) {
    const r = await decodeParallel(path, threads, {
      hash: true,
      onProgress:
        onProgress === undefined
          ? undefined
          : (bytes, frames) => onProgress({ source: path, fileBytesRead: bytes, frames }),
    });
    return ingest(
      path,
      store,
      r.capture,
      r.stats,
      (performance.now() - started) / 1000,
      r.assets,
      r.flows,
      r.identityChanges,
    );
  }
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  const { capture, stats } = await decodeCaptureFile(path, new FanOut([inventory, flows]), {
    hash: true,
    onProgress:
      onProgress === undefined
        ? undefined
        : (bytes, s) => onProgress({ source: path, fileBytesRead: bytes, frames: s.frames }),
  });
  const seconds = (performance.now() - started) / 1000;
  const assets = inventory.result();
  return ingest(path, store, capture, stats, seconds, assets, flows.result(), inventory.identityChanges());
}

export interface LiveDiscovery {
  stop(): void;
  /** Resolves once the interface is open and packets are being captured. */
  readonly ready: Promise<void>;
  /** Pipeline counters so far, for a live status line. */
  readonly stats: PipelineStats;
  readonly done: Promise<CaptureOutcome & { live: LiveResult }>;
}

/** Capture on an interface until stop(); then merge what was seen into the store. */
export function discoverLive(options: LiveOptions, store: Store): LiveDiscovery {
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  const pipeline = new Pipeline(new FanOut([inventory, flows]), { dissectors: DISSECTORS });
  const started = performance.now();
  const onFrame: FrameHandler = pipeline.frame;
  const live = startLiveCapture(options, onFrame);
  const done = live.done.then(async (result) => {
    pipeline.finish();
    const seconds = (performance.now() - started) / 1000;
    const source = `live:${options.interface}`;
    const outcome = await ingest(
      source,
      store,
      result,
      pipeline.stats,
      seconds,
      inventory.result(),
      flows.result(),
      inventory.identityChanges(),
    );
    return { ...outcome, kernelDrops: result.kernelDrops, live: result };
  });
  return { stop: () => live.stop(), ready: live.ready, stats: pipeline.stats, done };
}

async function ingest(
  source: string,
  store: Store,
  capture: CaptureReadResult,
  stats: PipelineStats,
  seconds: number,
  assets: Asset[],
  flows: Flow[],
  /** Changes devices reported within this capture (InventoryBuilder.identityChanges()). */
  reported: readonly IdentityChange[],
): Promise<CaptureOutcome> {
  const outcome: CaptureOutcome = {
    source,
    sha256: capture.sha256,
    alreadyStored: false,
    capture,
    stats,
    seconds,
    assetIds: assets.map((a) => a.id),
    flowIds: flows.map((f) => f.id),
  };
  await store.transaction(async (tx) => {
    if (capture.sha256 !== null && (await tx.hasCapture(capture.sha256))) {
      outcome.alreadyStored = true;
      return;
    }
    const storedAssets = new Map((await tx.getAssets(outcome.assetIds)).map((a) => [a.id, a]));
    // Changes within the capture come first: they happened before its end, which is when the
    // fresh values differ from the stored ones.
    const changes: IdentityChange[] = [...reported];
    const merged = assets.map((fresh) => {
      const stored = storedAssets.get(fresh.id);
      if (stored === undefined) return fresh;
      const m = mergeAsset(stored, fresh);
      changes.push(...m.changes);
      return m.asset;
    });
    await tx.upsertAssets(merged);
    if (changes.length > 0) await tx.recordIdentityChanges(changes);
    const storedFlows = new Map((await tx.getFlows(outcome.flowIds)).map((f) => [f.id, f]));
    await tx.upsertFlows(
      flows.map((fresh) => {
        const stored = storedFlows.get(fresh.id);
        return stored === undefined ? fresh : mergeFlow(stored, fresh);
      }),
    );
    if (capture.sha256 !== null) {
      await tx.recordCapture({
        sha256: capture.sha256,
        path: source,
        sizeBytes: capture.bytesRead,
        packets: stats.frames,
        firstTs: stats.firstTs,
        lastTs: stats.lastTs,
        ingestedAt: Date.now() / 1000,
        stats: {
          pipeline: stats,
          format: capture.format,
          compressed: capture.compressed,
          damaged: capture.damage?.message ?? null,
        },
      });
    }
  });
  return outcome;
}
