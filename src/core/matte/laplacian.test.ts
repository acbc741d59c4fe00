import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import { bandIndexOf, buildBand } from './band.js';
import { assembleMattingSystem, FORWARD, multiply, PAD, slotIndex } from './laplacian.js';
import { dicDiagonal, solvePcg } from './pcg.js';

/** The full matting Laplacian of a small image, straight from the formula, as a dense matrix. */
function denseLaplacian(rgb: Uint8Array, width: number, height: number, epsilon: number): Float64Array[] {
  const n = width * height;
  const L = Array.from({ length: n }, () => new Float64Array(n));
  for (let cy = 1; cy < height - 1; cy++) {
    for (let cx = 1; cx < width - 1; cx++) {
      const win: number[] = [];
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) win.push((cy + dy) * width + cx + dx);
      const colour = (p: number) => [0, 1, 2].map((c) => rgb[p * 3 + c] / 255);
      const mu = [0, 1, 2].map((c) => win.reduce((s, p) => s + colour(p)[c], 0) / 9);
      const cov = [0, 1, 2].map((a) =>
        [0, 1, 2].map(
          (b) =>
            win.reduce((s, p) => s + (colour(p)[a] - mu[a]) * (colour(p)[b] - mu[b]), 0) / 9 +
            (a === b ? epsilon / 9 : 0),
        ),
      );
      const inv = invert3(cov);
      for (const i of win) {
        for (const j of win) {
          const di = colour(i).map((v, c) => v - mu[c]);
          const dj = colour(j).map((v, c) => v - mu[c]);
          let q = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) q += di[a] * inv[a][b] * dj[b];
          L[i][j] += (i === j ? 1 : 0) - (1 + q) / 9;
        }
      }
    }
  }
  return L;
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, k]] = m;
  const det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
  return [
    [(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det],
    [(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

/** Gaussian elimination with partial pivoting. */
function solveDense(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[pivot][col])) pivot = r;
    [M[col], M[pivot]] = [M[pivot], M[col]];
    for (let r = col + 1; r < n; r++) {
      const f = M[r][col] / M[col][col];
      for (let c = col; c <= n; c++) M[r][c] -= f * M[col][c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let c = r + 1; c < n; c++) s -= M[r][c] * x[c];
    x[r] = s / M[r][r];
  }
  return x;
}

function scene(width: number, height: number, seed: number) {
  const random = createRandom(seed);
  const rgb = new Uint8Array(width * height * 3);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width / 3) ** 2;
      mask[p] = inside ? 255 : 0;
      const a = Math.max(0, Math.min(1, (width / 3 - Math.hypot(x - width / 2, y - height / 2)) / 3 + 0.5));
      for (let c = 0; c < 3; c++) {
        const fg = [200, 60, 40][c];
        const bg = [30, 90 + 40 * random(), 180][c];
        rgb[p * 3 + c] = Math.round(a * fg + (1 - a) * bg + 8 * (random() - 0.5));
      }
    }
  }
  return { rgb, mask };
}

