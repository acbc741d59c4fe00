import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import { fitGmm, gmmLogDensity, refitGmm } from './gmm.js';

/** Colours drawn from two known Gaussians, one with strongly correlated channels (a shaded surface). */
function sample(): WeightedColors {
  const random = createRandom(7);
  const normal = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const counts = new Map<number, number>();
  const add = (r: number, g: number, b: number) => {
    const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    const key = (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (let i = 0; i < 6000; i++) {
    // Shade t along the (1, 1, 1) axis, with little spread across it.
    const t = 30 * normal();
    add(120 + t + 2 * normal(), 100 + t + 2 * normal(), 80 + t + 2 * normal());
  }
  for (let i = 0; i < 2000; i++) add(30 + 5 * normal(), 200 + 5 * normal(), 40 + 5 * normal());
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const colors = new Uint8Array(keys.length * 3);
  const weights = new Float64Array(keys.length);
  keys.forEach((key, j) => {
    colors.set([key >>> 16, (key >>> 8) & 255, key & 255], j * 3);
    weights[j] = counts.get(key)!;
  });
  return { colors, weights, count: keys.length, total: 8000 };
}

test('a two-component mixture finds the two Gaussians: means, shares and the shading axis', () => {
  const gmm = fitGmm(sample(), { components: 2, seed: 0, binWidth: 1 });
  assert.equal(gmm.components, 2);
  const green = gmm.means[1] > gmm.means[4] ? 0 : 1;
  const shaded = 1 - green;
  assert.ok(Math.abs(gmm.means[green * 3 + 1] - 200) < 2, `green mean ${gmm.means[green * 3 + 1]}`);
  assert.ok(Math.abs(gmm.means[shaded * 3] - 120) < 3, `shaded mean ${gmm.means[shaded * 3]}`);
  // Along the shading axis the density falls slowly, across it fast: a spherical model cannot.
  const along = gmmLogDensity(gmm, 120 + 40, 100 + 40, 80 + 40);
  const across = gmmLogDensity(gmm, 120 + 23, 100 - 46, 80 + 23); // the same distance, ⟂ (1,1,1)
  assert.ok(along - across > 20, `along ${along}, across ${across}`);
  // A re-fit from its own assignment is (nearly) a fixed point.
  const again = refitGmm(sample(), gmm, 1);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(again.means[i] - gmm.means[i]) < 1);
});

test('the log density is the direct mixture sum, and stays finite far from every mean', () => {
  const gmm = fitGmm(sample(), { components: 3, seed: 1, binWidth: 1 });
  for (const [r, g, b] of [
    [120, 100, 80],
    [35, 195, 45],
    [200, 50, 150],
  ]) {
    let direct = 0;
    for (let i = 0; i < gmm.components; i++) {
      const d = [r - gmm.means[i * 3], g - gmm.means[i * 3 + 1], b - gmm.means[i * 3 + 2]];
      const m = gmm.inverse.subarray(i * 6, i * 6 + 6);
      const q =
        m[0] * d[0] * d[0] +
        m[3] * d[1] * d[1] +
        m[5] * d[2] * d[2] +
        2 * (m[1] * d[0] * d[1] + m[2] * d[0] * d[2] + m[4] * d[1] * d[2]);
      direct += Math.exp(gmm.logConstants[i] - q / 2);
    }
    if (direct > 1e-300) assert.ok(Math.abs(gmmLogDensity(gmm, r, g, b) - Math.log(direct)) < 1e-9);
  }
  assert.ok(Number.isFinite(gmmLogDensity(gmm, 255, 0, 255)));
});
