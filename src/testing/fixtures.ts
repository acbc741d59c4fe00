/** Shared helpers for tests: paths to the bundled example and a temporary directory per test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/src/…, three levels below it). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const exampleImagePath = join(repoRoot, 'examples', 'chelsea.png');
export const exampleStrokesPath = join(repoRoot, 'examples', 'chelsea-stroke.png');
export const cliPath = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/** A fresh temporary directory, removed when the process exits. */
export function temporaryDirectory(prefix = 'strokecut-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}
