import { createRandom } from '../core/random.js';
import type { RgbImage } from '../core/types.js';

/**
 * Test scenes whose alpha and foreground colours are known exactly: a foreground F with coverage α
 * composited over a background B, I = round(α F + (1 − α) B). Three foregrounds (hair-like strands
 * with fractional coverage on a solid body, a soft-edged disc, a motion-blurred polygon) over two
 * backgrounds (a smooth gradient, a sharp-edged texture). Everything scales with the image's size,
 * so a 1-megapixel and a 12-megapixel scene hold the same picture.
 */
export type SceneForeground = 'hair' | 'disc' | 'motion';
export type SceneBackground = 'gradient' | 'texture';

export interface MatteScene {
  name: string;
  image: RgbImage;
  /** True coverage, 0–1 per pixel. */
  alpha: Float32Array;
  /** True foreground colour, RGB 0–255 per pixel (defined everywhere). */
  foreground: Uint8Array;
  /** The background colour, RGB 0–255 per pixel. */
  background: Uint8Array;
}

const SUB = 4; // 4 × 4 subsamples per pixel for coverage

/** Coverage of the union of shapes, from a per-pixel 16-bit subsample mask. */
class Coverage {
  readonly bits: Uint16Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.bits = new Uint16Array(width * height);
  }
  /** Marks subsamples inside a capsule (segment a–b, radius r). */
  capsule(ax: number, ay: number, bx: number, by: number, r: number): void {
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r));
    const x1 = Math.min(this.width - 1, Math.ceil(Math.max(ax, bx) + r));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r));
    const y1 = Math.min(this.height - 1, Math.ceil(Math.max(ay, by) + r));
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy || 1e-12;
    const r2 = r * r;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let bits = this.bits[y * this.width + x];
        if (bits === 0xffff) continue;
        for (let s = 0; s < SUB * SUB; s++) {
          const px = x + ((s % SUB) + 0.5) / SUB - ax;
          const py = y + (Math.floor(s / SUB) + 0.5) / SUB - ay;
          const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
          const ex = px - t * dx;
          const ey = py - t * dy;
          if (ex * ex + ey * ey <= r2) bits |= 1 << s;
        }
        this.bits[y * this.width + x] = bits;
      }
    }
  }
  /** Marks subsamples where inside(x, y) (pixel-centre coordinates + subsample offsets). */
  region(x0: number, y0: number, x1: number, y1: number, inside: (x: number, y: number) => boolean): void {
    for (let y = Math.max(0, y0); y <= Math.min(this.height - 1, y1); y++) {
      for (let x = Math.max(0, x0); x <= Math.min(this.width - 1, x1); x++) {
        let bits = this.bits[y * this.width + x];
        for (let s = 0; s < SUB * SUB; s++) {
          if (inside(x + ((s % SUB) + 0.5) / SUB, y + (Math.floor(s / SUB) + 0.5) / SUB)) bits |= 1 << s;
        }
        this.bits[y * this.width + x] = bits;
      }
    }
  }
  alpha(): Float32Array {
    const out = new Float32Array(this.width * this.height);
    for (let p = 0; p < out.length; p++) {
      let v = this.bits[p];
      let count = 0;
      while (v) {
        v &= v - 1;
        count++;
      }
      out[p] = count / (SUB * SUB);
    }
    return out;
  }
}

function hairAlpha(width: number, height: number, scale: number, seed: number): Float32Array {
  const cover = new Coverage(width, height);
  const cx = width / 2;
  const cy = height * 0.72;
  const rx = width * 0.26;
  const ry = height * 0.36;
  cover.region(Math.floor(cx - rx), Math.floor(cy - ry), Math.ceil(cx + rx), Math.ceil(cy + ry), (x, y) => {
    const u = (x - cx) / rx;
    const v = (y - cy) / ry;
    return u * u + v * v <= 1;
  });
  const random = createRandom(seed);
  const strands = Math.round(260 * Math.sqrt(scale));
  for (let k = 0; k < strands; k++) {
    // A strand leaves the body's upper outline outwards and curls.
    const angle = Math.PI * (1.05 + 0.9 * random());
    let x = cx + rx * 0.97 * Math.cos(angle);
    let y = cy + ry * 0.97 * Math.sin(angle);
    let heading = angle + (random() - 0.5) * 0.8;
    const bend = (random() - 0.5) * 0.08;
    const length = (0.06 + 0.12 * random()) * height;
    const radius = (0.2 + 0.45 * random()) * Math.max(1, scale * 0.6);
    const step = 1.5;
    for (let t = 0; t < length; t += step) {
      const nx = x + step * Math.cos(heading);
      const ny = y + step * Math.sin(heading);
      cover.capsule(x, y, nx, ny, radius * (1 - 0.6 * (t / length)));
      x = nx;
      y = ny;
      heading += bend;
    }
  }
  return cover.alpha();
}

