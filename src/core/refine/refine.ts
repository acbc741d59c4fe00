import { StrokecutError } from '../errors.js';
import { kmeans } from '../kmeans/kmeans.js';
import type { ColorModel } from '../model/color-model.js';
import { createColorModel } from '../model/color-model.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { createGridNetwork, solveGridMaxflow } from './maxflow.js';

/**
 * Graph-cut refinement: the labelling x minimising
 *
 *   E(x) = Σ_p D_p(x_p) + λ Σ_{p,q 8-neighbours} [x_p ≠ x_q] · B_pq
 *
 * exactly, by a minimum cut, with stroke pixels as hard constraints; then, as GrabCut does, the two
 * colour models are re-fitted on the pixels now labelled each way and the cut is made again, until
 * the labels stop changing or `iterations` cuts have been made.
 */

/**
 * Data terms. `likelihood`: D_p(fg) = −log L_fg(c_p), the core's own colour model (see
 * `logLikelihood` in ../model/color-model.ts). `distance`: Lazy Snapping's normalised nearest-cluster distances,
 * D_p(fg) = d_F / (d_F + d_B) with d_F, d_B the distances to the nearest fg / bg centre.
 */
export type DataTerm = 'likelihood' | 'distance';
/**
 * Boundary terms. `grabcut`: B = exp(−β‖c_p − c_q‖²) / dist(p, q) with β = 1 / (2 · mean ‖c_p − c_q‖²)
 * over the image's neighbour pairs. `lazy`: Lazy Snapping's B = 1 / (1 + ‖c_p − c_q‖²) / dist(p, q).
 */
export type BoundaryTerm = 'grabcut' | 'lazy';

export interface RefineOptions {
  /** λ, the weight of the boundary term. Must be > 0 (0 is the plain per-pixel mode, not refined). */
  smooth: number;
  /** Most graph cuts; re-estimation of the colour models happens between them. */
  iterations: number;
  /** Clusters per re-estimated colour model. */
  k: number;
  /** Seed of the re-estimation's k-means++. */
  seed: number;
  /** Most Lloyd iterations per re-estimation (they start far from converged only on the first). */
  maxIterations: number;
  dataTerm: DataTerm;
  boundaryTerm: BoundaryTerm;
  /**
   * How much a stroke pixel counts, relative to a pixel labelled by the cut, when the colour models
   * are re-fitted: strokes are the user's word, cut labels are our guess.
   */
  strokeWeight: number;
  /**
   * Colour bits per channel kept when re-fitting (8 = exact colours). Fewer bits merge near-identical
   * colours, which bounds the distinct colours k-means sees and so its cost.
   */
  reestimateBits: number;
  /**
   * Colour bits per channel at which the data term is evaluated (8 = every exact colour). The data
   * term costs k distance computations per distinct colour and per model, and a photo has ~10^5
   * distinct colours; at 6 bits (steps of 4 levels, invisible in the result) there are a few 10^4.
   */
  dataBits: number;
}

export const REFINE_DEFAULTS: Omit<RefineOptions, 'smooth' | 'iterations' | 'k' | 'seed' | 'maxIterations'> =
  {
    dataTerm: 'distance',
    boundaryTerm: 'grabcut',
    strokeWeight: 1,
    reestimateBits: 5,
    dataBits: 6,
  };

export interface RefineResult {
  /** 255 foreground, 0 background. */
  mask: Uint8Array;
  /** The colour models of the last cut. */
  models: { foreground: ColorModel; background: ColorModel };
  /** Graph cuts made. */
  cuts: number;
  /** True when the last re-estimation changed no label (a fixed point); false when `iterations` ran out. */
  converged: boolean;
  /** Energy of the returned labelling, in the cut's quantised units (for tests and diagnostics). */
  energy: number;
  /** Milliseconds per step, summed over the cuts: set-up, data terms, max-flow, re-fitting. */
  timings: { setup: number; data: number; maxflow: number; refit: number };
}

/** Energies are quantised to integers for the exact max-flow: this many units per unit of energy. */
export const REFINE_SCALE = 256;
const SCALE = REFINE_SCALE;
/** Largest |terminal capacity| from the data term; strokes get more than any cut could pay. */
const MAX_DATA = 1 << 26;
const HARD = 1 << 29;

/**
 * Contrast-sensitive boundary weights B_pq for the four forward directions E, SE, S, SW
 * (directions 0–3), `weights[p * 4 + d]`; 0 where the neighbour is missing.
 */
