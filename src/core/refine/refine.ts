import { StrokecutError } from '../errors.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { refineCoarseToFine, workingFactor } from './coarse-to-fine.js';
import { refineAtFullResolution } from './full-resolution.js';
import type { ColorModels, RefineOptions, RefineResult } from './options.js';
import { REFERENCE_DIAGONAL, validateClusterOptions, validateRefineOptions } from './options.js';

export type {
  BoundaryTerm,
  ColorModels,
  DataTerm,
  RefineOptions,
  RefineResult,
  RefineTuning,
} from './options.js';
export { REFINE_DEFAULTS } from './options.js';
export { boundaryWeights, fastLogLikelihood, REFINE_SCALE } from './terms.js';

/**
 * Graph-cut refinement: the labelling x minimising
 *
 *   E(x) = Σ_p D_p(x_p) + λ Σ_{p,q 8-neighbours} [x_p ≠ x_q] · B_pq
 *
 * exactly, by a minimum cut, with stroke pixels as hard constraints; then, as GrabCut does, the two
 * colour models are re-fitted on the pixels now labelled each way and the cut is made again, until
 * the labels stop changing or `iterations` cuts have been made.
 *
 * The parts: ./options.ts (options, result, defaults, checks), ./terms.ts (D and B, quantised, and
 * the re-fitting), ./grid.ts (directions, edges, energy), ./maxflow.ts (the cut),
 * ./full-resolution.ts (the loop at the image's own size), ./coarse-to-fine.ts (large images).
 */

/**
 * Refines a segmentation by graph cuts, starting from the colour models fitted on the strokes:
 * whole at full resolution, or coarse to fine when the image has more than `workingPixels` pixels
 * (see {@link workingFactor}). Checks the options first; {@link refineChecked} is the same without.
 */
export function refineSegmentation(
  image: RgbImage,
  seeds: SeedLabels,
  initial: ColorModels,
  options: RefineOptions,
): RefineResult {
  validateClusterOptions(options);
  validateRefineOptions(options);
  return refineChecked(image, seeds, initial, options);
}

/** {@link refineSegmentation} for options already checked (by `resolveSegmentOptions`). */
export function refineChecked(
  image: RgbImage,
  seeds: SeedLabels,
  initial: ColorModels,
  options: RefineOptions,
): RefineResult {
  if (!(options.smooth > 0)) {
    throw new StrokecutError('INVALID_OPTION', 'refineSegmentation needs smooth > 0 (0 is the plain mode).');
  }
  // The cut's λ for this image: the data term grows with the area, the boundary term with the
  // length, so a λ fixed per pixel pair would smooth a photo less the more pixels it has.
  const scaled = {
    ...options,
    smooth: options.smooth * (Math.hypot(image.width, image.height) / REFERENCE_DIAGONAL),
  };
  if (workingFactor(image.width * image.height, options.workingPixels) >= 2) {
    return refineCoarseToFine(image, seeds, initial, scaled);
  }
  return refineAtFullResolution(image, seeds, initial, scaled);
}
