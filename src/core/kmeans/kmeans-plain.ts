import { StrokecutError } from '../errors.js';
import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { KMeansOptions, KMeansResult } from './kmeans-shared.js';
import { assertClusterCount, assertTolerance, KMEANS_DEFAULTS, largestShift } from './kmeans-shared.js';

/*
 * The plain reference: k-means++ then Lloyd's iterations, written as simply as possible. The
 * accelerated `kmeans` (kmeans.ts) must return exactly what this returns — same centres to the
 * bit, same weights, same iteration count — and the tests check that it does.
 */

/**
 * Weighted k-means on distinct colours (each colour counted with its pixel count, which gives the
 * same clusters as running on every pixel, for far less work). Initialisation is k-means++ from a
 * seeded PRNG; iterations are Lloyd's. Deterministic for a given seed: ties in the nearest-centre
 * search go to the lowest cluster index, and an emptied cluster is moved to the point farthest
 * from its centre (lowest index on ties).
 *
 * When there are no more distinct colours than k, each colour is its own cluster.
 */
export function kmeansPlain(points: WeightedColors, k: number, options: KMeansOptions = {}): KMeansResult {
  assertClusterCount(k);
  const seed = options.seed ?? KMEANS_DEFAULTS.seed;
  const maxIterations = options.maxIterations ?? KMEANS_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? KMEANS_DEFAULTS.tolerance;
  assertTolerance(tolerance);
  const n = points.count;
  if (n === 0) throw new StrokecutError('INVALID_OPTION', 'k-means needs at least one point; found none.');
  const { colors, weights } = points;
  const total = points.total;

  if (n <= k) {
    const centroids = Float64Array.from(colors);
    const shares = new Float64Array(n);
    for (let i = 0; i < n; i++) shares[i] = weights[i] / total;
    return { k: n, centroids, weights: shares, iterations: 0, converged: true };
  }

  const centroids = initialiseKMeansPlusPlusPlain(points, k, seed);
  const previous = new Float64Array(k * 3);
  const assignment = new Int32Array(n).fill(-1);
  const distance = new Float64Array(n);
  const sums = new Float64Array(k * 3);
  const clusterWeight = new Float64Array(k);
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    iterations++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const r = colors[i * 3];
      const g = colors[i * 3 + 1];
      const b = colors[i * 3 + 2];
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const dr = r - centroids[c * 3];
        const dg = g - centroids[c * 3 + 1];
        const db = b - centroids[c * 3 + 2];
        const d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      distance[i] = bestDistance;
      if (assignment[i] !== best) {
        assignment[i] = best;
        changed++;
      }
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    previous.set(centroids);
    updateCentroids(points, assignment, k, centroids, sums, clusterWeight, distance);
    if (tolerance > 0 && largestShift(previous, centroids, k) <= tolerance) {
      converged = true;
      break;
    }
  }

  const shares = new Float64Array(k);
  for (let i = 0; i < n; i++) shares[assignment[i]] += weights[i];
  for (let c = 0; c < k; c++) shares[c] /= total;
  return { k, centroids, weights: shares, iterations, converged };
}

/**
 * Lloyd's update: each centre moves to the weighted mean of its points. An emptied cluster is
 * re-seeded at the point worst served by its centre (`distance`: squared distance from each
 * point to its centre), so k clusters survive. Shared by both implementations.
 */
export function updateCentroids(
  points: WeightedColors,
  assignment: Int32Array,
  k: number,
  centroids: Float64Array,
  sums: Float64Array,
  clusterWeight: Float64Array,
  distance: Float64Array,
): void {
  const { colors, weights, count: n } = points;
  sums.fill(0);
  clusterWeight.fill(0);
  for (let i = 0; i < n; i++) {
    const c = assignment[i];
    const w = weights[i];
    sums[c * 3] += w * colors[i * 3];
    sums[c * 3 + 1] += w * colors[i * 3 + 1];
    sums[c * 3 + 2] += w * colors[i * 3 + 2];
    clusterWeight[c] += w;
  }
  for (let c = 0; c < k; c++) {
    if (clusterWeight[c] > 0) {
      centroids[c * 3] = sums[c * 3] / clusterWeight[c];
      centroids[c * 3 + 1] = sums[c * 3 + 1] / clusterWeight[c];
      centroids[c * 3 + 2] = sums[c * 3 + 2] / clusterWeight[c];
      continue;
    }
    // Empty cluster: re-seed it at the point worst served by its centre, so k clusters survive.
    let farthest = -1;
    let farthestDistance = -1;
    for (let i = 0; i < n; i++) {
      if (distance[i] > farthestDistance && clusterWeight[assignment[i]] > weights[i]) {
        farthestDistance = distance[i];
        farthest = i;
      }
    }
    if (farthest < 0) continue;
    clusterWeight[assignment[farthest]] -= weights[farthest];
    assignment[farthest] = c;
    clusterWeight[c] = weights[farthest];
    distance[farthest] = 0;
    centroids[c * 3] = colors[farthest * 3];
    centroids[c * 3 + 1] = colors[farthest * 3 + 1];
    centroids[c * 3 + 2] = colors[farthest * 3 + 2];
  }
}

/**
 * k-means++ (Arthur & Vassilvitskii 2007) with point weights: the first centre is drawn with
 * probability ∝ weight, each next one ∝ weight × squared distance to the nearest chosen centre.
 */
export function initialiseKMeansPlusPlusPlain(points: WeightedColors, k: number, seed: number): Float64Array {
  const { colors, weights, count: n } = points;
  const random = createRandom(seed);
  const centroids = new Float64Array(k * 3);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const score = new Float64Array(n);

  let chosen = sampleIndex(weights, n, random());
  for (let c = 0; c < k; c++) {
    const cr = colors[chosen * 3];
    const cg = colors[chosen * 3 + 1];
    const cb = colors[chosen * 3 + 2];
    centroids[c * 3] = cr;
    centroids[c * 3 + 1] = cg;
    centroids[c * 3 + 2] = cb;
    if (c === k - 1) break;
    for (let i = 0; i < n; i++) {
      const dr = colors[i * 3] - cr;
      const dg = colors[i * 3 + 1] - cg;
      const db = colors[i * 3 + 2] - cb;
      const d = dr * dr + dg * dg + db * db;
      if (d < nearest[i]) nearest[i] = d;
      score[i] = weights[i] * nearest[i];
    }
    chosen = sampleIndex(score, n, random());
  }
  return centroids;
}

/** Index i drawn with probability ∝ values[i], from a uniform u in [0, 1). */
export function sampleIndex(values: Float64Array, n: number, u: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i];
  const target = u * total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (values[i] <= 0) continue;
    cumulative += values[i];
    last = i;
    if (cumulative > target) return i;
  }
  return last; // rounding left target just above the sum: take the last positive entry
}
