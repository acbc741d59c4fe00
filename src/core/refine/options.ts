import { StrokecutError } from '../errors.js';
import { assertClusterCount } from '../kmeans/kmeans-shared.js';
import type { ColorModel } from '../model/color-model.js';
import type { Gmm } from '../model/gmm.js';
import type { RefineHooks } from './hooks.js';

/**
 * The refinement's options and result, its one table of defaults, and their validation. Options
 * are checked once, where they enter (`segment` or `refineSegmentation`); the code below them
 * takes them as given.
 */

/**
 * Data terms. `likelihood`: D_p(fg) = −log L_fg(c_p), the core's own colour model (see
 * `logLikelihood` in ../model/color-model.ts). `distance`: Lazy Snapping's normalised
 * nearest-cluster distances, D_p(fg) = d_F / (d_F + d_B) with d_F, d_B the distances to the
 * nearest fg / bg centre. `gmm`: GrabCut's, D_p(fg) = −log p_fg(c_p) under a full-covariance
 * Gaussian mixture per class (see ../model/gmm.ts), times `gmmWeight`.
 */
export type DataTerm = 'likelihood' | 'distance' | 'gmm';
/**
 * Boundary terms. `grabcut`: B = exp(−β‖c_p − c_q‖²) / dist(p, q) with β = 1 / (2 · mean ‖c_p − c_q‖²)
 * over the image's neighbour pairs. `lazy`: Lazy Snapping's B = 1 / (1 + ‖c_p − c_q‖²) / dist(p, q).
 */
export type BoundaryTerm = 'grabcut' | 'lazy';

/** The two colour models a cut is made with. */
export interface ColorModels {
  foreground: ColorModel;
  background: ColorModel;
  /** The Gaussian mixtures, when the data term uses them (`gmmWeight` > 0). */
  gmm?: { foreground: Gmm; background: Gmm };
}

/**
 * `smooth` is λ for a photo of this diagonal in pixels (640 × 480); an image of diagonal d is cut
 * with λ · d / REFERENCE_DIAGONAL, which keeps the balance of the energy's two terms — the data
 * term summed over the area, the boundary term along the outline — the same at any resolution.
 */
export const REFERENCE_DIAGONAL = 800;

