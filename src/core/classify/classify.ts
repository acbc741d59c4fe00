import type { ColorModel } from '../model/color-model.js';
import { isForegroundColor } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { ColorDecider } from './color-decider.js';

/**
 * Labels every pixel by its colour (see {@link isForegroundColor}); seed pixels keep their own label.
 * Writes 255 (foreground) or 0 (background) into `out` (allocated when not given) and returns it.
 *
 * The decision depends on the colour alone, so the per-pixel pass is a table look-up: a
 * {@link ColorDecider} settles whole boxes of colours by a Lipschitz bound and evaluates one by one
 * only the colours near the decision boundary. The mask is identical, pixel for pixel, to
 * evaluating {@link isForegroundColor} at every pixel ({@link classifyPixelsPlain}).
 *
 * Pass a `decider` to reuse decisions across images classified with the same two models (a
 * decider is tied to the models it was made with).
 */
export function classifyPixels(
  image: RgbImage,
  foreground: ColorModel,
  background: ColorModel,
  seeds?: SeedLabels,
  out: Uint8Array = new Uint8Array(image.width * image.height),
  decider: ColorDecider = new ColorDecider(foreground, background),
): Uint8Array {
  if (decider.foreground !== foreground || decider.background !== background) {
    throw new Error('classifyPixels: the decider was made for other colour models.');
  }
  const data = image.data;
  const coarse = decider.coarse;
  let fine = decider.fine;
  const n = image.width * image.height;
  if (out.length < n) throw new Error(`classifyPixels: out holds ${out.length} bytes; ${n} are needed.`);
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    // 8-boxes of the RGB cube: 0 unknown, 1 background, 2 foreground, ≥ 3 straddling (block + 3).
    const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    let state = coarse[cell];
    if (state >= 3 || state === 0) {
      if (state === 0) {
        state = decider.resolveCell(cell);
        fine = decider.fine;
      }
      if (state >= 3) {
        const block = state - 3;
        state = fine[(block << 9) | ((r & 7) << 6) | ((g & 7) << 3) | (b & 7)];
        if (state === 0) {
          state = decider.resolveColor(block, r, g, b);
          fine = decider.fine;
        }
      }
    }
    out[p] = (state >> 1) * MASK.FOREGROUND; // 1 → 0, 2 → 255
  }
  if (seeds) applySeeds(seeds.labels, out, n);
  return out;
}

/** Number of non-zero bytes of a mask, counted a word (four pixels) at a time. */
export function countForeground(mask: Uint8Array): number {
  let count = 0;
  let p = 0;
  if (mask.byteOffset % 4 === 0) {
    const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2);
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (word === 0) continue;
      // High bit of each byte set iff the byte is non-zero; then add the four bits up.
      const nonZero = (((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word) & 0x80808080;
      count += Math.imul(nonZero >>> 7, 0x01010101) >>> 24;
    }
    p = words.length << 2;
  }
  for (; p < mask.length; p++) if (mask[p] !== 0) count++;
  return count;
}

/**
 * Seed pixels keep their own label. A separate pass is cheaper than a test per pixel in the loop
 * above: strokes cover a few per cent of an image, and unmarked pixels are skipped four at a time.
 */
function applySeeds(labels: Uint8Array, out: Uint8Array, n: number): void {
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let q = w << 2; q < (w << 2) + 4; q++) {
        const seed = labels[q];
        if (seed !== SEED.NONE) out[q] = seed === SEED.FOREGROUND ? MASK.FOREGROUND : MASK.BACKGROUND;
      }
    }
    p = words.length << 2;
  }
  for (; p < n; p++) {
    const seed = labels[p];
    if (seed !== SEED.NONE) out[p] = seed === SEED.FOREGROUND ? MASK.FOREGROUND : MASK.BACKGROUND;
  }
}

/**
 * The plain computation {@link classifyPixels} must match: {@link isForegroundColor} for every
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
