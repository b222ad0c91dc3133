// One error catalogue for the whole product (STYLE.md 12): every error a user can meet has a
// stable code that the CLI, the API and the console show, and a message that says what to do.

export const ErrorCodes = {
  USAGE: 'ZW_USAGE',
  FILE_NOT_FOUND: 'ZW_FILE_NOT_FOUND',
  CAPTURE_EMPTY: 'ZW_CAPTURE_EMPTY',
  CAPTURE_NOT_A_CAPTURE: 'ZW_CAPTURE_NOT_A_CAPTURE',
  CAPTURE_TRUNCATED: 'ZW_CAPTURE_TRUNCATED',
  CAPTURE_BAD_RECORD: 'ZW_CAPTURE_BAD_RECORD',
  CAPTURE_UNSUPPORTED_LINKTYPE: 'ZW_CAPTURE_UNSUPPORTED_LINKTYPE',
  CAPTURE_GZIP: 'ZW_CAPTURE_GZIP',
  LIVE_CAPTURE_FAILED: 'ZW_LIVE_CAPTURE_FAILED',
  STORE_FAILED: 'ZW_STORE_FAILED',
  STORE_MIGRATION: 'ZW_STORE_MIGRATION',
  /** The database cannot be reached or opened (bad path, server down, wrong credentials). */
  STORE_UNAVAILABLE: 'ZW_STORE_UNAVAILABLE',
  /** The file named as the database is something else; it is left untouched. */
  STORE_NOT_A_DATABASE: 'ZW_STORE_NOT_A_DATABASE',
  /** A row read back from the database does not match its record schema. */
  STORE_CORRUPT_RECORD: 'ZW_STORE_CORRUPT_RECORD',
  /** A record handed to the store for writing does not match its schema; nothing was written. */
  STORE_INVALID_RECORD: 'ZW_STORE_INVALID_RECORD',
  // monitoring (issue 4)
  // policy: file, check, suggest, simulate (issue 5)
  // enforce: compile, apply, rollback, conduit modes (issue 5)
  // identity: certificate authority, enrollment (issue 6)
  // gateway: Modbus/TCP Security (issue 6)
  // api and console (issue 7)
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class ZonewardError extends Error {
  readonly code: ErrorCode;
  /** Byte offset in the input where the problem was found, when it concerns a file. */
  readonly offset: number | undefined;

  constructor(code: ErrorCode, message: string, options: { offset?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ZonewardError';
    this.code = code;
    this.offset = options.offset;
  }
}
