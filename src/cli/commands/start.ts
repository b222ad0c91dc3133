// `npm start` (`zoneward start`): the main job until the web console exists. Writes the demo
// plant capture, discovers it into the embedded store, and prints the inventory by Purdue level
// and the communication summary.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { discoverFile } from '../../discover/discover.ts';
import { DEFAULT_DB_PATH } from '../../store/location.ts';
import { formatCount } from '../output.ts';
import { type CommandResult, OK } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';
import { renderAssets, renderCommunicationSummary, sortAssetsByLevel } from '../views.ts';
import { DEFAULT_DEMO_PACKETS, parseCount, writeDemoWithProgress } from './demo-capture.ts';

export function registerStart(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('start')
    .description(
      'the main job: write the demo plant capture, discover it into the store, show inventory and traffic',
    )
    .option('--packets <n>', 'packets in the demo capture', String(DEFAULT_DEMO_PACKETS));
  addStoreOption(cmd).action((flags: StoreFlags & { packets: string }) =>
    run(async () => {
      const packets = parseCount(flags.packets, '--packets');
      const capture = join(dirname(flags.db ?? DEFAULT_DB_PATH), 'demo-plant.pcap');
      mkdirSync(dirname(capture), { recursive: true });
      process.stdout.write(
        `Zoneward: writing the demo plant capture (${formatCount(packets)} packets) to ${capture}\n`,
      );
      await writeDemoWithProgress(capture, packets, 1);
      return withStore(flags, async (store) => {
        const outcome = await discoverFile(capture, store);
        const s = outcome.stats;
        process.stdout.write(
          `Discovered ${formatCount(s.frames)} packets in ${outcome.seconds.toFixed(2)} s: ${outcome.assetIds.length} assets, ${outcome.flowIds.length} flows` +
            `${outcome.alreadyStored ? ' (this capture was already in the store: nothing changed)' : ''}\n\n`,
        );
        const assets = sortAssetsByLevel(await store.listAssets({}));
        const flows = await store.listFlows({});
        process.stdout.write(
          `Inventory by Purdue level\n\n${renderAssets(assets, true)}\nCommunication summary\n\n${renderCommunicationSummary(flows, true)}`,
        );
        process.stdout.write(
          '\nNext: `npx zoneward assets`, `npx zoneward flows`, `npx zoneward discover <your capture>`; to watch: `npx zoneward baseline learn <normal capture> --out plant.baseline.json`, then `npx zoneward monitor <capture> --baseline plant.baseline.json`\n',
        );
        return OK;
      });
    }),
  );
}
