import { kmeans } from '../kmeans/kmeans.js';
import type { ColorModel } from '../model/color-model.js';
import { createColorModel } from '../model/color-model.js';
import type { Gmm } from '../model/gmm.js';
import { fitGmm, gmmLogDensity, refitGmm } from '../model/gmm.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import type { RefineHooks } from './hooks.js';
import type { BoundaryTerm, ColorModels, DataTerm } from './options.js';

/**
 * The two halves of the graph cut's energy — data terms D_p from the colour models, boundary
 * weights B_pq from the image — quantised to the integers the max-flow works in, and the
 * re-fitting of the colour models between cuts. Shared by ./full-resolution.ts and
 * ./coarse-to-fine.ts.
 */

/** Energies are quantised to integers for the exact max-flow: this many units per unit of energy. */
export const REFINE_SCALE = 256;
const SCALE = REFINE_SCALE;
/** Largest |terminal capacity| from the data term; strokes get more than any cut could pay. */
const MAX_DATA = 1 << 26;
const HARD = 1 << 29;
/** Diagonal neighbours are √2 apart: their boundary weight is divided by it (as this product). */
const INVERSE_DIAGONAL = 1 / Math.SQRT2;

/** Squared RGB difference of the pixels whose data start at byte offsets i and j. */
function squaredDifference(data: Uint8Array, i: number, j: number): number {
  const dr = data[i] - data[j];
  const dg = data[i + 1] - data[j + 1];
  const db = data[i + 2] - data[j + 2];
  return dr * dr + dg * dg + db * db;
}

/** β = 1 / (2 · mean squared colour difference) over the image's 8-neighbour pairs (0 if uniform). */
export function boundaryBeta(image: RgbImage): number {
  const { width, height, data } = image;
  let sum = 0;
  // Every term is an integer and the total stays far below 2^53, so the sum is exact in any order:
  // each row's is summed on its own (a function called per row, optimised after the first few).
  for (let y = 0; y < height; y++) sum += rowSquaredDifferences(data, width, y, y + 1 < height);
  let pairs = 0;
  if (width > 1) pairs += (width - 1) * height;
  if (height > 1) pairs += width * (height - 1) + 2 * Math.max(0, width - 1) * (height - 1);
  // A uniform image (mean 0) has no edges to follow.
  return sum > 0 ? pairs / (2 * sum) : 0;
}

/**
 * Row y's part of {@link boundaryBeta}'s sum: every 8-neighbour pair with an end in row y and the
 * other to its right or in the row below. The loop walks a 2 × 2 window (a b over c d) along the
 * row and adds its pairs a–b (E), a–c (S), a–d (SE) and b–c (the SW pair of b); the last column
 * adds its a–c. Each window's b and d become the next one's a and c, so a pixel's bytes are read
 * once per row, not four or five times (the same pairs, so the same integer sum).
 */
function rowSquaredDifferences(data: Uint8Array, width: number, y: number, hasBelow: boolean): number {
  const row = width * 3;
  let i = y * row;
  let sum = 0;
  if (!hasBelow) {
    for (let x = 0; x + 1 < width; x++, i += 3) {
      const dr = data[i] - data[i + 3];
      const dg = data[i + 1] - data[i + 4];
      const db = data[i + 2] - data[i + 5];
      sum += dr * dr + dg * dg + db * db;
    }
    return sum;
  }
  let ar = data[i];
  let ag = data[i + 1];
  let ab = data[i + 2];
  let cr = data[i + row];
  let cg = data[i + row + 1];
  let cb = data[i + row + 2];
  for (let x = 0; x + 1 < width; x++, i += 3) {
    const br = data[i + 3];
    const bg = data[i + 4];
    const bb = data[i + 5];
    const j = i + row;
    const dr = data[j + 3];
    const dg = data[j + 4];
    const db = data[j + 5];
    const abR = ar - br;
    const abG = ag - bg;
    const abB = ab - bb;
    const acR = ar - cr;
    const acG = ag - cg;
    const acB = ab - cb;
    const adR = ar - dr;
    const adG = ag - dg;
    const adB = ab - db;
    const bcR = br - cr;
    const bcG = bg - cg;
    const bcB = bb - cb;
    sum +=
      abR * abR +
      abG * abG +
      abB * abB +
      acR * acR +
      acG * acG +
      acB * acB +
      adR * adR +
      adG * adG +
      adB * adB +
      bcR * bcR +
      bcG * bcG +
      bcB * bcB;
    ar = br;
    ag = bg;
    ab = bb;
    cr = dr;
    cg = dg;
    cb = db;
  }
  const lr = ar - cr;
  const lg = ag - cg;
  const lb = ab - cb;
  return sum + lr * lr + lg * lg + lb * lb;
}

