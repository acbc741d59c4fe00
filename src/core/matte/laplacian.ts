import type { MatteBand } from './band.js';
import { isForegroundByte } from './band.js';

/**
 * The closed-form matting system of Levin, Lischinski and Weiss (2008), restricted to the band:
 *
 *   L_ij = Σ_{windows k ∋ i, j} ( δ_ij − (1 + (I_i − μ_k)ᵀ (Σ_k + ε/9 · I₃)⁻¹ (I_j − μ_k)) / 9 )
 *
 * over 3×3 windows (colours in 0–1). Pixels outside the band are known (the mask's 0 or 1), so only
 * the band's rows are kept and the known columns move to the right-hand side:
 *
 *   (L_uu + λ I) α_u = −L_uk α_k + λ m_u
 *
 * with a weak prior λ towards the binary mask m (it keeps the system positive definite where a
 * piece of band touches no known pixel, e.g. a thin object narrower than the band).
 *
 * Storage is symmetric: the diagonal, and for each band pixel its 12 "forward" neighbours of the
 * 5×5 neighbourhood (later in raster order) with their coefficients.
 */
export interface MattingSystem {
  readonly n: number;
  readonly diag: Float64Array;
  /** n × FORWARD.length coefficients; 0 where there is no band neighbour. */
  readonly coef: Float64Array;
  /** n × FORWARD.length band indices of the forward neighbours, −1 where none. */
  readonly neighbour: Int32Array;
  readonly rhs: Float64Array;
}

/** The forward half of the 5×5 neighbourhood: (dx, dy) later in raster order. */
export const FORWARD: readonly (readonly [number, number])[] = [
  [1, 0],
  [2, 0],
  ...[1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dx, dy] as const)),
];

/** slot[(dy + 2) * 5 + dx + 2]: the FORWARD index of an offset, or −1. */
const SLOT = (() => {
  const slot = new Int8Array(25).fill(-1);
  FORWARD.forEach(([dx, dy], s) => {
    slot[(dy + 2) * 5 + dx + 2] = s;
  });
  return slot;
})();

export interface MattingSystemOptions {
  /** Regulariser ε of the window covariances (colours in 0–1). */
  epsilon: number;
  /** Weight λ of the prior towards the binary mask. */
  prior: number;
}

