/**
 * Plain data types shared by every layer. All images are row-major, 8 bits per channel,
 * with no padding between rows: pixel (x, y) starts at `(y * width + x) * channels`.
 */

/** An RGB image: `data.length === width * height * 3`. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** An RGBA image (non-premultiplied): `data.length === width * height * 4`. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Per-pixel seed labels, one byte per pixel: see {@link SEED}. */
export interface SeedLabels {
  readonly width: number;
  readonly height: number;
  readonly labels: Uint8Array;
}

/** Values of {@link SeedLabels.labels}. */
export const SEED = {
  NONE: 0,
  FOREGROUND: 1,
  BACKGROUND: 2,
} as const;

/** Values of a mask: one byte per pixel. */
export const MASK = {
  BACKGROUND: 0,
  FOREGROUND: 255,
} as const;

/** An RGB colour as three integers 0–255. */
export type Rgb = readonly [number, number, number];
