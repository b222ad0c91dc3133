// `zoneward monitor <capture>... | --interface IF [--baseline FILE]`: alerts as JSON lines on stdout
// (one alert object per line: id, ts, severity, category, technique, src, dst, summary, evidence),
// as they happen, and into the store at the end. Without a baseline only the rule-based detections
// run; that is said on stderr at start.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BaselineDocument } from '../../baseline/types.ts';
import { parseBaseline } from '../../baseline/validate.ts';
import type { Alert } from '../../detect/alert.ts';
import { alertLine } from '../../detect/alert.ts';
import { AlertOutputs, OUTPUT_FORMS } from '../../detect/outputs/outputs.ts';
import { ErrorCodes, ZonewardError } from '../../errors.ts';
import {
  type MonitorOptions,
  monitorFile,
  monitorLive,
  parseMaintenanceWindow,
  storeAlerts,
} from '../../monitor/monitor.ts';
import type { Store } from '../../store/store.ts';
import { formatCount } from '../output.ts';
import { type CommandResult, EXIT_DAMAGED, OK, reportCaptureProblems, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';

/** How often live monitoring merges its alerts into the store. */
const STORE_INTERVAL_MS = 60_000;

interface MonitorFlags extends StoreFlags {
  baseline?: string;
  storedBaseline?: boolean;
  interface?: string;
  duration?: string;
  filter?: string;
  updates?: boolean;
  output?: string[];
  maintenance?: string[];
}

/** Reads and validates a baseline file; every problem is named (ZW_USAGE, exit 2). */
export function loadBaselineFile(path: string): BaselineDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `cannot read the baseline ${path}: ${(error as Error).message}`,
    );
  }
  const parsed = parseBaseline(text);
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => `  ${e.path === '' ? '(file)' : e.path}: ${e.message}`);
    throw new ZonewardError(
      ErrorCodes.USAGE,
      `the baseline ${path} is not valid (${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
  }
  return parsed.baseline;
}

async function chooseBaseline(flags: MonitorFlags, store: Store): Promise<BaselineDocument | null> {
  if (flags.baseline !== undefined) {
    const b = loadBaselineFile(flags.baseline);
    process.stderr.write(
      `baseline ${flags.baseline}: ${b.assets.length} assets, ${b.pairs.length} pairs, ${b.channels.length} channels (${b.mode})\n`,
    );
    return b;
  }
  if (flags.storedBaseline) {
    const stored = await store.latestBaseline();
    if (stored === null)
      throw usageError('--stored-baseline: no baseline is stored yet (zoneward baseline learn)');
    process.stderr.write(
      `baseline ${stored.id} from the store (site ${stored.site}, saved ${new Date(stored.savedAt * 1000).toISOString()})\n`,
    );
    return stored.document;
  }
  process.stderr.write(
    'no baseline: rule-based detections only (program, mode and restart commands, scans, ARP, violations, floods); give --baseline FILE for the rest\n',
  );
  return null;
}

export function registerMonitor(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('monitor')
    .description('watch captures or a live interface: alerts as JSON lines, kept in the store')
    .argument('[captures...]', 'pcap or pcapng files (gzip-compressed ones too)')
    .option('--baseline <file>', 'a baseline learned with `zoneward baseline learn` (validated first)')
    .option('--stored-baseline', "use the store's newest baseline")
    .option('-i, --interface <if>', 'monitor live on this interface (runs tcpdump)')
    .option('--duration <seconds>', 'with --interface: stop after this many seconds (default: until Ctrl-C)')
    .option('--filter <bpf>', 'with --interface: a tcpdump filter expression')
    .option('--no-updates', 'print each alert once, when it is raised, not again as it repeats')
    .option(
      '--maintenance <window...>',
      'a declared maintenance window, SOURCE[>TARGET,...]@FROM/TO (ISO 8601): its commands alert at info severity',
    )
    .option(
      '--output <dest...>',
      `also send alerts to: ${OUTPUT_FORMS.join('; ')} (repeatable; a failing output never stops the others)`,
    );
  addStoreOption(cmd).addHelpText(
    'after',
    `
Each line is one alert: {"id","ts","severity","category","technique","src","dst","summary","evidence",...}.
A repeat of a known alert updates it (count, lastSeen) and is printed again at most once a minute.
Alerts are merged into the store at the end; \`zoneward alerts\` lists them.
Exit status: 0 done (alerts or not), 1 a capture was damaged, 2 usage error (e.g. an invalid baseline).

Examples:
  zoneward baseline learn normal-week.pcapng --out plant.baseline.json
  zoneward monitor today.pcapng --baseline plant.baseline.json | jq 'select(.severity == "critical")'
  sudo zoneward monitor --interface eth1 --stored-baseline`,
  );
  cmd.action((captures: string[], flags: MonitorFlags) =>
    run(async () => {
      if (flags.interface !== undefined && captures.length > 0)
        throw usageError('give capture files or --interface, not both');
      if (flags.interface === undefined && (flags.duration !== undefined || flags.filter !== undefined))
        throw usageError('--duration and --filter go with --interface');
      if (flags.interface === undefined && captures.length === 0)
        throw usageError('name at least one capture file, or --interface IF for live monitoring');
      if (flags.baseline !== undefined && flags.storedBaseline)
        throw usageError('give --baseline FILE or --stored-baseline, not both');
      const seconds = flags.duration === undefined ? null : Number(flags.duration);
      if (seconds !== null && !(seconds > 0))
        throw usageError(`--duration must be a positive number of seconds, not "${flags.duration}"`);
      const windows = (flags.maintenance ?? []).map(parseMaintenanceWindow);
      const bad = windows.filter((w): w is string => typeof w === 'string');
      if (bad.length > 0) throw usageError(`--maintenance: ${bad.join('; ')}`);
      // Every --output is checked before anything runs: all errors or none.
      const outputs = AlertOutputs.open(flags.output ?? [], {
        onProblem: (name, reason) => process.stderr.write(`alert output ${name}: ${reason}\n`),
      });
      return withStore(flags, async (store) => {
        const baseline = await chooseBaseline(flags, store);
        const suppressions = await store.listSuppressions(Date.now() / 1000);
        let printed = 0;
        const options: MonitorOptions = {
          baseline,
          suppressions,
          maintenanceWindows: windows.filter((w) => typeof w !== 'string'),
          onAlert(alert: Alert, isNew: boolean) {
            if (!isNew && flags.updates === false) return;
            printed++;
            process.stdout.write(`${alertLine(alert)}\n`);
            outputs.send(alert);
          },
        };
        let exit = OK;
        const all: Alert[] = [];
        if (flags.interface !== undefined) {
          const live = monitorLive({ interface: flags.interface, filter: flags.filter }, options);
          const stop = () => live.stop();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          let timer: NodeJS.Timeout | null = null;
          // Days of live monitoring must not wait for Ctrl-C to reach the store: alerts so far are
          // merged in every STORE_INTERVAL_MS (a merge of the same alerts again changes nothing).
          let storing = Promise.resolve();
          const periodic = setInterval(() => {
            storing = storing
              .then(() => storeAlerts(store, live.alerts()))
              .catch((error: Error) => {
                process.stderr.write(`storing alerts failed (will retry): ${error.message}\n`);
              });
          }, STORE_INTERVAL_MS);
          try {
            await live.ready;
            if (seconds !== null) timer = setTimeout(stop, seconds * 1000);
            process.stderr.write(
              `monitoring ${flags.interface}${seconds === null ? ' until Ctrl-C' : ` for ${seconds} s`}\n`,
            );
            const result = await live.done;
            all.push(...result.alerts);
            process.stderr.write(`${formatCount(result.stats.frames)} packets\n`);
          } finally {
            clearInterval(periodic);
            await storing;
            if (timer !== null) clearTimeout(timer);
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
          }
        } else {
          for (const path of captures) {
            const result = await monitorFile(path, options);
            if (reportCaptureProblems(path, result.capture).exitCode !== 0) exit = { exitCode: EXIT_DAMAGED };
            all.push(...result.alerts);
            process.stderr.write(
              `${path}: ${formatCount(result.stats.frames)} packets, ${result.alerts.length} alerts\n`,
            );
          }
        }
        await storeAlerts(store, all);
        await outputs.close();
        for (const s of outputs.status()) {
          const c = s.counters;
          process.stderr.write(
            `alert output ${s.name}: ${s.state}, ${c.sent} sent, ${c.failed} failed, ${c.dropped} dropped${s.reason === null ? '' : ` (${s.reason})`}\n`,
          );
        }
        process.stderr.write(
          `${printed} alert line${printed === 1 ? '' : 's'} printed; ${all.length} alert${all.length === 1 ? '' : 's'} stored\n`,
        );
        return exit;
      });
    }),
  );
}