/**
 * Quantised edge capacities λ · B · SCALE by squared colour difference (0 … 3 · 255²), for straight
 * and diagonal neighbours, filled on first use: an image's edges take few distinct values, so this
 * costs far fewer exp() calls than one per edge. The weight is rounded to float32 before scaling,
 * as {@link boundaryWeights} stores it, so both give the same capacities.
 */
export class EdgeCapacities {
  private readonly straight = new Int32Array(3 * 255 * 255 + 1).fill(-1);
  private readonly diagonal = new Int32Array(3 * 255 * 255 + 1).fill(-1);

  constructor(
    readonly beta: number,
    readonly term: BoundaryTerm,
    readonly smooth: number,
  ) {}

  static forImage(image: RgbImage, term: BoundaryTerm, smooth: number): EdgeCapacities {
    return new EdgeCapacities(term === 'grabcut' ? boundaryBeta(image) : 0, term, smooth);
  }

  /** Capacity of the edge between the pixels at byte offsets i and j; `diagonal` for d odd. */
  between(data: Uint8Array, i: number, j: number, diagonal: boolean): number {
    const squared = squaredDifference(data, i, j);
    const table = diagonal ? this.diagonal : this.straight;
    const c = table[squared];
    return c >= 0 ? c : this.fill(squared, diagonal);
  }

  /** Capacity of a straight edge whose two pixels differ by `squared` (for loops over every edge). */
  straightAt(squared: number): number {
    const c = this.straight[squared];
    return c >= 0 ? c : this.fill(squared, false);
  }

  /** Capacity of a diagonal edge whose two pixels differ by `squared`. */
  diagonalAt(squared: number): number {
    const c = this.diagonal[squared];
    return c >= 0 ? c : this.fill(squared, true);
  }

  private fill(squared: number, diagonal: boolean): number {
    const w = this.term === 'grabcut' ? Math.exp(-this.beta * squared) : 1 / (1 + squared);
    const weight = Math.fround(diagonal ? w * INVERSE_DIAGONAL : w);
    const c = Math.round(this.smooth * weight * SCALE);
    (diagonal ? this.diagonal : this.straight)[squared] = c;
    return c;
  }
}

/**
 * Contrast-sensitive boundary weights B_pq for the four forward directions E, SE, S, SW
 * (directions 0–3), `weights[p * 4 + d]`; 0 where the neighbour is missing. (The cut itself uses
 * {@link EdgeCapacities}, which computes the same numbers without a per-pixel array; this is the
 * readable statement of them, for tests and diagnostics.)
 */
export function boundaryWeights(image: RgbImage, term: BoundaryTerm): Float32Array {
  const { width, height, data } = image;
  const weights = new Float32Array(width * height * 4);
  const beta = term === 'grabcut' ? boundaryBeta(image) : 0;
  const forward: [number, number][] = [
    [1, 0],
    [1, 1],
    [0, 1],
    [-1, 1],
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      forward.forEach(([dx, dy], d) => {
        const qx = x + dx;
        const qy = y + dy;
        if (qx < 0 || qx >= width || qy >= height) return;
        const squared = squaredDifference(data, p * 3, (qy * width + qx) * 3);
        const w = term === 'grabcut' ? Math.exp(-beta * squared) : 1 / (1 + squared);
        weights[p * 4 + d] = d % 2 === 1 ? w * INVERSE_DIAGONAL : w;
      });
    }
  }
  return weights;
}

/** Distinct (quantised) colours of a set of pixels and, per pixel of the set, the index of its colour. */
export interface ColorIndex {
  /** Packed 0xRRGGBB per distinct colour, in order of first appearance. */
  keys: Uint32Array;
  /** Distinct-colour index per pixel of the set. */
  index: Int32Array;
}

/**
 * Indexes the colours of the image's pixels (all of them, or those listed in `pixels`), quantised
 * to `bits` per channel and represented by their bin centre.
 */
