// Placeholder for the `zoneward policy` subcommands of policy-compile (issue 5); replaced by the real commands.

import type { Command } from 'commander';
import type { CommandResult } from '../../run.ts';

export function registerPolicyCompile(
  _policy: Command,
  _run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {}
