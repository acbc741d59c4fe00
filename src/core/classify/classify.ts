import type { ColorModel } from '../model/color-model.js';
import { isForegroundColor } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';

/**
 * Labels every pixel by its colour (see {@link isForegroundColor}); seed pixels keep their own label.
 * Writes 255 (foreground) or 0 (background) into `out` (allocated when not given) and returns it.
 *
 * The decision depends on the colour alone, so it is computed once per distinct colour and
 * remembered in a 2^24-entry table: photos repeat colours heavily, and the result is identical
 * to evaluating every pixel.
 */
export function classifyPixels(
  image: RgbImage,
  foreground: ColorModel,
  background: ColorModel,
  seeds?: SeedLabels,
  out: Uint8Array = new Uint8Array(image.width * image.height),
): Uint8Array {
  const data = image.data;
  const labels = seeds?.labels;
  // 0 = not yet computed, 1 = background, 2 = foreground.
  const decided = new Uint8Array(1 << 24);
  const n = image.width * image.height;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const seed = labels ? labels[p] : SEED.NONE;
    if (seed === SEED.FOREGROUND) {
      out[p] = MASK.FOREGROUND;
      continue;
    }
    if (seed === SEED.BACKGROUND) {
      out[p] = MASK.BACKGROUND;
      continue;
    }
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    const key = (r << 16) | (g << 8) | b;
    let state = decided[key];
    if (state === 0) {
      state = isForegroundColor(foreground, background, r, g, b) ? 2 : 1;
      decided[key] = state;
    }
    out[p] = state === 2 ? MASK.FOREGROUND : MASK.BACKGROUND;
  }
  return out;
}
