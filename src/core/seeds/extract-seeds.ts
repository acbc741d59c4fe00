import { StrokecutError } from '../errors.js';
import type { Rgb, RgbaImage, RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { countLabels } from './distinct-colors.js';
import {
  createColorMatcher,
  DEFAULT_BACKGROUND_COLOR,
  DEFAULT_FOREGROUND_COLOR,
  formatHex,
  STROKE_COLOR_RULES,
} from './stroke-colors.js';

export interface StrokeColorOptions {
  /** Colour painted over the foreground. Default red, #ff0000. */
  foregroundColor?: Rgb;
  /** Colour painted over the background. Default blue, #0000ff. */
  backgroundColor?: Rgb;
}

/** Number of channels of an 8-bit image, from its data length (3 = RGB, 4 = RGBA). */
export function channelsOf(image: RgbImage | RgbaImage, what = 'image'): 3 | 4 {
  assertDimensions(image.width, image.height, what);
  const pixels = image.width * image.height;
  if (image.data.length === pixels * 3) return 3;
  if (image.data.length === pixels * 4) return 4;
  throw new StrokecutError(
    'INVALID_IMAGE',
    `The ${what} is ${image.width}×${image.height}, so its data should hold ${pixels * 3} (RGB) or ${pixels * 4} (RGBA) bytes; found ${image.data.length}.`,
  );
}

export function assertDimensions(width: number, height: number, what: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `The ${what} must have a positive integer width and height; found ${width}×${height}.`,
    );
  }
}

/**
 * Labels each pixel of a stroke image: foreground where it was painted with the foreground colour,
 * background where painted with the background colour, unmarked elsewhere. RGBA stroke images
 * (strokes on a transparent layer) treat pixels with alpha < 128 as unmarked.
 */
export function extractSeeds(strokes: RgbImage | RgbaImage, options: StrokeColorOptions = {}): SeedLabels {
  return extractSeedsAndCount(strokes, options).seeds;
}

/**
 * {@link extractSeeds}, and the number of pixels of each label (as {@link countLabels} gives
 * them), counted on the way: saves a pass over the labels, which on a large image costs about
 * as much as the rest of k-means' preparation.
 */
export function extractSeedsAndCount(
  strokes: RgbImage | RgbaImage,
  options: StrokeColorOptions = {},
): { seeds: SeedLabels; counts: Float64Array } {
  const channels = channelsOf(strokes, 'stroke image');
  const foregroundColor = options.foregroundColor ?? DEFAULT_FOREGROUND_COLOR;
  const backgroundColor = options.backgroundColor ?? DEFAULT_BACKGROUND_COLOR;
  const isForeground = createColorMatcher(foregroundColor, 'foreground');
  const isBackground = createColorMatcher(backgroundColor, 'background');
  if (isForeground(...backgroundColor) || isBackground(...foregroundColor)) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `The foreground colour ${formatHex(foregroundColor)} and the background colour ${formatHex(backgroundColor)} are too alike to tell strokes apart.`,
    );
  }
  const { width, height, data } = strokes;
  const labels = new Uint8Array(width * height);
  const minAlpha = STROKE_COLOR_RULES.minAlpha;
  // Stroke images are mostly black: skip dark pixels before the colour tests, which is what
  // keeps this pass cheap on large images.
  const minBrightness = STROKE_COLOR_RULES.minValue * 255;
  const [fr, fgG, fb] = foregroundColor;
  const [br, bgG, bb] = backgroundColor;
  const foregroundMatchesItself = isForeground(fr, fgG, fb);
  const backgroundMatchesItself = isBackground(br, bgG, bb); // and not isForeground: checked above
  let foreground = 0;
  let background = 0;
  const labelPixel = (p: number) => {
    const i = p * channels;
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    if (r < minBrightness && g < minBrightness && b < minBrightness) return;
    if (channels === 4 && data[i + 3] < minAlpha) return;
    // Most stroke pixels are exactly the stroke colour: the answer for those is known.
    let label: number = SEED.NONE;
    if (r === fr && g === fgG && b === fb && foregroundMatchesItself) label = SEED.FOREGROUND;
    else if (r === br && g === bgG && b === bb && backgroundMatchesItself) label = SEED.BACKGROUND;
    else if (isForeground(r, g, b)) label = SEED.FOREGROUND;
    else if (isBackground(r, g, b)) label = SEED.BACKGROUND;
    if (label === SEED.FOREGROUND) foreground++;
    else if (label === SEED.BACKGROUND) background++;
    else return;
    labels[p] = label;
  };
  let p = 0;
  if (data.byteOffset % 4 === 0) {
    // Exactly-black (or fully transparent black) pixels, the bulk of a stroke image, are
    // skipped a group at a time: 4 RGB pixels are 3 words, an RGBA pixel is 1.
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
    const groupPixels = channels === 3 ? 4 : 1;
    const groups = Math.floor(labels.length / groupPixels);
    if (channels === 3) {
      // Four pixels of exactly one stroke colour (the inside of a stroke, most of its pixels)
      // are three known words: labelled at once, a word of labels.
      const labelWords =
        labels.byteOffset % 4 === 0 ? new Uint32Array(labels.buffer, labels.byteOffset, groups) : undefined;
      const fgRun = foregroundMatchesItself ? runWords(foregroundColor) : undefined;
      const bgRun = backgroundMatchesItself ? runWords(backgroundColor) : undefined;
      for (let group = 0, w = 0; group < groups; group++, w += 3) {
        const w0 = words[w];
        const w1 = words[w + 1];
        const w2 = words[w + 2];
        if ((w0 | w1 | w2) === 0) continue;
        if (labelWords) {
          if (fgRun && w0 === fgRun[0] && w1 === fgRun[1] && w2 === fgRun[2]) {
            labelWords[group] = SEED.FOREGROUND * 0x01010101;
            foreground += 4;
            continue;
          }
          if (bgRun && w0 === bgRun[0] && w1 === bgRun[1] && w2 === bgRun[2]) {
            labelWords[group] = SEED.BACKGROUND * 0x01010101;
            background += 4;
            continue;
          }
        }
        const q = group << 2;
        labelPixel(q);
        labelPixel(q + 1);
        labelPixel(q + 2);
        labelPixel(q + 3);
      }
    } else {
      for (let group = 0; group < groups; group++) if (words[group] !== 0) labelPixel(group);
    }
    p = groups * groupPixels;
  }
  for (; p < labels.length; p++) labelPixel(p);
  const counts = new Float64Array(256);
  counts[SEED.FOREGROUND] = foreground;
  counts[SEED.BACKGROUND] = background;
  counts[SEED.NONE] = labels.length - foreground - background;
  return { seeds: { width, height, labels }, counts };
}

