/**
 * Files in and out of the page: decoding opened images and stroke images exactly as the CLI does,
 * downloading what the page makes, and the bundled example. Errors the user can act on are
 * PageErrors, shown as they are.
 */
import { LIMITS, readDimensions, sizeProblem } from './image-limits.js';

/** A problem the user can act on: shown as is, never as a stack trace. */
export class PageError extends Error {}

/** The bundled example, copied next to the page by the build. */
export const EXAMPLE = { image: 'chelsea.png', strokes: 'chelsea-stroke.png' };

export interface Decoded {
  width: number;
  height: number;
  canvas: HTMLCanvasElement;
  rgba: Uint8ClampedArray;
}

export function tooLarge(name: string, width?: number, height?: number): PageError {
  const size = width && height ? ` (${width}×${height})` : '';
  return new PageError(
    `"${name}"${size} does not fit in the browser's memory. The page opens images up to ${LIMITS.maxPixels / 1e6} megapixels; ` +
      'downscale it, or cut it with the command line (strokecut IMAGE STROKES).',
  );
}

/** The status-bar message for a failure while handling file `name`. */
export function failureText(error: unknown, name: string): string {
  if (error instanceof PageError) return error.message;
  if (error instanceof RangeError) return tooLarge(name).message;
  return `Cannot open "${name}": ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Decodes an image file to RGBA exactly as the CLI's decoder (sharp) does for the same file: no
 * colour-space conversion and no premultiplication, so the page's pixels, and so its masks, are
 * the CLI's.
 */
export async function decode(blob: Blob, name: string): Promise<Decoded> {
  // Refuse an oversized image from its header, before the browser spends the memory decoding it.
  const dimensions = readDimensions(new Uint8Array(await blob.slice(0, 1 << 18).arrayBuffer()));
  const early = dimensions && sizeProblem(name, dimensions);
  if (early) throw new PageError(early);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    if (blob.size === 0) throw new PageError(`Cannot open "${name}": the file is empty.`);
    throw new PageError(
      `Cannot open "${name}": the browser cannot decode it as an image. The page opens PNG, JPEG, WebP, GIF, AVIF and BMP files.`,
    );
  }
  const { width, height } = bitmap;
  try {
    const late = sizeProblem(name, bitmap);
    if (late) throw new PageError(late);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw tooLarge(name, width, height);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
    return { width, height, canvas, rgba };
  } catch (error) {
    if (error instanceof PageError) throw error;
    throw tooLarge(name, width, height);
  } finally {
    bitmap.close();
  }
}

export async function fetchExample(file: string): Promise<Blob> {
  const response = await fetch(file);
  if (!response.ok)
    throw new PageError(`The example "${file}" is missing from this build (HTTP ${response.status}).`);
  return response.blob();
}

/** Offers `blob` as a download named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Encodes `canvas` as PNG. */
export function canvasToPng(canvas: HTMLCanvasElement, fileName: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new PageError(`Could not encode ${fileName}: the browser ran out of memory.`));
    }, 'image/png');
  });
}

/** A canvas of `width`×`height` whose RGBA pixels `fill` writes. */
export function canvasOf(
  width: number,
  height: number,
  fill: (data: Uint8ClampedArray) => void,
): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  fill(pixels.data);
  context.putImageData(pixels, 0, 0);
  return canvas;
}

/** The image's name without its extension, for naming exports. */
export function baseName(name: string | undefined): string {
  return (name ?? 'image').replace(/\.[^.]+$/, '') || 'image';
}
