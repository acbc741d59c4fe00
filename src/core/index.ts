/**
 * strokecut's pure core: typed arrays in, typed arrays out. No file system, no DOM — it runs the
 * same in Node, in a Web Worker and in a browser page.
 */
export { classifyPixels } from './classify/classify.js';
export type { ErrorCode } from './errors.js';
export { isStrokecutError, StrokecutError } from './errors.js';
export type { KMeansOptions, KMeansResult } from './kmeans/kmeans.js';
export { initialiseKMeansPlusPlus, KMEANS_DEFAULTS, kmeans } from './kmeans/kmeans.js';
export type { ColorModel } from './model/color-model.js';
export { createColorModel, isForegroundColor, logLikelihood } from './model/color-model.js';
export type { CocoDataset, CocoEntry, CocoRle, OverlayOptions } from './outputs/index.js';
export {
  cocoDataset,
  cutoutRgba,
  decodeCocoRle,
  encodeCocoRle,
  maskAreaAndBox,
  maskToRunLengths,
  OVERLAY_DEFAULTS,
  overlayRgb,
  runLengthsToMask,
  runLengthsToString,
  softMap,
  softValue,
  stringToRunLengths,
} from './outputs/index.js';
export { createRandom } from './random.js';
export type { WeightedColors } from './seeds/distinct-colors.js';
export { distinctFromPackedColors, seedColors } from './seeds/distinct-colors.js';
export type { StrokeColorOptions } from './seeds/extract-seeds.js';
export { countSeeds, dominantStrokeColors, extractSeeds } from './seeds/extract-seeds.js';
export {
  createColorMatcher,
  DEFAULT_BACKGROUND_COLOR,
  DEFAULT_FOREGROUND_COLOR,
  formatHex,
  parseHexColor,
  rgbToHsv,
  STROKE_COLOR_RULES,
} from './seeds/stroke-colors.js';
export type { ClassCounts, SegmentOptions, SegmentResult, SegmentStats } from './segment.js';
export { SEGMENT_DEFAULTS, segment } from './segment.js';
export type { Rgb, RgbaImage, RgbImage, SeedLabels } from './types.js';
export { MASK, SEED } from './types.js';
