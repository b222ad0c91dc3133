// `zoneward asset <ip|id>`: one asset in full (identity, evidence, identity history), and the
// place where a person corrects what discovery inferred. Corrections are overrides: they win over
// every later discovery until cleared.

import type { Command } from 'commander';
import { ErrorCodes, ZonewardError } from '../../errors.ts';
import { withOverrides } from '../../inventory/merge.ts';
import { type AssetOverrides, PURDUE_LEVELS, ROLES } from '../../inventory/types.ts';
import type { Store } from '../../store/store.ts';
import { formatTime } from '../output.ts';
import { type CommandResult, OK, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';

const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;

interface AssetFlags extends StoreFlags {
  json?: boolean;
  role?: string;
  level?: string;
  name?: string;
  criticality?: string;
  tag?: string[];
  clear?: boolean;
}

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw usageError(`unknown ${what} "${value}": one of ${allowed.join(', ')}`);
  return value as T;
}

async function findAsset(store: Store, ref: string) {
  const byId = await store.getAsset(ref);
  if (byId !== null) return byId;
  const all = await store.transaction((tx) => tx.getAssetsByIp([ref]));
  // Devices behind a gateway share its address; the address names the gateway itself.
  const byIp = all.some((a) => a.parent === null) ? all.filter((a) => a.parent === null) : all;
  if (byIp.length === 1) return byIp[0];
  if (byIp.length > 1)
    throw usageError(`${byIp.length} assets use ${ref}; name one by id: ${byIp.map((a) => a.id).join(', ')}`);
  throw new ZonewardError(ErrorCodes.USAGE, `no asset with id or address ${ref} (see \`zoneward assets\`)`);
}

export function registerAsset(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const cmd = program
    .command('asset')
    .description(
      'show one asset with its evidence and history, or correct its role, level, name, criticality or tags',
    )
    .argument('<ref>', 'asset id (mac:..., ip:...) or IP address')
    .option('--json', 'print the asset as JSON')
    .option('--role <role>', `set the role (${ROLES.join(', ')})`)
    .option('--level <level>', `set the Purdue level (${PURDUE_LEVELS.join(', ')})`)
    .option('--name <name>', 'set the name')
    .option('--criticality <c>', `set the criticality (${CRITICALITIES.join(', ')})`)
    .option('--tag <tag...>', 'set the tags (replaces the list)')
    .option('--clear', 'remove every correction: inferred values apply again');
  addStoreOption(cmd).addHelpText(
    'after',
    `
Corrections survive every later discovery until --clear.

Example:
  zoneward asset 192.0.2.61 --role plc --level L1 --name pump-station-rtu --criticality high`,
  );
  cmd.action((ref: string, flags: AssetFlags) =>
    run(async () => {
      const change: AssetOverrides = {};
      const role = oneOf(flags.role, ROLES, 'role');
      const level = oneOf(flags.level, PURDUE_LEVELS, 'Purdue level');
      const criticality = oneOf(flags.criticality, CRITICALITIES, 'criticality');
      if (role !== undefined) change.role = role;
      if (level !== undefined) change.purdueLevel = level;
      if (flags.name !== undefined) change.name = flags.name;
      if (criticality !== undefined) change.criticality = criticality;
      if (flags.tag !== undefined) change.tags = flags.tag;
      const editing = Object.keys(change).length > 0;
      if (editing && flags.clear)
        throw usageError('--clear removes every correction; do not combine it with new ones');
      return withStore(flags, async (store) => {
        let asset = await findAsset(store, ref);
        if (editing || flags.clear) {
          const overrides = flags.clear ? {} : { ...asset.overrides, ...change };
          const updated = withOverrides(asset, overrides);
          await store.transaction(async (tx) => {
            await tx.upsertAssets([{ ...updated, overrides }]);
          });
          asset = (await store.setAssetOverrides(asset.id, overrides)) ?? updated;
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(asset, null, 2)}\n`);
          return OK;
        }
        const history = await store.getIdentityHistory(asset.id);
        const line = (k: string, v: unknown) =>
          `${k.padEnd(13)}${v === null || v === undefined || v === '' ? '-' : String(v)}\n`;
        let out = `${asset.id}\n`;
        out += line(
          'ip',
          asset.ips.length > 1
            ? `${asset.ip} (also used: ${asset.ips.filter((i) => i !== asset.ip).join(', ')})`
            : asset.ip,
        );
        out += line('mac', asset.mac);
        if (asset.parent !== null) out += line('behind', `${asset.parent} as ${asset.unit}`);
        out += line('vendor', asset.vendor);
        out += line('model', asset.model);
        out += line('firmware', asset.firmware);
        out += line('serial', asset.serial);
        out += line('name', asset.name);
        out += line(
          'role',
          asset.role === null
            ? null
            : `${asset.role}${asset.roleConfidence === null ? '' : ` (${Math.round(asset.roleConfidence * 100)}%)`}`,
        );
        out += line('Purdue level', asset.purdueLevel);
        out += line('protocols', asset.protocols.join(', '));
        out += line('seen', `${formatTime(asset.firstSeen)} to ${formatTime(asset.lastSeen)}`);
        out += line(
          'corrections',
          Object.keys(asset.overrides).length === 0 ? null : JSON.stringify(asset.overrides),
        );
        out += '\nEvidence\n';
        for (const e of asset.evidence)
          out += `  ${e.field} = ${e.value} (${Math.round(e.confidence * 100)}%, ${e.source}): ${e.detail}\n`;
        if (history.length > 0) {
          out += '\nIdentity history\n';
          for (const h of history)
            out += `  ${formatTime(h.ts)} ${h.field}: ${h.oldValue ?? '-'} -> ${h.newValue ?? '-'} (${h.source})\n`;
        }
        process.stdout.write(out);
        return OK;
      });
    }),
  );
}