/**
 * The three 32-bit words that four RGB pixels of one colour make, as a Uint32Array over the bytes
 * reads them (in the platform's byte order, so the comparison holds on any).
 */
function runWords(color: Rgb): Uint32Array {
  const bytes = new Uint8Array(12);
  for (let p = 0; p < 4; p++) bytes.set(color, p * 3);
  return new Uint32Array(bytes.buffer);
}

/** Counts of seed pixels per class. */
export function countSeeds(seeds: SeedLabels): { foreground: number; background: number } {
  const counts = countLabels(seeds.labels);
  return { foreground: counts[SEED.FOREGROUND], background: counts[SEED.BACKGROUND] };
}

/**
 * The most common non-black colours of a stroke image, for error messages that tell the user what
 * we did find when a class of strokes is missing.
 */
export function dominantStrokeColors(
  strokes: RgbImage | RgbaImage,
  limit = 3,
): { color: string; pixels: number }[] {
  const channels = channelsOf(strokes, 'stroke image');
  const counts = new Map<number, number>();
  const data = strokes.data;
  const minBrightness = STROKE_COLOR_RULES.minValue * 255;
  for (let i = 0; i < data.length; i += channels) {
    const r = data[i];
    const g = data[i + 1];
    const b = data[i + 2];
    if (r < minBrightness && g < minBrightness && b < minBrightness) continue;
    if (channels === 4 && data[i + 3] < STROKE_COLOR_RULES.minAlpha) continue;
    // Quantise to 32 levels per channel so anti-aliased shades of one stroke colour group together.
    const key = ((r & 0xf8) << 16) | ((g & 0xf8) << 8) | (b & 0xf8);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([key, pixels]) => ({
      color: formatHex([(key >> 16) & 255, (key >> 8) & 255, key & 255]),
      pixels,
    }));
}

/**
 * Pixels of an RGBA stroke image that are coloured (not near-black) but too transparent to count
 * (0 < alpha < 128), and the highest such alpha: strokes painted at low opacity, which are unmarked.
 */
export function faintStrokePixels(strokes: RgbImage | RgbaImage): { pixels: number; maxAlpha: number } {
  const channels = channelsOf(strokes, 'stroke image');
  if (channels !== 4) return { pixels: 0, maxAlpha: 0 };
  const data = strokes.data;
  const minBrightness = STROKE_COLOR_RULES.minValue * 255;
  let pixels = 0;
  let maxAlpha = 0;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3];
    if (alpha === 0 || alpha >= STROKE_COLOR_RULES.minAlpha) continue;
    if (data[i] < minBrightness && data[i + 1] < minBrightness && data[i + 2] < minBrightness) continue;
    pixels++;
    if (alpha > maxAlpha) maxAlpha = alpha;
  }
  return { pixels, maxAlpha };
}
