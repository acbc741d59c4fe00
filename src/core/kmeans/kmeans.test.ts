import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StrokecutError } from '../errors.js';
import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import { distinctFromPackedColors } from '../seeds/distinct-colors.js';
import { initialiseKMeansPlusPlus, kmeans } from './kmeans.js';

function weighted(points: [number, number, number, number][]): WeightedColors {
  const keys: number[] = [];
  for (const [r, g, b, count] of points) for (let i = 0; i < count; i++) keys.push((r << 16) | (g << 8) | b);
  return distinctFromPackedColors(Uint32Array.from(keys));
}

/** Sorts centroids (with their weights) so results can be compared whatever the cluster order. */
function sortedClusters(centroids: Float64Array, weights: Float64Array, k: number) {
  return Array.from({ length: k }, (_, c) => ({
    centre: [centroids[c * 3], centroids[c * 3 + 1], centroids[c * 3 + 2]],
    weight: weights[c],
  })).sort((a, b) => a.centre[0] - b.centre[0] || a.centre[1] - b.centre[1] || a.centre[2] - b.centre[2]);
}

test('k-means finds three well-separated weighted blobs: centres are the weighted means, weights the shares', () => {
  const points = weighted([
    [10, 10, 10, 3],
    [12, 10, 10, 1], // blob A: mean (10.5, 10, 10), 4 pixels
    [200, 0, 0, 2],
    [204, 2, 0, 2], // blob B: mean (202, 1, 0), 4 pixels
    [0, 0, 250, 8], // blob C: 16 pixels
    [0, 2, 246, 8], //          mean (0, 1, 248)
  ]);
  for (const seed of [0, 1, 2, 3, 99]) {
    const result = kmeans(points, 3, { seed });
    assert.equal(result.k, 3);
    assert.ok(result.converged);
    const clusters = sortedClusters(result.centroids, result.weights, 3);
    assert.deepEqual(
      clusters.map((c) => c.centre),
      [
        [0, 1, 248],
        [10.5, 10, 10],
        [202, 1, 0],
      ],
    );
    assert.deepEqual(
      clusters.map((c) => c.weight),
      [16 / 24, 4 / 24, 4 / 24],
    );
  }
});

test('with no more distinct colours than k, each colour is its own cluster', () => {
  const points = weighted([
    [1, 2, 3, 5],
    [40, 50, 60, 15],
  ]);
  const result = kmeans(points, 70);
  assert.equal(result.k, 2);
  assert.deepEqual([...result.centroids], [1, 2, 3, 40, 50, 60]);
  assert.deepEqual([...result.weights], [0.25, 0.75]);
});

test('k-means is deterministic for a seed, and the seed matters', () => {
  const random = createRandom(7);
  const keys = Uint32Array.from({ length: 5000 }, () => Math.floor(random() * 0xffffff));
  const points = distinctFromPackedColors(keys);
  const a = kmeans(points, 20, { seed: 5 });
  const b = kmeans(points, 20, { seed: 5 });
  assert.deepEqual(a, b);
  const c = kmeans(points, 20, { seed: 6 });
  assert.notDeepEqual([...a.centroids], [...c.centroids]);
  const total = a.weights.reduce((s, w) => s + w, 0);
  assert.ok(Math.abs(total - 1) < 1e-12);
});

test('weighted k-means on distinct colours equals plain k-means on every pixel from the same start', () => {
  const random = createRandom(3);
  // Pixels with many repeats, as under a stroke.
  const palette = Array.from({ length: 60 }, () => Math.floor(random() * 0xffffff));
  const pixels = Uint32Array.from({ length: 3000 }, () => palette[Math.floor(random() * palette.length)]);
  const points = distinctFromPackedColors(pixels.slice());
  const k = 8;
  const fast = kmeans(points, k, { seed: 11 });

  // Reference: Lloyd's algorithm over every pixel, written plainly, from the same k-means++ start.
  const centres = Array.from(initialiseKMeansPlusPlus(points, k, 11));
  const rgb = [...pixels].map((p) => [p >> 16, (p >> 8) & 255, p & 255]);
  let assignment: number[] = [];
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = rgb.map(([r, g, b]) => {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const d = (r - centres[c * 3]) ** 2 + (g - centres[c * 3 + 1]) ** 2 + (b - centres[c * 3 + 2]) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      return best;
    });
    if (next.every((c, i) => c === assignment[i])) break;
    assignment = next;
    for (let c = 0; c < k; c++) {
      const members = rgb.filter((_, i) => assignment[i] === c);
      if (members.length === 0) continue;
      for (let ch = 0; ch < 3; ch++)
        centres[c * 3 + ch] = members.reduce((s, m) => s + m[ch], 0) / members.length;
    }
  }
  const shares = Array.from({ length: k }, (_, c) => assignment.filter((a) => a === c).length / rgb.length);
  const expected = sortedClusters(Float64Array.from(centres), Float64Array.from(shares), k);
  const actual = sortedClusters(fast.centroids, fast.weights, k);
  assert.equal(actual.length, expected.length);
  for (let c = 0; c < k; c++) {
    for (let ch = 0; ch < 3; ch++) assert.ok(Math.abs(actual[c].centre[ch] - expected[c].centre[ch]) < 1e-9);
    assert.ok(Math.abs(actual[c].weight - expected[c].weight) < 1e-12);
  }
});

test('k-means++ picks distinct colours as initial centres', () => {
  const points = weighted([
    [0, 0, 0, 100],
    [1, 1, 1, 1],
    [255, 255, 255, 1],
  ]);
  const centres = initialiseKMeansPlusPlus(points, 3, 0);
  const keys = new Set([0, 1, 2].map((c) => `${centres[c * 3]},${centres[c * 3 + 1]},${centres[c * 3 + 2]}`));
  assert.equal(keys.size, 3);
});

test('k must be a positive integer', () => {
  const points = weighted([[1, 2, 3, 1]]);
  for (const k of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => kmeans(points, k),
      (e: unknown) =>
        e instanceof StrokecutError && e.code === 'INVALID_OPTION' && /positive integer/.test(e.message),
    );
  }
});
