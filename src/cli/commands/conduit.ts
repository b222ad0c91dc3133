// `zoneward conduit enforce|monitor|list` (issue 5).
// Placeholder registered in main.ts so parallel work can land independently; replaced by the real command.

import type { Command } from 'commander';
import type { CommandResult } from '../run.ts';

export function registerConduit(
  _program: Command,
  _run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {}
