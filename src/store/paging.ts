// limit/offset for listings. Listings have a fixed order (see each table module), so pages taken
// one after another never overlap or skip while the data does not change.

import { ErrorCodes, ZonewardError } from '../errors.ts';

export interface Page {
  limit?: number;
  offset?: number;
}

/** OFFSET needs a LIMIT in SQLite; this one means "no limit" on both engines. */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export function checkPage(page: Page): { limit: number; offset: number } {
  for (const [name, value] of [
    ['limit', page.limit],
    ['offset', page.offset],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new ZonewardError(ErrorCodes.USAGE, `${name} must be a whole number 0 or more, got ${value}`);
    }
  }
  return { limit: page.limit ?? NO_LIMIT, offset: page.offset ?? 0 };
}
