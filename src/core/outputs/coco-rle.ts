import { StrokecutError } from '../errors.js';

/**
 * A binary mask in COCO's compressed run-length encoding, exactly as pycocotools writes it
 * (`mask.encode` → `{ size: [h, w], counts: bytes }`), so the JSON loads with pycocotools, the
 * COCO API of other languages and every tool that reads COCO annotations.
 */
export interface CocoRle {
  /** [height, width] — COCO's order. */
  size: [number, number];
  /** Run lengths in COCO's compressed string form (see {@link runLengthsToString}). */
  counts: string;
}

/**
 * Run lengths of a mask in COCO's order: pixels are visited column by column (column-major, as
 * Fortran/MATLAB store arrays), and runs alternate background, foreground, background, … starting
 * with background — so the first count is 0 when the top-left pixel is foreground.
 * Any non-zero mask byte is foreground. The counts add up to width × height.
 */
export function maskToRunLengths(mask: Uint8Array, width: number, height: number): number[] {
  assertMaskSize(mask, width, height);
  const counts: number[] = [];
  let current = 0; // value of the run being counted: 0 background, 1 foreground
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let p = x; p < mask.length; p += width) {
      const value = mask[p] === 0 ? 0 : 1;
      if (value !== current) {
        counts.push(run);
        run = 0;
        current = value;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Paints run lengths (COCO order, see {@link maskToRunLengths}) back into a row-major 0/255 mask. */
export function runLengthsToMask(counts: readonly number[], width: number, height: number): Uint8Array {
  const total = width * height;
  let sum = 0;
  for (const count of counts) {
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new StrokecutError('INVALID_OPTION', `RLE counts must be non-negative integers; found ${count}.`);
    }
    sum += count;
  }
  if (sum !== total) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `RLE counts of a ${width}×${height} mask must add up to ${total}; they add up to ${sum}.`,
    );
  }
  const mask = new Uint8Array(total);
  // Walk the runs in column-major order, keeping (x, y) incrementally: no division per pixel.
  let x = 0;
  let y = 0;
  for (let i = 0; i < counts.length; i++) {
    const foreground = i % 2 === 1;
    for (let n = counts[i]; n > 0; n--) {
      if (foreground) mask[y * width + x] = 255;
      if (++y === height) {
        y = 0;
        x++;
      }
    }
  }
  return mask;
}

/**
 * COCO's compressed string form of run lengths (pycocotools `rleToString`): each count after the
 * second is first replaced by its difference from the count two places earlier, then written as a
 * little-endian signed varint of 5-bit groups, one character per group: `48 + group`, plus 32 when
 * more groups follow. The last group's bit 4 is the sign.
 */
export function runLengthsToString(counts: readonly number[]): string {
  let text = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = true;
    while (more) {
      let c = ((x % 32) + 32) % 32; // x & 0x1f, on numbers beyond 32 bits too
      x = Math.floor(x / 32); // arithmetic shift right by 5
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      text += String.fromCharCode(c + 48);
    }
  }
  return text;
}

/** Inverse of {@link runLengthsToString} (pycocotools `rleFrString`). */
export function stringToRunLengths(text: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < text.length) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= text.length) {
        throw new StrokecutError(
          'INVALID_OPTION',
          `COCO RLE string ends in the middle of a count: "${text}".`,
        );
      }
      const c = text.charCodeAt(p) - 48;
      if (c < 0 || c > 63) {
        throw new StrokecutError(
          'INVALID_OPTION',
          `COCO RLE strings use characters "0" to "o"; found "${text[p]}" at ${p}.`,
        );
      }
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign-extend the last group
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts;
}

/** Encodes a mask (non-zero = foreground, row-major) as COCO compressed RLE. */
export function encodeCocoRle(mask: Uint8Array, width: number, height: number): CocoRle {
  return { size: [height, width], counts: runLengthsToString(maskToRunLengths(mask, width, height)) };
}

/**
 * Decodes COCO RLE — compressed (`counts` a string) or uncompressed (`counts` an array, as COCO's
 * `iscrowd` annotations store it) — into a row-major 0/255 mask.
 */
export function decodeCocoRle(rle: { size: readonly number[]; counts: string | readonly number[] }): {
  width: number;
  height: number;
  mask: Uint8Array;
} {
  const [height, width] = rle.size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `COCO RLE size must be [height, width]; found ${JSON.stringify(rle.size)}.`,
    );
  }
  const counts = typeof rle.counts === 'string' ? stringToRunLengths(rle.counts) : rle.counts;
  return { width, height, mask: runLengthsToMask(counts, width, height) };
}

/** Foreground pixel count and bounding box [x, y, width, height] ([0, 0, 0, 0] when empty), as COCO annotations carry. */
export function maskAreaAndBox(
  mask: Uint8Array,
  width: number,
  height: number,
): { area: number; bbox: [number, number, number, number] } {
  assertMaskSize(mask, width, height);
  let area = 0;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      if (mask[p] === 0) continue;
      area++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return { area, bbox: area === 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1] };
}

/** One image's entry for {@link cocoDataset}. */
export interface CocoEntry {
  /** The image's file name as the data set refers to it. */
  fileName: string;
  /** The stroke image it was cut from (kept in the JSON for traceability; COCO readers ignore it). */
  strokesFileName?: string;
  width: number;
  height: number;
  rle: CocoRle;
  area: number;
  bbox: [number, number, number, number];
}

/** A COCO data set JSON object as pycocotools' `COCO()` loads it. */
export interface CocoDataset {
  info: { description: string; version: string };
  images: { id: number; file_name: string; width: number; height: number; strokes_file_name?: string }[];
  annotations: {
    id: number;
    image_id: number;
    category_id: number;
    segmentation: CocoRle;
    area: number;
    bbox: [number, number, number, number];
    iscrowd: 0;
  }[];
  categories: { id: number; name: string; supercategory: string }[];
}

/**
 * A COCO data set with one category, "foreground", and one annotation per image: its mask as
 * compressed RLE. Ids are 1-based in the order given, so the file is deterministic for a sorted
 * input (no timestamps). `iscrowd` is 0: each mask is one object, which is how COCO evaluation
 * should treat it; pycocotools reads RLE segmentations whatever `iscrowd` says.
 */
export function cocoDataset(entries: readonly CocoEntry[], version = ''): CocoDataset {
  return {
    info: { description: 'Foreground masks cut out by strokecut', version },
    images: entries.map((entry, i) => ({
      id: i + 1,
      file_name: entry.fileName,
      width: entry.width,
      height: entry.height,
      ...(entry.strokesFileName === undefined ? {} : { strokes_file_name: entry.strokesFileName }),
    })),
    annotations: entries.map((entry, i) => ({
      id: i + 1,
      image_id: i + 1,
      category_id: 1,
      segmentation: entry.rle,
      area: entry.area,
      bbox: entry.bbox,
      iscrowd: 0,
    })),
    categories: [{ id: 1, name: 'foreground', supercategory: 'foreground' }],
  };
}

function assertMaskSize(mask: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `A mask needs a non-negative integer size; found ${width}×${height}.`,
    );
  }
  if (mask.length !== width * height) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `A ${width}×${height} mask needs ${width * height} bytes; found ${mask.length}.`,
    );
  }
}
