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
 * Storage is symmetric: the diagonal, and for each band pixel 12 coefficients with its "forward"
 * neighbours of the 5×5 neighbourhood (later in raster order), found without a table of their
 * indices: the band is sorted, so a pixel's band neighbours in one row of the neighbourhood are
 * consecutive in the band. Slots 0–1 are band pixels i + 1 and i + 2; slots 2–6 band pixels
 * below[2i] + 0…4 (the row below), slots 7–11 below[2i + 1] + 0…4 (two rows below), where below[·]
 * is the first band pixel of that row at or right of column x − 2. A slot whose band pixel is not
 * a neighbour (beyond column x + 2, another row, or past the band's end) has coefficient 0; the
 * solver's vectors carry PAD extra zero entries so such a slot can always be read and written.
 */
export interface MattingSystem {
  readonly n: number;
  readonly diag: Float64Array;
  /**
   * n × 12 coefficients (slots as above). Single precision: they are summed in it from at most six
   * windows, and the solver works on exactly this (rounded) matrix.
   */
  readonly coef: Float32Array;
  /** n × 2: the band index where the slots of the row below and of two rows below start. */
  readonly below: Int32Array;
  readonly rhs: Float64Array;
}

/**
 * Entries past n that every vector handed to multiply or the solver's substitutions must have (and
 * keep at 0): a slot reaches at most band index n + 4.
 */
export const PAD = 5;

/** The band index slot s of pixel i stands for (its coefficient is 0 if that is no neighbour). */
export function slotIndex(system: MattingSystem, i: number, s: number): number {
  if (s < 2) return i + 1 + s;
  return s < 7 ? system.below[2 * i] + s - 2 : system.below[2 * i + 1] + s - 7;
}

/**
 * The forward half of the 5×5 neighbourhood: (dx, dy) later in raster order. The assembly sums
 * into these geometric slots; rankSlots then moves them to the slots of MattingSystem.
 */
export const FORWARD: readonly (readonly [number, number])[] = [
  [1, 0],
  [2, 0],
  ...[1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dx, dy] as const)),
];

const NINTH = 1 / 9;

/** slot[(dy + 2) * 5 + dx + 2]: the FORWARD index of an offset, or −1. */
const SLOT = (() => {
  const slot = new Int8Array(25).fill(-1);
  FORWARD.forEach(([dx, dy], s) => {
    slot[(dy + 2) * 5 + dx + 2] = s;
  });
  return slot;
})();

/** PAIR[i * 9 + j] (i < j, window positions in raster order): the FORWARD slot of j seen from i. */
const PAIR = (() => {
  const pair = new Int8Array(81).fill(-1);
  for (let i = 0; i < 9; i++) {
    for (let j = i + 1; j < 9; j++) {
      pair[i * 9 + j] = SLOT[(((j / 3) | 0) - ((i / 3) | 0) + 2) * 5 + (j % 3) - (i % 3) + 2];
    }
  }
  return pair;
})();

export interface MattingSystemOptions {
  /** Regulariser ε of the window covariances (colours in 0–1). */
  epsilon: number;
  /** Weight λ of the prior towards the binary mask. */
  prior: number;
}

/**
 * Moves each pixel's coefficients from the geometric FORWARD slots to the rank slots of
 * MattingSystem, in place, and returns `below`. A row's present neighbours keep their order, so a
 * rank is never past its geometric slot and one left-to-right pass per row of the neighbourhood
 * cannot overwrite a coefficient it still has to move. Each row of the band is merged with the two
 * rows below it (all sorted): linear in the band, no search.
 */
function rankSlots(band: MatteBand, coef: Float32Array): Int32Array {
  const { width, height, pixels, rowStart } = band;
  const n = pixels.length;
  const below = new Int32Array(n * 2);
  for (let y = 0; y < height; y++) {
    const end = rowStart[y + 1];
    for (let i = rowStart[y]; i < end; i++) {
      const p = pixels[i];
      const b = i * 12;
      // Same row: geometric slots 0, 1 are x + 1, x + 2; ranks 0, 1 are band pixels i + 1, i + 2.
      const right = i + 1 < end ? pixels[i + 1] - p : 3;
      if (right === 2) {
        coef[b] = coef[b + 1];
        coef[b + 1] = 0;
      } else if (right !== 1) {
        coef[b] = 0;
        coef[b + 1] = 0;
      } else if (!(i + 2 < end && pixels[i + 2] === p + 2)) coef[b + 1] = 0;
    }
    for (let dy = 1; dy <= 2; dy++) {
      const base = 2 + (dy - 1) * 5;
      if (y + dy >= height) {
        for (let i = rowStart[y]; i < end; i++) {
          below[i * 2 + dy - 1] = n;
          coef.fill(0, i * 12 + base, i * 12 + base + 5);
        }
        continue;
      }
      let k = rowStart[y + dy];
      const kEnd = rowStart[y + dy + 1];
      for (let i = rowStart[y]; i < end; i++) {
        const target = pixels[i] + dy * width;
        while (k < kEnd && pixels[k] < target - 2) k++;
        below[i * 2 + dy - 1] = k;
        const b = i * 12 + base;
        for (let m = 0; m < 5; m++) {
          const j = k + m;
          const dx = j < kEnd ? pixels[j] - target : 3;
          coef[b + m] = dx <= 2 ? coef[b + dx + 2] : 0;
        }
      }
    }
  }
  return below;
}

