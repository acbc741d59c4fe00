import { StrokecutError } from '../errors.js';
import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';

export interface KMeansOptions {
  /** Seed of the PRNG behind k-means++ initialisation. Default 0. */
  seed?: number;
  /** Most Lloyd iterations; the loop stops earlier once no point changes cluster. Default 100. */
  maxIterations?: number;
  /**
   * Convergence tolerance in RGB units: stop once an iteration moves no centre farther than this.
   * Default 0: run to a fixed point (an iteration that changes no assignment) or maxIterations.
   */
  tolerance?: number;
}

export interface KMeansResult {
  /** Number of clusters found: min(k, number of distinct colours). */
  readonly k: number;
  /** Cluster centres, k × 3 (R, G, B), in 0–255 (not rounded). */
  readonly centroids: Float64Array;
  /** Each cluster's share of the points' total weight; sums to 1. */
  readonly weights: Float64Array;
  /** Lloyd iterations run. */
  readonly iterations: number;
  /**
   * True when the last iteration changed no assignment (a fixed point of Lloyd's algorithm), or
   * moved no centre farther than a positive `tolerance`.
   */
  readonly converged: boolean;
}

export const KMEANS_DEFAULTS = { seed: 0, maxIterations: 100, tolerance: 0 } as const;

export function assertClusterCount(k: number): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new StrokecutError('INVALID_OPTION', `k must be a positive integer; found ${k}.`);
  }
}

export function assertTolerance(tolerance: number): void {
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new StrokecutError('INVALID_OPTION', `tolerance must be a finite number ≥ 0; found ${tolerance}.`);
  }
}

/** Euclidean distance centre c moved between two k × 3 centre arrays. */
export function centreShift(before: Float64Array, after: Float64Array, c: number): number {
  const dr = after[c * 3] - before[c * 3];
  const dg = after[c * 3 + 1] - before[c * 3 + 1];
  const db = after[c * 3 + 2] - before[c * 3 + 2];
  return Math.sqrt(dr * dr + dg * dg + db * db);
}

/** The largest {@link centreShift} over the k centres. */
export function largestShift(before: Float64Array, after: Float64Array, k: number): number {
  let largest = 0;
  for (let c = 0; c < k; c++) largest = Math.max(largest, centreShift(before, after, c));
  return largest;
}

/**
 * Lloyd's update: each centre moves to the weighted mean of its points. An emptied cluster is
 * re-seeded at the point worst served by its centre (`distance`: squared distance from each
 * point to its centre), so k clusters survive. Shared by `kmeans` and the plain reference in src/testing/.
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
  sumClusters(points, assignment, sums, clusterWeight);
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

/** Per-cluster weighted sums of the colours and total weights, from scratch. */
export function sumClusters(
  points: WeightedColors,
  assignment: Int32Array,
  sums: Float64Array,
  clusterWeight: Float64Array,
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
}

/**
 * The checked options of a k-means run, and its answer when there is nothing to cluster: with no
 * more distinct colours than k, every colour is its own cluster (shared by `kmeans` and the plain
 * reference, which must agree on it).
 */
export function startKMeans(
  points: WeightedColors,
  k: number,
  options: KMeansOptions,
): { seed: number; maxIterations: number; tolerance: number; trivial?: KMeansResult } {
  assertClusterCount(k);
  const seed = options.seed ?? KMEANS_DEFAULTS.seed;
  const maxIterations = options.maxIterations ?? KMEANS_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? KMEANS_DEFAULTS.tolerance;
  assertTolerance(tolerance);
  const n = points.count;
  if (n === 0) throw new StrokecutError('INVALID_OPTION', 'k-means needs at least one point; found none.');
  if (n > k) return { seed, maxIterations, tolerance };
  const shares = new Float64Array(n);
  for (let i = 0; i < n; i++) shares[i] = points.weights[i] / points.total;
  const trivial = {
    k: n,
    centroids: Float64Array.from(points.colors),
    weights: shares,
    iterations: 0,
    converged: true,
  };
  return { seed, maxIterations, tolerance, trivial };
}
