/**
 * Pixel conversions between the core's arrays (RGB, seed labels, masks) and the RGBA buffers that
 * canvases take. Pure typed-array code, tested in Node.
 *
 * Exported files (stroke image, mask, cut-out) are made from these buffers, so the colours here are
 * the file format: strokes exactly #ff0000 and #0000ff on opaque black, the mask exactly 0 or 255.
 */
import { SEED } from '../core/types.js';
import type { Rect } from './strokes.js';

/** Colours of the stroke image, as the CLI reads it. */
export const STROKE_RGB = {
  foreground: [255, 0, 0],
  background: [0, 0, 255],
  none: [0, 0, 0],
} as const;

/** Background of the overlay view: the part cut away is dimmed with this colour. */
const OVERLAY_RGB = [16, 20, 32] as const;

/** Drops the alpha of decoded RGBA pixels, as the CLI's decoder does (no flattening). */
export function rgbaToRgb(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const n = rgba.length / 4;
  const rgb = new Uint8Array(n * 3);
  for (let p = 0, i = 0, j = 0; p < n; p++, i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return rgb;
}

function put(out: Uint8ClampedArray, i: number, r: number, g: number, b: number, a: number): void {
  out[i] = r;
  out[i + 1] = g;
  out[i + 2] = b;
  out[i + 3] = a;
}

/**
 * Paints the labels inside `rect` as RGBA into `out` (rect-sized, row-major). `opaque`: unmarked
 * pixels black and opaque (the exported stroke image); otherwise transparent (the on-screen layer).
 */
export function labelsToRgba(
  labels: Uint8Array,
  width: number,
  rect: Rect,
  out: Uint8ClampedArray,
  opaque: boolean,
): void {
  const [fr, fg, fb] = STROKE_RGB.foreground;
  const [br, bg, bb] = STROKE_RGB.background;
  const noneAlpha = opaque ? 255 : 0;
  let i = 0;
  for (let y = rect.y0; y < rect.y1; y++) {
    for (let x = rect.x0, p = y * width + rect.x0; x < rect.x1; x++, p++, i += 4) {
      const label = labels[p];
      if (label === SEED.FOREGROUND) put(out, i, fr, fg, fb, 255);
      else if (label === SEED.BACKGROUND) put(out, i, br, bg, bb, 255);
      else put(out, i, 0, 0, 0, noneAlpha);
    }
  }
}

/** The exported stroke image's RGB pixels: exact red, exact blue, black elsewhere. */
export function labelsToRgb(labels: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(labels.length * 3);
  for (let p = 0, j = 0; p < labels.length; p++, j += 3) {
    const colour =
      labels[p] === SEED.FOREGROUND
        ? STROKE_RGB.foreground
        : labels[p] === SEED.BACKGROUND
          ? STROKE_RGB.background
          : null;
    if (colour) rgb.set(colour, j);
  }
  return rgb;
}

/**
 * Whole-image conversions write one 32-bit word per pixel (four times fewer stores than bytes:
 * this is on the path from a new mask to the screen). Words are laid out for little-endian
 * memory, which is every platform browsers run on; big-endian falls back to bytes.
 */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function words(out: Uint8ClampedArray): Uint32Array | null {
  return LITTLE_ENDIAN && out.byteOffset % 4 === 0
    ? new Uint32Array(out.buffer, out.byteOffset, out.byteLength >> 2)
    : null;
}

/** RGBA as one little-endian word. */
function word(r: number, g: number, b: number, a: number): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** The mask as opaque grey RGBA: white foreground, black background. */
export function maskToRgba(mask: Uint8Array, out: Uint8ClampedArray): void {
  const out32 = words(out);
  if (out32) {
    const white = word(255, 255, 255, 255);
    const black = word(0, 0, 0, 255);
    for (let p = 0; p < mask.length; p++)
      out32[p] = mask[p] === 0 ? black : mask[p] === 255 ? white : word(mask[p], mask[p], mask[p], 255);
    return;
  }
  for (let p = 0, i = 0; p < mask.length; p++, i += 4) put(out, i, mask[p], mask[p], mask[p], 255);
}

/** The cut-out: the image's own colours where the mask is foreground, fully transparent elsewhere. */
export function cutoutToRgba(rgb: Uint8Array, mask: Uint8Array, out: Uint8ClampedArray): void {
  const out32 = words(out);
  if (out32) {
    for (let p = 0, j = 0; p < mask.length; p++, j += 3) {
      out32[p] = mask[p] === 0 ? 0 : word(rgb[j], rgb[j + 1], rgb[j + 2], 255);
    }
    return;
  }
  for (let p = 0, i = 0, j = 0; p < mask.length; p++, i += 4, j += 3) {
    if (mask[p] === 0) put(out, i, 0, 0, 0, 0);
    else put(out, i, rgb[j], rgb[j + 1], rgb[j + 2], 255);
  }
}

/**
 * The soft-edged cut-out: the matte's alpha with the estimated foreground colours (RGB, as
 * `matte()` gives them), fully transparent black where alpha is 0.
 */
export function softCutoutToRgba(foreground: Uint8Array, alpha: Uint8Array, out: Uint8ClampedArray): void {
  const out32 = words(out);
  if (out32) {
    for (let p = 0, j = 0; p < alpha.length; p++, j += 3) {
      const a = alpha[p];
      out32[p] = a === 0 ? 0 : word(foreground[j], foreground[j + 1], foreground[j + 2], a);
    }
    return;
  }
  for (let p = 0, i = 0, j = 0; p < alpha.length; p++, i += 4, j += 3) {
    const a = alpha[p];
    if (a === 0) put(out, i, 0, 0, 0, 0);
    else put(out, i, foreground[j], foreground[j + 1], foreground[j + 2], a);
  }
}

/**
 * The outline of the foreground: foreground pixels with a background pixel within `radius`
 * (Chebyshev distance; the image's border does not count as background). Two linear passes, rows
 * then columns, so the cost does not grow with the radius. Returns 1 on the outline, 0 elsewhere.
 */
export function outlineOf(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  // (Integer sentinels, and the column passes done a row at a time with a per-column "last seen"
  // row: the strided column walk cost most of a 12 MP redraw.)
  const far = radius + 1;
  // near[p] = 1 when a background pixel lies in p's row within `radius`.
  const near = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let last = -far;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] === 0) last = x;
      if (x - last <= radius) near[row + x] = 1;
    }
    last = width - 1 + far;
    for (let x = width - 1; x >= 0; x--) {
      if (mask[row + x] === 0) last = x;
      if (last - x <= radius) near[row + x] = 1;
    }
  }
  const outline = new Uint8Array(mask.length);
  const lastAbove = new Int32Array(width).fill(-far);
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (near[p]) lastAbove[x] = y;
      if (y - lastAbove[x] <= radius && mask[p] !== 0) outline[p] = 1;
    }
  }
  const nextBelow = new Int32Array(width).fill(height - 1 + far);
  for (let y = height - 1; y >= 0; y--) {
    for (let x = 0, p = y * width; x < width; x++, p++) {
      if (near[p]) nextBelow[x] = y;
      if (nextBelow[x] - y <= radius && mask[p] !== 0) outline[p] = 1;
    }
  }
  return outline;
}

