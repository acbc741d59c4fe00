import type { MattingSystem } from './laplacian.js';
import { FORWARD, multiply } from './laplacian.js';

export interface PcgResult {
  iterations: number;
  /** ‖b − A x‖ / ‖b‖ at the end. */
  relativeResidual: number;
}

/**
 * 'dic': diagonal incomplete Cholesky, applied with Eisenstat's trick (see solveDic); 'jacobi':
 * the diagonal.
 */
export type Preconditioner = 'dic' | 'jacobi';

/**
 * Solves A x = b (the matting system) by preconditioned conjugate gradients, in place on `x` (the
 * start). Stops when the (preconditioned) residual is at most `tolerance` times that of x = 0, or
 * after maxIterations.
 */
export function solvePcg(
  system: MattingSystem,
  x: Float64Array,
  tolerance: number,
  maxIterations: number,
  preconditioner: Preconditioner = 'dic',
): PcgResult {
  if (system.n === 0) return { iterations: 0, relativeResidual: 0 };
  const iterations =
    preconditioner === 'dic'
      ? solveDic(system, x, tolerance, maxIterations)
      : solveJacobi(system, x, tolerance, maxIterations);
  return { iterations, relativeResidual: relativeResidual(system, x) };
}

/** ‖b − A x‖ / ‖b‖. */
export function relativeResidual(system: MattingSystem, x: Float64Array): number {
  const { n, rhs } = system;
  const ax = new Float64Array(n);
  multiply(system, x, ax);
  let rr = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    rr += (rhs[i] - ax[i]) ** 2;
    bb += rhs[i] * rhs[i];
  }
  return Math.sqrt(rr) / (bb > 0 ? Math.sqrt(bb) : 1);
}

/** Jacobi-preconditioned CG; stops at ‖r‖ ≤ tolerance · ‖b‖. Returns the iterations. */
function solveJacobi(
  system: MattingSystem,
  x: Float64Array,
  tolerance: number,
  maxIterations: number,
): number {
  const { n, diag, rhs } = system;
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  const invDiag = new Float64Array(n);
  for (let i = 0; i < n; i++) invDiag[i] = diag[i] > 0 ? 1 / diag[i] : 1;
  multiply(system, x, q);
  let bNorm = 0;
  let rr = 0;
  let rz = 0;
  for (let i = 0; i < n; i++) {
    const ri = rhs[i] - q[i];
    r[i] = ri;
    z[i] = ri * invDiag[i];
    p[i] = z[i];
    rz += ri * z[i];
    rr += ri * ri;
    bNorm += rhs[i] * rhs[i];
  }
  bNorm = Math.sqrt(bNorm);
  const goal = tolerance * (bNorm > 0 ? bNorm : 1);
  let iterations = 0;
  while (Math.sqrt(rr) > goal && iterations < maxIterations) {
    multiply(system, p, q);
    let pq = 0;
    for (let i = 0; i < n; i++) pq += p[i] * q[i];
    if (!(pq > 0)) break; // numerically singular direction: stop with what we have
    const step = rz / pq;
    let rzNext = 0;
    rr = 0;
    for (let i = 0; i < n; i++) {
      x[i] += step * p[i];
      const ri = r[i] - step * q[i];
      r[i] = ri;
      const zi = ri * invDiag[i];
      z[i] = zi;
      rzNext += ri * zi;
      rr += ri * ri;
    }
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
    iterations++;
  }
  return iterations;
}

/**
 * The diagonal of the DIC factorisation: A ≈ (D + L) D⁻¹ (D + Lᵀ) with L the strict lower part of
 * A and D chosen so the product has A's diagonal, d_j = a_jj − Σ_{i<j} a_ij² / d_i. The matting
 * Laplacian is no M-matrix, so a pivot can collapse; it is kept at least `floor` · a_jj.
 */
