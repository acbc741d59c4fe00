import type { StrokecutError } from '../core/errors.js';

/**
 * A core error as the command line says it: on one line, with the hint in the CLI's own terms (the
 * core reports what it found and names no flag; the page words its own hint).
 */
export function errorLine(error: StrokecutError): string {
  const colors = error.details.strokeColors;
  const missingStrokes = error.code === 'NO_FOREGROUND_SEEDS' || error.code === 'NO_BACKGROUND_SEEDS';
  const hint =
    missingStrokes && colors && colors.length > 0
      ? ' If you drew with other colours, say which with --fg-color / --bg-color.'
      : '';
  return `${oneLine(error.message)}${hint}`;
}

/** A message on one line: line breaks (of a decoder's or the argument parser's text) become spaces. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
