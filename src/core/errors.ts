/**
 * Every error the core raises on bad input is a StrokecutError with a stable `code`, so callers
 * (the CLI, the web page) can tell "the user gave us something wrong" from "we have a bug".
 */
export type ErrorCode =
  | 'INVALID_IMAGE'
  | 'SIZE_MISMATCH'
  | 'IMAGE_TOO_LARGE'
  | 'NO_FOREGROUND_SEEDS'
  | 'NO_BACKGROUND_SEEDS'
  | 'INVALID_OPTION'
  | 'UNREADABLE_FILE'
  | 'UNWRITABLE_OUTPUT'
  | 'NOT_A_STROKE_IMAGE'
  | 'OUTPUT_IN_USE'
  | 'INVALID_TRUTH'
  | 'USAGE'
  | 'QUEUE_UNAVAILABLE';

export class StrokecutError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'StrokecutError';
    this.code = code;
  }
}

export function isStrokecutError(value: unknown): value is StrokecutError {
  return value instanceof Error && value.name === 'StrokecutError' && 'code' in value;
}
