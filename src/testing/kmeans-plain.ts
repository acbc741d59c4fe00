import type { KMeansOptions, KMeansResult } from '../core/kmeans/kmeans-shared.js';
import {
  initialiseKMeansPlusPlusPlain,
  largestShift,
  startKMeans,
  updateCentroids,
} from '../core/kmeans/kmeans-shared.js';
import type { WeightedColors } from '../core/seeds/distinct-colors.js';

/*
 * The plain reference: k-means++ then Lloyd's iterations, written as simply as possible. The
 * accelerated `kmeans` (src/core/kmeans/kmeans.ts) must return exactly what this returns — same centres to the
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
  const { seed, maxIterations, tolerance, trivial } = startKMeans(points, k, options);
  if (trivial) return trivial;
  const n = points.count;
  const { colors, weights } = points;
  const total = points.total;

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