export function boundaryWeights(image: RgbImage, term: BoundaryTerm): Float32Array {
  const { width, height, data } = image;
  const n = width * height;
  const weights = new Float32Array(n * 4);
  // Forward neighbours E, SE, S, SW as index offsets; written out (not looked up) because this loop
  // runs over every pixel of a large image.
  let sum = 0;
  let pairs = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const i = p * 3;
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      if (x + 1 < width) {
        const s = squaredDifference(r, g, b, data, i + 3);
        weights[p * 4] = s;
        sum += s;
        pairs++;
      }
      if (y + 1 < height) {
        const below = i + width * 3;
        if (x + 1 < width) {
          const s = squaredDifference(r, g, b, data, below + 3);
          weights[p * 4 + 1] = s;
          sum += s;
          pairs++;
        }
        const s = squaredDifference(r, g, b, data, below);
        weights[p * 4 + 2] = s;
        sum += s;
        pairs++;
        if (x > 0) {
          const t = squaredDifference(r, g, b, data, below - 3);
          weights[p * 4 + 3] = t;
          sum += t;
          pairs++;
        }
      }
    }
  }
  // β from the mean squared difference: a uniform image (mean 0) has no edges to follow.
  const beta = sum > 0 ? pairs / (2 * sum) : 0;
  // Squared differences are integers 0…3·255²: compute the weight once per value that occurs
  // (a lookup table) instead of once per edge — the same numbers, far fewer exp() calls.
  const table = new Float64Array(3 * 255 * 255 + 1).fill(-1);
  const inverseDiagonal = 1 / Math.SQRT2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      for (let d = 0; d < 4; d++) {
        // Missing neighbours: E and SE need x + 1 < width, SW needs x > 0, SE/S/SW need y + 1 < height.
        if ((d <= 1 && x + 1 >= width) || (d === 3 && x === 0) || (d >= 1 && y + 1 >= height)) continue;
        const squared = weights[p * 4 + d];
        let w = table[squared];
        if (w < 0) {
          w = term === 'grabcut' ? Math.exp(-beta * squared) : 1 / (1 + squared);
          table[squared] = w;
        }
        weights[p * 4 + d] = d % 2 === 1 ? w * inverseDiagonal : w;
      }
    }
  }
  return weights;
}

function squaredDifference(r: number, g: number, b: number, data: Uint8Array, j: number): number {
  const dr = r - data[j];
  const dg = g - data[j + 1];
  const db = b - data[j + 2];
  return dr * dr + dg * dg + db * db;
}

/** The image's distinct colours and, per pixel, the index of its colour. */
interface ColorIndex {
  /** Packed 0xRRGGBB per distinct colour, in order of first appearance. */
  keys: Uint32Array;
  /** Distinct-colour index per pixel. */
  index: Int32Array;
}

function indexColors(image: RgbImage, bits: number): ColorIndex {
  const drop = 8 - bits;
  const keep = (0xff >> drop) << drop;
  const half = drop > 0 ? 1 << (drop - 1) : 0;
  // Quantised colour = bin centre, packed, so the data term sees a representative colour.
  const quantise = keep | 0;
  const n = image.width * image.height;
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
  for (let p = 0, i = 0; p < n; p++, i += 3) {
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
    index[p] = tableSlots[h];
  }
  return { keys: keys.slice(0, count), index };
}

