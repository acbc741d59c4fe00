import { StrokecutError } from '../errors.js';

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
