/** Node adapters around the pure core: decoding and encoding image files, atomic writes. */
export {
  decodeRgb,
  decodeStrokes,
  READABLE_FORMATS,
  readInputFile,
  readRgbImage,
  readStrokeImage,
} from './read-image.js';
export { assertWritableTarget, encodeColorPng, encodeGreyPng, writeFileAtomic } from './write-image.js';
