/** Node adapters around the pure core: decoding and encoding image files, atomic writes. */
export {
  checkImageSize,
  DEFAULT_MAX_PIXELS,
  type DecodeOptions,
  decodeRgb,
  decodeStrokes,
  READABLE_FORMATS,
  readInputFile,
  readRgbImage,
  readStrokeImage,
} from './read-image.js';
export {
  assertImageOutputPath,
  assertWritableTarget,
  encodeColorPng,
  encodeGreyPng,
  encodeImageForPath,
  IMAGE_OUTPUT_FORMATS,
  removeStaleTemporaryFiles,
  writeFileAtomic,
} from './write-image.js';