export function indexColors(image: RgbImage, bits: number, pixels?: Int32Array): ColorIndex {
  const drop = 8 - bits;
  const quantise = ((0xff >> drop) << drop) | 0;
  const half = drop > 0 ? 1 << (drop - 1) : 0;
  const n = pixels ? pixels.length : image.width * image.height;
  const data = image.data;
  // Open addressing, multiplicative hashing, at most half full: far cheaper than a 2^24-entry
  // table for small images, whose zero-fill alone would cost more than the whole pass.
  let tableBits = 10;
  while (1 << tableBits < 2 * n && tableBits < 25) tableBits++;
  const size = 1 << tableBits;
  const tableKeys = new Int32Array(size).fill(-1);
  const tableSlots = new Int32Array(size);
  const index = new Int32Array(n);
  const keys = new Uint32Array(Math.min(n, 1 << 24));
  let count = 0;
  const shift = 32 - tableBits;
  const sizeMask = size - 1;
  for (let s = 0; s < n; s++) {
    const i = (pixels ? pixels[s] : s) * 3;
    const key =
      (((data[i] & quantise) | half) << 16) |
      (((data[i + 1] & quantise) | half) << 8) |
      ((data[i + 2] & quantise) | half);
    let h = Math.imul(key, 0x9e3779b1) >>> shift;
    for (;;) {
      const k = tableKeys[h];
      if (k === key) break;
      if (k === -1) {
        tableKeys[h] = key;
        tableSlots[h] = count;
        keys[count++] = key;
        break;
      }
      h = (h + 1) & sizeMask;
    }
    index[s] = tableSlots[h];
  }
  return { keys: keys.slice(0, count), index };
}

/**
 * Per distinct colour, D(bg) − D(fg): positive favours foreground. With `gmmWeight` > 0 the
 * mixtures' weighted log-likelihood ratio is added (with term `gmm` it is the whole value).
 */
export function dataDifferences(
  keys: Uint32Array,
  models: ColorModels,
  term: DataTerm,
  gmmWeight: number,
  out: Float64Array,
): void {
  const { foreground, background } = models;
  const mixtures = gmmWeight > 0 ? models.gmm : undefined;
  const scratch = new Float64Array(Math.max(foreground.k, background.k));
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const r = key >>> 16;
    const g = (key >>> 8) & 255;
    const b = key & 255;
    const mixture = mixtures
      ? gmmWeight *
        (gmmLogDensity(mixtures.foreground, r, g, b) - gmmLogDensity(mixtures.background, r, g, b))
      : 0;
    if (term === 'gmm') {
      out[i] = mixture;
    } else if (term === 'likelihood') {
      out[i] =
        fastLogLikelihood(foreground, r, g, b, scratch) -
        fastLogLikelihood(background, r, g, b, scratch) +
        mixture;
    } else {
      const f = nearestDistance(foreground, r, g, b);
      const h = nearestDistance(background, r, g, b);
      out[i] = (f + h > 0 ? (h - f) / (f + h) : 0) + mixture;
    }
  }
}

/**
 * {@link logLikelihood} computed in one pass over the centres, with the terms more than 36 below
 * the largest left out of the sum: each weighs less than e^−36 ≈ 2·10^−16 of it, under double
 * precision's resolution, so the value agrees with logLikelihood to rounding (the test checks it)
 * while most exp() calls are skipped.
 */
export function fastLogLikelihood(
  model: ColorModel,
  r: number,
  g: number,
  b: number,
  scratch: Float64Array,
): number {
  const { k, centroids, logWeights } = model;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const dr = r - centroids[i * 3];
    const dg = g - centroids[i * 3 + 1];
    const db = b - centroids[i * 3 + 2];
    const term = logWeights[i] - Math.sqrt(dr * dr + dg * dg + db * db);
    scratch[i] = term;
    if (term > max) max = term;
  }
  const floor = max - 36;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const term = scratch[i];
    if (term > floor) sum += Math.exp(term - max);
  }
  return max + Math.log(sum);
}

