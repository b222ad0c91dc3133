// `zoneward ca ...` (issue 6).
// Placeholder registered in main.ts so parallel work can land independently; replaced by the real command.

import type { Command } from 'commander';
import type { CommandResult } from '../run.ts';

export function registerCa(
  _program: Command,
  _run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {}
