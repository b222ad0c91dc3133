// Turning driver errors into catalogue errors (src/errors.ts): the CLI, API and console show the
// code and message, so the message names the database and the operation, never a password.

import { ErrorCodes, ZonewardError } from '../errors.ts';

/** A driver error's own words. Node reports a refused connection to a dual-stack host as an AggregateError with an empty message. */
export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.message === '') {
    return error.errors.map(errorText).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.message !== '') return error.message;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

/** Runs one store operation; anything but a ZonewardError becomes ZW_STORE_FAILED naming what was being done. */
export async function storeOperation<T>(action: string, location: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ZonewardError) throw error;
    throw new ZonewardError(ErrorCodes.STORE_FAILED, `${action} failed in ${location}: ${errorText(error)}`, {
      cause: error,
    });
  }
}