function nearestDistance(model: ColorModel, r: number, g: number, b: number): number {
  const c = model.centroids;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < model.k; i++) {
    const dr = r - c[i * 3];
    const dg = g - c[i * 3 + 1];
    const db = b - c[i * 3 + 2];
    const d = dr * dr + dg * dg + db * db;
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/**
 * Terminal capacities of nodes: strokes are hard, other pixels get their colour's quantised data
 * term. Node s is pixel `pixels[s]` (or pixel s when `pixels` is not given).
 */
export function fillTerminals(
  terminal: Int32Array,
  labels: Uint8Array,
  index: Int32Array,
  differences: Float64Array,
  pixels?: Int32Array,
): void {
  // Quantise once per distinct colour; the per-pixel pass is then a look-up.
  const perColor = new Int32Array(differences.length);
  for (let c = 0; c < differences.length; c++) {
    perColor[c] = Math.min(MAX_DATA, Math.max(-MAX_DATA, Math.round(differences[c] * SCALE)));
  }
  for (let s = 0; s < terminal.length; s++) {
    const seed = labels[pixels ? pixels[s] : s];
    terminal[s] = seed === SEED.NONE ? perColor[index[s]] : seed === SEED.FOREGROUND ? HARD : -HARD;
  }
}

/**
 * Colours of the pixels `mask` labels foreground and of those it labels background, each stroke
 * pixel counted `strokeWeight` times, quantised to `bits` per channel (bin centres), as weighted
 * colours: one pass over the image for both classes.
 */
function labelledColors(
  image: RgbImage,
  mask: Uint8Array,
  seeds: SeedLabels,
  strokeWeight: number,
  bits: number,
  only?: Uint8Array,
  alsoForeground?: Uint8Array | Float32Array,
  alsoWeight = 1,
  cellBackgroundWeight = 1,
): { foreground: WeightedColors; background: WeightedColors } {
  const n = image.width * image.height;
  const data = image.data;
  const labels = seeds.labels;
  const shift = 8 - bits;
  const bins = 1 << (3 * bits);
  const foreground = new Float64Array(bins);
  const background = new Float64Array(bins);
  if (!only && !alsoForeground) {
    countLabelledBins(data, mask, labels, strokeWeight, shift, bits, foreground, background);
    return { foreground: binsToColors(foreground, bits), background: binsToColors(background, bits) };
  }
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    if (only && only[p] === 0) continue;
    const bin =
      ((data[i] >> shift) << (2 * bits)) | ((data[i + 1] >> shift) << bits) | (data[i + 2] >> shift);
    const seed = labels[p];
    if (mask[p] !== MASK.BACKGROUND) foreground[bin] += seed === SEED.FOREGROUND ? strokeWeight : 1;
    else if (seed === SEED.BACKGROUND) background[bin] += strokeWeight;
    else if (alsoForeground && alsoForeground[p] !== 0) {
      // In the foreground strokes' cell, unstroked, cut background: partly foreground evidence,
      // scaled by the pixel's membership c (1 in the hard cell, s^power in the soft one).
      const c = alsoForeground[p];
      if (c === 1) {
        foreground[bin] += alsoWeight;
        background[bin] += cellBackgroundWeight;
      } else {
        foreground[bin] += alsoWeight * c;
        background[bin] += 1 - (1 - cellBackgroundWeight) * c;
      }
    } else background[bin] += 1;
  }
  return { foreground: binsToColors(foreground, bits), background: binsToColors(background, bits) };
}

/** {@link labelledColors}' count over every pixel, with no restriction and no extra foreground. */
function countLabelledBins(
  data: Uint8Array,
  mask: Uint8Array,
  labels: Uint8Array,
  strokeWeight: number,
  shift: number,
  bits: number,
  foreground: Float64Array,
  background: Float64Array,
): void {
  const n = mask.length;
  if (strokeWeight === 1) {
    // Every pixel counts 1: integer counts (exact, as the sums of ones in floating point are),
    // foreground in the upper half of one table, without a branch.
    const bins = foreground.length;
    const counts = new Int32Array(2 * bins);
    const upper = Math.log2(bins);
    for (let p = 0, i = 0; p < n; p++, i += 3) {
      const bin =
        ((data[i] >> shift) << (2 * bits)) | ((data[i + 1] >> shift) << bits) | (data[i + 2] >> shift);
      counts[bin | ((-mask[p] >>> 31) << upper)]++; // (−m >>> 31: 1 for any m > 0)
    }
    for (let b = 0; b < bins; b++) {
      background[b] = counts[b];
      foreground[b] = counts[b + bins];
    }
    return;
  }
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    const bin =
      ((data[i] >> shift) << (2 * bits)) | ((data[i + 1] >> shift) << bits) | (data[i + 2] >> shift);
    const seed = labels[p];
    if (mask[p] !== MASK.BACKGROUND) foreground[bin] += seed === SEED.FOREGROUND ? strokeWeight : 1;
    else background[bin] += seed === SEED.BACKGROUND ? strokeWeight : 1;
  }
}

/**
 * The colour counts of {@link countLabelledBins} (every pixel counted once) for one image, kept
 * between re-fits with the mask they were counted for: a new mask changes the counts of the pixels
 * whose label changed only — a few per cent of them between the cuts of a refinement or after a
 * stroke — so a 12 MP re-fit's count is a comparison of the masks instead of a pass over the
 * image's colours. Integer counts: exactly those of a count from nothing.
 */
