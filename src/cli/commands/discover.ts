// `zoneward discover <capture>... | --interface IF`: build the inventory and the communication map
// from captures or live traffic and merge them into the store.

import type { Command } from 'commander';
import { fileSize } from '../../capture/source.ts';
import { type CaptureOutcome, discoverFile, discoverLive } from '../../discover/discover.ts';
import type { Store } from '../../store/store.ts';
import { formatBytes, formatCount, Progress } from '../output.ts';
import { type CommandResult, EXIT_DAMAGED, OK, reportCaptureProblems, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';
import { renderAssets, renderCommunicationSummary } from '../views.ts';
import { parseCount } from './demo-capture.ts';

interface DiscoverFlags extends StoreFlags {
  json?: boolean;
  interface?: string;
  duration?: string;
  filter?: string;
  threads?: string;
}

function summaryLine(o: CaptureOutcome): string {
  const s = o.stats;
  const pps = o.seconds > 0 ? Math.round(s.frames / o.seconds) : 0;
  const head = `${o.source}: ${formatCount(s.frames)} packets, ${formatBytes(s.capturedBytes)} in ${o.seconds.toFixed(2)} s (${formatCount(pps)} packets/s)`;
  const found = `${o.assetIds.length} assets, ${o.flowIds.length} flows, ${formatCount(s.appMessages)} application messages`;
  return `${head}; ${found}${o.alreadyStored ? ' — already discovered earlier, store unchanged' : ''}\n`;
}

async function printResult(store: Store, outcomes: CaptureOutcome[], json: boolean): Promise<void> {
  const assetIds = [...new Set(outcomes.flatMap((o) => o.assetIds))];
  const flowIds = [...new Set(outcomes.flatMap((o) => o.flowIds))];
  const { assets, flows } = await store.transaction(async (tx) => ({
    assets: await tx.getAssets(assetIds),
    flows: await tx.getFlows(flowIds),
  }));
  if (json) {
    const stats = outcomes.map((o) => ({
      source: o.source,
      sha256: o.sha256,
      alreadyStored: o.alreadyStored,
      seconds: o.seconds,
      format: o.capture.format,
      compressed: o.capture.compressed,
      damage:
        o.capture.damage === null
          ? null
          : {
              code: o.capture.damage.code,
              message: o.capture.damage.message,
              offset: o.capture.damage.offset,
            },
      warnings: o.capture.warnings,
      drops: o.capture.drops,
      kernelDrops: o.kernelDrops ?? null,
      ...o.stats,
    }));
    process.stdout.write(
      `${JSON.stringify({ stats: stats.length === 1 ? stats[0] : stats, assets, flows }, null, 2)}\n`,
    );
    return;
  }
  const tty = process.stdout.isTTY === true;
  if (tty) {
    for (const o of outcomes) process.stdout.write(summaryLine(o));
    process.stdout.write(
      `\n${renderAssets(assets, true)}\nCommunication map\n${renderCommunicationSummary(flows, true)}`,
    );
  } else {
    // Piped: the summary goes to stderr so stdout is one clean table.
    for (const o of outcomes) process.stderr.write(summaryLine(o));
    process.stdout.write(renderAssets(assets, false));
  }
}

async function discoverFiles(captures: string[], flags: DiscoverFlags): Promise<CommandResult> {
  const threads = flags.threads === undefined ? undefined : parseCount(flags.threads, '--threads');
  return withStore(flags, async (store) => {
    const outcomes: CaptureOutcome[] = [];
    let exit = OK;
    for (const path of captures) {
      const progress = new Progress(path.split('/').pop() ?? path, fileSize(path));
      let outcome: CaptureOutcome;
      try {
        outcome = await discoverFile(path, store, {
          threads,
          onProgress: (p) => progress.update(p.fileBytesRead, p.frames),
        });
      } finally {
        progress.stop();
      }
      if (reportCaptureProblems(path, outcome.capture).exitCode !== 0) exit = { exitCode: EXIT_DAMAGED };
      outcomes.push(outcome);
    }
    await printResult(store, outcomes, flags.json === true);
    return exit;
  });
}

async function discoverInterface(flags: DiscoverFlags): Promise<CommandResult> {
  const seconds = flags.duration === undefined ? null : Number(flags.duration);
  if (seconds !== null && !(seconds > 0))
    throw usageError(`--duration must be a positive number of seconds, not "${flags.duration}"`);
  return withStore(flags, async (store) => {
    const live = discoverLive({ interface: flags.interface!, filter: flags.filter }, store);
    const stop = () => live.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let timer: NodeJS.Timeout | null = null;
    const tty = process.stderr.isTTY === true;
    const status = tty
      ? setInterval(
          () =>
            process.stderr.write(
              `\rcapturing on ${flags.interface}: ${formatCount(live.stats.frames)} packets (Ctrl-C to stop)`,
            ),
          500,
        )
      : null;
    try {
      await live.ready;
      // The duration counts from the moment packets are seen, not from starting tcpdump.
      if (seconds !== null) timer = setTimeout(stop, seconds * 1000);
      process.stderr.write(
        `capturing on ${flags.interface}${seconds === null ? ' until Ctrl-C' : ` for ${seconds} s`}\n`,
      );
      const outcome = await live.done;
      if (tty) process.stderr.write('\n');
      const drops = outcome.live.kernelDrops;
      process.stderr.write(
        `captured ${formatCount(outcome.live.captured ?? outcome.stats.frames)} packets; kernel dropped ${drops === null ? 'an unknown number of' : formatCount(drops)} packets\n`,
      );
      await printResult(store, [outcome], flags.json === true);
      return OK;
    } finally {
      if (timer !== null) clearTimeout(timer);
      if (status !== null) clearInterval(status);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}

export function registerDiscover(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('discover')
    .description(
      'build the asset inventory and communication map from captures or a live interface, merged into the store',
    )
    .argument('[captures...]', 'pcap or pcapng files (gzip-compressed ones too)')
    .option('--json', 'print one JSON document {stats, assets, flows} instead of tables')
    .option('-i, --interface <if>', 'capture live on this interface (runs tcpdump) instead of reading files')
    .option('--duration <seconds>', 'with --interface: stop after this many seconds (default: until Ctrl-C)')
    .option('--filter <bpf>', 'with --interface: a tcpdump filter expression, e.g. "tcp port 502 or arp"')
    .option(
      '--threads <n>',
      'decode each file on this many threads, splitting the traffic by host pair (default 1; worth it for large files on machines whose cores scale)',
    );
  addStoreOption(cmd).addHelpText(
    'after',
    `
Discovering the same capture twice changes nothing; new captures merge into what is stored.
Exit status: 0 done, 1 a capture was damaged (decoded up to the damage) or unusable, 2 usage error.

Examples:
  zoneward discover plant.pcapng
  zoneward discover day1.pcap.gz day2.pcap --json | jq '.assets[] | select(.role == "plc")'
  zoneward discover --interface eth1 --duration 60 --filter "tcp port 502 or arp or udp"`,
  );
  cmd.action((captures: string[], flags: DiscoverFlags) =>
    run(async () => {
      if (flags.interface !== undefined && captures.length > 0)
        throw usageError('give capture files or --interface, not both');
      if (flags.interface !== undefined) return discoverInterface(flags);
      if (flags.duration !== undefined || flags.filter !== undefined)
        throw usageError('--duration and --filter go with --interface');
      if (captures.length === 0)
        throw usageError('name at least one capture file, or --interface IF for live capture');
      return discoverFiles(captures, flags);
    }),
  );
}
