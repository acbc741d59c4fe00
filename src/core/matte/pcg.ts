import type { MattingSystem } from './laplacian.js';
import { multiply, PAD } from './laplacian.js';

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
 * start: n entries, or n + PAD to spare a copy). Stops when the (preconditioned) residual is at most `tolerance` times that of x = 0, or
 * after maxIterations.
 */
export function solvePcg(
  system: MattingSystem,
  x: Float64Array,
  tolerance: number,
  maxIterations: number,
  preconditioner: Preconditioner = 'dic',
): PcgResult {
  const { n } = system;
  if (n === 0) return { iterations: 0, relativeResidual: 0 };
  // The solver's vectors carry PAD zero entries (see MattingSystem); a shorter x is copied.
  const padded = x.length >= n + PAD ? x : new Float64Array(n + PAD);
  if (padded !== x) padded.set(x.subarray(0, n));
  padded.fill(0, n, n + PAD);
  // The solvers hand back a spent n + PAD vector for the residual check.
  const { iterations, scratch } =
    preconditioner === 'dic'
      ? solveDic(system, padded, tolerance, maxIterations)
      : solveJacobi(system, padded, tolerance, maxIterations);
  const residual = relativeResidual(system, padded, scratch);
  if (padded !== x) x.set(padded.subarray(0, n));
  return { iterations, relativeResidual: residual };
}

/** ‖b − A x‖ / ‖b‖; x (and `scratch`, overwritten, if given) has n + PAD entries. */
export function relativeResidual(
  system: MattingSystem,
  x: Float64Array,
  scratch: Float64Array = new Float64Array(system.n + PAD),
): number {
  const { n, rhs } = system;
  const ax = scratch;
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
): { iterations: number; scratch: Float64Array } {
  const { n, diag, rhs } = system;
  const r = new Float64Array(n);
  const z = new Float64Array(n);
  const p = new Float64Array(n + PAD);
  const q = new Float64Array(n + PAD);
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
  return { iterations, scratch: q };
}

/**
 * The diagonal of the DIC factorisation: A ≈ (D + L) D⁻¹ (D + Lᵀ) with L the strict lower part of
 * A and D chosen so the product has A's diagonal, d_j = a_jj − Σ_{i<j} a_ij² / d_i. The matting
 * Laplacian is no M-matrix, so a pivot can collapse; it is kept at least `floor` · a_jj.
 */
export function dicDiagonal(system: MattingSystem, floor = 0.05): Float64Array {
  const { n, diag, coef, below } = system;
  const d = new Float64Array(n + PAD);
  d.set(diag);
  for (let i = 0; i < n; i++) {
    let di = d[i];
    const least = floor * diag[i];
    if (!(di > least)) di = least;
    d[i] = di;
    const inv = 1 / di;
    const b = i * 12;
    const k1 = below[2 * i];
    const k2 = below[2 * i + 1];
    d[i + 1] -= coef[b] * coef[b] * inv;
    d[i + 2] -= coef[b + 1] * coef[b + 1] * inv;
    // Unrolled, in the same order (slot m of the row below, then of two rows below).
    const u0 = coef[b + 2];
    d[k1] -= u0 * u0 * inv;
    const w0 = coef[b + 7];
    d[k2] -= w0 * w0 * inv;
    const u1 = coef[b + 3];
    d[k1 + 1] -= u1 * u1 * inv;
    const w1 = coef[b + 8];
    d[k2 + 1] -= w1 * w1 * inv;
    const u2 = coef[b + 4];
    d[k1 + 2] -= u2 * u2 * inv;
    const w2 = coef[b + 9];
    d[k2 + 2] -= w2 * w2 * inv;
    const u3 = coef[b + 5];
    d[k1 + 3] -= u3 * u3 * inv;
    const w3 = coef[b + 10];
    d[k2 + 3] -= w3 * w3 * inv;
    const u4 = coef[b + 6];
    d[k1 + 4] -= u4 * u4 * inv;
    const w4 = coef[b + 11];
    d[k2 + 4] -= w4 * w4 * inv;
  }
  return d;
}

