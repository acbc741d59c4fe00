import type { MattingSystem } from './laplacian.js';
import { multiply } from './laplacian.js';

export interface PcgResult {
  iterations: number;
  /** ‖b − A x‖ / ‖b‖ at the end. */
  relativeResidual: number;
}

/**
 * Conjugate gradients with a Jacobi (diagonal) preconditioner, in place on `x` (the start).
 * Stops when ‖r‖ ≤ tolerance · ‖b‖ or after maxIterations. Five band-sized vectors.
 */
export function solvePcg(
  system: MattingSystem,
  x: Float64Array,
  tolerance: number,
  maxIterations: number,
): PcgResult {
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
  return { iterations, relativeResidual: Math.sqrt(rr) / (bNorm > 0 ? bNorm : 1) };
}
