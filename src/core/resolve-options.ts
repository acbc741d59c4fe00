import { StrokecutError } from './errors.js';
import { assertTolerance, KMEANS_DEFAULTS } from './kmeans/kmeans-shared.js';
import type { RefineOptions } from './refine/options.js';
import { REFINE_DEFAULTS, validateClusterOptions, validateRefineOptions } from './refine/options.js';
import type { SegmentOptions } from './segment.js';

/**
 * `segment`'s one table of defaults, and the one place its options are resolved against it and
 * checked: everything after works on {@link ResolvedSegmentOptions}.
 */
export const SEGMENT_DEFAULTS = Object.freeze({
  k: 70,
  seed: KMEANS_DEFAULTS.seed,
  maxIterations: KMEANS_DEFAULTS.maxIterations,
  tolerance: 0.5,
  /** In the refined mode; the plain mode (smooth 0) defaults to false. */
  keepConnected: true,
  fillHoles: 0,
  ...REFINE_DEFAULTS,
});

export interface ResolvedSegmentOptions {
  k: number;
  seed: number;
  maxIterations: number;
  tolerance: number;
  keepConnected: boolean;
  fillHoles: number;
  /** The graph cut's options; `smooth` 0 means the plain per-pixel mode (no cut). */
  refine: RefineOptions;
}

/** Every option of `segment` resolved to its value, or INVALID_OPTION naming the first bad one. */
export function resolveSegmentOptions(options: SegmentOptions): ResolvedSegmentOptions {
  const d = SEGMENT_DEFAULTS;
  const refine: RefineOptions = {
    smooth: options.smooth ?? d.smooth,
    iterations: options.iterations ?? d.iterations,
    settle: options.settle ?? d.settle,
    k: options.k ?? d.k,
    seed: options.seed ?? d.seed,
    maxIterations: options.maxIterations ?? d.maxIterations,
    dataTerm: options.dataTerm ?? d.dataTerm,
    gmmWeight: options.gmmWeight ?? (options.dataTerm === 'gmm' ? 1 : d.gmmWeight),
    gmmComponents: options.gmmComponents ?? d.gmmComponents,
    boundaryTerm: options.boundaryTerm ?? d.boundaryTerm,
    star: options.star ?? d.star,
    connectedRefit: options.connectedRefit ?? d.connectedRefit,
    starLast: options.starLast ?? d.starLast,
    geodesicRefit: options.geodesicRefit ?? d.geodesicRefit,
    geodesicRefitWeight: options.geodesicRefitWeight ?? d.geodesicRefitWeight,
    geodesicRefitBackground: options.geodesicRefitBackground ?? d.geodesicRefitBackground,
    geodesicRefitSoft: options.geodesicRefitSoft ?? d.geodesicRefitSoft,
    geodesicRefitMargin: options.geodesicRefitMargin ?? d.geodesicRefitMargin,
    geodesicRefitEdge: options.geodesicRefitEdge ?? d.geodesicRefitEdge,
    starSoft: options.starSoft ?? d.starSoft,
    starGamma: options.starGamma ?? d.starGamma,
    strokeWeight: options.strokeWeight ?? d.strokeWeight,
    reestimateBits: options.reestimateBits ?? d.reestimateBits,
    dataBits: options.dataBits ?? d.dataBits,
    workingPixels: options.workingPixels ?? d.workingPixels,
    bandRadius: options.bandRadius ?? d.bandRadius,
    energy: false,
    refitRestarts: options.refitRestarts ?? d.refitRestarts,
  };
  validateClusterOptions(refine);
  validateRefineOptions(refine);
  const tolerance = options.tolerance ?? d.tolerance;
  assertTolerance(tolerance);
  const fillHoles = options.fillHoles ?? d.fillHoles;
  if (!Number.isInteger(fillHoles) || fillHoles < 0) {
    throw new StrokecutError('INVALID_OPTION', `fillHoles must be an integer ≥ 0; found ${fillHoles}.`);
  }
  return {
    k: refine.k,
    seed: refine.seed,
    maxIterations: refine.maxIterations,
    tolerance,
    keepConnected: options.keepConnected ?? (refine.smooth > 0 && d.keepConnected),
    fillHoles,
    refine,
  };
}
