// `zoneward zones suggest` (issue 5).
// Placeholder registered in main.ts so parallel work can land independently; replaced by the real command.

import type { Command } from 'commander';
import type { CommandResult } from '../run.ts';

export function registerZones(
  _program: Command,
  _run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {}