/**
 * Assembles the system: band-sized work only (no per-pixel scratch; the windows are found from the
 * band's sorted rows).
 */
export function assembleMattingSystem(
  rgb: Uint8Array,
  mask: Uint8Array,
  band: MatteBand,
  options: MattingSystemOptions,
): MattingSystem {
  const { width, height, pixels, rowStart } = band;
  const n = pixels.length;
  const S = FORWARD.length;
  const diag = new Float64Array(n);
  const coef = new Float32Array(n * S);
  const rhs = new Float64Array(n);
  const { epsilon, prior } = options;

  const winPixel = new Int32Array(9);
  const winBand = new Int32Array(9);
  const d = new Float64Array(27); // I_j − μ
  const v = new Float64Array(27); // Δ⁻¹ (I_j − μ)
  const inv255 = 1 / 255;
  const reg = epsilon / 9;
  for (let cy = 1; cy < height - 1; cy++) {
    if (rowStart[cy + 2] === rowStart[cy - 1]) continue; // no band pixel in rows cy − 1 … cy + 1
    const row = cy * width;
    // One pointer per window row, moving right with the centre: the first band pixel at or
    // after the window's left column.
    let k0 = rowStart[cy - 1];
    let k1 = rowStart[cy];
    let k2 = rowStart[cy + 1];
    const e0 = rowStart[cy];
    const e1 = rowStart[cy + 1];
    const e2 = rowStart[cy + 2];
    // The window centres needed, left to right: the interior columns within 1 of a band pixel of
    // rows cy − 1 … cy + 1, from a merge of those three sorted rows (no per-pixel marks and no scan
    // of the whole row). `next` is the first column not yet taken.
    let c0 = k0;
    let c1 = k1;
    let c2 = k2;
    const top = row - width;
    const low = row + width;
    let next = 1;
    for (;;) {
      let bx = width;
      if (c0 < e0) bx = pixels[c0] - top;
      if (c1 < e1 && pixels[c1] - row < bx) bx = pixels[c1] - row;
      if (c2 < e2 && pixels[c2] - low < bx) bx = pixels[c2] - low;
      if (bx === width) break;
      if (c0 < e0 && pixels[c0] - top === bx) c0++;
      if (c1 < e1 && pixels[c1] - row === bx) c1++;
      if (c2 < e2 && pixels[c2] - low === bx) c2++;
      const from = Math.max(bx - 1, next);
      const to = Math.min(bx + 1, width - 2);
      if (to >= next) next = to + 1;
      for (let cx = from; cx <= to; cx++) {
        // The window's pixels and their band indices (−1 = known).
        const left0 = row - width + cx - 1;
        const left1 = row + cx - 1;
        const left2 = row + width + cx - 1;
        while (k0 < e0 && pixels[k0] < left0) k0++;
        while (k1 < e1 && pixels[k1] < left1) k1++;
        while (k2 < e2 && pixels[k2] < left2) k2++;
        let a0 = k0;
        let a1 = k1;
        let a2 = k2;
        for (let wx = 0; wx < 3; wx++) {
          let p = left0 + wx;
          winPixel[wx] = p;
          winBand[wx] = a0 < e0 && pixels[a0] === p ? a0++ : -1;
          p = left1 + wx;
          winPixel[3 + wx] = p;
          winBand[3 + wx] = a1 < e1 && pixels[a1] === p ? a1++ : -1;
          p = left2 + wx;
          winPixel[6 + wx] = p;
          winBand[6 + wx] = a2 < e2 && pixels[a2] === p ? a2++ : -1;
        }
        const inBand = a0 - k0 + a1 - k1 + a2 - k2;
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
          d[j * 3] = r;
          d[j * 3 + 1] = g;
          d[j * 3 + 2] = b;
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
        const id = 1 / (a * A + b2 * B + c * C);
        const i00 = A * id;
        const i01 = B * id;
        const i02 = C * id;
        const i11 = (a * h - c * c) * id;
        const i12 = (b2 * c - a * f) * id;
        const i22 = (a * e - b2 * b2) * id;
        for (let j = 0; j < 9; j++) {
          const dr = d[j * 3] - mr;
          const dg = d[j * 3 + 1] - mg;
          const db = d[j * 3 + 2] - mb;
          d[j * 3] = dr;
          d[j * 3 + 1] = dg;
          d[j * 3 + 2] = db;
          v[j * 3] = i00 * dr + i01 * dg + i02 * db;
          v[j * 3 + 1] = i01 * dr + i11 * dg + i12 * db;
          v[j * 3 + 2] = i02 * dr + i12 * dg + i22 * db;
        }
        // Each unordered pair once (the window's matrix is symmetric). A window wholly in the band
        // (most of them) has no known pixel: no right-hand side, and no branch in its pair loop.
        if (inBand === 9) {
          addFullWindow(diag, coef, d, v, k0, k1, k2);
          continue;
        }
        for (let i = 0; i < 9; i++) {
          const bi = winBand[i];
          const dr = d[i * 3];
          const dg = d[i * 3 + 1];
          const db = d[i * 3 + 2];
          if (bi >= 0) diag[bi] += 1 - (1 + dr * v[i * 3] + dg * v[i * 3 + 1] + db * v[i * 3 + 2]) * NINTH;
          for (let j = i + 1; j < 9; j++) {
            const bj = winBand[j];
            if (bi < 0 && bj < 0) continue;
            const value = -(1 + dr * v[j * 3] + dg * v[j * 3 + 1] + db * v[j * 3 + 2]) * NINTH;
            if (bi >= 0 && bj >= 0) coef[bi * S + PAIR[i * 9 + j]] += value;
            else if (bi >= 0) {
              if (isForegroundByte(mask[winPixel[j]])) rhs[bi] -= value;
            } else if (isForegroundByte(mask[winPixel[i]])) rhs[bj] -= value;
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    diag[i] += prior;
    if (isForegroundByte(mask[pixels[i]])) rhs[i] += prior;
  }
  const below = rankSlots(band, coef);
  return { n, diag, coef, below, rhs };
}

/**
 * The pair loop of a window wholly in the band, unrolled (the generic loop in
 * assembleMattingSystem does the same with a slot lookup and a branch per pair; this is the hot
 * path). `top`, `mid`, `low`: band indices of the window's left column in its three rows (each
 * row's three pixels are consecutive in the band). d: I_j − μ; v: Δ⁻¹ (I_j − μ), 3 per pixel.
 */
function addFullWindow(
  diag: Float64Array,
  coef: Float32Array,
  d: Float64Array,
  v: Float64Array,
  top: number,
  mid: number,
  low: number,
): void {
  const v0r = v[0];
  const v0g = v[1];
  const v0b = v[2];
  const v1r = v[3];
  const v1g = v[4];
  const v1b = v[5];
  const v2r = v[6];
  const v2g = v[7];
  const v2b = v[8];
  const v3r = v[9];
  const v3g = v[10];
  const v3b = v[11];
  const v4r = v[12];
  const v4g = v[13];
  const v4b = v[14];
  const v5r = v[15];
  const v5g = v[16];
  const v5b = v[17];
  const v6r = v[18];
  const v6g = v[19];
  const v6b = v[20];
  const v7r = v[21];
  const v7g = v[22];
  const v7b = v[23];
  const v8r = v[24];
  const v8g = v[25];
  const v8b = v[26];
  {
    const dr = d[0];
    const dg = d[1];
    const db = d[2];
    const b = top * 12;
    diag[top] += 1 - (1 + dr * v0r + dg * v0g + db * v0b) * NINTH;
    coef[b + 0] -= (1 + dr * v1r + dg * v1g + db * v1b) * NINTH;
    coef[b + 1] -= (1 + dr * v2r + dg * v2g + db * v2b) * NINTH;
    coef[b + 4] -= (1 + dr * v3r + dg * v3g + db * v3b) * NINTH;
    coef[b + 5] -= (1 + dr * v4r + dg * v4g + db * v4b) * NINTH;
    coef[b + 6] -= (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 9] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 10] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 11] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[3];
    const dg = d[4];
    const db = d[5];
    const b = (top + 1) * 12;
    diag[top + 1] += 1 - (1 + dr * v1r + dg * v1g + db * v1b) * NINTH;
    coef[b + 0] -= (1 + dr * v2r + dg * v2g + db * v2b) * NINTH;
    coef[b + 3] -= (1 + dr * v3r + dg * v3g + db * v3b) * NINTH;
    coef[b + 4] -= (1 + dr * v4r + dg * v4g + db * v4b) * NINTH;
    coef[b + 5] -= (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 8] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 9] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 10] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[6];
    const dg = d[7];
    const db = d[8];
    const b = (top + 2) * 12;
    diag[top + 2] += 1 - (1 + dr * v2r + dg * v2g + db * v2b) * NINTH;
    coef[b + 2] -= (1 + dr * v3r + dg * v3g + db * v3b) * NINTH;
    coef[b + 3] -= (1 + dr * v4r + dg * v4g + db * v4b) * NINTH;
    coef[b + 4] -= (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 7] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 8] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 9] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[9];
    const dg = d[10];
    const db = d[11];
    const b = mid * 12;
    diag[mid] += 1 - (1 + dr * v3r + dg * v3g + db * v3b) * NINTH;
    coef[b + 0] -= (1 + dr * v4r + dg * v4g + db * v4b) * NINTH;
    coef[b + 1] -= (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 4] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 5] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 6] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[12];
    const dg = d[13];
    const db = d[14];
    const b = (mid + 1) * 12;
    diag[mid + 1] += 1 - (1 + dr * v4r + dg * v4g + db * v4b) * NINTH;
    coef[b + 0] -= (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 3] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 4] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 5] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[15];
    const dg = d[16];
    const db = d[17];
    const b = (mid + 2) * 12;
    diag[mid + 2] += 1 - (1 + dr * v5r + dg * v5g + db * v5b) * NINTH;
    coef[b + 2] -= (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 3] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 4] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[18];
    const dg = d[19];
    const db = d[20];
    const b = low * 12;
    diag[low] += 1 - (1 + dr * v6r + dg * v6g + db * v6b) * NINTH;
    coef[b + 0] -= (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 1] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[21];
    const dg = d[22];
    const db = d[23];
    const b = (low + 1) * 12;
    diag[low + 1] += 1 - (1 + dr * v7r + dg * v7g + db * v7b) * NINTH;
    coef[b + 0] -= (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
  {
    const dr = d[24];
    const dg = d[25];
    const db = d[26];
    diag[low + 2] += 1 - (1 + dr * v8r + dg * v8g + db * v8b) * NINTH;
  }
}

