import { StrokecutError } from '../errors.js';
import type { RgbaImage, RgbImage } from '../types.js';

/**
 * The cut-out: the image as RGBA with alpha = mask (255 foreground, 0 background; a soft map works
 * too and gives soft edges). Colours are kept as they are under transparent pixels (straight, not
 * premultiplied alpha), so the RGB planes stay the original photo and nothing is lost.
 */
export function cutoutRgba(image: RgbImage, mask: Uint8Array): RgbaImage {
  const { width, height, data } = image;
  const pixels = width * height;
  if (data.length !== pixels * 3) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `The image is ${width}×${height}, so its RGB data should hold ${pixels * 3} bytes; found ${data.length}.`,
    );
  }
  if (mask.length !== pixels) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `The mask of a ${width}×${height} image needs ${pixels} bytes; found ${mask.length}.`,
    );
  }
  const out = new Uint8Array(pixels * 4);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 3, o += 4) {
    out[o] = data[i];
    out[o + 1] = data[i + 1];
    out[o + 2] = data[i + 2];
    out[o + 3] = mask[p];
  }
  return { width, height, data: out };
}