describe('matting system', () => {
  const width = 14;
  const height = 12;
  const epsilon = 1e-5;
  const prior = 1e-3;
  const { rgb, mask } = scene(width, height, 3);
  const marks = new Uint8Array(width * height);
  const band = buildBand(mask, width, height, 2, marks);
  const system = assembleMattingSystem(rgb, mask, band, { epsilon, prior });
  const unknown = Array.from(band.pixels);
  const known = [...Array(width * height).keys()].filter((p) => !unknown.includes(p));
  const L = denseLaplacian(rgb, width, height, epsilon);
  const A = unknown.map((i) => Float64Array.from(unknown, (j) => L[i][j] + (i === j ? prior : 0)));
  const b = Float64Array.from(unknown, (i) => {
    let s = prior * (mask[i] ? 1 : 0);
    for (const k of known) s -= L[i][k] * (mask[k] ? 1 : 0);
    return s;
  });

  it('assembles the band rows of the dense Laplacian, known columns moved to the right', () => {
    assert.ok(unknown.length > 40, `band of ${unknown.length} pixels`);
    for (let r = 0; r < unknown.length; r++) {
      assert.ok(Math.abs(system.rhs[r] - b[r]) < 1e-6 * (1 + Math.abs(b[r])), `rhs ${r}`);
    }
    // A x against the dense product for a few random x.
    const random = createRandom(9);
    for (let t = 0; t < 3; t++) {
      const x = new Float64Array(unknown.length + PAD);
      for (let r = 0; r < unknown.length; r++) x[r] = random() * 2 - 1;
      const y = new Float64Array(unknown.length + PAD);
      multiply(system, x, y);
      for (let r = 0; r < unknown.length; r++) {
        const expected = A[r].reduce((s, v, c) => s + v * x[c], 0);
        assert.ok(
          Math.abs(y[r] - expected) < 1e-6 * (1 + Math.abs(expected)),
          `row ${r}: ${y[r]} vs ${expected}`,
        );
      }
    }
  });

  it('each forward band neighbour has exactly one slot, every other slot coefficient 0', () => {
    const S = FORWARD.length;
    let neighbours = 0;
    for (let i = 0; i < system.n; i++) {
      const p = band.pixels[i];
      const x = p % width;
      const y = (p - x) / width;
      const expected = new Set<number>();
      for (const [dx, dy] of FORWARD) {
        const j = bandIndexOf(band, x + dx, y + dy);
        if (j >= 0) expected.add(j);
      }
      neighbours += expected.size;
      const seen = new Set<number>();
      for (let s = 0; s < S; s++) {
        const j = slotIndex(system, i, s);
        assert.ok(j > i && j < system.n + PAD, `slot ${s} of ${i} points at ${j}`);
        if (expected.has(j) && !seen.has(j)) {
          seen.add(j);
          // Its coefficient: the dense Laplacian's entry between the two pixels.
          const dense = L[p][band.pixels[j]];
          assert.ok(Math.abs(system.coef[i * S + s] - dense) < 1e-6, `pixel ${i} → ${j}`);
        } else assert.equal(system.coef[i * S + s], 0, `slot ${s} of pixel ${i} is no neighbour`);
      }
      assert.equal(seen.size, expected.size, `pixel ${i}: every neighbour has a slot`);
    }
    assert.ok(neighbours > 5 * system.n, `${neighbours} neighbours of ${system.n} pixels`);
  });

  for (const preconditioner of ['dic', 'jacobi'] as const) {
    it(`PCG (${preconditioner}) reaches the dense solution`, () => {
      const exact = solveDense(A, b);
      const x = Float64Array.from(unknown, (p) => (mask[p] ? 1 : 0));
      const result = solvePcg(system, x, 1e-10, 2000, preconditioner);
      assert.ok(result.relativeResidual <= 1e-9, `residual ${result.relativeResidual}`);
      let worst = 0;
      for (let r = 0; r < unknown.length; r++) worst = Math.max(worst, Math.abs(x[r] - exact[r]));
      assert.ok(worst < 1e-6, `largest difference ${worst}`);
      // The solution is a real soft edge, not the mask back.
      assert.ok(exact.some((v) => v > 0.1 && v < 0.9));
    });
  }

  it('the DIC factor keeps the diagonal: (D + L) D⁻¹ (D + Lᵀ) has A on it', () => {
    const d = dicDiagonal(system, 0);
    const S = FORWARD.length;
    const product = Float64Array.from(d);
    for (let i = 0; i < system.n; i++) {
      assert.ok(d[i] > 0, `pivot ${i}: ${d[i]}`);
      for (let s = 0; s < S; s++) product[slotIndex(system, i, s)] += system.coef[i * S + s] ** 2 / d[i];
    }
    for (let i = 0; i < system.n; i++)
      assert.ok(Math.abs(product[i] - system.diag[i]) < 1e-9 * system.diag[i]);
  });

  it('DIC needs fewer iterations than Jacobi', () => {
    const start = () => Float64Array.from(unknown, (p) => (mask[p] ? 1 : 0));
    const dic = solvePcg(system, start(), 1e-6, 2000, 'dic');
    const jacobi = solvePcg(system, start(), 1e-6, 2000, 'jacobi');
    assert.ok(dic.iterations < jacobi.iterations, `${dic.iterations} vs ${jacobi.iterations}`);
  });
});
