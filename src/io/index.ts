/**
 * Node adapters around the pure core: reading images and stroke images (any format sharp decodes),
 * writing masks and cut-outs as PNG, atomically. docs/library.md documents each name.
 */
export {
  DEFAULT_MAX_PIXELS,
  type DecodeOptions,
  decodeRgb,
  decodeStrokes,
  readRgbImage,
  readStrokeImage,
} from './read-image.js';
export { encodeColorPng, encodeGreyPng, writeFileAtomic } from './write-image.js';
