/**
 * strokecut's pure core: typed arrays in, typed arrays out. No file system, no DOM — it runs the
 * same in Node, in a Web Worker and in a browser page. This is the public surface (docs/library.md
 * documents each name, and a test keeps the two lists equal); the modules behind it have more,
 * which is internal and may change.
 */
export type { ErrorCode } from './errors.js';
export { isStrokecutError, StrokecutError } from './errors.js';
export type { MatteErrors, MatteOptions, MatteResult, MatteStats } from './matte/index.js';
export { defaultEdgeRadius, MATTE_DEFAULTS, matte, matteErrors } from './matte/index.js';
export type { MaskScores } from './metrics/metrics.js';
export { boundaryF, scoreMask, UNLABELLED } from './metrics/metrics.js';
export type { ColorModel } from './model/color-model.js';
export { logLikelihood } from './model/color-model.js';
export type { CocoDataset, CocoEntry, CocoRle, OverlayOptions } from './outputs/index.js';
export {
  cocoDataset,
  cutoutRgba,
  decodeCocoRle,
  encodeCocoRle,
  OVERLAY_DEFAULTS,
  overlayRgb,
  softMap,
} from './outputs/index.js';
export type { Box, PromptOptions } from './prompts/prompts.js';
export type { BoundaryTerm, ColorModels, DataTerm, RefineTuning } from './refine/options.js';
export { REFINE_DEFAULTS } from './refine/options.js';
export type { RobotImageRun, RobotSummary } from './robot/noc.js';
export { summariseRobot } from './robot/noc.js';
export type { RobotCut, RobotOptions, RobotRunResult } from './robot/run.js';
export { ROBOT_DEFAULTS, runRobot } from './robot/run.js';
export type { StrokeColorOptions } from './seeds/extract-seeds.js';
export { extractSeeds } from './seeds/extract-seeds.js';
export { DEFAULT_BACKGROUND_COLOR, DEFAULT_FOREGROUND_COLOR } from './seeds/stroke-colors.js';
export type { ClassCounts, SegmentOptions, SegmentResult, SegmentStats } from './segment.js';
export { SEGMENT_DEFAULTS, segment } from './segment.js';
export type { Rgb, RgbaImage, RgbImage, SeedLabels } from './types.js';
export { MASK, SEED } from './types.js';