export function dicDiagonal(system: MattingSystem, floor = 0.05): Float64Array {
  const { n, diag, coef, neighbour } = system;
  const S = FORWARD.length;
  const d = Float64Array.from(diag);
  for (let i = 0; i < n; i++) {
    let di = d[i];
    const least = floor * diag[i];
    if (!(di > least)) di = least;
    d[i] = di;
    const inv = 1 / di;
    const base = i * S;
    for (let s = 0; s < S; s++) {
      const c = coef[base + s];
      d[neighbour[base + s]] -= c * c * inv;
    }
  }
  return d;
}

/** Solves (D + L) u = s in place on s (forward substitution; L from the forward storage). */
function forwardSolve(system: MattingSystem, d: Float64Array, s: Float64Array): void {
  const { n, coef, neighbour } = system;
  const S = FORWARD.length;
  for (let i = 0; i < n; i++) {
    const ui = s[i] / d[i];
    const b = i * S;
    s[neighbour[b]] -= coef[b] * ui;
    s[neighbour[b + 1]] -= coef[b + 1] * ui;
    s[neighbour[b + 2]] -= coef[b + 2] * ui;
    s[neighbour[b + 3]] -= coef[b + 3] * ui;
    s[neighbour[b + 4]] -= coef[b + 4] * ui;
    s[neighbour[b + 5]] -= coef[b + 5] * ui;
    s[neighbour[b + 6]] -= coef[b + 6] * ui;
    s[neighbour[b + 7]] -= coef[b + 7] * ui;
    s[neighbour[b + 8]] -= coef[b + 8] * ui;
    s[neighbour[b + 9]] -= coef[b + 9] * ui;
    s[neighbour[b + 10]] -= coef[b + 10] * ui;
    s[neighbour[b + 11]] -= coef[b + 11] * ui;
    s[i] = ui; // after the loop: a missing neighbour is i itself (coefficient 0)
  }
}

/**
 * CG preconditioned by M = (D + L) D⁻¹ (D + Lᵀ) (DIC), with Eisenstat's trick (1981): with
 * K = D + L and W = K D^−½, CG runs on Â = W⁻¹ A W⁻ᵀ, and since A = K + Kᵀ − E with E = 2D − diag(A),
 *
 *   Â v = D^½ (t + K⁻¹ (D^½ v − E t)),  t = K⁻ᵀ D^½ v,
 *
 * one backward and one forward substitution — about the cost of one product with A, where a plain
 * application of M⁻¹ would cost two substitutions on top of it. x moves by t (x = x₀ + W⁻ᵀ y), so
 * y is never formed. Stops when ‖W⁻¹ r‖ ≤ tolerance · ‖W⁻¹ b‖. Returns the iterations.
 */
function solveDic(system: MattingSystem, x: Float64Array, tolerance: number, maxIterations: number): number {
  const { n, diag, rhs } = system;
  const d = dicDiagonal(system);
  const sd = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sd[i] = Math.sqrt(d[i]);
    e[i] = 2 * d[i] - diag[i];
  }
  const invD = new Float64Array(n);
  for (let i = 0; i < n; i++) invD[i] = 1 / d[i];
  const r = new Float64Array(n); // r̂ = W⁻¹ (b − A x)
  const p = new Float64Array(n);
  const q = new Float64Array(n); // Â p
  const t = new Float64Array(n); // W⁻ᵀ p
  // The goal, from W⁻¹ b.
  r.set(rhs);
  forwardSolve(system, d, r);
  let bNorm = 0;
  for (let i = 0; i < n; i++) bNorm += d[i] * r[i] * r[i];
  const goal = tolerance * (bNorm > 0 ? Math.sqrt(bNorm) : 1);
  multiply(system, x, q);
  for (let i = 0; i < n; i++) r[i] = rhs[i] - q[i];
  forwardSolve(system, d, r);
  let rr = 0;
  for (let i = 0; i < n; i++) {
    const ri = sd[i] * r[i];
    r[i] = ri;
    p[i] = ri;
    rr += ri * ri;
  }
  let iterations = 0;
  let beta = 0; // p = r + β p is folded into the next product
  while (Math.sqrt(rr) > goal && iterations < maxIterations) {
    const pq = applyPreconditioned(system, invD, sd, e, r, beta, p, t, q);
    if (!(pq > 0)) break; // numerically singular direction: stop with what we have
    const step = rr / pq;
    let rrNext = 0;
    for (let i = 0; i < n; i++) {
      x[i] += step * t[i];
      const ri = r[i] - step * q[i];
      r[i] = ri;
      rrNext += ri * ri;
    }
    beta = rrNext / rr;
    rr = rrNext;
    iterations++;
  }
  return iterations;
}

