// One shard of a parallel discovery, in a worker thread: reads the whole capture, decodes the
// traffic of its shard (see pipeline/shard.ts), and posts back what the inventory and the
// communication map learned, as snapshots the main thread merges.

import { parentPort, workerData } from 'node:worker_threads';
import { readCaptureFile } from '../capture/source.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import { ZonewardError } from '../errors.ts';
import { FlowMapBuilder } from '../flows/flow-map.ts';
import { InventoryBuilder } from '../inventory/inventory-builder.ts';
import { noteUnsupportedInterfaces } from '../pipeline/decode-file.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import type { ShardMessage, ShardRequest } from './parallel.ts';

const req = workerData as ShardRequest;
const post = (m: ShardMessage) => parentPort!.postMessage(m);

try {
  const inventory = new InventoryBuilder();
  const flows = new FlowMapBuilder();
  const pipeline = new Pipeline(new FanOut([inventory, flows]), {
    dissectors: DISSECTORS,
    shard: { index: req.index, count: req.count },
  });
  const capture = await readCaptureFile(req.path, pipeline.frame, {
    hash: req.hash,
    onProgress: (bytes) => post({ kind: 'progress', bytes, frames: pipeline.stats.frames }),
  });
  pipeline.finish();
  noteUnsupportedInterfaces(capture);
  const { damage, ...rest } = capture;
  post({
    kind: 'done',
    capture: rest,
    damage:
      damage === null ? null : { code: damage.code, message: damage.message, offset: damage.offset ?? 0 },
    stats: pipeline.stats,
    inventory: inventory.snapshot(),
    flows: flows.snapshot(),
  });
} catch (err) {
  if (err instanceof ZonewardError)
    post({ kind: 'error', code: err.code, message: err.message, offset: err.offset ?? null });
  else post({ kind: 'error', code: null, message: (err as Error).stack ?? String(err), offset: null });
}
