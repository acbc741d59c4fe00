import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { StrokecutError } from '../core/errors.js';
import type { RgbaImage, RgbImage } from '../core/types.js';

/** Formats the decoder (sharp/libvips) reads for us; named in error messages. */
export const READABLE_FORMATS = 'PNG, JPEG, WebP, TIFF, GIF, AVIF';

/** Reads a file's bytes, turning file-system errors into messages a user can act on. */
export async function readInputFile(path: string, what: string, shownAs = path): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw unreadable(shownAs, what, error);
  }
}

/**
 * Checks that `path` is a readable file, with the same messages as {@link readInputFile}. The
 * readers below then let the decoder read the file itself: holding a large file's bytes in memory
 * while it decodes would add the file's size to the peak memory.
 */
export async function assertReadableFile(path: string, what: string, shownAs = path): Promise<void> {
  try {
    if ((await stat(path)).isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await access(path, constants.R_OK);
  } catch (error) {
    throw unreadable(shownAs, what, error);
  }
}

function unreadable(path: string, what: string, error: unknown): StrokecutError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (error as Error).message;
  return new StrokecutError('UNREADABLE_FILE', `Cannot read the ${what} "${path}": ${reason}.`);
}

interface Decoded {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/**
 * Decodes any image sharp reads into 8-bit sRGB, with EXIF orientation applied (so a photo and a
 * stroke image drawn over its upright view line up), 16-bit samples scaled to 8 bits, palette and
 * grey images expanded to RGB. Keeps alpha only when asked.
 */
async function decode(
  bytes: Buffer | string,
  path: string,
  what: string,
  keepAlpha: boolean,
): Promise<Decoded> {
  try {
    let pipeline = sharp(bytes, { failOn: 'error' }).rotate().toColourspace('srgb');
    if (!keepAlpha) pipeline = pipeline.removeAlpha();
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: info.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `The ${what} "${path}" is not an image strokecut can read (${READABLE_FORMATS}): ${(error as Error).message}.`,
    );
  }
}

/** Decodes image bytes to 8-bit RGB. */
export async function decodeRgb(
  bytes: Buffer | string,
  path = '<buffer>',
  what = 'image',
): Promise<RgbImage> {
  const decoded = await decode(bytes, path, what, false);
  if (decoded.channels !== 3) throw new Error(`decoder returned ${decoded.channels} channels, expected 3`);
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Decodes stroke-image bytes to 8-bit RGB, or RGBA when the file has an alpha channel. */
export async function decodeStrokes(
  bytes: Buffer | string,
  path = '<buffer>',
): Promise<RgbImage | RgbaImage> {
  const decoded = await decode(bytes, path, 'stroke image', true);
  if (decoded.channels !== 3 && decoded.channels !== 4) {
    throw new Error(`decoder returned ${decoded.channels} channels, expected 3 or 4`);
  }
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Reads and decodes an image file to 8-bit RGB. `shownAs`: the path as the user typed it. */
export async function readRgbImage(path: string, shownAs = path): Promise<RgbImage> {
  await assertReadableFile(path, 'image', shownAs);
  return decodeRgb(path, shownAs, 'image');
}

/** Reads and decodes a stroke image file (RGB, or RGBA when it has alpha). */
export async function readStrokeImage(path: string, shownAs = path): Promise<RgbImage | RgbaImage> {
  await assertReadableFile(path, 'stroke image', shownAs);
  return decodeStrokes(path, shownAs);
}
