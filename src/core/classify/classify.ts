import type { ColorModel } from '../model/color-model.js';
import { isForegroundColor } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { ColorDecider } from './color-decider.js';

/**
 * Labels every pixel by its colour (see `isForegroundColor` in ../model/color-model.ts); seed pixels keep their own label.
 * Writes 255 (foreground) or 0 (background) into `out` (allocated when not given) and returns it.
 *
 * The decision depends on the colour alone, so the per-pixel pass is a table look-up: a
 * {@link ColorDecider} settles whole boxes of colours by a Lipschitz bound and evaluates one by one
 * only the colours near the decision boundary. The mask is identical, pixel for pixel, to
 * evaluating {@link isForegroundColor} at every pixel (the plain reference in src/testing/classify-plain.ts).
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
  const n = image.width * image.height;
  if (out.length < n) throw new Error(`classifyPixels: out holds ${out.length} bytes; ${n} are needed.`);
  let p = 0;
  if (LITTLE_ENDIAN && data.byteOffset % 4 === 0 && out.byteOffset % 4 === 0) {
    p = classifyWords(data, n, out, decider);
  }
  for (; p < n; p++) {
    const i = p * 3;
    out[p] = (colorState(decider, data[i], data[i + 1], data[i + 2]) >> 1) * MASK.FOREGROUND; // 1 → 0, 2 → 255
  }
  if (seeds) applySeeds(seeds.labels, out, n);
  return out;
}

/** The word-at-a-time pass below reads bytes in little-endian order (every platform Node ships on but s390x). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The decider's state for one colour: 1 background, 2 foreground. Table look-ups first (an 8-box
 * of the RGB cube: 0 unknown, 1 background, 2 foreground, ≥ 3 straddling, block + 3; then the
 * block's per-colour entry, 0 unknown), the decider's work only for what is not known yet.
 */
function colorState(decider: ColorDecider, r: number, g: number, b: number): number {
  const cell = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
  let state = decider.coarse[cell];
  if (state === 0) state = decider.resolveCell(cell);
  if (state >= 3) {
    const block = state - 3;
    state = decider.fine[(block << 9) | ((r & 7) << 6) | ((g & 7) << 3) | (b & 7)];
    if (state === 0) state = decider.resolveColor(block, r, g, b);
  }
  return state;
}

/**
 * The per-pixel pass four pixels at a time: 4 RGB pixels are 3 little-endian words (r0 g0 b0 r1 |
 * g1 b1 r2 g2 | b2 r3 g3 b3) and their 4 mask bytes one word, so the pass makes 3 loads and 1
 * store where byte access makes 12 and 4 — about half the time of the byte loop on a 12 MP photo.
 * The table indexes are cut straight out of the words. Colours whose 8-box straddles the boundary
 * (a third of a photo's pixels) take a second look-up inline; only colours the tables do not know
 * yet go to {@link colorState}. Returns the number of pixels done (a multiple of 4); both buffers
 * must start on a 4-byte boundary. The decision is the table's, so the mask is the byte loop's.
 */
function classifyWords(data: Uint8Array, n: number, out: Uint8Array, decider: ColorDecider): number {
  const groups = n >> 2;
  const words = new Uint32Array(data.buffer, data.byteOffset, groups * 3);
  const outWords = new Uint32Array(out.buffer, out.byteOffset, groups);
  const coarse = decider.coarse;
  // Re-read after every call into the decider: the fine table grows by reallocation.
  let fine = decider.fine;
  for (let q = 0, w = 0; q < groups; q++, w += 3) {
    const w0 = words[w];
    const w1 = words[w + 1];
    const w2 = words[w + 2];
    // Coarse index (r >> 3) << 10 | (g >> 3) << 5 | b >> 3, fine index (r & 7) << 6 | (g & 7) << 3 | b & 7.
    let s0 = coarse[((w0 & 0xf8) << 7) | ((w0 >>> 6) & 0x3e0) | ((w0 >>> 19) & 31)];
    if (s0 >= 3) s0 = fine[((s0 - 3) << 9) | ((w0 & 7) << 6) | ((w0 >>> 5) & 0x38) | ((w0 >>> 16) & 7)];
    if (s0 === 0) {
      s0 = colorState(decider, w0 & 255, (w0 >>> 8) & 255, (w0 >>> 16) & 255);
      fine = decider.fine;
    }
    let s1 = coarse[((w0 >>> 17) & 0x7c00) | ((w1 << 2) & 0x3e0) | ((w1 >>> 11) & 31)];
    if (s1 >= 3) s1 = fine[((s1 - 3) << 9) | ((w0 >>> 18) & 0x1c0) | ((w1 & 7) << 3) | ((w1 >>> 8) & 7)];
    if (s1 === 0) {
      s1 = colorState(decider, w0 >>> 24, w1 & 255, (w1 >>> 8) & 255);
      fine = decider.fine;
    }
    let s2 = coarse[((w1 >>> 9) & 0x7c00) | ((w1 >>> 22) & 0x3e0) | ((w2 >>> 3) & 31)];
    if (s2 >= 3) s2 = fine[((s2 - 3) << 9) | ((w1 >>> 10) & 0x1c0) | ((w1 >>> 21) & 0x38) | (w2 & 7)];
    if (s2 === 0) {
      s2 = colorState(decider, (w1 >>> 16) & 255, w1 >>> 24, w2 & 255);
      fine = decider.fine;
    }
    let s3 = coarse[((w2 >>> 1) & 0x7c00) | ((w2 >>> 14) & 0x3e0) | (w2 >>> 27)];
    if (s3 >= 3) s3 = fine[((s3 - 3) << 9) | ((w2 >>> 2) & 0x1c0) | ((w2 >>> 13) & 0x38) | ((w2 >>> 24) & 7)];
    if (s3 === 0) {
      s3 = colorState(decider, (w2 >>> 8) & 255, (w2 >>> 16) & 255, w2 >>> 24);
      fine = decider.fine;
    }
    // States 1/2 → bits 0/1 per byte; × 255 turns each bit into 0x00/0xff (no carries).
    outWords[q] = ((s0 >> 1) | ((s1 >> 1) << 8) | ((s2 >> 1) << 16) | ((s3 >> 1) << 24)) * MASK.FOREGROUND;
  }
  return groups << 2;
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
const FOREGROUND_RUN = SEED.FOREGROUND * 0x01010101;
const BACKGROUND_RUN = SEED.BACKGROUND * 0x01010101;
const FOREGROUND_MASK_RUN = MASK.FOREGROUND * 0x01010101;
const BACKGROUND_MASK_RUN = MASK.BACKGROUND * 0x01010101;

function applySeeds(labels: Uint8Array, out: Uint8Array, n: number): void {
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    const outWords =
      out.byteOffset % 4 === 0 ? new Uint32Array(out.buffer, out.byteOffset, n >> 2) : undefined;
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (word === 0) continue;
      // Inside a stroke: four pixels of one label, one word of mask.
      if (outWords && word === FOREGROUND_RUN) {
        outWords[w] = FOREGROUND_MASK_RUN;
        continue;
      }
      if (outWords && word === BACKGROUND_RUN) {
        outWords[w] = BACKGROUND_MASK_RUN;
        continue;
      }
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
