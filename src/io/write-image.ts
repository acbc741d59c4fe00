import { readdir, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import { StrokecutError } from '../core/errors.js';
import { unwritable, writeOutputSet } from './output-set.js';

/**
 * Encodes an 8-bit single-channel image (a mask) as a greyscale PNG. zlib level 3 without
 * adaptive filtering: on a 12-megapixel two-valued mask it is about 2.4× faster than level 6
 * for a file about 13% larger (levels 1 and 2 are barely faster and much larger).
 */
export async function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  // toColourspace('b-w') keeps the PNG single-channel: libvips would otherwise widen it to sRGB.
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 3, adaptiveFiltering: false })
    .toBuffer();
}

/** Encodes an 8-bit RGB or RGBA image as PNG. */
export async function encodeColorPng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 3 | 4,
): Promise<Buffer> {
  return sharp(pixels, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
}

/** File extensions an image output may have, and the lossless encoding each gets. */
export const IMAGE_OUTPUT_FORMATS = {
  '.png': 'PNG',
  '.webp': 'lossless WebP',
  '.tif': 'TIFF (deflate)',
  '.tiff': 'TIFF (deflate)',
} as const;

/** Throws a usage error unless `path` ends in an extension of {@link IMAGE_OUTPUT_FORMATS}. */
export function assertImageOutputPath(path: string, what: string): void {
  const extension = extname(path).toLowerCase();
  if (!(extension in IMAGE_OUTPUT_FORMATS)) {
    throw new StrokecutError(
      'USAGE',
      `The ${what} "${path}" must end in ${Object.keys(IMAGE_OUTPUT_FORMATS).join(', ')} (outputs are lossless, so masks stay exact); found "${extension || 'no extension'}".`,
    );
  }
}

/**
 * Encodes 8-bit pixels (1 = grey, 3 = RGB, 4 = RGBA channels) in the lossless format that `path`'s
 * extension names: PNG, WebP (lossless) or TIFF (deflate).
 */
export async function encodeImageForPath(
  path: string,
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): Promise<Buffer> {
  assertImageOutputPath(path, 'output');
  const extension = extname(path).toLowerCase();
  if (extension === '.png') {
    return channels === 1
      ? encodeGreyPng(pixels, width, height)
      : encodeColorPng(pixels, width, height, channels);
  }
  let raw = sharp(pixels, { raw: { width, height, channels } });
  if (channels === 1) raw = raw.toColourspace('b-w'); // see encodeGreyPng (TIFF keeps one channel; WebP has none)
  // exact: keep the RGB under fully transparent pixels (WebP would otherwise be free to change it).
  if (extension === '.webp') return raw.webp({ lossless: true, exact: true, effort: 2 }).toBuffer();
  return raw.tiff({ compression: 'deflate' }).toBuffer();
}

/** Fails early, before any work is done, when `path` is a directory. */
export async function assertWritableTarget(path: string, shownAs = path): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) throw unwritable(shownAs, Object.assign(new Error(), { code: 'EISDIR' }));
}

/**
 * Writes `bytes` to `path` atomically: into a temporary file beside it, then renamed over it.
 * A reader (or a re-run after a crash) sees either the old file or the complete new one, never a
 * half-written one. Creates missing parent directories. `shownAs`: the path as the user typed it.
 * Several files that belong together: {@link writeOutputSet}.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, shownAs = path): Promise<void> {
  await writeOutputSet([{ path, shownAs, bytes: () => bytes }]);
}

/** Name pattern of writeFileAtomic's temporary files: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMPORARY_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files that writeFileAtomic left in `directory` when its process was killed
 * mid-write (the rename never happened). Only files whose writer process is gone are removed, so a
 * run going on beside this one is left alone. Returns the names removed. Harmless to skip: the
 * files are hidden and never read; this only tidies up.
 */
export async function removeStaleTemporaryFiles(directory: string): Promise<string[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY_NAME.exec(name);
    if (!match) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isAlive(pid)) continue;
    await rm(join(directory, name), { force: true }).catch(() => {});
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
