// Placeholder for the `zoneward policy` subcommands of policy-simulate (issue 5); replaced by the real commands.

import type { Command } from 'commander';
import type { CommandResult } from '../../run.ts';

export function registerPolicySimulate(
  _policy: Command,
  _run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {}