class LabelledCounts {
  private mask: Uint8Array | null = null;
  /** Background count of bin b at b, foreground at b + bins. */
  private readonly counts: Int32Array;
  private readonly bins: number;

  constructor(
    private readonly image: RgbImage,
    private readonly bits: number,
  ) {
    this.bins = 1 << (3 * bits);
    this.counts = new Int32Array(2 * this.bins);
  }

  colorsFor(mask: Uint8Array): { foreground: WeightedColors; background: WeightedColors } {
    const { bins, bits, counts } = this;
    const data = this.image.data;
    const shift = 8 - bits;
    if (!this.mask || this.mask.length !== mask.length) {
      counts.fill(0);
      const foreground = new Float64Array(bins);
      const background = new Float64Array(bins);
      countLabelledBins(data, mask, mask, 1, shift, bits, foreground, background);
      for (let b = 0; b < bins; b++) {
        counts[b] = background[b];
        counts[b + bins] = foreground[b];
      }
      this.mask = mask.slice();
    } else {
      const old = this.mask;
      const visit = (p: number) => {
        const was = old[p] !== MASK.BACKGROUND;
        const now = mask[p] !== MASK.BACKGROUND;
        old[p] = mask[p];
        if (was === now) return;
        const i = p * 3;
        const bin =
          ((data[i] >> shift) << (2 * bits)) | ((data[i + 1] >> shift) << bits) | (data[i + 2] >> shift);
        counts[now ? bin + bins : bin]++;
        counts[now ? bin : bin + bins]--;
      };
      const n = mask.length;
      let p = 0;
      if (old.byteOffset % 4 === 0 && mask.byteOffset % 4 === 0) {
        const words = n >> 2;
        const a = new Uint32Array(old.buffer, old.byteOffset, words);
        const b = new Uint32Array(mask.buffer, mask.byteOffset, words);
        for (let w = 0; w < words; w++) {
          if (a[w] === b[w]) continue;
          for (let q = w * 4; q < w * 4 + 4; q++) if (old[q] !== mask[q]) visit(q);
        }
        p = words * 4;
      }
      for (; p < n; p++) if (old[p] !== mask[p]) visit(p);
    }
    const foreground = new Float64Array(bins);
    const background = new Float64Array(bins);
    for (let b = 0; b < bins; b++) {
      background[b] = counts[b];
      foreground[b] = counts[b + bins];
    }
    return { foreground: binsToColors(foreground, bits), background: binsToColors(background, bits) };
  }
}

function keptCounts(memo: NonNullable<RefineHooks['memo']>, image: RgbImage, bits: number): LabelledCounts {
  const counts = memo(
    `labelled counts ${image.width}x${image.height} ${bits}`,
    () => new LabelledCounts(image, bits),
  );
  // (The memo is per segmenter, which has one image and its shrunk copies: the key's size tells them apart.)
  return counts;
}

function binsToColors(counts: Float64Array, bits: number): WeightedColors {
  const shift = 8 - bits;
  const half = shift > 0 ? 1 << (shift - 1) : 0;
  let count = 0;
  for (let b = 0; b < counts.length; b++) if (counts[b] > 0) count++;
  const colors = new Uint8Array(count * 3);
  const weights = new Float64Array(count);
  let total = 0;
  const mask1 = (1 << bits) - 1;
  for (let b = 0, j = 0; b < counts.length; b++) {
    if (counts[b] === 0) continue;
    colors[j * 3] = (((b >> (2 * bits)) & mask1) << shift) | half;
    colors[j * 3 + 1] = (((b >> bits) & mask1) << shift) | half;
    colors[j * 3 + 2] = ((b & mask1) << shift) | half;
    weights[j] = counts[b];
    total += counts[b];
    j++;
  }
  return { colors, weights, count, total };
}

export interface RefitOptions {
  /**
   * `kmeans` here replaces k-means (a memo of it: the same results); with `memo`, the colour counts
   * of a re-fit are kept and the next re-fit on the same image only moves the pixels whose label
   * changed (the same counts).
   */
  hooks?: Pick<RefineHooks, 'kmeans' | 'memo'>;
  k: number;
  seed: number;
  maxIterations: number;
  strokeWeight: number;
  reestimateBits: number;
  geodesicRefitWeight: number;
  geodesicRefitBackground: number;
  /** See RefineOptions.refitRestarts; absent: 1. */
  refitRestarts?: number;
  dataTerm: DataTerm;
  gmmWeight: number;
  gmmComponents: number;
}

