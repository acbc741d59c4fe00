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

/** What an error found, for a caller to word its own hint (the core names no CLI flag or button). */
export interface StrokecutErrorDetails {
  /** NO_*_SEEDS: the most common non-black colours of the stroke image, most common first. */
  strokeColors?: { color: string; pixels: number }[];
}

export class StrokecutError extends Error {
  readonly code: ErrorCode;
  readonly details: StrokecutErrorDetails;
  constructor(code: ErrorCode, message: string, details: StrokecutErrorDetails = {}) {
    super(message);
    this.name = 'StrokecutError';
    this.code = code;
    this.details = details;
  }
}

export function isStrokecutError(value: unknown): value is StrokecutError {
  return value instanceof Error && value.name === 'StrokecutError' && 'code' in value;
}
