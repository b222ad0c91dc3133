// `zoneward demo-capture`: a deterministic capture of a small synthetic plant, for trying Zoneward
// without a plant at hand, for tests, and as the benchmark input.

import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { fileSize } from '../../capture/source.ts';
import { attackTruth } from '../../demo/attacks.ts';
import { writeDemoCapture } from '../../demo/generate.ts';
import { formatBytes, formatCount } from '../output.ts';
import { type CommandResult, OK, usageError } from '../run.ts';

export const DEFAULT_DEMO_PACKETS = 100_000;

export function parseCount(text: string, what: string, min = 1): number {
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < min)
    throw usageError(`${what} must be a whole number of at least ${min}, not "${text}"`);
  return n;
}

/** Writes the capture with a progress bar on a terminal; returns what the plant contains. */
export async function writeDemoWithProgress(out: string, packets: number, seed: number, attacks = false) {
  const bar =
    process.stderr.isTTY === true
      ? new cliProgress.SingleBar(
          {
            format: 'demo-capture {bar} {percentage}% | {value}/{total} packets | {eta_formatted} left',
            stream: process.stderr,
            clearOnComplete: true,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(packets, 0);
  try {
    return await writeDemoCapture({ out, packets, seed, attacks, onProgress: (n) => bar?.update(n) });
  } finally {
    bar?.stop();
  }
}

export function registerDemoCapture(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  program
    .command('demo-capture')
    .description('write a deterministic capture of a synthetic plant (PLCs, HMIs, SCADA, historian, DMZ, IT)')
    .requiredOption('--out <file>', 'where to write the pcap file')
    .option('--packets <n>', 'exact number of packets', String(DEFAULT_DEMO_PACKETS))
    .option('--seed <s>', 'seed: the same seed gives a byte-identical file', '1')
    .option('--attacks', 'add labelled attack episodes after the first 30 % and write their ground truth')
    .option('--truth <file>', 'where to write the ground truth of --attacks (default: <out>.truth.json)')
    .addHelpText(
      'after',
      `
The plant uses documentation addresses only (192.0.2.0/24 control, 198.51.100.0/24 operations
and DMZ, 203.0.113.0/24 IT) and real vendor MAC prefixes.

With --attacks the capture also carries attack episodes (an intruder's laptop at 192.0.2.200 and
misuse by the plant's own hosts: scans, program download and upload, CPU stop, ARP spoofing,
floods...), and the ground truth is written as JSON: { format: "zoneward.attacks/1", seed,
packets, episodes: [{ id, kind, start, end, source, target, detail, technique }] }, start and end
being the capture times (seconds) of an episode's first and last packet, technique a MITRE ATT&CK
for ICS id. Without --attacks the capture is byte-identical to earlier versions.

Example:
  zoneward demo-capture --out plant.pcap --packets 1000000 && zoneward discover plant.pcap
  zoneward demo-capture --out attacked.pcap --attacks        # also writes attacked.pcap.truth.json`,
    )
    .action((flags: { out: string; packets: string; seed: string; attacks?: boolean; truth?: string }) =>
      run(async () => {
        const packets = parseCount(flags.packets, '--packets');
        const seed = parseCount(flags.seed, '--seed', 0);
        if (flags.truth !== undefined && !flags.attacks) throw usageError('--truth needs --attacks');
        const started = performance.now();
        const summary = await writeDemoWithProgress(flags.out, packets, seed, flags.attacks === true);
        const secs = (performance.now() - started) / 1000;
        process.stderr.write(
          `wrote ${flags.out}: ${formatCount(packets)} packets, ${formatBytes(fileSize(flags.out))}, ${summary.devices.length} devices, in ${secs.toFixed(1)} s\n`,
        );
        if (flags.attacks) {
          const truthPath = flags.truth ?? `${flags.out}.truth.json`;
          writeFileSync(
            truthPath,
            `${JSON.stringify(attackTruth(seed, summary.packets, summary.episodes), null, 2)}\n`,
          );
          process.stderr.write(`wrote ${truthPath}: ${summary.episodes.length} attack episodes\n`);
        }
        return OK;
      }),
    );
}
