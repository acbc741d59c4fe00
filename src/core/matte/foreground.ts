import type { MatteBand } from './band.js';
import { isForegroundByte } from './band.js';

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

/** v / 255 for each byte v (the same values as dividing; no division per colour). */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

const OUTSIDE = -1;
const KNOWN_FG = -2;
const KNOWN_BG = -3;

/**
 * 4-neighbour table of the band (left, right, up, down): band index, or OUTSIDE / KNOWN_FG /
 * KNOWN_BG. Each row is merged with the rows above and below (all sorted): one pass, no per-pixel
 * search or division.
 */
export function fourNeighbours(band: MatteBand, mask: Uint8Array): Int32Array {
  const { width, height, pixels, rowStart } = band;
  const n = pixels.length;
  const table = new Int32Array(n * 4);
  for (let y = 0; y < height; y++) {
    const start = rowStart[y];
    const end = rowStart[y + 1];
    if (start === end) continue;
    const row = y * width;
    // Pointers into the rows above and below, moving right with p.
    let up = y > 0 ? rowStart[y - 1] : 0;
    const upEnd = start;
    let down = end;
    const downEnd = y + 1 < height ? rowStart[y + 2] : end;
    for (let i = start; i < end; i++) {
      const p = pixels[i];
      const x = p - row;
      const i4 = i * 4;
      table[i4] =
        x === 0
          ? OUTSIDE
          : i > start && pixels[i - 1] === p - 1
            ? i - 1
            : isForegroundByte(mask[p - 1])
              ? KNOWN_FG
              : KNOWN_BG;
      table[i4 + 1] =
        x === width - 1
          ? OUTSIDE
          : i + 1 < end && pixels[i + 1] === p + 1
            ? i + 1
            : isForegroundByte(mask[p + 1])
              ? KNOWN_FG
              : KNOWN_BG;
      if (y === 0) table[i4 + 2] = OUTSIDE;
      else {
        const q = p - width;
        while (up < upEnd && pixels[up] < q) up++;
        table[i4 + 2] = up < upEnd && pixels[up] === q ? up : isForegroundByte(mask[q]) ? KNOWN_FG : KNOWN_BG;
      }
      if (y === height - 1) table[i4 + 3] = OUTSIDE;
      else {
        const q = p + width;
        while (down < downEnd && pixels[down] < q) down++;
        table[i4 + 3] =
          down < downEnd && pixels[down] === q ? down : isForegroundByte(mask[q]) ? KNOWN_FG : KNOWN_BG;
      }
    }
  }
  return table;
}

/**
 * Near-known start for both layers: each band pixel takes the colour of a known pixel of each side
 * near it through the band. One forward and one backward raster pass over the band, both sides in
 * the same pass, give each pixel the best of its four neighbours' (distance + 1); then a
 * breadth-first spread covers what is still unreached (band that winds back against the raster
 * order), so every band pixel connected to a known pixel of a side gets one. The passes read the
 * 16-byte-per-pixel neighbour table in order, where a breadth-first spread per side revisits it
 * level by level in an order the cache cannot follow; running them to their fixed point (exact
 * distances) takes many passes on hair. So the start is near, not always nearest, and among equal
 * distances the pass order picks; the sweeps settle the colours either way (docs/matting.md).
 */
