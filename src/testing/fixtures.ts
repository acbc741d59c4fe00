/**
 * Shared helpers for tests (not shipped in the package): paths to the bundled example and the
 * built CLI, temporary folders, synthetic photo + stroke pairs written as real image files, and
 * running the real CLI as a child process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { CliIo } from '../cli/output.js';
import { createRandom } from '../core/random.js';

/** The repository root (tests run from dist/src/…, three levels below it). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const exampleImagePath = join(repoRoot, 'examples', 'chelsea.png');
export const exampleStrokesPath = join(repoRoot, 'examples', 'chelsea-stroke.png');
export const cliPath = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
/** The repository's GrabCut fixtures (images/, strokes/, truth/): a few benchmark photos. */
export const grabcutFixtures = join(repoRoot, 'fixtures', 'grabcut');

/** A fresh temporary directory, removed when the process exits (for tests that keep it to the end). */
export function temporaryDirectory(prefix = 'strokecut-test-'): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** A fresh temporary folder, removed by the returned cleanup (for an `after` hook). */
export async function tempFolder(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `strokecut-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A small textured scene: a warm ellipse (foreground) on a cool, noisy background, with a red
 * stroke inside the ellipse and blue strokes along two borders. Different `seed`s give different
 * pictures. RGB, row-major.
 */
export function makeScene(width: number, height: number, seed: number) {
  const random = createRandom(seed);
  const cx = width * (0.4 + 0.2 * random());
  const cy = height * (0.4 + 0.2 * random());
  const rx = width * 0.25;
  const ry = height * 0.25;
  const image = new Uint8Array(width * height * 3);
  const strokes = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1;
      const i = (y * width + x) * 3;
      const n = () => Math.floor(random() * 70);
      image[i] = inside ? 150 + n() : 40 + n();
      image[i + 1] = inside ? 90 + n() : 90 + n();
      image[i + 2] = inside ? 50 + n() : 140 + n();
      if (Math.abs(y - cy) < 2 && Math.abs(x - cx) < rx * 0.6) strokes[i] = 255;
      if (x < 3 || y < 3) strokes[i + 2] = 255;
    }
  }
  return { width, height, image, strokes };
}

export function rawSharp(data: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4) {
  return sharp(data, { raw: { width, height, channels } });
}

/** Writes a scene's image and strokes as PNG files. */
export async function writeScenePng(
  scene: ReturnType<typeof makeScene>,
  imagePath: string,
  strokesPath: string,
): Promise<void> {
  await rawSharp(scene.image, scene.width, scene.height, 3).png().toFile(imagePath);
  await rawSharp(scene.strokes, scene.width, scene.height, 3).png().toFile(strokesPath);
}

/** Decodes an image file to raw 8-bit pixels with its channel count. */
export async function readPixels(
  path: string,
): Promise<{ width: number; height: number; channels: number; data: Uint8Array }> {
  const { channels } = await sharp(path).metadata();
  // One-channel files stay one channel (sharp would otherwise widen them to sRGB).
  const pipeline = channels === 1 ? sharp(path).toColourspace('b-w') : sharp(path);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data) };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`node dist/src/cli/main.js …`) in `cwd` and collects its output. */
export function runCli(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A `CliIo` for `run()` in this process that keeps what the command printed. */
export function captureIo(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    isTTY: false,
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

/** Writes a PNG whose pixel (x, y) is `pixel(x, y)` (1 grey or 3 RGB values). */
export async function writePixelPng(
  path: string,
  width: number,
  height: number,
  channels: 1 | 3,
  pixel: (x: number, y: number) => number[],
): Promise<void> {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * channels);
  }
  await sharp(data, { raw: { width, height, channels } }).png().toFile(path);
}
