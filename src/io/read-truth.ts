import sharp, { type OutputInfo } from 'sharp';
import { StrokecutError } from '../core/errors.js';
import { assertReadableFile, checkImageSize, decoderMessage } from './read-image.js';

/** What a truth mask is, for the messages that refuse something else. */
export const TRUTH_MASK_IS =
  'a truth mask is a grey (single-channel) image, 255 foreground, 0 background, 128 unlabelled, saved losslessly (PNG, not JPEG)';

/**
 * Reads a ground-truth mask and checks that it is one: grey (one channel, or RGB with R = G = B
 * everywhere), every value 0, 128 or 255. A photo, a colour picture or a JPEG (whose compression
 * smears 0 and 255 into their neighbours) given as the truth would otherwise be scored as if it
 * were a mask. An alpha channel is ignored. Returns one byte per pixel. `shownAs`: the path as typed.
 */
export async function readTruthMask(
  path: string,
  shownAs = path,
  maxPixels?: number,
): Promise<{ width: number; height: number; data: Uint8Array }> {
  await assertReadableFile(path, 'truth mask', shownAs);
  await checkImageSize(path, shownAs, 'truth mask', maxPixels);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // 16-bit masks are scaled to 8 bits (65535 → 255, 32896 → 128), as images are.
    decoded = await sharp(path, { failOn: 'error', limitInputPixels: false })
      .rotate()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new StrokecutError(
      'INVALID_TRUTH',
      `The truth mask "${shownAs}" cannot be decoded: ${decoderMessage(error)}.`,
    );
  }
  const { data: raw, info } = decoded;
  const { width, height, channels } = info;
  const colour = channels >= 3;
  const data = new Uint8Array(width * height);
  let bad = 0;
  let firstBad = -1;
  let firstColour = -1;
  for (let p = 0; p < data.length; p++) {
    const i = p * channels;
    const v = raw[i];
    if (colour && firstColour < 0 && (raw[i + 1] !== v || raw[i + 2] !== v)) firstColour = p;
    if (v !== 0 && v !== 128 && v !== 255) {
      bad++;
      if (firstBad < 0) firstBad = p;
    }
    data[p] = v;
  }
  const at = (p: number) => `(${p % width}, ${Math.floor(p / width)})`;
  if (firstColour >= 0) {
    const i = firstColour * channels;
    throw new StrokecutError(
      'INVALID_TRUTH',
      `The truth mask "${shownAs}" is in colour (pixel ${at(firstColour)} is ${raw[i]}, ${raw[i + 1]}, ${raw[i + 2]}): ${TRUTH_MASK_IS}.`,
    );
  }
  if (bad > 0) {
    throw new StrokecutError(
      'INVALID_TRUTH',
      `The truth mask "${shownAs}" has ${bad} of ${data.length} pixels that are not 0, 128 or 255 (the first is ${raw[firstBad * channels]} at ${at(firstBad)}): ${TRUTH_MASK_IS}.`,
    );
  }
  return { width, height, data };
}
