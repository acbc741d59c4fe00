/** Soft edges: an alpha matte and foreground colours in a band around a binary mask's outline. */
export type { MatteBand } from './band.js';
export { bandIndexOf, buildBand } from './band.js';
export type { MatteOptions, MatteResult, MatteStats } from './matte.js';
export { defaultEdgeRadius, MATTE_DEFAULTS, matte } from './matte.js';
export type { MatteErrors } from './scores.js';
export {
  alphaFromBytes,
  featherMask,
  foregroundColourError,
  gradientMagnitude,
  matteErrors,
} from './scores.js';