export interface RefineOptions {
  /**
   * λ, the weight of the boundary term, for a photo of {@link REFERENCE_DIAGONAL} pixels' diagonal
   * (scaled with the image's diagonal). Must be > 0 (0 is the plain per-pixel mode, not refined).
   */
  smooth: number;
  /** Most graph cuts; re-estimation of the colour models happens between them. */
  iterations: number;
  /**
   * Stop re-fitting once a cut changed at most this fraction of the labels of the cut before (0:
   * only at a fixed point, or when `iterations` run out). Coarse to fine, it applies to the coarse
   * cuts, whose labels are the image's shrunk.
   */
  settle: number;
  /** Clusters per re-estimated colour model. */
  k: number;
  /** Seed of the re-estimation's k-means++. */
  seed: number;
  /** Most Lloyd iterations per re-estimation (they start far from converged only on the first). */
  maxIterations: number;
  dataTerm: DataTerm;
  /**
   * Weight of GrabCut's Gaussian-mixture log-likelihood ratio, log p_fg(c) − log p_bg(c), in the
   * data term: the whole of it with dataTerm `gmm`, added to the other data terms' value otherwise
   * (0: no mixtures fitted).
   */
  gmmWeight: number;
  /** Components per Gaussian mixture (grabcut.cpp: 5). */
  gmmComponents: number;
  boundaryTerm: BoundaryTerm;
  /**
   * Geodesic star convexity about the foreground strokes (see ./star.ts): a pixel can be
   * foreground only if its whole shortest path to the nearest foreground stroke is.
   */
  star: boolean;
  /**
   * Re-fit the colour models on the cut's foreground regions that touch a foreground stroke only
   * (the rest counted as background), as the final mask keeps them: a patch of object colour far
   * from every foreground stroke then teaches the background model, not the foreground one.
   */
  connectedRefit: boolean;
  /** With `star`: the cuts that learn the colour models go without it, one last cut adds it. */
  starLast: boolean;
  /**
   * > 0: when re-fitting, the foreground model also learns the pixels geodesically nearer the
   * foreground strokes than the background ones (path length as the star's, with this γ), even
   * where the cut said background: object parts no stroke covered then enter the foreground
   * model instead of only the background one. 0: off.
   */
  geodesicRefit: number;
  /** How much each such pixel counts in the foreground model (a cut's pixel counts 1). Default 0.1. */
  geodesicRefitWeight: number;
  /**
   * With `geodesicRefit`: how much each pixel of the foreground strokes' geodesic cell that the cut
   * said background (and no stroke did) counts in the background model (a cut's pixel counts 1):
   * below 1, the background model is held back from learning the colours nearest the foreground
   * strokes. Default 1 (the cell changes the foreground model only).
   */
  geodesicRefitBackground: number;
  /**
   * With `geodesicRefit`: 0 (default) a hard cell, every pixel of it counting fully; p > 0 a soft
   * one, each pixel's weight and background hold-back scaled by s^p, s = d_bg / (d_fg + d_bg) from
   * its two geodesic distances (½ at the cell's border, 1 on the strokes).
   */
  geodesicRefitSoft: number;
  /**
   * With `geodesicRefit`: 0 (default) off; p > 0 each pixel of the cell weighs t^p,
   * t = (d_bg − d_fg) / (d_bg + d_fg), falling to 0 at the cell's border (instead of the soft
   * cell's ½^p); takes the place of `geodesicRefitSoft`.
   */
  geodesicRefitMargin: number;
  /**
   * With `geodesicRefit`: 0 (default) off; e > 0 the foreground strokes' paths stop at colour edges,
   * steps whose squared colour difference exceeds e times the image's mean squared neighbour one.
   */
  geodesicRefitEdge: number;
  /** With `star`: 0 a hard constraint; > 0 breaking it costs this many uniform straight edges. */
  starSoft: number;
  /** γ of the star's path length: 0 straight rays, larger bends the rays along colour edges. */
  starGamma: number;
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
  /**
   * The most pixels the re-fitting cuts work on. An image of more is shrunk by the smallest integer
   * factor that brings it within this many, f = ⌈√(pixels / workingPixels)⌉ ≥ 2, and refined
   * coarse to fine (see ./coarse-to-fine.ts): the cuts run on the shrunk image, then one
   * full-resolution cut settles a band around the coarse outline with the rest fixed. That is an
   * approximation of the full-resolution minimum (Lazy Snapping's own speed-up is one too: it cuts
   * a graph of watershed regions) which turns seconds per megapixel into tens of milliseconds. The
   * default, 640 × 512, keeps every benchmark photo whole and decides a photo upscaled ×3 or ×6 on
   * an image of about its own size (docs/algorithm.md, "The same cut at any resolution"); shrunk
   * by 2, the benchmark's photos lose accuracy (0.820 against 0.842 mean IoU). `Infinity` cuts
   * every image whole.
   */
  workingPixels: number;
  /**
   * How many blocks (of the coarse image's pixels, `factor` pixels wide) the band reaches beyond
   * the blocks in doubt. 0: just the blocks on either side of the coarse outline, so a band at least
   * `factor` pixels wide each way. Measured on the benchmark images scaled ×3 and ×6, 1 changed the
   * mean IoU by under 0.001 and took the band from ~2.5% to ~5% of the pixels.
   */
  bandRadius: number;
  /**
   * Diagnostics: also compute the returned labelling's energy ({@link RefineResult.energy}). It
   * costs a walk over every edge, so it is off unless asked for.
   */
  energy: boolean;
  /**
   * k-means runs per re-fit (1, default): with more, seeds `seed`, `seed` + 1, …, and the run of
   * least k-means cost (weighted sum of squared distances to the nearest centre) is kept.
   */
  refitRestarts: number;
  /** Reuse of work between runs on one image (see ./hooks.ts); none by default. */
  hooks?: RefineHooks;
}

