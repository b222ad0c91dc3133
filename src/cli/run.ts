// What every command shares: error reporting with stable codes, and the exit-status contract
// (0 success, 1 a damaged capture was decoded only up to the damage or the input was unusable,
// 2 usage error).

import type { CaptureReadResult } from '../capture/source.ts';
import { ErrorCodes, ZonewardError } from '../errors.ts';

export const EXIT_OK = 0;
export const EXIT_DAMAGED = 1;
export const EXIT_USAGE = 2;

export interface CommandResult {
  exitCode: number;
}

export const OK: CommandResult = { exitCode: EXIT_OK };

export function usageError(message: string): ZonewardError {
  return new ZonewardError(ErrorCodes.USAGE, message);
}

/** Errors a user fixes by changing the command line exit 2; everything else about the input exits 1. */
function exitCodeFor(err: ZonewardError): number {
  return err.code === ErrorCodes.USAGE || err.code === ErrorCodes.FILE_NOT_FOUND ? EXIT_USAGE : EXIT_DAMAGED;
}

export function printError(err: ZonewardError): void {
  process.stderr.write(`zoneward: error [${err.code}]: ${err.message}\n`);
}

/** Damage and warnings go to stderr, so stdout stays clean for pipes. */
export function reportCaptureProblems(path: string, capture: CaptureReadResult): CommandResult {
  for (const w of capture.warnings) {
    const times = w.count > 1 ? ` (${w.count} times, first at byte ${w.offset})` : ` (at byte ${w.offset})`;
    process.stderr.write(`zoneward: warning: ${path}: ${w.message}${times}\n`);
  }
  if (capture.damage !== null) {
    process.stderr.write(
      `zoneward: error [${capture.damage.code}]: ${path}: ${capture.damage.message}; everything before byte ${capture.damage.offset} was decoded\n`,
    );
    return { exitCode: EXIT_DAMAGED };
  }
  return OK;
}

/** Runs a command body, maps errors to messages and exit codes. Internal errors show their stack. */
export async function runCommand(fn: () => Promise<CommandResult>): Promise<void> {
  try {
    const result = await fn();
    process.exitCode = result.exitCode;
  } catch (err) {
    if (err instanceof ZonewardError) {
      printError(err);
      process.exitCode = exitCodeFor(err);
      return;
    }
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
    process.stderr.write(`zoneward: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = EXIT_DAMAGED;
  }
}
