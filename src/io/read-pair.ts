import { open, stat } from 'node:fs/promises';
import { StrokecutError } from '../core/errors.js';
import type { RgbaImage, RgbImage } from '../core/types.js';
import type { DecodeOptions } from './read-image.js';
import { assertReadableFile, checkImageSize, decodeCheckedRgb, decodeCheckedStrokes } from './read-image.js';

/** What a stroke image is, for the messages that catch a photo given in its place. */
export const STROKE_IMAGE_IS =
  'A stroke image is a copy of the photo that is black everywhere except a few strokes: red over the foreground, blue over the background';

/** True when the two files hold the same bytes (compared in chunks, only when their sizes match). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [infoA, infoB] = await Promise.all([stat(a), stat(b)]);
  if (infoA.dev === infoB.dev && infoA.ino === infoB.ino) return true;
  if (infoA.size !== infoB.size) return false;
  const [fileA, fileB] = await Promise.all([open(a), open(b)]);
  try {
    const chunk = 1 << 20;
    const bufferA = Buffer.alloc(chunk);
    const bufferB = Buffer.alloc(chunk);
    for (let position = 0; position < infoA.size; position += chunk) {
      const [readA, readB] = await Promise.all([
        fileA.read(bufferA, 0, chunk, position),
        fileB.read(bufferB, 0, chunk, position),
      ]);
      if (readA.bytesRead !== readB.bytesRead) return false;
      if (!bufferA.subarray(0, readA.bytesRead).equals(bufferB.subarray(0, readB.bytesRead))) return false;
    }
    return true;
  } finally {
    await Promise.all([fileA.close(), fileB.close()]);
  }
}

/**
 * Reads a photo and its stroke image for one run. Everything that can be told from the files'
 * headers is checked before either is decoded: readability, the pixel limit, and that both are
 * the same size (a 9000×9000 JPEG beside a small stroke image fails in milliseconds, not after
 * hundreds of megabytes). The photo given as its own stroke image is refused too.
 * `shown(path)`: the path as the user typed it. `whileDecoding(size)` runs once both decodes have
 * started (on libvips' threads), before this waits for them: work of the caller's that needs no
 * pixels, told the image's size from its header.
 */
export async function readImagePair(
  imagePath: string,
  strokesPath: string,
  options: DecodeOptions,
  shown: (path: string) => string = (path) => path,
  whileDecoding?: (size: { width: number; height: number }) => void,
): Promise<{ image: RgbImage; strokes: RgbImage | RgbaImage }> {
  await Promise.all([
    assertReadableFile(imagePath, 'image', shown(imagePath)),
    assertReadableFile(strokesPath, 'stroke image', shown(strokesPath)),
  ]);
  const [imageSize, strokesSize] = await Promise.all([
    checkImageSize(imagePath, shown(imagePath), 'image', options.maxPixels),
    checkImageSize(strokesPath, shown(strokesPath), 'stroke image', options.maxPixels),
  ]);
  assertSameSize(imageSize, strokesSize, shown(imagePath), shown(strokesPath));
  if (await sameBytes(imagePath, strokesPath)) {
    throw new StrokecutError(
      'NOT_A_STROKE_IMAGE',
      `The stroke image "${shown(strokesPath)}" is the photo "${shown(imagePath)}" itself (the same bytes). ${STROKE_IMAGE_IS}.`,
    );
  }
  // (Both headers were checked above, with the same limit.)
  const decoding = Promise.all([
    decodeCheckedRgb(imagePath, shown(imagePath), options),
    decodeCheckedStrokes(strokesPath, shown(strokesPath), options),
  ]);
  whileDecoding?.(imageSize);
  const [image, strokes] = await decoding;
  // The headers agreed; a file whose pixels disagree with its own header is caught here.
  assertSameSize(image, strokes, shown(imagePath), shown(strokesPath));
  return { image, strokes };
}

/** Throws SIZE_MISMATCH unless photo and strokes are the same size (says so when only turned). */
export function assertSameSize(
  image: { width: number; height: number },
  strokes: { width: number; height: number },
  imageShown: string,
  strokesShown: string,
): void {
  if (image.width === strokes.width && image.height === strokes.height) return;
  const turned = image.width === strokes.height && image.height === strokes.width;
  throw new StrokecutError(
    'SIZE_MISMATCH',
    `The image "${imageShown}" is ${image.width}×${image.height} but the stroke image "${strokesShown}" is ${strokes.width}×${strokes.height}; they must be the same size.${turned ? ' One is turned a quarter against the other: both are read upright by their EXIF orientation, so draw the strokes over the upright image (or give both files the same orientation tag).' : ''}`,
  );
}

/** Most of a stroke image's pixels may not be marked: a photo given as strokes is a mistake. */
export const MAX_MARKED_FRACTION = 0.5;

/**
 * Refuses a stroke image that marks most of its pixels (the photo itself, or another photo,
 * given as the stroke image): the segmentation would only echo it. Real stroke images mark a few
 * percent (at most 1.7% over the 50 GrabCut benchmark images).
 */
export function assertFewMarked(
  counts: { foreground: number; background: number },
  pixels: number,
  strokesShown: string,
): void {
  const fraction = (counts.foreground + counts.background) / pixels;
  if (fraction <= MAX_MARKED_FRACTION) return;
  throw new StrokecutError(
    'NOT_A_STROKE_IMAGE',
    `The stroke image "${strokesShown}" marks ${(fraction * 100).toFixed(0)}% of its pixels as strokes (at most ${MAX_MARKED_FRACTION * 100}% is accepted): is it a photo? ${STROKE_IMAGE_IS}.`,
  );
}