function discAlpha(width: number, height: number, scale: number): Float32Array {
  const alpha = new Float32Array(width * height);
  const cx = width * 0.5;
  const cy = height * 0.5;
  const radius = Math.min(width, height) * 0.33;
  const soft = 5 * scale; // width of the linear ramp, in pixels
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      alpha[y * width + x] = Math.max(0, Math.min(1, (radius - d) / soft + 0.5));
    }
  }
  return alpha;
}

function motionAlpha(width: number, height: number, scale: number): Float32Array {
  const cover = new Coverage(width, height);
  // A square turned by 20°, blurred horizontally (the object moved sideways during the exposure).
  const cx = width * 0.5;
  const cy = height * 0.5;
  const half = Math.min(width, height) * 0.28;
  const c = Math.cos(0.35);
  const s = Math.sin(0.35);
  const reach = Math.ceil(half * 1.5);
  cover.region(
    Math.floor(cx - reach),
    Math.floor(cy - reach),
    Math.ceil(cx + reach),
    Math.ceil(cy + reach),
    (x, y) => {
      const u = (x - cx) * c + (y - cy) * s;
      const v = -(x - cx) * s + (y - cy) * c;
      return Math.abs(u) <= half && Math.abs(v) <= half;
    },
  );
  const sharp = cover.alpha();
  const blur = Math.max(2, Math.round(9 * scale)); // box length in pixels
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    // Running box sum centred on x, edges clamped.
    const at = (x: number) => sharp[row + Math.max(0, Math.min(width - 1, x))];
    const lo = -Math.floor(blur / 2);
    for (let k = lo; k < lo + blur; k++) sum += at(k);
    for (let x = 0; x < width; x++) {
      out[row + x] = sum / blur;
      sum += at(x + lo + blur) - at(x + lo);
    }
  }
  return out;
}

function foregroundColours(kind: SceneForeground, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const o = (y * width + x) * 3;
      if (kind === 'hair') {
        out[o] = 150 + 70 * u;
        out[o + 1] = 95 + 50 * v;
        out[o + 2] = 40 + 30 * u;
      } else if (kind === 'disc') {
        out[o] = 40 + 60 * v;
        out[o + 1] = 170 + 50 * u;
        out[o + 2] = 70;
      } else {
        out[o] = 210;
        out[o + 1] = 60 + 40 * v;
        out[o + 2] = 150 + 60 * u;
      }
    }
  }
  return out;
}

function backgroundColours(kind: SceneBackground, width: number, height: number, scale: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const cell = 14 * scale;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const o = (y * width + x) * 3;
      if (kind === 'gradient') {
        out[o] = 30 + 170 * u;
        out[o + 1] = 110 + 40 * v;
        out[o + 2] = 220 - 150 * v;
      } else {
        // Checks of two unlike colours, with stripes across: sharp edges everywhere.
        const check = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0;
        const stripe = Math.sin((x + 2 * y) / (3 * scale)) > 0.6;
        const base = check ? [225, 215, 90] : [50, 70, 120];
        out[o] = stripe ? 240 - base[0] * 0.5 : base[0];
        out[o + 1] = stripe ? 250 - base[1] * 0.5 : base[1];
        out[o + 2] = stripe ? 245 - base[2] * 0.4 : base[2];
      }
    }
  }
  return out;
}

/** One scene at width × height (scale 1 = a 500-pixel diagonal). */
export function makeScene(
  foregroundKind: SceneForeground,
  backgroundKind: SceneBackground,
  width: number,
  height: number,
  seed = 1,
): MatteScene {
  const scale = Math.hypot(width, height) / 500;
  const alpha =
    foregroundKind === 'hair'
      ? hairAlpha(width, height, scale, seed)
      : foregroundKind === 'disc'
        ? discAlpha(width, height, scale)
        : motionAlpha(width, height, scale);
  const foreground = foregroundColours(foregroundKind, width, height);
  const background = backgroundColours(backgroundKind, width, height, scale);
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const a = alpha[p];
    for (let c = 0; c < 3; c++) {
      data[p * 3 + c] = Math.round(a * foreground[p * 3 + c] + (1 - a) * background[p * 3 + c]);
    }
  }
  return {
    name: `${foregroundKind}/${backgroundKind}`,
    image: { width, height, data },
    alpha,
    foreground,
    background,
  };
}

export const SCENE_FOREGROUNDS: readonly SceneForeground[] = ['hair', 'disc', 'motion'];
export const SCENE_BACKGROUNDS: readonly SceneBackground[] = ['gradient', 'texture'];

/** The true alpha thresholded at ½: the best binary cut. */
export function thresholdMask(alpha: Float32Array): Uint8Array {
  const mask = new Uint8Array(alpha.length);
  for (let p = 0; p < alpha.length; p++) mask[p] = alpha[p] >= 0.5 ? 255 : 0;
  return mask;
}
