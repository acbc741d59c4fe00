import type { MatteBand } from './band.js';
import { bandIndexOf, isForegroundByte } from './band.js';

/**
 * Foreground (and background) colours in the band, by the energy of Germer, Uelwer, Conrad and
 * Harmeling (2020), "Fast multi-level foreground estimation" — the method behind PyMatting's
 * estimate_foreground_ml:
 *
 *   Σ_i ‖α_i F_i + (1 − α_i) B_i − I_i‖² + Σ_{i~j} (ε + ω |α_i − α_j|) (‖F_i − F_j‖² + ‖B_i − B_j‖²)
 *
 * over 4-neighbours, each pixel's update the 2×2 solve of its F and B with the neighbours fixed.
 * Germer et al. run it coarse to fine over the whole image so colours can travel far. Here only the
 * band is unknown — outside it F = I on the foreground side and B = I on the background side — so
 * colours need to travel only across the band: the start is each band pixel's nearest known
 * foreground (background) colour, spread through the band breadth first, and a few Gauss–Seidel
 * sweeps, alternating direction, settle it (the tests compare with a run to convergence).
 */
export interface ForegroundOptions {
  /** Gauss–Seidel sweeps (each one forward and one backward pass counts as two). */
  sweeps: number;
  /** ε: the smoothness weight where alpha is flat (colours 0–1). */
  regularization: number;
  /** ω: the smoothness weight per unit of alpha change. */
  gradientWeight: number;
}

const OUTSIDE = -1;
const KNOWN_FG = -2;
const KNOWN_BG = -3;

/** 4-neighbour table of the band: band index, or OUTSIDE / KNOWN_FG / KNOWN_BG. */
export function fourNeighbours(band: MatteBand, mask: Uint8Array): Int32Array {
  const { width, height, pixels } = band;
  const n = pixels.length;
  const table = new Int32Array(n * 4);
  const offsets = [
    [-1, 0],
    [1, 0],
    [0, -1],
    [0, 1],
  ] as const;
  for (let i = 0; i < n; i++) {
    const p = pixels[i];
    const x = p % width;
    const y = (p - x) / width;
    for (let d = 0; d < 4; d++) {
      const nx = x + offsets[d][0];
      const ny = y + offsets[d][1];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
        table[i * 4 + d] = OUTSIDE;
        continue;
      }
      const j = bandIndexOf(band, nx, ny);
      table[i * 4 + d] = j >= 0 ? j : isForegroundByte(mask[ny * width + nx]) ? KNOWN_FG : KNOWN_BG;
    }
  }
  return table;
}

/** Nearest-known start for one layer: spread the known side's colours through the band. */
function spread(
  rgb: Uint8Array,
  band: MatteBand,
  table: Int32Array,
  known: number,
  out: Float32Array,
  queue: Int32Array,
): void {
  const { pixels, width } = band;
  const n = pixels.length;
  const seen = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  const offsets = [-1, 1, -width, width];
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 4; d++) {
      if (table[i * 4 + d] !== known) continue;
      const q = (pixels[i] + offsets[d]) * 3;
      out[i * 3] = rgb[q] / 255;
      out[i * 3 + 1] = rgb[q + 1] / 255;
      out[i * 3 + 2] = rgb[q + 2] / 255;
      seen[i] = 1;
      queue[tail++] = i;
      break;
    }
  }
  while (head < tail) {
    const i = queue[head++];
    for (let d = 0; d < 4; d++) {
      const j = table[i * 4 + d];
      if (j < 0 || seen[j]) continue;
      seen[j] = 1;
      out[j * 3] = out[i * 3];
      out[j * 3 + 1] = out[i * 3 + 1];
      out[j * 3 + 2] = out[i * 3 + 2];
      queue[tail++] = j;
    }
  }
  // A piece of band that touches no known pixel of this side starts from its own colours.
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    const q = pixels[i] * 3;
    out[i * 3] = rgb[q] / 255;
    out[i * 3 + 1] = rgb[q + 1] / 255;
    out[i * 3 + 2] = rgb[q + 2] / 255;
  }
}

