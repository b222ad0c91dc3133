// `zoneward baseline learn <capture>...`: decode each capture once into a BaselineLearner and an
// InventoryBuilder side by side (FanOut), so the baseline's assets carry the inventory's roles and
// identities, and each source is named with its SHA-256.

import type { CaptureReadResult } from '../capture/source.ts';
import { InventoryBuilder } from '../inventory/inventory-builder.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { BaselineLearner } from './learner.ts';
import type { BaselineDocument } from './types.ts';

export interface LearnOptions {
  readonly site: string;
  /**
   * Hears how each capture was read, damage included: a truncated capture is learned up to the
   * damage, and the caller says so (the CLI exits 1, as `discover` does).
   */
  readonly onCapture?: (path: string, capture: CaptureReadResult) => void;
}

export async function learnBaseline(
  captures: readonly string[],
  options: LearnOptions,
): Promise<BaselineDocument> {
  const learner = new BaselineLearner();
  const inventory = new InventoryBuilder();
  const sink = new FanOut([learner, inventory]);
  const sources: { source: string; sha256: string | null }[] = [];
  let packets = 0;
  for (const path of captures) {
    const { capture, stats } = await decodeCaptureFile(path, sink, { hash: true });
    options.onCapture?.(path, capture);
    sources.push({ source: path, sha256: capture.sha256 });
    packets += stats.frames;
  }
  return learner.toDocument({ site: options.site, sources, inventory: inventory.result(), packets });
}
