// One call from a capture file to a sink: the reader feeds the pipeline, the pipeline feeds the
// sink, and the result says what was read, what was found, and where the file was damaged.

import { linkTypeName, SUPPORTED_LINK_TYPES } from '../capture/link-types.ts';
import type { CaptureReadResult, ReadOptions } from '../capture/source.ts';
import { readCaptureFile } from '../capture/source.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import type { PipelineSink } from './events.ts';
import { Pipeline, type PipelineOptions, type PipelineStats } from './pipeline.ts';

export interface DecodeResult {
  capture: CaptureReadResult;
  stats: PipelineStats;
}

export interface DecodeOptions extends Omit<ReadOptions, 'onProgress'>, Partial<PipelineOptions> {
  /** After every chunk read; reading waits for a returned promise (backpressure). */
  onProgress?: (fileBytesRead: number, stats: PipelineStats) => void | Promise<void>;
}

export async function decodeCaptureFile(
  path: string,
  sink: PipelineSink,
  options: DecodeOptions = {},
): Promise<DecodeResult> {
  const pipeline = new Pipeline(sink, { ...options, dissectors: options.dissectors ?? DISSECTORS });
  const onProgress = options.onProgress;
  const capture = await readCaptureFile(path, pipeline.frame, {
    hash: options.hash,
    onProgress: onProgress === undefined ? undefined : (bytes) => onProgress(bytes, pipeline.stats),
  });
  pipeline.finish();
  noteUnsupportedInterfaces(capture);
  return { capture, stats: pipeline.stats };
}

/** A pcapng interface of a link type we cannot decode is worth a warning, not a failure. */
export function noteUnsupportedInterfaces(capture: CaptureReadResult): void {
  for (const lt of new Set(capture.linkTypes)) {
    if (SUPPORTED_LINK_TYPES.has(lt)) continue;
    capture.warnings.push({
      code: 'unsupported-link-type',
      message: `packets on interfaces of link type ${linkTypeName(lt)} (${lt}) were not decoded`,
      offset: 0,
      count: 1,
    });
  }
}