function spreadBoth(
  rgb: Uint8Array,
  band: MatteBand,
  table: Int32Array,
  fg: Float32Array,
  bg: Float32Array,
): void {
  const { pixels, width } = band;
  const n = pixels.length;
  // Far above any distance, and + 1 stays an Int32.
  const unreached = 1 << 30;
  const distF = new Int32Array(n).fill(unreached);
  const distB = new Int32Array(n).fill(unreached);
  const sourceF = new Int32Array(n).fill(-1);
  const sourceB = new Int32Array(n).fill(-1);
  // Distance 1: the first known neighbour of each side (left, right, up, down).
  for (let i = 0; i < n; i++) {
    const i4 = i * 4;
    const p = pixels[i];
    const l = table[i4];
    const r = table[i4 + 1];
    const u = table[i4 + 2];
    const d = table[i4 + 3];
    const qf =
      l === KNOWN_FG
        ? p - 1
        : r === KNOWN_FG
          ? p + 1
          : u === KNOWN_FG
            ? p - width
            : d === KNOWN_FG
              ? p + width
              : -1;
    if (qf >= 0) {
      distF[i] = 1;
      sourceF[i] = qf;
    }
    const qb =
      l === KNOWN_BG
        ? p - 1
        : r === KNOWN_BG
          ? p + 1
          : u === KNOWN_BG
            ? p - width
            : d === KNOWN_BG
              ? p + width
              : -1;
    if (qb >= 0) {
      distB[i] = 1;
      sourceB[i] = qb;
    }
  }
  // One forward and one backward pass: the distance along paths that go only forward, then only
  // backward, in band order.
  for (let pass = 0; pass < 2; pass++) {
    const forward = pass === 0;
    for (let k = 0; k < n; k++) {
      const i = forward ? k : n - 1 - k;
      const i4 = i * 4;
      let df = distF[i];
      let db = distB[i];
      for (let d = 0; d < 4; d++) {
        const j = table[i4 + d];
        if (j < 0) continue;
        const cf = distF[j] + 1;
        if (cf < df) {
          df = cf;
          sourceF[i] = sourceF[j];
        }
        const cb = distB[j] + 1;
        if (cb < db) {
          db = cb;
          sourceB[i] = sourceB[j];
        }
      }
      distF[i] = df;
      distB[i] = db;
    }
  }
  // What the two passes left unreached (band that winds, a few % in hair): breadth first from the
  // reached pixels next to it, over the unreached pixels only. Queue entries: band index × 2 +
  // side (0 foreground, 1 background).
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    const i4 = i * 4;
    for (let side = 0; side < 2; side++) {
      const source = side === 0 ? sourceF : sourceB;
      if (source[i] >= 0) continue;
      for (let d = 0; d < 4; d++) {
        const j = table[i4 + d];
        if (j >= 0 && source[j] >= 0) {
          source[i] = source[j];
          queue.push(i * 2 + side);
          break;
        }
      }
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const e = queue[head];
    const source = (e & 1) === 0 ? sourceF : sourceB;
    const i = e >> 1;
    const from = source[i];
    for (let d = 0; d < 4; d++) {
      const j = table[i * 4 + d];
      if (j < 0 || source[j] >= 0) continue;
      source[j] = from;
      queue.push(j * 2 + (e & 1));
    }
  }
  // A piece of band that touches no known pixel of a side starts from its own colours there.
  for (let i = 0; i < n; i++) {
    const own = pixels[i];
    const qf = (sourceF[i] >= 0 ? sourceF[i] : own) * 3;
    const qb = (sourceB[i] >= 0 ? sourceB[i] : own) * 3;
    fg[i * 3] = UNIT[rgb[qf]];
    fg[i * 3 + 1] = UNIT[rgb[qf + 1]];
    fg[i * 3 + 2] = UNIT[rgb[qf + 2]];
    bg[i * 3] = UNIT[rgb[qb]];
    bg[i * 3 + 1] = UNIT[rgb[qb + 1]];
    bg[i * 3 + 2] = UNIT[rgb[qb + 2]];
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
  spreadBoth(rgb, band, table, fg, bg);
  if (options.sweeps === 0) return { fg, bg };
  const offsets = [-1, 1, -width, width];
  const { regularization, gradientWeight } = options;
  // What a sweep needs that does not change between sweeps, per band pixel: the link weights to
  // band neighbours (0 elsewhere), the inverse of the 2×2 system, and the right-hand sides' fixed
  // part (the image and the known neighbours' colours) — 13 floats.
  const weights = new Float32Array(n * 4);
  const inverse = new Float32Array(n * 3);
  const fixedF = new Float32Array(n * 3);
  const fixedB = new Float32Array(n * 3);
  // The sweeps' neighbours, as offsets into fg and bg (3 × band index): a band neighbour, or the
  // pixel itself where there is none (its weight is 0), so the inner loop has no branch.
  const link = new Int32Array(n * 4);
  const inv255 = 1 / 255;
  for (let i = 0; i < n; i++) {
    const a = alpha[i];
    const a1 = 1 - a;
    const p = pixels[i] * 3;
    let wf = 0;
    let wb = 0;
    let f0 = a * rgb[p] * inv255;
    let f1 = a * rgb[p + 1] * inv255;
    let f2 = a * rgb[p + 2] * inv255;
    let b0 = a1 * rgb[p] * inv255;
    let b1 = a1 * rgb[p + 1] * inv255;
    let b2 = a1 * rgb[p + 2] * inv255;
    for (let d = 0; d < 4; d++) {
      const j = table[i * 4 + d];
      link[i * 4 + d] = (j >= 0 ? j : i) * 3;
      if (j === OUTSIDE) continue;
      const aj = j >= 0 ? alpha[j] : j === KNOWN_FG ? 1 : 0;
      const w = regularization + gradientWeight * Math.abs(a - aj);
      const q = p + offsets[d] * 3;
      if (j >= 0) {
        weights[i * 4 + d] = w;
        wf += w;
        wb += w;
      } else if (j === KNOWN_FG) {
        wf += w;
        f0 += w * rgb[q] * inv255;
        f1 += w * rgb[q + 1] * inv255;
        f2 += w * rgb[q + 2] * inv255;
      } else {
        wb += w;
        b0 += w * rgb[q] * inv255;
        b1 += w * rgb[q + 1] * inv255;
        b2 += w * rgb[q + 2] * inv255;
      }
    }
    const a00 = a * a + wf;
    const a01 = a * a1;
    const a11 = a1 * a1 + wb;
    const det = a00 * a11 - a01 * a01;
    if (det > 1e-12) {
      inverse[i * 3] = a11 / det;
      inverse[i * 3 + 1] = -a01 / det;
      inverse[i * 3 + 2] = a00 / det;
    } else inverse[i * 3] = Number.NaN; // degenerate: keep the start
    fixedF[i * 3] = f0;
    fixedF[i * 3 + 1] = f1;
    fixedF[i * 3 + 2] = f2;
    fixedB[i * 3] = b0;
    fixedB[i * 3 + 1] = b1;
    fixedB[i * 3 + 2] = b2;
  }
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    const forward = sweep % 2 === 0;
    for (let k = 0; k < n; k++) {
      const i = forward ? k : n - 1 - k;
      const i3 = i * 3;
      const m00 = inverse[i3];
      if (Number.isNaN(m00)) continue;
      const m01 = inverse[i3 + 1];
      const m11 = inverse[i3 + 2];
      const i4 = i * 4;
      const w0 = weights[i4];
      const w1 = weights[i4 + 1];
      const w2 = weights[i4 + 2];
      const w3 = weights[i4 + 3];
      const j0 = link[i4];
      const j1 = link[i4 + 1];
      const j2 = link[i4 + 2];
      const j3 = link[i4 + 3];
      const f0 = fixedF[i3] + w0 * fg[j0] + w1 * fg[j1] + w2 * fg[j2] + w3 * fg[j3];
      const f1 = fixedF[i3 + 1] + w0 * fg[j0 + 1] + w1 * fg[j1 + 1] + w2 * fg[j2 + 1] + w3 * fg[j3 + 1];
      const f2 = fixedF[i3 + 2] + w0 * fg[j0 + 2] + w1 * fg[j1 + 2] + w2 * fg[j2 + 2] + w3 * fg[j3 + 2];
      const b0 = fixedB[i3] + w0 * bg[j0] + w1 * bg[j1] + w2 * bg[j2] + w3 * bg[j3];
      const b1 = fixedB[i3 + 1] + w0 * bg[j0 + 1] + w1 * bg[j1 + 1] + w2 * bg[j2 + 1] + w3 * bg[j3 + 1];
      const b2 = fixedB[i3 + 2] + w0 * bg[j0 + 2] + w1 * bg[j1 + 2] + w2 * bg[j2 + 2] + w3 * bg[j3 + 2];
      fg[i3] = clamp01(m00 * f0 + m01 * b0);
      fg[i3 + 1] = clamp01(m00 * f1 + m01 * b1);
      fg[i3 + 2] = clamp01(m00 * f2 + m01 * b2);
      bg[i3] = clamp01(m01 * f0 + m11 * b0);
      bg[i3 + 1] = clamp01(m01 * f1 + m11 * b1);
      bg[i3 + 2] = clamp01(m01 * f2 + m11 * b2);
    }
  }
  return { fg, bg };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : Math.min(v, 1);
}