/** The refinement's fine-tuning, which `segment` passes through (the defaults are the measured choices). */
export type RefineTuning = Partial<
  Pick<
    RefineOptions,
    | 'dataTerm'
    | 'gmmWeight'
    | 'gmmComponents'
    | 'boundaryTerm'
    | 'star'
    | 'starGamma'
    | 'connectedRefit'
    | 'starLast'
    | 'geodesicRefit'
    | 'geodesicRefitWeight'
    | 'geodesicRefitBackground'
    | 'geodesicRefitSoft'
    | 'geodesicRefitMargin'
    | 'geodesicRefitEdge'
    | 'starSoft'
    | 'strokeWeight'
    | 'reestimateBits'
    | 'dataBits'
    | 'bandRadius'
    | 'settle'
    | 'refitRestarts'
  >
>;

/** The refinement's defaults (segment's user-facing ones among them: smooth, iterations, workingPixels). */
export const REFINE_DEFAULTS: Readonly<Omit<RefineOptions, 'k' | 'seed' | 'maxIterations'>> = Object.freeze({
  smooth: 4,
  iterations: 5,
  settle: 0,
  dataTerm: 'distance',
  gmmWeight: 0,
  gmmComponents: 5,
  boundaryTerm: 'grabcut',
  star: false,
  connectedRefit: false,
  starLast: false,
  geodesicRefit: 0,
  geodesicRefitWeight: 0.1,
  geodesicRefitBackground: 1,
  geodesicRefitSoft: 0,
  geodesicRefitMargin: 0,
  geodesicRefitEdge: 0,
  starSoft: 0,
  starGamma: 10,
  strokeWeight: 1,
  reestimateBits: 5,
  dataBits: 6,
  workingPixels: 640 * 512,
  bandRadius: 0,
  energy: false,
  refitRestarts: 1,
});

export interface RefineTimings {
  setup: number;
  data: number;
  maxflow: number;
  refit: number;
}

export interface RefineResult {
  /** 255 foreground, 0 background. */
  mask: Uint8Array;
  /** The colour models of the last cut. */
  models: ColorModels;
  /** Graph cuts made. */
  cuts: number;
  /**
   * True when the last re-estimation changed no label (a fixed point); false when `iterations` ran
   * out. Coarse to fine: whether the coarse cuts reached a fixed point.
   */
  converged: boolean;
  /**
   * Only with `options.energy`: the energy of the returned labelling under the last cut's problem,
   * in the cut's quantised units: the whole image's at full resolution; coarse to fine, the band's
   * (its pixels' data terms and every edge touching one of them).
   */
  energy?: number;
  /** Milliseconds per step, summed over the cuts: set-up, data terms, max-flow, re-fitting. */
  timings: RefineTimings;
  /**
   * 1 when cut at full resolution; otherwise the coarse-to-fine shrink factor, with `bandPixels`
   * the pixels of the full-resolution band (the only ones the last cut could change).
   */
  factor: number;
  bandPixels: number;
}

const DATA_TERMS: readonly DataTerm[] = ['likelihood', 'distance', 'gmm'];
const BOUNDARY_TERMS: readonly BoundaryTerm[] = ['grabcut', 'lazy'];

/**
 * Throws INVALID_OPTION naming the first option that is out of range. `smooth` may be 0 here (the
 * plain mode, which `segment` handles without refining).
 */
