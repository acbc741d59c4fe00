import { StrokecutError } from '../errors.js';
import type { RgbImage } from '../types.js';
import type { MatteBand } from './band.js';
import { bandIndexOf, buildBand, growBand, isForegroundByte } from './band.js';
import { estimateForeground, fourNeighbours } from './foreground.js';
import { assembleMattingSystem, PAD } from './laplacian.js';
import type { Preconditioner } from './pcg.js';
import { solvePcg } from './pcg.js';

export interface MatteOptions {
  /**
   * Half-width of the unknown band, in pixels: alpha is solved for the pixels within this distance
   * of a pixel of the other label, and stays the mask's 0 or 1 everywhere else. Default
   * {@link defaultEdgeRadius}: 0.5 % of the image's diagonal (at least 2), so a photo and its
   * downscaled copy get the same band relative to their content (640×480: 4 px, 1 MP: 7, 12 MP: 26).
   */
  edgeRadius?: number;
  /** ε, the covariance regulariser of the matting Laplacian (colours 0–1). Default 1e-5. */
  epsilon?: number;
  /** λ, weight of the prior towards the binary mask inside the band. Default 1e-3. */
  prior?: number;
  /**
   * PCG stops when the preconditioned residual is at most tolerance times that of b. Default 3e-3:
   * alpha is stored in 1/255 steps, and on bench:matte's scenes 3e-3 scored as 1e-3 (every mask
   * within 2 %) while 1e-2 lost 10–25 % on the shifted and eroded masks.
   */
  tolerance?: number;
  /** Most PCG iterations. Default 400. */
  maxIterations?: number;
  /** The PCG preconditioner (see pcg.ts); 'jacobi' is kept for comparison. Default 'dic'. */
  preconditioner?: Preconditioner;
  /** Gauss–Seidel sweeps of the foreground-colour estimation; 0 = keep the image's colours. Default 4
   * (on bench:matte's 24 scenes as close to the true colours as 8, at half the cost; see docs/matting.md). */
  foregroundSweeps?: number;
  /**
   * Rounds of band growth (experimental): after a solve, where the soft edge goes on past the band
   * (see leakingPixels), the band is grown by edgeRadius around it and solved again. Default 0.
   */
  bandGrowth?: number;
  /** See bandGrowth: alpha steps per pixel larger than this at the band's edge grow it. Default 0.05. */
  growthThreshold?: number;
}

export const MATTE_DEFAULTS = {
  /** Fraction of the image diagonal (see MatteOptions.edgeRadius). */
  edgeRadiusFraction: 0.005,
  minEdgeRadius: 2,
  epsilon: 1e-5,
  prior: 1e-3,
  tolerance: 3e-3,
  maxIterations: 400,
  foregroundSweeps: 4,
  /** Germer et al.'s ε and ω (PyMatting's defaults). */
  foregroundRegularization: 1e-5,
  foregroundGradientWeight: 1,
} as const;

/** The default band half-width for a width × height image. */
export function defaultEdgeRadius(width: number, height: number): number {
  return Math.max(
    MATTE_DEFAULTS.minEdgeRadius,
    Math.round(MATTE_DEFAULTS.edgeRadiusFraction * Math.hypot(width, height)),
  );
}

export interface MatteStats {
  edgeRadius: number;
  /** Pixels in the unknown band. */
  bandPixels: number;
  /** PCG iterations and the final relative residual. */
  iterations: number;
  relativeResidual: number;
  /** Bytes of the band-sized working arrays (the image-sized outputs not counted). */
  workingBytes: number;
  /** Milliseconds: band, assembly, solve, foreground colours. */
  timings: { band: number; assemble: number; solve: number; foreground: number; total: number };
}

export interface MatteResult {
  /** One byte per pixel: 0 transparent … 255 opaque. Equal to the mask outside the band. */
  alpha: Uint8Array;
  /** RGB, 3 bytes per pixel: the estimated foreground colours in the band, the image elsewhere. */
  foreground: Uint8Array;
  stats: MatteStats;
}

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `${name} must be ${integer ? 'an integer' : 'a number'} ≥ 0; found ${value}.`,
    );
  }
  return value;
}

