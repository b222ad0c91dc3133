// `zoneward baseline learn <capture>... --out FILE` and `zoneward baseline check FILE`: learn what is
// normal at a site into a portable, readable JSON document (also kept in the store), and check a
// (hand-edited) one, naming every error at once.

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { learnBaseline } from '../../baseline/learn.ts';
import { type CommandResult, EXIT_DAMAGED, OK, reportCaptureProblems, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';
import { loadBaselineFile } from './monitor.ts';

interface LearnFlags extends StoreFlags {
  out?: string;
  site?: string;
  monitoring?: boolean;
}

export function registerBaseline(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const baseline = program
    .command('baseline')
    .description('learn, check and keep the baseline of normal traffic');
  const learn = baseline
    .command('learn')
    .description('learn the normal traffic of captures into a baseline file (and the store)')
    .argument('<captures...>', 'captures of normal operation (pcap or pcapng, gzip too)')
    .requiredOption('--out <file>', 'where to write the baseline (JSON)')
    .option('--site <name>', 'the site it describes', 'site')
    .option('--monitoring', 'mark it frozen (monitoring mode) instead of learning');
  addStoreOption(learn).addHelpText(
    'after',
    `
The file is readable JSON: assets, who talks to whom, and per channel the functions, operations,
units, written address and value ranges, and polling period. Read it, edit it, then monitor with it.

Example:
  zoneward baseline learn monday.pcapng tuesday.pcapng --site plant-1 --out plant-1.baseline.json`,
  );
  learn.action((captures: string[], flags: LearnFlags) =>
    run(async () => {
      if (captures.length === 0) throw usageError('name at least one capture of normal operation');
      let exit = OK;
      const learned = await learnBaseline(captures, {
        site: flags.site ?? 'site',
        // A damaged capture is learned up to the damage, which is named; the command then exits 1.
        onCapture: (path, capture) => {
          if (reportCaptureProblems(path, capture).exitCode !== 0) exit = { exitCode: EXIT_DAMAGED };
        },
      });
      const document = { ...learned, mode: flags.monitoring ? ('monitoring' as const) : learned.mode };
      writeFileSync(flags.out!, `${JSON.stringify(document, null, 2)}\n`);
      await withStore(flags, (store) =>
        store.saveBaseline({
          id: randomUUID(),
          site: document.site,
          mode: document.mode,
          savedAt: Date.now() / 1000,
          document,
        }),
      );
      process.stderr.write(
        `wrote ${flags.out}: ${document.assets.length} assets, ${document.pairs.length} pairs, ${document.channels.length} channels, from ${document.learned.packets.toLocaleString('en-US')} packets\n`,
      );
      return exit;
    }),
  );
  const confirm = baseline
    .command('confirm')
    .description('confirm a baseline after reading it: it switches to monitoring mode, with who and when')
    .argument('<file>', 'a baseline file (rewritten in place)')
    .requiredOption('--by <name>', 'who confirms it')
    .option('--keep-learning', 'stay in learning mode (keeps learning from monitored traffic on approval)');
  addStoreOption(confirm).action((file: string, flags: StoreFlags & { by: string; keepLearning?: boolean }) =>
    run(async () => {
      const b = loadBaselineFile(file);
      const document = {
        ...b,
        mode: flags.keepLearning ? ('learning' as const) : ('monitoring' as const),
        confirmed: { by: flags.by, at: new Date().toISOString() },
      };
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      await withStore(flags, (store) =>
        store.saveBaseline({
          id: randomUUID(),
          site: document.site,
          mode: document.mode,
          savedAt: Date.now() / 1000,
          document,
        }),
      );
      process.stderr.write(`${file}: confirmed by ${flags.by}, ${document.mode} mode\n`);
      return OK;
    }),
  );
  baseline
    .command('check')
    .description('check a baseline file: every error named with its place in the file')
    .argument('<file>', 'a baseline file')
    .action((file: string) =>
      run(async () => {
        const b = loadBaselineFile(file);
        process.stdout.write(
          `${file}: valid (${b.assets.length} assets, ${b.pairs.length} pairs, ${b.channels.length} channels)\n`,
        );
        return OK;
      }),
    );
}
