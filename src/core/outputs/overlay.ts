import { StrokecutError } from '../errors.js';
import { DEFAULT_BACKGROUND_COLOR, DEFAULT_FOREGROUND_COLOR } from '../seeds/stroke-colors.js';
import type { Rgb, RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';

export interface OverlayOptions {
  /** Colour laid over the foreground. Default green, #00ff00: apart from the red and blue strokes. */
  tint?: Rgb;
  /** How much of the tint shows over the foreground, 0–1. Default 0.45. */
  opacity?: number;
  /** How much the background is darkened, 0 (not at all) – 1 (black). Default 0.35, so the cut edge reads at a glance. */
  dim?: number;
  /** Colour the foreground strokes are drawn in. Default red, #ff0000 (pass the run's stroke colours). */
  foregroundColor?: Rgb;
  /** Colour the background strokes are drawn in. Default blue, #0000ff. */
  backgroundColor?: Rgb;
}

export const OVERLAY_DEFAULTS = { tint: [0, 255, 0] as Rgb, opacity: 0.45, dim: 0.35 };

/**
 * A picture for a quick look at a result: the image with the foreground tinted, the background
 * dimmed and the strokes drawn on top in their own colours, so one glance shows what was marked
 * and what came out of it.
 */
export function overlayRgb(
  image: RgbImage,
  mask: Uint8Array,
  seeds?: SeedLabels,
  options: OverlayOptions = {},
): RgbImage {
  const { width, height, data } = image;
  const pixels = width * height;
  if (data.length !== pixels * 3 || mask.length !== pixels || (seeds && seeds.labels.length !== pixels)) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `An overlay of a ${width}×${height} image needs ${pixels * 3} image bytes, ${pixels} mask bytes${seeds ? ` and ${pixels} seed labels` : ''}; found ${data.length}, ${mask.length}${seeds ? ` and ${seeds.labels.length}` : ''}.`,
    );
  }
  const tint = options.tint ?? OVERLAY_DEFAULTS.tint;
  const opacity = unitInterval('opacity', options.opacity ?? OVERLAY_DEFAULTS.opacity);
  const keep = 1 - unitInterval('dim', options.dim ?? OVERLAY_DEFAULTS.dim);
  const fg = options.foregroundColor ?? DEFAULT_FOREGROUND_COLOR;
  const bg = options.backgroundColor ?? DEFAULT_BACKGROUND_COLOR;
  const labels = seeds?.labels;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    const seed = labels ? labels[p] : SEED.NONE;
    if (seed === SEED.FOREGROUND || seed === SEED.BACKGROUND) {
      const color = seed === SEED.FOREGROUND ? fg : bg;
      out[i] = color[0];
      out[i + 1] = color[1];
      out[i + 2] = color[2];
    } else if (mask[p] !== 0) {
      // Weighted by the mask so a soft mask blends smoothly; 255 gives the full tint.
      const a = (opacity * mask[p]) / 255;
      out[i] = Math.round(data[i] + a * (tint[0] - data[i]));
      out[i + 1] = Math.round(data[i + 1] + a * (tint[1] - data[i + 1]));
      out[i + 2] = Math.round(data[i + 2] + a * (tint[2] - data[i + 2]));
    } else {
      out[i] = Math.round(data[i] * keep);
      out[i + 1] = Math.round(data[i + 1] * keep);
      out[i + 2] = Math.round(data[i + 2] * keep);
    }
  }
  return { width, height, data: out };
}

function unitInterval(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `Overlay ${name} must be a number from 0 to 1; found ${value}.`,
    );
  }
  return value;
}
