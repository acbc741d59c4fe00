/** Output builders: pure functions from a segmentation to the files people want (no file system). */
export type { CocoDataset, CocoEntry, CocoRle } from './coco-rle.js';
export {
  cocoDataset,
  decodeCocoRle,
  encodeCocoRle,
  maskAreaAndBox,
  maskToRunLengths,
  runLengthsToMask,
  runLengthsToString,
  stringToRunLengths,
} from './coco-rle.js';
export { cutoutRgba } from './cutout.js';
export type { OverlayOptions } from './overlay.js';
export { OVERLAY_DEFAULTS, overlayRgb } from './overlay.js';
export { softMap, softValue } from './soft-map.js';