/**
 * p ← r + β p, then q = Â p and t = W⁻ᵀ p (see solveDic); returns pᵀ q. Kept apart from the CG
 * loop so the compiler optimises these two hot loops on their own. Both substitutions are serial
 * (each pixel needs its neighbours' new values), so the products are kept off the dependency chain
 * where possible: the backward sum adds the two same-row terms last.
 */
function applyPreconditioned(
  system: MattingSystem,
  invD: Float64Array,
  sd: Float64Array,
  e: Float64Array,
  r: Float64Array,
  beta: number,
  p: Float64Array,
  t: Float64Array,
  q: Float64Array,
): number {
  const { n, coef, neighbour } = system;
  const S = FORWARD.length;
  // t = K⁻ᵀ D^½ p (backward, gathering from the forward neighbours); q = D^½ p − E t.
  for (let i = n - 1; i >= 0; i--) {
    const pi = r[i] + beta * p[i];
    p[i] = pi;
    const si = sd[i] * pi;
    const b = i * S;
    // A missing neighbour is i itself: its stale t times a 0 coefficient.
    const far =
      coef[b + 2] * t[neighbour[b + 2]] +
      coef[b + 3] * t[neighbour[b + 3]] +
      coef[b + 4] * t[neighbour[b + 4]] +
      coef[b + 5] * t[neighbour[b + 5]] +
      coef[b + 6] * t[neighbour[b + 6]] +
      coef[b + 7] * t[neighbour[b + 7]] +
      coef[b + 8] * t[neighbour[b + 8]] +
      coef[b + 9] * t[neighbour[b + 9]] +
      coef[b + 10] * t[neighbour[b + 10]] +
      coef[b + 11] * t[neighbour[b + 11]];
    const ti = (si - far - coef[b + 1] * t[neighbour[b + 1]] - coef[b] * t[neighbour[b]]) * invD[i];
    t[i] = ti;
    q[i] = si - e[i] * ti;
  }
  // q = D^½ (t + K⁻¹ q) (forward, scattering), and pᵀ q on the way.
  let pq = 0;
  for (let i = 0; i < n; i++) {
    const ui = q[i] * invD[i];
    const b = i * S;
    // Unrolled: the two same-row neighbours first, as the next pixels wait on them.
    q[neighbour[b]] -= coef[b] * ui;
    q[neighbour[b + 1]] -= coef[b + 1] * ui;
    q[neighbour[b + 2]] -= coef[b + 2] * ui;
    q[neighbour[b + 3]] -= coef[b + 3] * ui;
    q[neighbour[b + 4]] -= coef[b + 4] * ui;
    q[neighbour[b + 5]] -= coef[b + 5] * ui;
    q[neighbour[b + 6]] -= coef[b + 6] * ui;
    q[neighbour[b + 7]] -= coef[b + 7] * ui;
    q[neighbour[b + 8]] -= coef[b + 8] * ui;
    q[neighbour[b + 9]] -= coef[b + 9] * ui;
    q[neighbour[b + 10]] -= coef[b + 10] * ui;
    q[neighbour[b + 11]] -= coef[b + 11] * ui;
    const qi = sd[i] * (t[i] + ui);
    q[i] = qi;
    pq += p[i] * qi;
  }
  return pq;
}
