import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp from 'sharp';
import { StrokecutError } from '../core/errors.js';

/**
 * Encodes an 8-bit single-channel image (a mask) as a greyscale PNG. zlib level 3 without
 * adaptive filtering: on a 12-megapixel two-valued mask it is about 2.4× faster than level 6
 * for a file about 13% larger (levels 1 and 2 are barely faster and much larger).
 */
export async function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  // toColourspace('b-w') keeps the PNG single-channel; sharp would otherwise write it as RGB.
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

function unwritable(path: string, error: unknown): StrokecutError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a part of the path is a file, not a directory'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : (error as Error).message;
  return new StrokecutError('UNWRITABLE_OUTPUT', `Cannot write the output "${path}": ${reason}.`);
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
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, shownAs = path): Promise<void> {
  const directory = dirname(path);
  const temporary = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw unwritable(shownAs, error);
  }
}
