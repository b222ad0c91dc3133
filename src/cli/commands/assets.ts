// `zoneward assets` and `zoneward flows`: what the store holds, as tables, TSV when piped, or JSON.

import type { Command } from 'commander';
import { PURDUE_LEVELS, ROLES } from '../../inventory/types.ts';
import { type CommandResult, OK, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';
import { renderAssets, renderFlows } from '../views.ts';

interface AssetFlags extends StoreFlags {
  json?: boolean;
  role?: string;
  level?: string;
  search?: string;
}

interface FlowFlags extends StoreFlags {
  json?: boolean;
  app?: string;
  client?: string;
  server?: string;
}

export function registerAssets(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('assets')
    .description('list the asset inventory: addresses, vendor, model, firmware, role and Purdue level')
    .option('--json', 'print a JSON array with every field and the evidence behind each inferred value')
    .option('--role <role>', `only this role (${ROLES.join(', ')})`)
    .option('--level <level>', `only this Purdue level (${PURDUE_LEVELS.join(', ')})`)
    .option('--search <text>', 'only assets whose address, vendor, model or name contains this text');
  addStoreOption(cmd).action((flags: AssetFlags) =>
    run(async () => {
      if (flags.role !== undefined && !(ROLES as readonly string[]).includes(flags.role)) {
        throw usageError(`unknown role "${flags.role}": one of ${ROLES.join(', ')}`);
      }
      if (flags.level !== undefined && !(PURDUE_LEVELS as readonly string[]).includes(flags.level)) {
        throw usageError(`unknown Purdue level "${flags.level}": one of ${PURDUE_LEVELS.join(', ')}`);
      }
      const assets = await withStore(flags, (store) =>
        store.listAssets({
          role: flags.role as never,
          purdueLevel: flags.level as never,
          search: flags.search,
        }),
      );
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(assets, null, 2)}\n`
          : renderAssets(assets, process.stdout.isTTY === true),
      );
      return OK;
    }),
  );
}

export function registerFlows(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('flows')
    .description('list the communication map: who talks to whom, over which service, with which operations')
    .option('--json', 'print a JSON array of flows with their full operations summary')
    .option('--app <protocol>', 'only flows of this application protocol (modbus, dhcp, ...)')
    .option('--client <ip>', 'only flows from this client address')
    .option('--server <ip>', 'only flows to this server address');
  addStoreOption(cmd).action((flags: FlowFlags) =>
    run(async () => {
      const flows = await withStore(flags, (store) =>
        store.listFlows({ app: flags.app, client: flags.client, server: flags.server }),
      );
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(flows, null, 2)}\n`
          : renderFlows(flows, process.stdout.isTTY === true),
      );
      return OK;
    }),
  );
}