/** Solves (D + L) u = s in place on s (n + PAD entries; forward substitution, L from the forward storage). */
function forwardSolve(system: MattingSystem, d: Float64Array, s: Float64Array): void {
  const { n, coef, below } = system;
  for (let i = 0; i < n; i++) {
    const ui = s[i] / d[i];
    s[i] = ui;
    const b = i * 12;
    const k1 = below[2 * i];
    const k2 = below[2 * i + 1];
    s[i + 1] -= coef[b] * ui;
    s[i + 2] -= coef[b + 1] * ui;
    s[k1] -= coef[b + 2] * ui;
    s[k1 + 1] -= coef[b + 3] * ui;
    s[k1 + 2] -= coef[b + 4] * ui;
    s[k1 + 3] -= coef[b + 5] * ui;
    s[k1 + 4] -= coef[b + 6] * ui;
    s[k2] -= coef[b + 7] * ui;
    s[k2 + 1] -= coef[b + 8] * ui;
    s[k2 + 2] -= coef[b + 9] * ui;
    s[k2 + 3] -= coef[b + 10] * ui;
    s[k2 + 4] -= coef[b + 11] * ui;
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
function solveDic(
  system: MattingSystem,
  x: Float64Array,
  tolerance: number,
  maxIterations: number,
): { iterations: number; scratch: Float64Array } {
  const { n, diag, rhs } = system;
  const d = dicDiagonal(system);
  const sd = new Float64Array(n);
  const e = new Float64Array(n);
  const invD = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const di = d[i];
    sd[i] = Math.sqrt(di);
    e[i] = 2 * di - diag[i];
    invD[i] = 1 / di;
  }
  const r = new Float64Array(n + PAD); // r̂ = W⁻¹ (b − A x)
  const p = new Float64Array(n);
  const q = new Float64Array(n + PAD); // Â p
  const t = new Float64Array(n + PAD); // W⁻ᵀ p
  // The goal, from W⁻¹ b.
  r.set(rhs);
  forwardSolve(system, d, r);
  let bNorm = 0;
  for (let i = 0; i < n; i++) bNorm += d[i] * r[i] * r[i];
  const goal = tolerance * (bNorm > 0 ? Math.sqrt(bNorm) : 1);
  multiply(system, x, q);
  for (let i = 0; i < n; i++) r[i] = rhs[i] - q[i];
  r.fill(0, n, n + PAD);
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
  // x += step · t is folded into the next backward substitution, which reads t[i] before it
  // overwrites it (the same additions in the same order); `pending` is the step still owed.
  let pending = 0;
  while (Math.sqrt(rr) > goal && iterations < maxIterations) {
    const pq = applyPreconditioned(system, invD, sd, e, r, beta, p, t, q, x, pending);
    pending = 0;
    if (!(pq > 0)) break; // numerically singular direction: stop with what we have
    const step = rr / pq;
    let rrNext = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i] - step * q[i];
      r[i] = ri;
      rrNext += ri * ri;
    }
    pending = step;
    beta = rrNext / rr;
    rr = rrNext;
    iterations++;
  }
  if (pending !== 0) for (let i = 0; i < n; i++) x[i] += pending * t[i];
  return { iterations, scratch: q };
}

/**
 * x ← x + step · t (the previous iteration's t), p ← r + β p, then q = Â p and t = W⁻ᵀ p (see
 * solveDic); returns pᵀ q. Kept apart from the CG
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
  x: Float64Array,
  step: number,
): number {
  const { n, coef, below } = system;
  // t = K⁻ᵀ D^½ p (backward, gathering from the forward neighbours); q = D^½ p − E t. The two
  // same-row values the next pixel waits on stay in registers (t1 = t[i + 1], t2 = t[i + 2]; the
  // padding is 0), off the store-to-load path.
  let t1 = 0;
  let t2 = 0;
  for (let i = n - 1; i >= 0; i--) {
    x[i] += step * t[i]; // the previous iteration's update, before t[i] is overwritten
    const pi = r[i] + beta * p[i];
    p[i] = pi;
    const si = sd[i] * pi;
    const b = i * 12;
    const k1 = below[2 * i];
    const k2 = below[2 * i + 1];
    // A slot that is no neighbour has coefficient 0 (times a stale or padding t).
    const far =
      coef[b + 2] * t[k1] +
      coef[b + 3] * t[k1 + 1] +
      coef[b + 4] * t[k1 + 2] +
      coef[b + 5] * t[k1 + 3] +
      coef[b + 6] * t[k1 + 4] +
      coef[b + 7] * t[k2] +
      coef[b + 8] * t[k2 + 1] +
      coef[b + 9] * t[k2 + 2] +
      coef[b + 10] * t[k2 + 3] +
      coef[b + 11] * t[k2 + 4];
    const ti = (si - far - coef[b + 1] * t2 - coef[b] * t1) * invD[i];
    t[i] = ti;
    t2 = t1;
    t1 = ti;
    q[i] = si - e[i] * ti;
  }
  // q = D^½ (t + K⁻¹ q) (forward, scattering), and pᵀ q on the way. The same-row terms, which the
  // next pixels wait on, are carried in registers instead of memory: q[i] is due
  // (q[i] − c1(i−2)·u(i−2)) − c0(i−1)·u(i−1), the same subtractions in the same order as scattering
  // them (where i − 1 or i − 2 also reaches i through a row-below slot, its same-row coefficient is
  // 0, so the order of those terms does not matter).
  let pq = 0;
  let due2 = 0; // c1(i−2)·u(i−2), due at i
  let due1 = 0; // c0(i−1)·u(i−1), due at i
  let next2 = 0; // c1(i−1)·u(i−1), due at i + 1
  for (let i = 0; i < n; i++) {
    const ui = (q[i] - due2 - due1) * invD[i];
    const b = i * 12;
    const k1 = below[2 * i];
    const k2 = below[2 * i + 1];
    due2 = next2;
    due1 = coef[b] * ui;
    next2 = coef[b + 1] * ui;
    q[k1] -= coef[b + 2] * ui;
    q[k1 + 1] -= coef[b + 3] * ui;
    q[k1 + 2] -= coef[b + 4] * ui;
    q[k1 + 3] -= coef[b + 5] * ui;
    q[k1 + 4] -= coef[b + 6] * ui;
    q[k2] -= coef[b + 7] * ui;
    q[k2 + 1] -= coef[b + 8] * ui;
    q[k2 + 2] -= coef[b + 9] * ui;
    q[k2 + 3] -= coef[b + 10] * ui;
    q[k2 + 4] -= coef[b + 11] * ui;
    const qi = sd[i] * (t[i] + ui);
    q[i] = qi;
    pq += p[i] * qi;
  }
  return pq;
}