/**
 * y = A x for the symmetric system (both halves from the forward storage). x and y hold n + PAD
 * entries; x's last PAD are 0.
 */
export function multiply(system: MattingSystem, x: Float64Array, y: Float64Array): void {
  const { n, diag, coef, below } = system;
  if (x.length < n + PAD || y.length < n + PAD) {
    throw new RangeError(`multiply needs vectors of n + ${PAD} = ${n + PAD} entries`);
  }
  for (let i = 0; i < n; i++) y[i] = diag[i] * x[i];
  y.fill(0, n, n + PAD);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const b = i * 12;
    const k1 = below[2 * i];
    const k2 = below[2 * i + 1];
    // Unrolled; the same sums in the same order as pairing slot m of both rows below.
    const c0 = coef[b];
    const c1 = coef[b + 1];
    let sum = y[i] + c0 * x[i + 1];
    y[i + 1] += c0 * xi;
    sum += c1 * x[i + 2];
    y[i + 2] += c1 * xi;
    const u0 = coef[b + 2];
    const w0 = coef[b + 7];
    sum += u0 * x[k1] + w0 * x[k2];
    y[k1] += u0 * xi;
    y[k2] += w0 * xi;
    const u1 = coef[b + 3];
    const w1 = coef[b + 8];
    sum += u1 * x[k1 + 1] + w1 * x[k2 + 1];
    y[k1 + 1] += u1 * xi;
    y[k2 + 1] += w1 * xi;
    const u2 = coef[b + 4];
    const w2 = coef[b + 9];
    sum += u2 * x[k1 + 2] + w2 * x[k2 + 2];
    y[k1 + 2] += u2 * xi;
    y[k2 + 2] += w2 * xi;
    const u3 = coef[b + 5];
    const w3 = coef[b + 10];
    sum += u3 * x[k1 + 3] + w3 * x[k2 + 3];
    y[k1 + 3] += u3 * xi;
    y[k2 + 3] += w3 * xi;
    const u4 = coef[b + 6];
    const w4 = coef[b + 11];
    sum += u4 * x[k1 + 4] + w4 * x[k2 + 4];
    y[k1 + 4] += u4 * xi;
    y[k2 + 4] += w4 * xi;
    y[i] = sum;
  }
}