/** Index of the first band pixel of row y at or after column x (may be past the row's end). */
function lowerBound(band: MatteBand, y: number, x: number): number {
  const target = y * band.width + x;
  let lo = band.rowStart[y];
  let hi = band.rowStart[y + 1];
  const { pixels } = band;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pixels[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Assembles the system. `marks` is a one-byte-per-pixel buffer holding 1 on band pixels (as
 * buildBand leaves it); bit 2 is used here as scratch and cleared again.
 */
export function assembleMattingSystem(
  rgb: Uint8Array,
  mask: Uint8Array,
  band: MatteBand,
  marks: Uint8Array,
  options: MattingSystemOptions,
): MattingSystem {
  const { width, height, pixels } = band;
  const n = pixels.length;
  const S = FORWARD.length;
  const diag = new Float64Array(n);
  const coef = new Float64Array(n * S);
  const neighbour = new Int32Array(n * S).fill(-1);
  const rhs = new Float64Array(n);
  const { epsilon, prior } = options;

  // Window centres needed: interior pixels whose 3×3 window holds a band pixel.
  for (let i = 0; i < n; i++) {
    const p = pixels[i];
    const x = p % width;
    const y = (p - x) / width;
    for (let cy = Math.max(1, y - 1); cy <= Math.min(height - 2, y + 1); cy++) {
      for (let cx = Math.max(1, x - 1); cx <= Math.min(width - 2, x + 1); cx++) marks[cy * width + cx] |= 2;
    }
  }

  const winPixel = new Int32Array(9);
  const winBand = new Int32Array(9);
  const d = new Float64Array(27); // I_j − μ
  const v = new Float64Array(27); // Δ⁻¹ (I_j − μ)
  const inv255 = 1 / 255;
  for (let cy = 1; cy < height - 1; cy++) {
    const row = cy * width;
    for (let cx = 1; cx < width - 1; cx++) {
      if ((marks[row + cx] & 2) === 0) continue;
      marks[row + cx] &= ~2;
      // The window's pixels and their band indices (−1 = known).
      let m = 0;
      for (let wy = cy - 1; wy <= cy + 1; wy++) {
        let at = lowerBound(band, wy, cx - 1);
        const end = band.rowStart[wy + 1];
        for (let wx = cx - 1; wx <= cx + 1; wx++, m++) {
          const p = wy * width + wx;
          winPixel[m] = p;
          if (at < end && pixels[at] === p) winBand[m] = at++;
          else winBand[m] = -1;
        }
      }
      // Mean and covariance of the window's colours.
      let mr = 0;
      let mg = 0;
      let mb = 0;
      let srr = 0;
      let srg = 0;
      let srb = 0;
      let sgg = 0;
      let sgb = 0;
      let sbb = 0;
      for (let j = 0; j < 9; j++) {
        const q = winPixel[j] * 3;
        const r = rgb[q] * inv255;
        const g = rgb[q + 1] * inv255;
        const b = rgb[q + 2] * inv255;
        mr += r;
        mg += g;
        mb += b;
        srr += r * r;
        srg += r * g;
        srb += r * b;
        sgg += g * g;
        sgb += g * b;
        sbb += b * b;
      }
      mr /= 9;
      mg /= 9;
      mb /= 9;
      const reg = epsilon / 9;
      const a = srr / 9 - mr * mr + reg;
      const b2 = srg / 9 - mr * mg;
      const c = srb / 9 - mr * mb;
      const e = sgg / 9 - mg * mg + reg;
      const f = sgb / 9 - mg * mb;
      const h = sbb / 9 - mb * mb + reg;
      // Inverse of the symmetric 3×3 [a b c; b e f; c f h] by cofactors.
      const A = e * h - f * f;
      const B = c * f - b2 * h;
      const C = b2 * f - c * e;
      const det = a * A + b2 * B + c * C;
      const id = 1 / det;
      const i00 = A * id;
      const i01 = B * id;
      const i02 = C * id;
      const i11 = (a * h - c * c) * id;
      const i12 = (b2 * c - a * f) * id;
      const i22 = (a * e - b2 * b2) * id;
      for (let j = 0; j < 9; j++) {
        const q = winPixel[j] * 3;
        const dr = rgb[q] * inv255 - mr;
        const dg = rgb[q + 1] * inv255 - mg;
        const db = rgb[q + 2] * inv255 - mb;
        d[j * 3] = dr;
        d[j * 3 + 1] = dg;
        d[j * 3 + 2] = db;
        v[j * 3] = i00 * dr + i01 * dg + i02 * db;
        v[j * 3 + 1] = i01 * dr + i11 * dg + i12 * db;
        v[j * 3 + 2] = i02 * dr + i12 * dg + i22 * db;
      }
      for (let i = 0; i < 9; i++) {
        const bi = winBand[i];
        if (bi < 0) continue;
        const ix = i % 3;
        const iy = (i - ix) / 3;
        const dr = d[i * 3];
        const dg = d[i * 3 + 1];
        const db = d[i * 3 + 2];
        for (let j = 0; j < 9; j++) {
          const value = (i === j ? 1 : 0) - (1 + dr * v[j * 3] + dg * v[j * 3 + 1] + db * v[j * 3 + 2]) / 9;
          const bj = winBand[j];
          if (bj < 0) {
            if (isForegroundByte(mask[winPixel[j]])) rhs[bi] -= value;
          } else if (i === j) {
            diag[bi] += value;
          } else {
            const jx = j % 3;
            const jy = (j - jx) / 3;
            const slot = SLOT[(jy - iy + 2) * 5 + jx - ix + 2];
            if (slot >= 0) {
              coef[bi * S + slot] += value;
              neighbour[bi * S + slot] = bj;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    diag[i] += prior;
    if (isForegroundByte(mask[pixels[i]])) rhs[i] += prior;
  }
  return { n, diag, coef, neighbour, rhs };
}

/** y = A x for the symmetric system (both halves from the forward storage). */
export function multiply(system: MattingSystem, x: Float64Array, y: Float64Array): void {
  const { n, diag, coef, neighbour } = system;
  const S = FORWARD.length;
  for (let i = 0; i < n; i++) y[i] = diag[i] * x[i];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    let sum = y[i];
    const base = i * S;
    for (let s = 0; s < S; s++) {
      const j = neighbour[base + s];
      if (j < 0) continue;
      const c = coef[base + s];
      sum += c * x[j];
      y[j] += c * xi;
    }
    y[i] = sum;
  }
}
