import { StrokecutError } from '../core/errors.js';
import type { DecodeOptions } from './read-image.js';
import { assertReadableFile, decodeRgb } from './read-image.js';

/**
 * Reads a prior mask for `--prior`: any image the decoder reads, of the photo's size; a pixel is
 * foreground (255) where its first channel (grey, or red) is ≥ 128, background (0) elsewhere — so a
 * mask saved with anti-aliased edges or as JPEG still reads as the two classes.
 */
export async function readPriorMask(
  path: string,
  width: number,
  height: number,
  options: DecodeOptions = {},
  shownAs = path,
): Promise<Uint8Array> {
  const what = 'prior mask (--prior)';
  await assertReadableFile(path, what, shownAs);
  const rgb = await decodeRgb(path, shownAs, what, options);
  if (rgb.width !== width || rgb.height !== height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The prior mask (--prior) "${shownAs}" is ${rgb.width}×${rgb.height} but the image is ${width}×${height}; they must be the same size.`,
    );
  }
  const prior = new Uint8Array(width * height);
  for (let p = 0; p < prior.length; p++) prior[p] = rgb.data[p * 3] >= 128 ? 255 : 0;
  return prior;
}
