/**
 * The benches rewrite their tables in docs/ between `<!-- name:start … -->` and `<!-- name:end -->`
 * markers, so a re-measured figure replaces the old one instead of piling up beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root (this file is compiled to dist/bench/). */
export const PROJECT_ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

/**
 * Replaces what lies between `start` and `end` in `docs/<file>` with `text`. Returns false, having
 * written nothing, when the file lacks the markers (a bench's table was moved or deleted by hand).
 */
export function writeDocTable(file: string, start: string, end: string, text: string): boolean {
  const path = join(PROJECT_ROOT, 'docs', file);
  const doc = readFileSync(path, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end, from);
  const shown = relative(process.cwd(), path) || path;
  if (from < 0 || to < 0) {
    console.error(`${shown} lacks the markers ${start} … ${end}; the table was not written.`);
    return false;
  }
  writeFileSync(path, `${doc.slice(0, from + start.length)}\n${text}\n${doc.slice(to)}`);
  console.error(`${shown}: table rewritten between ${start} and ${end}.`);
  return true;
}