/**
 * Soft edges for a binary cut: an alpha matte in a band around the mask's outline (closed-form
 * matting, Levin et al. 2008, solved by preconditioned conjugate gradients on the band only), and
 * the foreground colours there with the background's colour taken out (Germer et al. 2020), so a
 * cut-out placed on a new background keeps no fringe of the old one. Pure: typed arrays in and out.
 */
export function matte(image: RgbImage, mask: Uint8Array, options: MatteOptions = {}): MatteResult {
  const { width, height, data } = image;
  const pixels = width * height;
  if (!(width > 0 && height > 0) || data.length !== pixels * 3) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `The image is ${width}×${height}, so its RGB data should hold ${pixels * 3} bytes; found ${data.length}.`,
    );
  }
  if (mask.length !== pixels) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The mask of a ${width}×${height} image needs ${pixels} bytes; found ${mask.length}.`,
    );
  }
  const edgeRadius = positive('edgeRadius', options.edgeRadius, defaultEdgeRadius(width, height), true);
  const epsilon = positive('epsilon', options.epsilon, MATTE_DEFAULTS.epsilon);
  const prior = positive('prior', options.prior, MATTE_DEFAULTS.prior);
  const tolerance = positive('tolerance', options.tolerance, MATTE_DEFAULTS.tolerance);
  const maxIterations = positive('maxIterations', options.maxIterations, MATTE_DEFAULTS.maxIterations, true);
  const sweeps = positive(
    'foregroundSweeps',
    options.foregroundSweeps,
    MATTE_DEFAULTS.foregroundSweeps,
    true,
  );
  if (epsilon === 0 && prior === 0) {
    throw new StrokecutError(
      'INVALID_OPTION',
      'epsilon and prior cannot both be 0 (the system is singular).',
    );
  }

  const preconditioner = options.preconditioner ?? 'dic';
  if (preconditioner !== 'dic' && preconditioner !== 'jacobi') {
    throw new StrokecutError(
      'INVALID_OPTION',
      `preconditioner must be 'dic' or 'jacobi'; found ${preconditioner}.`,
    );
  }

  const growth = positive('bandGrowth', options.bandGrowth, 0, true);
  const threshold = positive('growthThreshold', options.growthThreshold, 0.05);

  const t0 = performance.now();
  const alpha = new Uint8Array(pixels);
  let band = buildBand(mask, width, height, edgeRadius, alpha);
  const t1 = performance.now();
  let system = assembleMattingSystem(data, mask, band, { epsilon, prior });
  let assembleTime = performance.now() - t1;
  const t2 = performance.now();
  let n = band.pixels.length;
  let x = new Float64Array(n + PAD);
  for (let i = 0; i < n; i++) x[i] = isForegroundByte(mask[band.pixels[i]]) ? 1 : 0;
  let solved = solvePcg(system, x, tolerance, maxIterations, preconditioner);
  let iterations = solved.iterations;
  for (let i = 0; i < n; i++) x[i] = Math.min(1, Math.max(0, x[i]));
  for (let round = 0; round < growth && n > 0; round++) {
    const seeds = leakingPixels(band, x, mask, alpha, threshold);
    if (seeds.length === 0) break;
    const grown = growBand(band, seeds, edgeRadius, alpha);
    const m = grown.pixels.length;
    const start = new Float64Array(m + PAD);
    for (let i = 0, j = 0; i < m; i++) {
      const p = grown.pixels[i];
      if (j < n && band.pixels[j] === p) start[i] = x[j++];
      else start[i] = isForegroundByte(mask[p]) ? 1 : 0;
    }
    const ta = performance.now();
    system = assembleMattingSystem(data, mask, grown, { epsilon, prior });
    assembleTime += performance.now() - ta;
    band = grown;
    n = m;
    x = start;
    solved = solvePcg(system, x, tolerance, maxIterations, preconditioner);
    iterations += solved.iterations;
    for (let i = 0; i < n; i++) x[i] = Math.min(1, Math.max(0, x[i]));
  }
  const t3 = performance.now();

  binaryAlpha(mask, alpha);
  for (let i = 0; i < n; i++) alpha[band.pixels[i]] = Math.round(x[i] * 255);
  const foreground = new Uint8Array(data);
  if (sweeps > 0 && n > 0) {
    const table = fourNeighbours(band, mask);
    const { fg } = estimateForeground(data, x, band, table, {
      sweeps,
      regularization: MATTE_DEFAULTS.foregroundRegularization,
      gradientWeight: MATTE_DEFAULTS.foregroundGradientWeight,
    });
    for (let i = 0; i < n; i++) {
      const p = band.pixels[i] * 3;
      foreground[p] = Math.round(fg[i * 3] * 255);
      foreground[p + 1] = Math.round(fg[i * 3 + 1] * 255);
      foreground[p + 2] = Math.round(fg[i * 3 + 2] * 255);
    }
  }
  const t4 = performance.now();
  // Band-sized arrays alive at the peak (the solve): band + system (diag, rhs, 12 single-precision
  // coefficients and the two slot starts) + x + the solver's vectors (DIC: d, √d, E, 1/d, r, p, q, t;
  // Jacobi: 1/diag, r, z, p, q) + the final residual check's product. The foreground step needs
  // less (4 neighbours and 4 links, F, B, 13 fixed floats, queue). The image-sized outputs are not counted;
  // the band and the assembly use the alpha output as their per-pixel scratch.
  const solverVectors = preconditioner === 'dic' ? 8 : 5;
  const workingBytes = n * (4 + 8 + 8 + 12 * 4 + 2 * 4 + 8 + solverVectors * 8 + 8) + (height + 1) * 4;
  return {
    alpha,
    foreground,
    stats: {
      edgeRadius,
      bandPixels: n,
      iterations,
      relativeResidual: solved.relativeResidual,
      workingBytes,
      timings: {
        band: t1 - t0,
        assemble: assembleTime,
        solve: t3 - t2 - (assembleTime - (t2 - t1)),
        foreground: t4 - t3,
        total: t4 - t0,
      },
    },
  };
}

/**
 * alpha = 255 where the mask is foreground (isForegroundByte: bit 7), 0 elsewhere; four pixels at
 * a time where the two arrays' offsets allow 32-bit views.
 */
function binaryAlpha(mask: Uint8Array, alpha: Uint8Array): void {
  const pixels = alpha.length;
  let from = 0;
  if (mask.byteOffset % 4 === 0 && alpha.byteOffset % 4 === 0) {
    const words = pixels >> 2;
    const m32 = new Uint32Array(mask.buffer, mask.byteOffset, words);
    const a32 = new Uint32Array(alpha.buffer, alpha.byteOffset, words);
    // Bit 7 of each byte moved to bit 0, times 255: 0x00 or 0xff per byte, no carries.
    for (let k = 0; k < words; k++) a32[k] = ((m32[k] >>> 7) & 0x01010101) * 255;
    from = words << 2;
  }
  for (let p = from; p < pixels; p++) alpha[p] = isForegroundByte(mask[p]) ? 255 : 0;
}

/**
 * Band pixels next to a known pixel (4-neighbours) where the soft edge does not end inside the
 * band: alpha still changes by more than `threshold` per pixel there (against the band pixel on the
 * other side), or differs from the known pixel's 0 or 1 by more than 2 × threshold.
 */
function leakingPixels(
  band: MatteBand,
  x: Float64Array,
  mask: Uint8Array,
  marks: Uint8Array,
  threshold: number,
): Int32Array {
  const { width, height, pixels } = band;
  const out: number[] = [];
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i];
    const px = p % width;
    const py = (p - px) / width;
    const a = x[i];
    for (let d = 0; d < 4; d++) {
      if ((d === 0 && px === 0) || (d === 1 && px === width - 1)) continue;
      if ((d === 2 && py === 0) || (d === 3 && py === height - 1)) continue;
      const q = d === 0 ? p - 1 : d === 1 ? p + 1 : d === 2 ? p - width : p + width;
      if (marks[q] & 1) continue;
      const known = isForegroundByte(mask[q]) ? 1 : 0;
      let leak = Math.abs(a - known) > 2 * threshold;
      if (!leak) {
        // The band pixel on the other side of p.
        const ox = d === 0 ? px + 1 : d === 1 ? px - 1 : px;
        const oy = d === 2 ? py + 1 : d === 3 ? py - 1 : py;
        const o = bandIndexOf(band, ox, oy);
        leak = o >= 0 && Math.abs(a - x[o]) > threshold && (a - x[o]) * (known - a) > 0;
      }
      if (leak) {
        out.push(p);
        break;
      }
    }
  }
  return Int32Array.from(out);
}
