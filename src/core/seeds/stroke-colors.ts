import { StrokecutError } from '../errors.js';
import type { Rgb } from '../types.js';

export const DEFAULT_FOREGROUND_COLOR: Rgb = [255, 0, 0];
export const DEFAULT_BACKGROUND_COLOR: Rgb = [0, 0, 255];

/**
 * Thresholds of the stroke-colour test. Strokes are painted on black, saved by paint programs that
 * anti-alias their edges or by JPEG encoders that smear them, so "red" must mean "clearly reddish",
 * not "exactly (255, 0, 0)". Black, grey, white and dark noise must never count.
 */
export const STROKE_COLOR_RULES = {
  /** Largest hue difference, in degrees, from the target's hue (chromatic targets). */
  maxHueDifference: 30,
  /** Smallest HSV saturation a stroke pixel may have (chromatic targets). */
  minSaturation: 0.45,
  /** Smallest HSV value (brightness, 0–1) a stroke pixel may have: darker is noise on black. */
  minValue: 0.25,
  /** A target with less saturation than this is matched by distance instead of hue. */
  chromaticTargetSaturation: 0.4,
  /** Largest RGB distance from an achromatic (white, grey, pastel) target. */
  maxAchromaticDistance: 40,
  /** Pixels of a stroke image with alpha below this are transparent, hence unmarked. */
  minAlpha: 128,
} as const;

/** HSV of an RGB colour: hue in degrees [0, 360), saturation and value in [0, 1]. */
export function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  let hue = 0;
  if (delta > 0) {
    if (max === r) hue = 60 * (((g - b) / delta + 6) % 6);
    else if (max === g) hue = 60 * ((b - r) / delta + 2);
    else hue = 60 * ((r - g) / delta + 4);
  }
  return [hue, max === 0 ? 0 : delta / max, max / 255];
}

export type ColorMatcher = (r: number, g: number, b: number) => boolean;

/**
 * A predicate telling whether a stroke pixel was painted with `target`.
 * Chromatic targets (red, blue, green, …) match by hue, with floors on saturation and brightness;
 * achromatic targets (white, grey, pastels) match by RGB distance. Near-black targets are refused:
 * black is what "unmarked" looks like.
 */
export function createColorMatcher(target: Rgb, role = 'stroke'): ColorMatcher {
  const [tr, tg, tb] = target;
  const [hue, saturation, value] = rgbToHsv(tr, tg, tb);
  const rules = STROKE_COLOR_RULES;
  if (value < rules.minValue) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `The ${role} colour ${formatHex(target)} is too dark: black means "unmarked" in a stroke image, so stroke colours must be brighter (HSV value ≥ ${rules.minValue}).`,
    );
  }
  if (saturation >= rules.chromaticTargetSaturation) {
    return (r, g, b) => {
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const delta = max - min;
      if (max < rules.minValue * 255 || delta < rules.minSaturation * max) return false;
      let h: number;
      if (max === r) h = 60 * (((g - b) / delta + 6) % 6);
      else if (max === g) h = 60 * ((b - r) / delta + 2);
      else h = 60 * ((r - g) / delta + 4);
      let difference = Math.abs(h - hue);
      if (difference > 180) difference = 360 - difference;
      return difference <= rules.maxHueDifference;
    };
  }
  const maxSquared = rules.maxAchromaticDistance * rules.maxAchromaticDistance;
  return (r, g, b) => (r - tr) ** 2 + (g - tg) ** 2 + (b - tb) ** 2 <= maxSquared;
}

/** Parses `#rgb`, `#rrggbb`, `rgb`, `rrggbb` (case-insensitive). */
export function parseHexColor(text: string): Rgb {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!match) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `Expected a colour as hex like #ff0000 or #f00, found "${text}".`,
    );
  }
  let hex = match[1];
  if (hex.length === 3) hex = [...hex].map((digit) => digit + digit).join('');
  const value = Number.parseInt(hex, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export function formatHex([r, g, b]: Rgb): string {
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}
