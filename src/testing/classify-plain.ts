import type { ColorModel } from '../core/model/color-model.js';
import { isForegroundColor } from '../core/model/color-model.js';
import type { RgbImage, SeedLabels } from '../core/types.js';
import { MASK, SEED } from '../core/types.js';

/**
 * The plain computation `classifyPixels` (src/core/classify/classify.ts) must match: `isForegroundColor` for every
 * pixel that is not a seed, remembered per distinct colour (the value depends on the colour alone,
 * so remembering changes nothing but the time). Kept simple on purpose: tests and the benchmark
 * compare the fast path against it.
 */
export function classifyPixelsPlain(
  image: RgbImage,
  foreground: ColorModel,
  background: ColorModel,
  seeds?: SeedLabels,
): Uint8Array {
  const out = new Uint8Array(image.width * image.height);
  const memo = new Map<number, boolean>();
  const data = image.data;
  for (let p = 0; p < out.length; p++) {
    const seed = seeds ? seeds.labels[p] : SEED.NONE;
    if (seed !== SEED.NONE) {
      out[p] = seed === SEED.FOREGROUND ? MASK.FOREGROUND : MASK.BACKGROUND;
      continue;
    }
    const r = data[p * 3];
    const g = data[p * 3 + 1];
    const b = data[p * 3 + 2];
    const key = (r << 16) | (g << 8) | b;
    let foregroundColor = memo.get(key);
    if (foregroundColor === undefined) {
      foregroundColor = isForegroundColor(foreground, background, r, g, b);
      memo.set(key, foregroundColor);
    }
    out[p] = foregroundColor ? MASK.FOREGROUND : MASK.BACKGROUND;
  }
  return out;
}
