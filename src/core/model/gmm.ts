import { kmeans } from '../kmeans/kmeans.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';

/**
 * GrabCut's colour model (Rother, Kolmogorov & Blake, SIGGRAPH 2004; OpenCV's grabcut.cpp): a
 * mixture of a few full-covariance Gaussians in RGB, p(c) = Σ_i π_i N(c; μ_i, Σ_i). Where the
 * k-means kernel sum of ./color-model.ts scores a colour by its distance to the nearest centres,
 * a Gaussian learns the direction a class's colours spread in (a shaded surface's dark-to-light
 * axis), so one component covers both the dark and the light side of one material.
 *
 * Fitted as grabcut.cpp does: k-means for the first assignment, then each re-fit assigns every
 * colour to its most likely component of the previous mixture and re-estimates the components.
 */
export interface Gmm {
  readonly components: number;
  /** Per component: log π_i − ½ log det Σ_i − (3/2) log 2π, the density's constant part. */
  readonly logConstants: Float64Array;
  /** components × 3 means. */
  readonly means: Float64Array;
  /** components × 6: the inverse covariance's upper triangle (rr, rg, rb, gg, gb, bb). */
  readonly inverse: Float64Array;
}

/** Added to each covariance's diagonal (as grabcut.cpp does) so that a flat cluster stays invertible. */
const REGULARISATION = 0.01;
const LOG_2PI_3_2 = 1.5 * Math.log(2 * Math.PI);

export interface GmmFitOptions {
  components: number;
  seed: number;
  /**
   * Width of the colour bins the weighted colours stand for (1: exact colours). A bin's colours
   * spread uniformly over it, which adds width² / 12 to each channel's variance.
   */
  binWidth: number;
}

/** A mixture fitted on weighted colours, the first assignment from k-means. */
export function fitGmm(points: WeightedColors, options: GmmFitOptions): Gmm {
  const clusters = kmeans(points, options.components, { seed: options.seed, maxIterations: 20 });
  const assignment = new Int32Array(points.count);
  const { colors } = points;
  const c = clusters.centroids;
  for (let j = 0; j < points.count; j++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < clusters.k; i++) {
      const dr = colors[j * 3] - c[i * 3];
      const dg = colors[j * 3 + 1] - c[i * 3 + 1];
      const db = colors[j * 3 + 2] - c[i * 3 + 2];
      const d = dr * dr + dg * dg + db * db;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    assignment[j] = best;
  }
  return learnGmm(points, assignment, clusters.k, options.binWidth);
}

/** grabcut.cpp's re-fit: each colour to its most likely component of `previous`, then re-estimated. */
export function refitGmm(points: WeightedColors, previous: Gmm, binWidth: number): Gmm {
  const assignment = new Int32Array(points.count);
  const { colors } = points;
  for (let j = 0; j < points.count; j++) {
    let best = 0;
    let bestLog = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < previous.components; i++) {
      const l = componentLogDensity(previous, i, colors[j * 3], colors[j * 3 + 1], colors[j * 3 + 2]);
      if (l > bestLog) {
        bestLog = l;
        best = i;
      }
    }
    assignment[j] = best;
  }
  return learnGmm(points, assignment, previous.components, binWidth);
}

/** Weighted mean and covariance per component of an assignment; empty components are dropped. */
function learnGmm(points: WeightedColors, assignment: Int32Array, k: number, binWidth: number): Gmm {
  const { colors, weights } = points;
  const sums = new Float64Array(k * 10); // weight, 3 sums, 6 products
  for (let j = 0; j < points.count; j++) {
    const w = weights[j];
    const r = colors[j * 3];
    const g = colors[j * 3 + 1];
    const b = colors[j * 3 + 2];
    const o = assignment[j] * 10;
    sums[o] += w;
    sums[o + 1] += w * r;
    sums[o + 2] += w * g;
    sums[o + 3] += w * b;
    sums[o + 4] += w * r * r;
    sums[o + 5] += w * r * g;
    sums[o + 6] += w * r * b;
    sums[o + 7] += w * g * g;
    sums[o + 8] += w * g * b;
    sums[o + 9] += w * b * b;
  }
  let total = 0;
  let used = 0;
  for (let i = 0; i < k; i++) {
    if (sums[i * 10] > 0) {
      total += sums[i * 10];
      used++;
    }
  }
  const logConstants = new Float64Array(used);
  const means = new Float64Array(used * 3);
  const inverse = new Float64Array(used * 6);
  const binVariance = (binWidth * binWidth - 1) / 12;
  for (let i = 0, u = 0; i < k; i++) {
    const o = i * 10;
    const w = sums[o];
    if (!(w > 0)) continue;
    const mr = sums[o + 1] / w;
    const mg = sums[o + 2] / w;
    const mb = sums[o + 3] / w;
    const extra = binVariance + REGULARISATION;
    const rr = sums[o + 4] / w - mr * mr + extra;
    const rg = sums[o + 5] / w - mr * mg;
    const rb = sums[o + 6] / w - mr * mb;
    const gg = sums[o + 7] / w - mg * mg + extra;
    const gb = sums[o + 8] / w - mg * mb;
    const bb = sums[o + 9] / w - mb * mb + extra;
    // Inverse of the symmetric 3 × 3 matrix by cofactors.
    const c00 = gg * bb - gb * gb;
    const c01 = rb * gb - rg * bb;
    const c02 = rg * gb - rb * gg;
    const det = Math.max(rr * c00 + rg * c01 + rb * c02, 1e-12);
    inverse[u * 6] = c00 / det;
    inverse[u * 6 + 1] = c01 / det;
    inverse[u * 6 + 2] = c02 / det;
    inverse[u * 6 + 3] = (rr * bb - rb * rb) / det;
    inverse[u * 6 + 4] = (rb * rg - rr * gb) / det;
    inverse[u * 6 + 5] = (rr * gg - rg * rg) / det;
    means[u * 3] = mr;
    means[u * 3 + 1] = mg;
    means[u * 3 + 2] = mb;
    logConstants[u] = Math.log(w / total) - 0.5 * Math.log(det) - LOG_2PI_3_2;
    u++;
  }
  return { components: used, logConstants, means, inverse };
}

function componentLogDensity(gmm: Gmm, i: number, r: number, g: number, b: number): number {
  const dr = r - gmm.means[i * 3];
  const dg = g - gmm.means[i * 3 + 1];
  const db = b - gmm.means[i * 3 + 2];
  const m = gmm.inverse;
  const o = i * 6;
  const q =
    m[o] * dr * dr +
    m[o + 3] * dg * dg +
    m[o + 5] * db * db +
    2 * (m[o + 1] * dr * dg + m[o + 2] * dr * db + m[o + 4] * dg * db);
  return gmm.logConstants[i] - 0.5 * q;
}

/** log p(c), by factoring out the largest component (nothing underflows far from every mean). */
export function gmmLogDensity(gmm: Gmm, r: number, g: number, b: number): number {
  let max = Number.NEGATIVE_INFINITY;
  const k = gmm.components;
  const terms = k <= 16 ? SCRATCH : new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const l = componentLogDensity(gmm, i, r, g, b);
    terms[i] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.exp(terms[i] - max);
  return max + Math.log(sum);
}
const SCRATCH = new Float64Array(16);
