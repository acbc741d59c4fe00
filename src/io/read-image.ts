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
 * Largest image strokecut decodes by default, in pixels: 100 megapixels. A run holds about
 * 20 bytes per pixel at its peak (decoded image and strokes, seed labels, mask, the outputs being
 * encoded, plus libvips' buffers), so this is roughly 2 GB; 50-megapixel photos fit with room to
 * spare. Raise it with `maxPixels` (CLI `--max-megapixels`).
 */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface DecodeOptions {
  /** Refuse images with more pixels than this, before decoding them. Default {@link DEFAULT_MAX_PIXELS}. */
  maxPixels?: number;
}

/**
 * Reads the width and height from the file's header only (no pixel decoding), as displayed, i.e.
 * after EXIF orientation, and refuses images above the pixel limit with a message naming it.
 * This is what lets a 500-megapixel scan fail in milliseconds instead of after gigabytes.
 */
export async function checkImageSize(
  bytes: Buffer | string,
  path: string,
  what: string,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<{ width: number; height: number }> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    // Our limit, not sharp's own (268 MP by default, which would otherwise answer first with
    // a message that no --max-megapixels can lift): the header is read without decoding.
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    ({ width, height } = metadata);
    // Orientations 5–8 swap width and height.
    if ((metadata.orientation ?? 1) >= 5) [width, height] = [height, width];
  } catch (error) {
    throw undecodable(path, what, error);
  }
  if (!width || !height) {
    throw new StrokecutError('INVALID_IMAGE', `The ${what} "${path}" has no width or height in its header.`);
  }
  if (width * height > maxPixels) {
    throw new StrokecutError(
      'IMAGE_TOO_LARGE',
      `The ${what} "${path}" is ${width}×${height} = ${formatMegapixels(width * height)}, above the limit of ${formatMegapixels(maxPixels)} (about 20 bytes of memory per pixel). Raise the limit with --max-megapixels (or the maxPixels option) if this machine has the memory, or downscale the image and its strokes.`,
    );
  }
  return { width, height };
}

function formatMegapixels(pixels: number): string {
  const mp = pixels / 1e6;
  return `${mp >= 10 ? mp.toFixed(0) : mp.toPrecision(2)} megapixels`;
}

/**
 * libvips' text, on one line: it repeats a warning once per scanline or tile it hits ("VipsJpeg:
 * Premature end of JPEG file" many times over), so repeated lines are kept once.
 */
export function decoderMessage(error: unknown): string {
  const lines = String((error as Error)?.message ?? error)
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/[.\s]+$/, ''))
    .filter((line) => line.length > 0);
  return [...new Set(lines)].join('; ').slice(0, 400);
}

function undecodable(path: string, what: string, error: unknown, maxPixels?: number): StrokecutError {
  const text = decoderMessage(error);
  if (maxPixels !== undefined && /pixel limit/i.test(text)) {
    return new StrokecutError(
      'IMAGE_TOO_LARGE',
      `The ${what} "${path}" decodes to more than the limit of ${formatMegapixels(maxPixels)} (--max-megapixels, or the maxPixels option); raise it if this machine has the memory.`,
    );
  }
  return new StrokecutError(
    'INVALID_IMAGE',
    `The ${what} "${path}" is not an image strokecut can read (${READABLE_FORMATS}): ${text}.`,
  );
}

/**
 * Decodes any image sharp reads into 8-bit sRGB, with EXIF orientation applied (so a photo and a
 * stroke image drawn over its upright view line up), 16-bit samples scaled to 8 bits, palette and
 * grey images expanded to RGB. Keeps alpha only when asked. Checks the size from the header first.
 */
async function decode(
  bytes: Buffer | string,
  path: string,
  what: string,
  keepAlpha: boolean,
  options: DecodeOptions,
): Promise<Decoded> {
  await checkImageSize(bytes, path, what, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  return decodePixels(bytes, path, what, keepAlpha, options);
}

/**
 * {@link decode} for a file whose header the caller has just checked ({@link checkImageSize}, same
 * limit): the decoder starts at once, before this returns (so the caller's own work can run while
 * libvips' threads decode).
 */
async function decodePixels(
  bytes: Buffer | string,
  path: string,
  what: string,
  keepAlpha: boolean,
  options: DecodeOptions,
): Promise<Decoded> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    // limitInputPixels backs up the header check inside libvips itself (sharp takes an integer).
    let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: Math.max(1, Math.floor(maxPixels)) })
      .rotate()
      .toColourspace('srgb');
    if (!keepAlpha) pipeline = pipeline.removeAlpha();
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      channels: info.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    throw undecodable(path, what, error, maxPixels);
  }
}

/** {@link decodeRgb} of a file whose header was checked (see {@link decodePixels}). */
export async function decodeCheckedRgb(
  path: string,
  shownAs: string,
  options: DecodeOptions,
): Promise<RgbImage> {
  return rgbOf(await decodePixels(path, shownAs, 'image', false, options));
}

/** {@link decodeStrokes} of a file whose header was checked (see {@link decodePixels}). */
export async function decodeCheckedStrokes(
  path: string,
  shownAs: string,
  options: DecodeOptions,
): Promise<RgbImage | RgbaImage> {
  return strokesOf(await decodePixels(path, shownAs, 'stroke image', true, options));
}

function rgbOf(decoded: Decoded): RgbImage {
  if (decoded.channels !== 3) throw new Error(`decoder returned ${decoded.channels} channels, expected 3`);
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

function strokesOf(decoded: Decoded): RgbImage | RgbaImage {
  if (decoded.channels !== 3 && decoded.channels !== 4) {
    throw new Error(`decoder returned ${decoded.channels} channels, expected 3 or 4`);
  }
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Decodes image bytes to 8-bit RGB. */
export async function decodeRgb(
  bytes: Buffer | string,
  path = '<buffer>',
  what = 'image',
  options: DecodeOptions = {},
): Promise<RgbImage> {
  return rgbOf(await decode(bytes, path, what, false, options));
}

/** Decodes stroke-image bytes to 8-bit RGB, or RGBA when the file has an alpha channel. */
export async function decodeStrokes(
  bytes: Buffer | string,
  path = '<buffer>',
  options: DecodeOptions = {},
): Promise<RgbImage | RgbaImage> {
  return strokesOf(await decode(bytes, path, 'stroke image', true, options));
}

/**
 * Reads and decodes an image file to 8-bit RGB. The decoder reads the file itself (see
 * assertReadableFile). `shownAs`: the path as the user typed it, for messages.
 */
export async function readRgbImage(
  path: string,
  options: DecodeOptions = {},
  shownAs = path,
): Promise<RgbImage> {
  await assertReadableFile(path, 'image', shownAs);
  return decodeRgb(path, shownAs, 'image', options);
}

/** Reads and decodes a stroke image file (RGB, or RGBA when it has alpha). */
export async function readStrokeImage(
  path: string,
  options: DecodeOptions = {},
  shownAs = path,
): Promise<RgbImage | RgbaImage> {
  await assertReadableFile(path, 'stroke image', shownAs);
  return decodeStrokes(path, shownAs, options);
}