/** Per distinct colour, D(bg) − D(fg): positive favours foreground. */
function dataDifferences(
  keys: Uint32Array,
  foreground: ColorModel,
  background: ColorModel,
  term: DataTerm,
  out: Float64Array,
): void {
  const scratch = new Float64Array(Math.max(foreground.k, background.k));
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const r = key >>> 16;
    const g = (key >>> 8) & 255;
    const b = key & 255;
    if (term === 'likelihood') {
      out[i] =
        fastLogLikelihood(foreground, r, g, b, scratch) - fastLogLikelihood(background, r, g, b, scratch);
    } else {
      const f = nearestDistance(foreground, r, g, b);
      const h = nearestDistance(background, r, g, b);
      out[i] = f + h > 0 ? (h - f) / (f + h) : 0;
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
 * Colours of the pixels labelled `foreground` (or not) by `mask`, each stroke pixel of that class
 * counted `strokeWeight` times, quantised to `bits` per channel (bin centres), as weighted colours.
 */
function labelledColors(
  image: RgbImage,
  mask: Uint8Array,
  seeds: SeedLabels,
  foreground: boolean,
  strokeWeight: number,
  bits: number,
): WeightedColors {
  const n = image.width * image.height;
  const data = image.data;
  const shift = 8 - bits;
  const half = shift > 0 ? 1 << (shift - 1) : 0;
  const bins = 1 << (3 * bits);
  const counts = new Float64Array(bins);
  const strokeLabel = foreground ? SEED.FOREGROUND : SEED.BACKGROUND;
  for (let p = 0, i = 0; p < n; p++, i += 3) {
    if ((mask[p] !== MASK.BACKGROUND) !== foreground) continue;
    const bin =
      ((data[i] >> shift) << (2 * bits)) | ((data[i + 1] >> shift) << bits) | (data[i + 2] >> shift);
    counts[bin] += seeds.labels[p] === strokeLabel ? strokeWeight : 1;
  }
  let count = 0;
  for (let b = 0; b < bins; b++) if (counts[b] > 0) count++;
  const colors = new Uint8Array(count * 3);
  const weights = new Float64Array(count);
  let total = 0;
  const mask1 = (1 << bits) - 1;
  for (let b = 0, j = 0; b < bins; b++) {
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

export function assertRefineOptions(options: Pick<RefineOptions, 'smooth' | 'iterations'>): void {
  if (!Number.isFinite(options.smooth) || options.smooth < 0) {
    throw new StrokecutError('INVALID_OPTION', `smooth must be a number ≥ 0; found ${options.smooth}.`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < 1) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `iterations must be a positive integer; found ${options.iterations}.`,
    );
  }
}

/**
 * Refines a segmentation by graph cuts, starting from the colour models fitted on the strokes.
 */
export function refineSegmentation(
  image: RgbImage,
  seeds: SeedLabels,
  initial: { foreground: ColorModel; background: ColorModel },
  options: RefineOptions,
): RefineResult {
  assertRefineOptions(options);
  if (!(options.smooth > 0)) {
    throw new StrokecutError('INVALID_OPTION', 'refineSegmentation needs smooth > 0 (0 is the plain mode).');
  }
  for (const name of ['reestimateBits', 'dataBits'] as const) {
    const bits = options[name];
    if (!Number.isInteger(bits) || bits < 1 || bits > 8) {
      throw new StrokecutError('INVALID_OPTION', `${name} must be an integer from 1 to 8; found ${bits}.`);
    }
  }
  const t0 = performance.now();
  const timings = { setup: 0, data: 0, maxflow: 0, refit: 0 };
  const { width, height } = image;
  const n = width * height;
  const labels = seeds.labels;
  // Edge capacities depend on the image only: quantise them once (the float weights are garbage
  // before the big allocations below, which keeps the peak memory down).
  const edgeCapacities = quantisedEdgeCapacities(image, options.boundaryTerm, options.smooth);
  const colors = indexColors(image, options.dataBits);
  const differences = new Float64Array(colors.keys.length);
  const network = createGridNetwork(width, height);

  let models = initial;
  let mask: Uint8Array = new Uint8Array(n);
  let previous: Uint8Array | undefined;
  let cuts = 0;
  let converged = false;
  let energy = 0;
  // Terminal capacities of the current problem. After the first cut the network keeps its residual
  // capacities (the flow found so far) and only the terminals move by the change in the data term,
  // so each later cut starts from the previous flow instead of from zero ("dynamic graph cuts",
  // Kohli & Torr 2005). A node whose terminal flow exceeds its new capacity is reparametrised: the
  // same constant added to both its terminal capacities, which leaves every cut's ranking unchanged.
  // In the net-capacity form that needs nothing but adding the change to the residual.
  const applied = new Int32Array(n);
  const target = new Int32Array(n);
  timings.setup = performance.now() - t0;
  while (cuts < options.iterations) {
    const t1 = performance.now();
    dataDifferences(colors.keys, models.foreground, models.background, options.dataTerm, differences);
    fillTerminals(target, labels, colors.index, differences);
    const residual = network.terminal;
    if (cuts === 0) {
      residual.set(target);
      fillEdges(network.edges, edgeCapacities, width, n);
    } else {
      for (let p = 0; p < n; p++) residual[p] += target[p] - applied[p];
    }
    applied.set(target);
    const t2 = performance.now();
    const cut = solveGridMaxflow(network);
    const t3 = performance.now();
    timings.data += t2 - t1;
    timings.maxflow += t3 - t2;
    cuts++;
    mask = cut.sourceSide;
    for (let p = 0; p < n; p++) mask[p] *= MASK.FOREGROUND; // 1 → 255, 0 → 0
    energy = labellingEnergy(mask, applied, edgeCapacities, width, height);
    if (previous && equalMasks(previous, mask)) {
      converged = true;
      break;
    }
    if (cuts >= options.iterations) break;
    previous = mask;
    models = {
      foreground: refit(image, mask, seeds, true, options, models.foreground),
      background: refit(image, mask, seeds, false, options, models.background),
    };
    timings.refit += performance.now() - t3;
  }
  return { mask, models, cuts, converged, energy, timings };
}

function quantisedEdgeCapacities(image: RgbImage, term: BoundaryTerm, smooth: number): Int32Array {
  const boundary = boundaryWeights(image, term);
  const capacities = new Int32Array(boundary.length);
  for (let i = 0; i < boundary.length; i++) capacities[i] = Math.round(smooth * boundary[i] * SCALE);
  return capacities;
}

/** Terminal capacities: strokes are hard, other pixels get their colour's quantised data term. */
function fillTerminals(
  terminal: Int32Array,
  labels: Uint8Array,
  index: Int32Array,
  differences: Float64Array,
): void {
  for (let p = 0; p < terminal.length; p++) {
    const seed = labels[p];
    if (seed === SEED.FOREGROUND) terminal[p] = HARD;
    else if (seed === SEED.BACKGROUND) terminal[p] = -HARD;
    else {
      const t = Math.round(differences[index[p]] * SCALE);
      terminal[p] = Math.min(MAX_DATA, Math.max(-MAX_DATA, t));
    }
  }
}

/** Both directions of every neighbour pair get the pair's (symmetric) capacity. */
function fillEdges(edges: Int32Array, capacities: Int32Array, width: number, n: number): void {
  edges.fill(0);
  const se = width + 1;
  const sw = width - 1;
  for (let p = 0; p < n; p++) {
    const e = p * 8;
    const c = p * 4;
    const east = capacities[c];
    if (east !== 0) {
      edges[e] = east;
      edges[(p + 1) * 8 + 4] = east;
    }
    const southEast = capacities[c + 1];
    if (southEast !== 0) {
      edges[e + 1] = southEast;
      edges[(p + se) * 8 + 5] = southEast;
    }
    const south = capacities[c + 2];
    if (south !== 0) {
      edges[e + 2] = south;
      edges[(p + width) * 8 + 6] = south;
    }
    const southWest = capacities[c + 3];
    if (southWest !== 0) {
      edges[e + 3] = southWest;
      edges[(p + sw) * 8 + 7] = southWest;
    }
  }
}

/** E(x) in quantised units: terminal costs of each label plus the capacities of cut neighbour pairs. */
function labellingEnergy(
  mask: Uint8Array,
  terminal: Int32Array,
  capacities: Int32Array,
  width: number,
  height: number,
): number {
  let energy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const t = terminal[p];
      const fg = mask[p] !== 0;
      // Foreground pays the sink capacity (−t when t < 0), background the source capacity.
      if (fg ? t < 0 : t > 0) energy += fg ? -t : t;
      const c = p * 4;
      if (x + 1 < width && fg !== (mask[p + 1] !== 0)) energy += capacities[c];
      if (y + 1 < height) {
        const below = p + width;
        if (x + 1 < width && fg !== (mask[below + 1] !== 0)) energy += capacities[c + 1];
        if (fg !== (mask[below] !== 0)) energy += capacities[c + 2];
        if (x > 0 && fg !== (mask[below - 1] !== 0)) energy += capacities[c + 3];
      }
    }
  }
  return energy;
}

function refit(
  image: RgbImage,
  mask: Uint8Array,
  seeds: SeedLabels,
  foreground: boolean,
  options: RefineOptions,
  fallback: ColorModel,
): ColorModel {
  const points = labelledColors(image, mask, seeds, foreground, options.strokeWeight, options.reestimateBits);
  // Strokes are hard constraints, so each class keeps at least its stroke pixels; guard anyway.
  if (points.count === 0) return fallback;
  const clusters = kmeans(points, options.k, { seed: options.seed, maxIterations: options.maxIterations });
  return createColorModel(clusters);
}

function equalMasks(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
