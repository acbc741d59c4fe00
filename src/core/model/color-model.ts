import type { KMeansResult } from '../kmeans/kmeans-shared.js';

/**
 * A colour model: a weighted set of cluster centres. Its likelihood of a colour c is
 * L(c) = Σ_i w_i · exp(−‖c − μ_i‖), Euclidean distance in RGB 0–255.
 */
export interface ColorModel {
  readonly k: number;
  /** k × 3 centres (R, G, B). */
  readonly centroids: Float64Array;
  /** log w_i, the log of each cluster's share of its class's seed pixels. */
  readonly logWeights: Float64Array;
}

export function createColorModel(clusters: Pick<KMeansResult, 'k' | 'centroids' | 'weights'>): ColorModel {
  const logWeights = new Float64Array(clusters.k);
  for (let i = 0; i < clusters.k; i++) logWeights[i] = Math.log(clusters.weights[i]);
  return { k: clusters.k, centroids: clusters.centroids.slice(0, clusters.k * 3), logWeights };
}

/**
 * log L(c) = logsumexp_i(log w_i − ‖c − μ_i‖), computed by factoring out the largest term so that
 * nothing underflows however far c lies from every centre (exp(−‖c − μ‖) alone underflows to 0
 * beyond a distance of about 745, and with several terms precision goes long before that).
 *
 * This one function defines the model's value for every code path (plain, cached, grid-accelerated),
 * which is what lets the fast paths promise results identical to the plain computation.
 */
export function logLikelihood(model: ColorModel, r: number, g: number, b: number): number {
  const { k, centroids, logWeights } = model;
  let max = Number.NEGATIVE_INFINITY;
  // First pass: the largest term.
  for (let i = 0; i < k; i++) {
    const dr = r - centroids[i * 3];
    const dg = g - centroids[i * 3 + 1];
    const db = b - centroids[i * 3 + 2];
    const term = logWeights[i] - Math.sqrt(dr * dr + dg * dg + db * db);
    if (term > max) max = term;
  }
  // Second pass: recompute the terms (cheaper than storing them: no allocation, no shared scratch).
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const dr = r - centroids[i * 3];
    const dg = g - centroids[i * 3 + 1];
    const db = b - centroids[i * 3 + 2];
    sum += Math.exp(logWeights[i] - Math.sqrt(dr * dr + dg * dg + db * db) - max);
  }
  return max + Math.log(sum);
}

/**
 * The decision rule: foreground where log L_fg(c) > log L_bg(c). A colour exactly as likely under
 * both models (a tie) is background — the conservative choice, since a spurious foreground pixel
 * in a cut-out shows more than a missing one.
 */
export function isForegroundColor(
  foreground: ColorModel,
  background: ColorModel,
  r: number,
  g: number,
  b: number,
): boolean {
  return logLikelihood(foreground, r, g, b) > logLikelihood(background, r, g, b);
}
