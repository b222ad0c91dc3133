// `zoneward policy ...`: the zones-and-conduits policy from file to kernel (issue 5). Each group of
// subcommands lives in policy/<group>.ts: check (the file), simulate (against traffic), compile
// (to a target), versions (stage, approve, apply, roll back).

import type { Command } from 'commander';
import type { CommandResult } from '../run.ts';
import { registerPolicyCheck } from './policy/check.ts';
import { registerPolicyCompile } from './policy/compile.ts';
import { registerPolicySimulate } from './policy/simulate.ts';
import { registerPolicyVersions } from './policy/versions.ts';

export function registerPolicy(
  program: Command,
  run: (fn: () => Promise<CommandResult>) => Promise<void>,
): void {
  const policy = program
    .command('policy')
    .description('check, simulate, compile, stage, apply and roll back a zones-and-conduits policy');
  registerPolicyCheck(policy, run);
  registerPolicySimulate(policy, run);
  registerPolicyCompile(policy, run);
  registerPolicyVersions(policy, run);
}