/**
 * The overlay layer with the outline: the background dimmed at `opacity` (0–1), the foreground
 * clear, and the outline `radius` pixels wide drawn opaque in dashes of white and black, so it
 * shows on dark photos and light ones alike. `dash` is the dash length in image pixels.
 */
export function overlayWithOutlineToRgba(
  mask: Uint8Array,
  width: number,
  height: number,
  opacity: number,
  radius: number,
  out: Uint8ClampedArray,
): void {
  const outline = radius > 0 ? outlineOf(mask, width, height, radius) : null;
  const out32 = words(out);
  const { dim, white, black, dash } = overlayWords(opacity, radius);
  const valueAt = (p: number, x: number, y: number) =>
    mask[p] === 0 ? dim : outline?.[p] ? (Math.floor((x + y) / dash) % 2 === 0 ? white : black) : 0;
  if (!out32) {
    for (let y = 0, p = 0; y < height; y++) {
      for (let x = 0; x < width; x++, p++) {
        const value = valueAt(p, x, y);
        put(out, p * 4, value & 255, (value >>> 8) & 255, (value >>> 16) & 255, value >>> 24);
      }
    }
    return;
  }
  // The common case, one word per pixel, in two tight passes (a 12 MP redraw is on the main thread).
  for (let p = 0; p < mask.length; p++) out32[p] = mask[p] === 0 ? dim : 0;
  if (!outline) return;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (outline[p] !== 0) out32[p] = (((x + y) / dash) | 0) % 2 === 0 ? white : black;
    }
  }
}

