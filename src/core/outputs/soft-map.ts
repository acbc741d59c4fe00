import { StrokecutError } from '../errors.js';
import type { ColorModel } from '../model/color-model.js';
import { logLikelihood } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';

/**
 * The foreground probability of one colour as an 8-bit value: p = L_fg / (L_fg + L_bg)
 * = 1 / (1 + exp(log L_bg − log L_fg)), scaled to 0–255 and rounded, then nudged by at most one
 * level so that value ≥ 128 holds exactly where the colour models call the colour foreground
 * (log L_fg > log L_bg; ties are background). Thresholding the soft map at 128 therefore gives the
 * colour models' mask exactly, which rounding alone would not promise near p = 0.5.
 */
export function softValue(
  foreground: ColorModel,
  background: ColorModel,
  r: number,
  g: number,
  b: number,
): number {
  const difference = logLikelihood(background, r, g, b) - logLikelihood(foreground, r, g, b);
  // exp overflows to Infinity for a difference beyond ~709, which correctly gives p = 0.
  const value = Math.round(255 / (1 + Math.exp(difference)));
  return difference < 0 ? Math.max(128, value) : Math.min(127, value);
}

/**
 * The soft foreground map: one byte per pixel, the foreground probability of the pixel's colour
 * under the two colour models (see {@link softValue}); stroke pixels are certain, 255 under
 * foreground strokes and 0 under background strokes, as in the mask.
 *
 * The value depends on the colour alone, so it is computed once per distinct colour and kept in a
 * 2^24-entry table (16 MiB plus a 2 MiB "computed" bitset): photos repeat colours heavily.
 */
export function softMap(
  image: RgbImage,
  models: { foreground: ColorModel; background: ColorModel },
  seeds?: SeedLabels,
  out: Uint8Array = new Uint8Array(image.width * image.height),
): Uint8Array {
  const n = image.width * image.height;
  const data = image.data;
  if (data.length !== n * 3 || out.length !== n || (seeds && seeds.labels.length !== n)) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `A soft map of a ${image.width}×${image.height} image needs ${n * 3} image bytes${seeds ? `, ${n} seed labels` : ''} and an output of ${n} bytes; found ${data.length}${seeds ? `, ${seeds.labels.length}` : ''} and ${out.length}.`,
    );
  }
  const { foreground, background } = models;
  const labels = seeds?.labels;
  const values = new Uint8Array(1 << 24);
  const known = new Uint32Array(1 << 19); // bit per colour: value computed yet?
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const seed = labels ? labels[p] : SEED.NONE;
    if (seed === SEED.FOREGROUND) {
      out[p] = 255;
      continue;
    }
    if (seed === SEED.BACKGROUND) {
      out[p] = 0;
      continue;
    }
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    const key = (r << 16) | (g << 8) | b;
    const word = key >>> 5;
    const bit = 1 << (key & 31);
    if ((known[word] & bit) === 0) {
      values[key] = softValue(foreground, background, r, g, b);
      known[word] |= bit;
    }
    out[p] = values[key];
  }
  return out;
}
