/**
 * Builds the web page into a folder of static files (dist/web by default): the bundled page and
 * worker, index.html, the stylesheet and the bundled example. Any static host serves it; nothing is
 * computed on a server.
 *
 *   npm run build:web            (tsc, then node dist/scripts/build-web.js [OUT_DIR])
 */
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root: this file runs as dist/scripts/build-web.js. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_WEB_DIR = join(REPO_ROOT, 'dist', 'web');

/** Files copied as they are, from the repository root. */
const STATIC_FILES = [
  ['src/web/index.html', 'index.html'],
  ['src/web/style.css', 'style.css'],
  ['examples/chelsea.png', 'chelsea.png'],
  ['examples/chelsea-stroke.png', 'chelsea-stroke.png'],
] as const;

export interface BuildWebOptions {
  /** Output folder; emptied first. Default dist/web. */
  outDir?: string;
  /** Minify the scripts. Default true. */
  minify?: boolean;
}

/** Builds the page; returns the output folder and its files with their sizes in bytes. */
export async function buildWeb(
  options: BuildWebOptions = {},
): Promise<{ outDir: string; files: [string, number][] }> {
  const outDir = resolve(options.outDir ?? DEFAULT_WEB_DIR);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { main: 'src/web/main.ts', worker: 'src/web/worker.ts' },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // Module workers, createImageBitmap options, getCoalescedEvents: current browsers only.
    target: ['chrome111', 'firefox114', 'safari16.4'],
    minify: options.minify ?? true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const [from, to] of STATIC_FILES) await copyFile(join(REPO_ROOT, from), join(outDir, to));
  const files: [string, number][] = [];
  for (const name of (await readdir(outDir)).sort())
    files.push([name, (await stat(join(outDir, name))).size]);
  return { outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, files } = await buildWeb({ outDir: process.argv[2] });
  const total = files.reduce((sum, [, size]) => sum + size, 0);
  process.stdout.write(
    `Built the web page into ${relative(process.cwd(), outDir) || '.'} (${files.length} files, ${Math.round(total / 1024)} kB): serve it with npm run web, or from any static host.\n`,
  );
}