/** The overlay's pixel words (dimmed background, the outline's two dash colours) and dash length. */
function overlayWords(opacity: number, radius: number) {
  const [r, g, b] = OVERLAY_RGB;
  const alpha = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  return {
    dim: word(r, g, b, alpha),
    white: word(255, 255, 255, 255),
    black: word(0, 0, 0, 255),
    dash: 4 * Math.max(1, radius),
  };
}

/**
 * Where masks `a` and `b` (width × height) differ: for each `tile` × `tile` square of the image
 * holding a difference, the smallest rectangle holding its differences (a new cut after a stroke
 * moves the outline a little all round the object, so one rectangle round them all would be most
 * of the image). Empty when the masks are equal. Rows are compared four pixels at a time.
 */
export function changedRects(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  tile = 256,
): Rect[] {
  const columns = Math.ceil(width / tile);
  const rects: Rect[] = [];
  const left = new Int32Array(columns);
  const right = new Int32Array(columns);
  const top = new Int32Array(columns);
  const bottom = new Int32Array(columns);
  const aligned = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const wa = aligned ? new Uint32Array(a.buffer, a.byteOffset, (width * height) >> 2) : null;
  const wb = aligned ? new Uint32Array(b.buffer, b.byteOffset, (width * height) >> 2) : null;
  for (let ty = 0; ty * tile < height; ty++) {
    left.fill(width);
    right.fill(-1);
    const y1 = Math.min(height, (ty + 1) * tile);
    for (let y = ty * tile; y < y1; y++) {
      const row = y * width;
      const end = row + width;
      let p = row;
      if (wa && wb) {
        // The row's bytes before its first whole word, its words, then the bytes after.
        for (; p < end && p % 4 !== 0; p++) if (a[p] !== b[p]) mark(p - row, y);
        for (let w = p >> 2, last = end >> 2; w < last; w++) {
          if (wa[w] === wb[w]) continue;
          for (let q = w * 4; q < w * 4 + 4; q++) if (a[q] !== b[q]) mark(q - row, y);
        }
        p = Math.max(p, (end >> 2) * 4);
      }
      for (; p < end; p++) if (a[p] !== b[p]) mark(p - row, y);
    }
    for (let tx = 0; tx < columns; tx++) {
      if (right[tx] >= 0) rects.push({ x0: left[tx], y0: top[tx], x1: right[tx] + 1, y1: bottom[tx] + 1 });
    }
  }
  return rects;

  function mark(x: number, y: number): void {
    const tx = (x / tile) | 0;
    if (right[tx] < 0) top[tx] = y;
    bottom[tx] = y;
    if (x < left[tx]) left[tx] = x;
    if (x > right[tx]) right[tx] = x;
  }
}

/**
 * {@link overlayWithOutlineToRgba} for the pixels inside `rect` only: `out` (the whole image's
 * RGBA) gets there exactly what the whole image's fill would put, and is left as it was elsewhere.
 * A pixel's outline depends on the mask within `radius`, so the outline is found on the rectangle
 * widened by `radius` (the image's border stays a border). Returns false, writing nothing, where
 * the buffer cannot be written a word per pixel (then fill the whole image).
 */
export function overlayWithOutlineToRgbaIn(
  mask: Uint8Array,
  width: number,
  height: number,
  opacity: number,
  radius: number,
  out: Uint8ClampedArray,
  rect: Rect,
): boolean {
  const out32 = words(out);
  if (!out32) return false;
  const { dim, white, black, dash } = overlayWords(opacity, radius);
  const margin = Math.max(0, radius);
  const mx0 = Math.max(0, rect.x0 - margin);
  const my0 = Math.max(0, rect.y0 - margin);
  const mx1 = Math.min(width, rect.x1 + margin);
  const my1 = Math.min(height, rect.y1 + margin);
  const mw = mx1 - mx0;
  let outline: Uint8Array | null = null;
  if (radius > 0) {
    const part = new Uint8Array(mw * (my1 - my0));
    for (let y = my0; y < my1; y++) part.set(mask.subarray(y * width + mx0, y * width + mx1), (y - my0) * mw);
    outline = outlineOf(part, mw, my1 - my0, radius);
  }
  for (let y = rect.y0; y < rect.y1; y++) {
    const row = y * width;
    const partRow = (y - my0) * mw - mx0;
    for (let x = rect.x0; x < rect.x1; x++) {
      const p = row + x;
      out32[p] =
        mask[p] === 0
          ? dim
          : outline !== null && outline[partRow + x] !== 0
            ? (((x + y) / dash) | 0) % 2 === 0
              ? white
              : black
            : 0;
    }
  }
  return true;
}