/**
 * The mixtures fitted on the stroke pixels' colours (quantised to `reestimateBits`), when the data
 * term uses them and `models` has none yet; `models` as it is otherwise.
 */
export function withStrokeMixtures(
  image: RgbImage,
  seeds: SeedLabels,
  options: RefitOptions,
  models: ColorModels,
): ColorModels {
  if (models.gmm || !(options.gmmWeight > 0)) return models;
  // The strokes' colours: a mask that labels foreground exactly the foreground strokes.
  const n = image.width * image.height;
  const strokeMask = new Uint8Array(n);
  const strokeOnly = new Uint8Array(n);
  const labels = seeds.labels;
  for (let p = 0; p < n; p++) {
    if (labels[p] === SEED.FOREGROUND) strokeMask[p] = MASK.FOREGROUND;
    if (labels[p] !== SEED.NONE) strokeOnly[p] = 1;
  }
  const points = labelledColors(image, strokeMask, seeds, 1, options.reestimateBits, strokeOnly);
  const fit = (colors: WeightedColors) =>
    fitGmm(colors, {
      components: options.gmmComponents,
      seed: options.seed,
      binWidth: 1 << (8 - options.reestimateBits),
    });
  return { ...models, gmm: { foreground: fit(points.foreground), background: fit(points.background) } };
}

/** Both colour models re-fitted (k-means) on the pixels `mask` gives each class. */
export function refitModels(
  image: RgbImage,
  mask: Uint8Array,
  seeds: SeedLabels,
  options: RefitOptions,
  previous: ColorModels,
  alsoForeground?: Uint8Array | Float32Array,
): ColorModels {
  const memo = options.hooks?.memo;
  const points =
    memo && !alsoForeground && options.strokeWeight === 1
      ? keptCounts(memo, image, options.reestimateBits).colorsFor(mask)
      : labelledColors(
          image,
          mask,
          seeds,
          options.strokeWeight,
          options.reestimateBits,
          undefined,
          alsoForeground,
          options.geodesicRefitWeight,
          options.geodesicRefitBackground,
        );
  const binWidth = 1 << (8 - options.reestimateBits);
  const refitMixture = (colors: WeightedColors, fallback: Gmm): Gmm =>
    colors.count === 0 ? fallback : refitGmm(colors, fallback, binWidth);
  const gmm = previous.gmm && {
    foreground: refitMixture(points.foreground, previous.gmm.foreground),
    background: refitMixture(points.background, previous.gmm.background),
  };
  // With the mixtures as the whole data term, the k-means models are not used by the cut.
  if (gmm && options.dataTerm === 'gmm') return { ...previous, gmm };
  const fit = (colors: WeightedColors, fallback: ColorModel) => {
    // Strokes are hard constraints, so each class keeps at least its stroke pixels; guard anyway.
    if (colors.count === 0) return fallback;
    const fit = options.hooks?.kmeans ?? kmeans;
    const clusters = fit(colors, options.k, { seed: options.seed, maxIterations: options.maxIterations });
    const restarts = options.refitRestarts ?? 1;
    if (restarts <= 1) return createColorModel(clusters);
    let best = clusters;
    let bestCost = kmeansCost(colors, clusters);
    for (let r = 1; r < restarts; r++) {
      const seed = (options.seed + r) >>> 0;
      const other = fit(colors, options.k, { seed, maxIterations: options.maxIterations });
      const cost = kmeansCost(colors, other);
      if (cost < bestCost) {
        best = other;
        bestCost = cost;
      }
    }
    return createColorModel(best);
  };
  return {
    foreground: fit(points.foreground, previous.foreground),
    background: fit(points.background, previous.background),
    gmm,
  };
}

/** The k-means cost of `clusters` on `points`: Σ weight · squared distance to the nearest centre. */
export function kmeansCost(points: WeightedColors, clusters: { k: number; centroids: Float64Array }): number {
  const { colors, weights, count } = points;
  const { k, centroids } = clusters;
  let cost = 0;
  for (let i = 0; i < count; i++) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const dr = colors[i * 3] - centroids[c * 3];
      const dg = colors[i * 3 + 1] - centroids[c * 3 + 1];
      const db = colors[i * 3 + 2] - centroids[c * 3 + 2];
      const d = dr * dr + dg * dg + db * db;
      if (d < best) best = d;
    }
    cost += weights[i] * best;
  }
  return cost;
}