export function validateRefineOptions(options: Omit<RefineOptions, 'k' | 'seed' | 'maxIterations'>): void {
  const fail = (message: string): never => {
    throw new StrokecutError('INVALID_OPTION', message);
  };
  if (!Number.isFinite(options.smooth) || options.smooth < 0) {
    fail(`smooth must be a number ≥ 0; found ${options.smooth}.`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < 1) {
    fail(`iterations must be a positive integer; found ${options.iterations}.`);
  }
  if (!(options.settle >= 0 && options.settle <= 1)) {
    fail(`settle must be a fraction from 0 to 1; found ${options.settle}.`);
  }
  if (!DATA_TERMS.includes(options.dataTerm)) {
    fail(`dataTerm must be one of ${DATA_TERMS.join(', ')}; found ${options.dataTerm}.`);
  }
  if (!(options.gmmWeight >= 0) || !Number.isFinite(options.gmmWeight)) {
    fail(`gmmWeight must be a number ≥ 0; found ${options.gmmWeight}.`);
  }
  if (options.dataTerm === 'gmm' && !(options.gmmWeight > 0)) {
    fail('dataTerm gmm needs gmmWeight > 0.');
  }
  if (!Number.isInteger(options.gmmComponents) || options.gmmComponents < 1) {
    fail(`gmmComponents must be a positive integer; found ${options.gmmComponents}.`);
  }
  if (typeof options.star !== 'boolean') fail(`star must be true or false; found ${options.star}.`);
  if (!(options.starGamma >= 0) || !Number.isFinite(options.starGamma)) {
    fail(`starGamma must be a number ≥ 0; found ${options.starGamma}.`);
  }
  for (const name of ['starLast', 'connectedRefit'] as const) {
    if (typeof options[name] !== 'boolean') fail(`${name} must be true or false; found ${options[name]}.`);
  }
  for (const name of [
    'starSoft',
    'geodesicRefit',
    'geodesicRefitSoft',
    'geodesicRefitMargin',
    'geodesicRefitEdge',
  ] as const) {
    const value = options[name];
    if (!(value >= 0) || !Number.isFinite(value)) fail(`${name} must be a number ≥ 0; found ${value}.`);
  }
  if (!(options.geodesicRefitWeight > 0) || !Number.isFinite(options.geodesicRefitWeight)) {
    fail(`geodesicRefitWeight must be a number > 0; found ${options.geodesicRefitWeight}.`);
  }
  const background = options.geodesicRefitBackground;
  if (!(background >= 0 && background <= 1)) {
    fail(`geodesicRefitBackground must be a number from 0 to 1; found ${background}.`);
  }
  if (!Number.isInteger(options.refitRestarts) || options.refitRestarts < 1) {
    fail(`refitRestarts must be a positive integer; found ${options.refitRestarts}.`);
  }
  if (!BOUNDARY_TERMS.includes(options.boundaryTerm)) {
    fail(`boundaryTerm must be one of ${BOUNDARY_TERMS.join(', ')}; found ${options.boundaryTerm}.`);
  }
  if (!(options.strokeWeight > 0) || !Number.isFinite(options.strokeWeight)) {
    fail(`strokeWeight must be a number > 0; found ${options.strokeWeight}.`);
  }
  for (const name of ['reestimateBits', 'dataBits'] as const) {
    const bits = options[name];
    if (!Number.isInteger(bits) || bits < 1 || bits > 8) {
      fail(`${name} must be an integer from 1 to 8; found ${bits}.`);
    }
  }
  if (!(options.workingPixels >= 1)) {
    fail(
      `workingPixels must be a number ≥ 1 (Infinity: always full resolution); found ${options.workingPixels}.`,
    );
  }
  if (!Number.isInteger(options.bandRadius) || options.bandRadius < 0) {
    fail(`bandRadius must be an integer ≥ 0; found ${options.bandRadius}.`);
  }
}

/** Throws INVALID_OPTION unless the colour models' k-means options are in range. */
export function validateClusterOptions(options: Pick<RefineOptions, 'k' | 'seed' | 'maxIterations'>): void {
  assertClusterCount(options.k);
  const { seed, maxIterations } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `seed must be an integer from 0 to 4294967295; found ${seed}.`,
    );
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `maxIterations must be a positive integer; found ${maxIterations}.`,
    );
  }
}