/** The energy above over the band's pixels and their links (for tests of convergence). */
export function foregroundEnergy(
  rgb: Uint8Array,
  alpha: Float64Array,
  band: MatteBand,
  table: Int32Array,
  fg: Float32Array,
  bg: Float32Array,
  options: ForegroundOptions,
): number {
  const { pixels, width } = band;
  const offsets = [-1, 1, -width, width];
  let energy = 0;
  for (let i = 0; i < pixels.length; i++) {
    const a = alpha[i];
    for (let c = 0; c < 3; c++) {
      const residual = a * fg[i * 3 + c] + (1 - a) * bg[i * 3 + c] - rgb[pixels[i] * 3 + c] / 255;
      energy += residual * residual;
    }
    for (let d = 0; d < 4; d++) {
      const j = table[i * 4 + d];
      if (j === OUTSIDE) continue;
      const q = (pixels[i] + offsets[d]) * 3;
      const aj = j >= 0 ? alpha[j] : j === KNOWN_FG ? 1 : 0;
      const w = options.regularization + options.gradientWeight * Math.abs(a - aj);
      // Band–band links are visited from both ends: count each half.
      const share = j >= 0 ? 0.5 : 1;
      for (let c = 0; c < 3; c++) {
        if (j >= 0 || j === KNOWN_FG) {
          const df = fg[i * 3 + c] - (j >= 0 ? fg[j * 3 + c] : rgb[q + c] / 255);
          energy += share * w * df * df;
        }
        if (j >= 0 || j === KNOWN_BG) {
          const db = bg[i * 3 + c] - (j >= 0 ? bg[j * 3 + c] : rgb[q + c] / 255);
          energy += share * w * db * db;
        }
      }
    }
  }
  return energy;
}

/**
 * Estimates F and B on the band (colours 0–1, 3 per band pixel) for alpha `alpha` (0–1 per band
 * pixel). `table` is fourNeighbours(band, mask).
 */
export function estimateForeground(
  rgb: Uint8Array,
  alpha: Float64Array,
  band: MatteBand,
  table: Int32Array,
  options: ForegroundOptions,
): { fg: Float32Array; bg: Float32Array } {
  const { pixels, width } = band;
  const n = pixels.length;
  const fg = new Float32Array(n * 3);
  const bg = new Float32Array(n * 3);
  const queue = new Int32Array(n);
  spread(rgb, band, table, KNOWN_FG, fg, queue);
  spread(rgb, band, table, KNOWN_BG, bg, queue);
  const offsets = [-1, 1, -width, width];
  const { regularization, gradientWeight } = options;
  const weights = new Float64Array(4);
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    const forward = sweep % 2 === 0;
    for (let k = 0; k < n; k++) {
      const i = forward ? k : n - 1 - k;
      const a = alpha[i];
      const a1 = 1 - a;
      let wf = 0;
      let wb = 0;
      for (let d = 0; d < 4; d++) {
        const j = table[i * 4 + d];
        if (j === OUTSIDE) {
          weights[d] = 0;
          continue;
        }
        const aj = j >= 0 ? alpha[j] : j === KNOWN_FG ? 1 : 0;
        const w = regularization + gradientWeight * Math.abs(a - aj);
        weights[d] = w;
        if (j >= 0 || j === KNOWN_FG) wf += w;
        if (j >= 0 || j === KNOWN_BG) wb += w;
      }
      const a00 = a * a + wf;
      const a01 = a * a1;
      const a11 = a1 * a1 + wb;
      const det = a00 * a11 - a01 * a01;
      if (!(det > 1e-12)) continue;
      const inv = 1 / det;
      const p = pixels[i] * 3;
      for (let c = 0; c < 3; c++) {
        const image = rgb[p + c] / 255;
        let b0 = a * image;
        let b1 = a1 * image;
        for (let d = 0; d < 4; d++) {
          const j = table[i * 4 + d];
          const w = weights[d];
          if (w === 0) continue;
          if (j >= 0) {
            b0 += w * fg[j * 3 + c];
            b1 += w * bg[j * 3 + c];
          } else if (j === KNOWN_FG) {
            b0 += (w * rgb[p + offsets[d] * 3 + c]) / 255;
          } else {
            b1 += (w * rgb[p + offsets[d] * 3 + c]) / 255;
          }
        }
        const f = (a11 * b0 - a01 * b1) * inv;
        const b = (a00 * b1 - a01 * b0) * inv;
        fg[i * 3 + c] = Math.min(1, Math.max(0, f));
        bg[i * 3 + c] = Math.min(1, Math.max(0, b));
      }
    }
  }
  return { fg, bg };
}
