// `zoneward alerts` and `zoneward alert <id>`: what detections raised (stored by `monitor`), and
// what a person does with an alert: acknowledge it, close it, reopen it, or suppress its kind for a
// while ("this is normal"). Every action is recorded with who and why (issue 4, "Alerts").

import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ALERT_STATES, type Alert, SEVERITIES } from '../../detect/alert.ts';
import { learnFromAlert } from '../../detect/lifecycle.ts';
import { ErrorCodes, ZonewardError } from '../../errors.ts';
import type { AlertActionKind } from '../../store/store.ts';
import { type Column, formatTime, renderTable } from '../output.ts';
import { type CommandResult, OK, usageError } from '../run.ts';
import { addStoreOption, type StoreFlags, withStore } from '../store-option.ts';

interface AlertsFlags extends StoreFlags {
  json?: boolean;
  state?: string;
  severity?: string;
  category?: string;
  limit?: string;
}

interface AlertFlags extends StoreFlags {
  json?: boolean;
  ack?: boolean;
  close?: boolean;
  reopen?: boolean;
  suppress?: string;
  learn?: boolean;
  by?: string;
  why?: string;
}

const ALERT_COLUMNS: readonly Column<Alert>[] = [
  { header: 'LAST SEEN', value: (a) => formatTime(a.lastSeen) },
  { header: 'SEVERITY', value: (a) => a.severity },
  { header: 'CATEGORY', value: (a) => a.category },
  { header: 'TECHNIQUE', value: (a) => a.technique },
  { header: 'SRC', value: (a) => a.src },
  { header: 'DST', value: (a) => a.dst },
  { header: 'COUNT', value: (a) => String(a.count) },
  { header: 'STATE', value: (a) => a.state },
  { header: 'ID', value: (a) => a.id },
  { header: 'SUMMARY', value: (a) => a.summary },
];

/** `30m`, `8h`, `7d` (or seconds) as seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (m === null) throw usageError(`"${text}" is not a duration: use 30m, 8h, 7d or seconds`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export function registerAlerts(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const list = program
    .command('alerts')
    .description('list the alerts monitoring raised, newest activity first')
    .option('--json', 'print a JSON array of alerts with their evidence')
    .option('--state <state>', `only this state (${ALERT_STATES.join(', ')})`)
    .option('--severity <severity>', `only this severity or worse (${SEVERITIES.join(', ')})`)
    .option('--category <category>', 'only this kind of finding (program-download, new-pair, ...)')
    .option('--limit <n>', 'at most this many', '200');
  addStoreOption(list).action((flags: AlertsFlags) =>
    run(async () => {
      if (flags.state !== undefined && !(ALERT_STATES as readonly string[]).includes(flags.state)) {
        throw usageError(`unknown state "${flags.state}": one of ${ALERT_STATES.join(', ')}`);
      }
      if (flags.severity !== undefined && !(SEVERITIES as readonly string[]).includes(flags.severity)) {
        throw usageError(`unknown severity "${flags.severity}": one of ${SEVERITIES.join(', ')}`);
      }
      const limit = Number(flags.limit);
      if (!Number.isSafeInteger(limit) || limit < 1) throw usageError(`--limit must be a whole number >= 1`);
      const alerts = await withStore(flags, (store) =>
        store.listAlerts({
          state: flags.state as never,
          minSeverity: flags.severity as never,
          category: flags.category,
          limit,
        }),
      );
      if (flags.json) process.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`);
      else if (alerts.length === 0 && process.stdout.isTTY) process.stdout.write('no alerts stored\n');
      else process.stdout.write(renderTable(alerts, ALERT_COLUMNS, process.stdout.isTTY === true));
      return OK;
    }),
  );

  const one = program
    .command('alert')
    .description('show one alert with its evidence and history, or acknowledge, close, reopen or suppress it')
    .argument('<id>', 'alert id (see `zoneward alerts`)')
    .option('--json', 'print the alert as JSON')
    .option('--ack', 'acknowledge: someone is looking at it')
    .option('--close', 'close it')
    .option('--reopen', 'open it again')
    .option(
      '--suppress <duration>',
      'mute this kind of alert between these addresses for a while (30m, 8h, 7d)',
    )
    .option('--learn', "this is normal: learn it into the store's newest baseline (a new version is saved)")
    .option('--by <name>', 'who does it (required with an action)')
    .option('--why <text>', 'why (required with an action)');
  addStoreOption(one).addHelpText(
    'after',
    `
Every action is recorded with who, when and why; \`zoneward alert <id>\` shows the history.

Example:
  zoneward alert 3f2c… --suppress 8h --by j.doe --why "commissioning of line 3"`,
  );
  one.action((id: string, flags: AlertFlags) =>
    run(async () => {
      const until = flags.suppress === undefined ? null : parseDuration(flags.suppress);
      const requested: [AlertActionKind, boolean][] = [
        ['acknowledge', flags.ack === true],
        ['close', flags.close === true],
        ['reopen', flags.reopen === true],
        ['suppress', until !== null],
        ['learn', flags.learn === true],
      ];
      const actions = requested.filter(([, on]) => on).map(([kind]) => kind);
      if (actions.length > 1)
        throw usageError('give one action: --ack, --close, --reopen, --suppress or --learn');
      const action = actions[0] ?? null;
      if (action !== null && (flags.by === undefined || flags.why === undefined)) {
        throw usageError('an action needs --by NAME and --why TEXT: they are recorded with it');
      }
      return withStore(flags, async (store) => {
        const found = (await store.transaction((tx) => tx.getAlerts([id])))[0];
        if (found === undefined) {
          throw new ZonewardError(ErrorCodes.USAGE, `no alert with id ${id} (see \`zoneward alerts\`)`);
        }
        let alert = found;
        const now = Date.now() / 1000;
        const by = flags.by ?? '';
        const why = flags.why ?? '';
        if (until !== null) {
          await store.addSuppression({
            id: randomUUID(),
            category: alert.category,
            src: alert.src,
            dst: alert.dst,
            key: null,
            until: now + until,
            by,
            why,
            createdAt: now,
          });
        }
        if (flags.learn) {
          const stored = await store.latestBaseline();
          if (stored === null)
            throw usageError('--learn: no baseline is stored yet (zoneward baseline learn)');
          const document = learnFromAlert(stored.document, alert, {
            by,
            why,
            at: new Date(now * 1000).toISOString(),
          });
          await store.saveBaseline({
            id: randomUUID(),
            site: document.site,
            mode: document.mode,
            savedAt: now,
            document,
          });
        }
        if (action !== null)
          alert = (await store.recordAlertAction({ alertId: id, action, by, why, at: now })) ?? alert;
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(alert, null, 2)}\n`);
          return OK;
        }
        const history = await store.getAlertActions(id);
        let out = `${alert.id}\n`;
        out += `${alert.severity.toUpperCase()} ${alert.category} (${alert.technique} ${alert.techniqueName}), ${alert.state}\n`;
        out += `${alert.summary}\n`;
        out += `${alert.src ?? '-'} -> ${alert.dst ?? '-'}; ${alert.count} time${alert.count === 1 ? '' : 's'}, ${formatTime(alert.firstSeen)} to ${formatTime(alert.lastSeen)}\n`;
        out += '\nEvidence\n';
        for (const e of alert.evidence) out += `  ${formatTime(e.ts)} ${e.detail}\n`;
        if (history.length > 0) {
          out += '\nHistory\n';
          for (const h of history) out += `  ${formatTime(h.at)} ${h.action} by ${h.by}: ${h.why}\n`;
        }
        process.stdout.write(out);
        return OK;
      });
    }),
  );
}
