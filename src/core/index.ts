/**
 * strokecut's pure core: typed arrays in, typed arrays out. No file system, no DOM — it runs the
 * same in Node, in a Web Worker and in a browser page.
 */
export { classifyPixels, classifyPixelsPlain, countForeground } from './classify/classify.js';
export type { ColorDeciderStats } from './classify/color-decider.js';
export { ColorDecider } from './classify/color-decider.js';
export type { ErrorCode } from './errors.js';
export { isStrokecutError, StrokecutError } from './errors.js';
export type { KMeansOptions, KMeansResult } from './kmeans/kmeans.js';
export { initialiseKMeansPlusPlus, KMEANS_DEFAULTS, kmeans } from './kmeans/kmeans.js';
export { kmeansPlain } from './kmeans/kmeans-plain.js';
export type { MatteErrors, MatteOptions, MatteResult, MatteStats } from './matte/index.js';
export {
  alphaFromBytes,
  buildBand,
  defaultEdgeRadius,
  featherMask,
  foregroundColourError,
  MATTE_DEFAULTS,
  matte,
  matteErrors,
} from './matte/index.js';
export type { MaskScores } from './metrics/metrics.js';
export { boundaryF, scoreMask, UNLABELLED } from './metrics/metrics.js';
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
export { fillHoles, keepConnected } from './refine/cleanup.js';
export type { FlowNetwork, GridNetwork, MaxflowResult } from './refine/maxflow.js';
export {
  createGridNetwork,
  createNetwork,
  setEdgeCapacity,
  setTerminalCapacities,
  solveGridMaxflow,
  solveMaxflow,
} from './refine/maxflow.js';
export type {
  BoundaryTerm,
  ColorModels,
  DataTerm,
  RefineOptions,
  RefineResult,
  RefineTuning,
} from './refine/refine.js';
export { REFINE_DEFAULTS, refineSegmentation } from './refine/refine.js';
export type { RobotClick } from './robot/clicks.js';
export { firstRobotClick, nextRobotClick, paintClick, scratchStart } from './robot/clicks.js';
export type { RobotImageRun, RobotSummary } from './robot/noc.js';
export { clicksToReach, summariseRobot } from './robot/noc.js';
export { iouPerClickSvg } from './robot/plot.js';
export type { RobotCut, RobotOptions, RobotRunResult } from './robot/run.js';
export { maskIou, ROBOT_DEFAULTS, runRobot } from './robot/run.js';
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
