// Live capture: runs `tcpdump -U -w -` on an interface and decodes its pcap output through the
// same reader and pipeline as a file. Stops cleanly on stop() (Ctrl-C, --duration): tcpdump gets
// SIGINT, flushes what it buffered and prints its statistics, from which the kernel's drop count
// is read ("N packets dropped by kernel", tcpdump.c info()).

import { spawn } from 'node:child_process';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import type { FrameHandler } from './frame.ts';
import { type CaptureReadResult, readCaptureStream } from './source.ts';

export interface LiveOptions {
  interface: string;
  /** A BPF filter expression passed to tcpdump (e.g. "tcp port 502"). */
  filter?: string;
  /** Bytes captured per packet; tcpdump's default (262144) when omitted. */
  snapLen?: number;
  /** The tcpdump binary; tests and unusual installs may point elsewhere. */
  tcpdumpPath?: string;
}

export interface LiveCapture {
  /** Resolves once tcpdump has opened the interface ("listening on ..."): packets from now on are seen. */
  readonly ready: Promise<void>;
  /** Resolves when capture has ended (stop(), tcpdump exiting, or an error). */
  readonly done: Promise<LiveResult>;
  /** Ask tcpdump to stop; the pipeline sees every packet it had captured. */
  stop(): void;
}

export interface LiveResult extends CaptureReadResult {
  /** Packets the kernel dropped because we did not read fast enough (null if tcpdump did not say). */
  kernelDrops: number | null;
  /** Packets tcpdump saw. */
  captured: number | null;
}

export function parseTcpdumpStats(stderr: string): { captured: number | null; kernelDrops: number | null } {
  const num = (re: RegExp) => {
    const m = re.exec(stderr);
    return m === null ? null : Number(m[1]);
  };
  return {
    captured: num(/(\d+) packets? captured/),
    kernelDrops: num(/(\d+) packets? dropped by kernel/),
  };
}

export function startLiveCapture(options: LiveOptions, onFrame: FrameHandler): LiveCapture {
  // --immediate-mode: without it packets wait in the kernel ring until a block fills or times out,
  // and a capture stopped within that time loses them. -U flushes each packet to the pipe.
  const args = ['--immediate-mode', '-U', '-w', '-', '-n', '-i', options.interface];
  if (options.snapLen !== undefined) args.push('-s', String(options.snapLen));
  if (options.filter !== undefined && options.filter.trim() !== '') args.push(options.filter);
  const child = spawn(options.tcpdumpPath ?? 'tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    // Bounded: tcpdump prints a few lines; a misbehaving one must not grow memory.
    if (stderr.length < 64 * 1024) stderr += s;
    if (stderr.includes('listening on')) markReady();
  });
  let stopping = false;
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    spawnError: Error | null;
  }>((resolve) => {
    child.on('error', (err) => resolve({ code: null, signal: null, spawnError: err }));
    child.on('close', (code, signal) => resolve({ code, signal, spawnError: null }));
  });

  const done = (async (): Promise<LiveResult> => {
    const reading = readCaptureStream(child.stdout, onFrame, {
      what: `live capture on ${options.interface}`,
    }).then(
      (r) => ({ r, err: null as unknown }),
      (err: unknown) => ({ r: null, err }),
    );
    const [{ r, err }, exit] = await Promise.all([reading, exited]);
    if (exit.spawnError !== null) {
      const code = (exit.spawnError as NodeJS.ErrnoException).code;
      throw new ZonewardError(
        ErrorCodes.LIVE_CAPTURE_FAILED,
        code === 'ENOENT'
          ? 'tcpdump is not installed (Debian: apt-get install tcpdump); live capture runs it to read the interface'
          : `could not start tcpdump: ${exit.spawnError.message}`,
        { cause: exit.spawnError },
      );
    }
    const failed = !stopping && exit.code !== 0;
    if (r === null || failed) {
      const why = stderr
        .split('\n')
        .filter((l) => l.startsWith('tcpdump:') && !l.includes('listening on'))
        .join('; ');
      if (r === null && !failed && err instanceof ZonewardError && err.code === ErrorCodes.CAPTURE_EMPTY) {
        // Stopped before tcpdump wrote even its file header: nothing was captured, which is not an error.
        return emptyResult(parseTcpdumpStats(stderr));
      }
      throw new ZonewardError(
        ErrorCodes.LIVE_CAPTURE_FAILED,
        `live capture on ${options.interface} failed: ${why || (err instanceof Error ? err.message : `tcpdump exited with ${exit.code}`)}`,
        { cause: err },
      );
    }
    return { ...r, ...parseTcpdumpStats(stderr) };
  })();

  // A capture that ends (or fails) before tcpdump said it listens is "ready" too: nothing to wait for.
  done.then(markReady, markReady);
  return {
    ready,
    done,
    stop() {
      if (stopping) return;
      stopping = true;
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
}

function emptyResult(stats: { captured: number | null; kernelDrops: number | null }): LiveResult {
  return {
    format: 'pcap',
    compressed: false,
    bytesRead: 0,
    warnings: [],
    drops: { ifDrop: stats.kernelDrops, osDrop: null, ifRecv: null },
    linkTypes: [],
    damage: null,
    sha256: null,
    ...stats,
  };
}
