import { StrokecutError } from '../core/errors.js';

/** Parses a whole number in [min, max] given on the command line; anything else is a usage error. */
export function parseIntegerOption(
  name: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const trimmed = text.trim();
  const value = /^[+]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    const hint = min === 1 && max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : range;
    throw new StrokecutError('USAGE', `${name} must be ${hint}; found "${text}".`);
  }
  return value;
}

/** Parses a non-negative decimal number given on the command line. */
export function parseNumberOption(name: string, text: string, min = 0): number {
  const value = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < min) {
    throw new StrokecutError('USAGE', `${name} must be a number ≥ ${min}; found "${text}".`);
  }
  return value;
}
