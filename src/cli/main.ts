// The `zoneward` command (DESIGN.md, "Command line (contract)"). Each command lives in
// commands/<name>.ts and is registered here, in the order `--help` lists them.

import { Command, CommanderError } from 'commander';
import { registerAlerts } from './commands/alerts.ts';
import { registerAsset } from './commands/asset.ts';
import { registerAssets, registerFlows } from './commands/assets.ts';
import { registerBaseline } from './commands/baseline.ts';
import { registerCa } from './commands/ca.ts';
import { registerConduit } from './commands/conduit.ts';
import { registerDecode } from './commands/decode.ts';
import { registerDemoCapture } from './commands/demo-capture.ts';
import { registerDiscover } from './commands/discover.ts';
import { registerGateway } from './commands/gateway.ts';
import { registerMonitor } from './commands/monitor.ts';
import { registerPolicy } from './commands/policy.ts';
import { registerServe } from './commands/serve.ts';
import { registerStart } from './commands/start.ts';
import { registerZones } from './commands/zones.ts';
import { EXIT_USAGE, runCommand } from './run.ts';

const program = new Command();
program
  .name('zoneward')
  .description(
    'Zero Trust for industrial networks: see every device, then segment, watch and enforce in stages.',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerDiscover(program, runCommand);
registerDecode(program, runCommand);
registerAssets(program, runCommand);
registerAsset(program, runCommand);
registerFlows(program, runCommand);
registerMonitor(program, runCommand);
registerBaseline(program, runCommand);
registerAlerts(program, runCommand);
registerZones(program, runCommand);
registerPolicy(program, runCommand);
registerConduit(program, runCommand);
registerCa(program, runCommand);
registerGateway(program, runCommand);
registerServe(program, runCommand);
registerDemoCapture(program, runCommand);
registerStart(program, runCommand);

// A closed pipe (`zoneward decode x | head`) is a normal way for output to end.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every other parse problem is a usage error.
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    throw err;
  }
}
