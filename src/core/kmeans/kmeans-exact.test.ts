import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRgbImage, readStrokeImage } from '../../io/read-image.js';
import { kmeansPlain } from '../../testing/kmeans-plain.js';
import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import { distinctFromPackedColors, seedColors } from '../seeds/distinct-colors.js';
import { extractSeeds } from '../seeds/extract-seeds.js';
import { SEGMENT_DEFAULTS } from '../segment.js';
import { SEED } from '../types.js';
import type { KMeansOptions, KMeansResult } from './kmeans.js';
import { initialiseKMeansPlusPlus, kmeans } from './kmeans.js';
import { initialiseKMeansPlusPlusPlain } from './kmeans-shared.js';

function weighted(colors: number[][], weights?: number[]): WeightedColors {
  const w = Float64Array.from(weights ?? colors.map(() => 1));
  return {
    colors: Uint8Array.from(colors.flat()),
    weights: w,
    count: colors.length,
    total: w.reduce((a, b) => a + b, 0),
  };
}

/** Random colours in a few blobs, with pixel counts as weights (or fractional ones). */
function blobs(n: number, seed: number, fractional = false): WeightedColors {
  const random = createRandom(seed);
  const centres = Array.from({ length: 6 }, () => [random() * 255, random() * 255, random() * 255]);
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor(random() * centres.length)];
    const channel = (v: number) => Math.max(0, Math.min(255, Math.round(v + (random() - 0.5) * 60)));
    keys[i] = (channel(c[0]) << 16) | (channel(c[1]) << 8) | channel(c[2]);
  }
  const points = distinctFromPackedColors(keys);
  if (!fractional) return points;
  const weights = points.weights.map((w) => w * (0.5 + random()));
  return { ...points, weights, total: weights.reduce((a, b) => a + b, 0) };
}

/** Asserts two results are identical to the bit: centres, weights, iterations, convergence. */
function assertIdentical(fast: KMeansResult, plain: KMeansResult, what: string): void {
  assert.equal(fast.k, plain.k, `${what}: k`);
  assert.equal(fast.iterations, plain.iterations, `${what}: iterations`);
  assert.equal(fast.converged, plain.converged, `${what}: converged`);
  for (let i = 0; i < plain.centroids.length; i++) {
    assert.ok(Object.is(fast.centroids[i], plain.centroids[i]), `${what}: centroid value ${i}`);
  }
  for (let i = 0; i < plain.weights.length; i++) {
    assert.ok(Object.is(fast.weights[i], plain.weights[i]), `${what}: weight ${i}`);
  }
}

function both(points: WeightedColors, k: number, options: KMeansOptions = {}, what = ''): KMeansResult {
  const fast = kmeans(points, k, options);
  assertIdentical(fast, kmeansPlain(points, k, options), what || `k = ${k} ${JSON.stringify(options)}`);
  return fast;
}

describe('kmeans on hand-made data', () => {
  it('finds two well-separated groups and their weight shares', () => {
    const points = weighted(
      [
        [10, 10, 10],
        [12, 10, 10],
        [10, 12, 10],
        [200, 50, 50],
        [202, 50, 50],
      ],
      [1, 1, 2, 3, 1],
    );
    const result = both(points, 2);
    assert.equal(result.converged, true);
    const order = result.centroids[0] < result.centroids[3] ? [0, 1] : [1, 0];
    const dark = order[0];
    const red = order[1];
    // Weighted means: (10·1 + 12·1 + 10·2)/4 = 10.5, (10 + 10 + 24)/4 = 11, 10.
    assert.deepEqual([...result.centroids.slice(dark * 3, dark * 3 + 3)], [10.5, 11, 10]);
    assert.deepEqual([...result.centroids.slice(red * 3, red * 3 + 3)], [200.5, 50, 50]);
    assert.equal(result.weights[dark], 0.5);
    assert.equal(result.weights[red], 0.5);
  });

  it('gives each colour its own cluster when there are no more colours than k', () => {
    const points = weighted(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [3, 1],
    );
    const result = kmeans(points, 5);
    assert.equal(result.k, 2);
    assert.deepEqual([...result.centroids], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...result.weights], [0.75, 0.25]);
    assert.equal(result.iterations, 0);
  });

  it('is deterministic for a seed, and rejects bad options', () => {
    const points = blobs(3000, 1);
    assertIdentical(kmeans(points, 8, { seed: 4 }), kmeans(points, 8, { seed: 4 }), 'same seed');
    assert.throws(() => kmeans(points, 0), /k must be a positive integer/);
    assert.throws(() => kmeans(points, 3, { tolerance: -1 }), /tolerance must be a finite number/);
    assert.throws(() => kmeans(weighted([]), 3), /at least one point/);
  });

  it('stops at maxIterations, and earlier with a tolerance', () => {
    const points = blobs(20000, 2);
    const capped = both(points, 30, { maxIterations: 3 });
    assert.equal(capped.iterations, 3);
    assert.equal(capped.converged, false);
    const full = both(points, 30);
    const loose = both(points, 30, { tolerance: 0.5 });
    assert.ok(loose.converged);
    assert.ok(loose.iterations <= full.iterations);
  });
});

describe('kmeans (accelerated) is identical to plain Lloyd', () => {
  it('on random blobs with pixel-count weights, for several k and seeds', () => {
    for (const [n, k, seed] of [
      [500, 3, 0],
      [5000, 16, 1],
      [20000, 70, 2],
      [20000, 70, 3],
      [8000, 200, 4],
    ]) {
      both(blobs(n, seed), k, { seed }, `n = ${n}, k = ${k}, seed ${seed}`);
    }
  });

  it('with one or two clusters (no runner-up, or no third centre, to track)', () => {
    for (const k of [1, 2, 3]) both(blobs(3000, 6), k, { seed: k }, `k = ${k}`);
  });

  it('over long runs with small tolerances (drifting centres, runner-up bounds)', () => {
    // Many distinct colours and k = 70 with tolerance 0.1 (segment's default until 0.5 measured
    // as accurate) and 0.5 (segment's default): dozens of iterations in which a few centres keep
    // moving while the rest have settled.
    const points = blobs(150000, 7);
    const result = both(points, 70, { seed: 0, tolerance: 0.1 }, 'long run, tolerance 0.1');
    assert.ok(result.iterations > 20, `${result.iterations} iterations`);
    both(points, 70, { seed: 0, tolerance: SEGMENT_DEFAULTS.tolerance }, 'segment tolerance');
  });

  it('with fractional weights (sums not exact), which takes the plain update', () => {
    both(blobs(10000, 5, true), 40, { seed: 1 }, 'fractional');
  });

  it('with ties: symmetric points equidistant from several centres', () => {
    // A lattice of colours: many points lie exactly halfway between centres, and k-means++ picks
    // lattice points as centres, so exact ties in squared distance are common.
    const colors: number[][] = [];
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17) for (let b = 0; b < 256; b += 51) colors.push([r, g, b]);
    const points = weighted(colors);
    for (const k of [2, 5, 24, 70]) both(points, k, { seed: k }, `lattice, k = ${k}`);
    // Weights of 0 are allowed and count for nothing.
    const zeroes = weighted(
      colors,
      colors.map((_, i) => (i % 3 === 0 ? 0 : 1 + (i % 5))),
    );
    both(zeroes, 12, { seed: 3 }, 'zero weights');
  });

  it('with exact ties between moved centres (lattice colours, many seeds)', () => {
    // Centres that are means of lattice points tie exactly for some lattice points in later
    // iterations too; over these cases the accelerated scan meets such ties and must break them
    // as the plain scan does (lowest index).
    for (let seed = 0; seed < 1000; seed++) {
      const random = createRandom(seed);
      const step = [8, 16, 32][seed % 3];
      const colors: number[][] = [];
      const weights: number[] = [];
      for (let r = 64; r <= 192; r += step) {
        for (let g = 64; g <= 192; g += step) {
          for (let b = 64; b <= 192; b += step * 2) {
            colors.push([r, g, b]);
            weights.push(1 + Math.floor(random() * 3));
          }
        }
      }
      both(weighted(colors, weights), 2 + (seed % 13), { seed }, `lattice seed ${seed}`);
    }
  });

  it('k-means++ initialisation draws the same centres', () => {
    for (const [n, k, seed] of [
      [1000, 10, 0],
      [30000, 70, 9],
    ]) {
      const points = blobs(n, seed);
      assert.deepEqual(
        initialiseKMeansPlusPlus(points, k, seed),
        initialiseKMeansPlusPlusPlain(points, k, seed),
      );
    }
  });

  it('on the bundled example’s seed colours, k = 70', async () => {
    const image = await readRgbImage('examples/chelsea.png');
    const seeds = extractSeeds(await readStrokeImage('examples/chelsea-stroke.png'));
    for (const label of [SEED.FOREGROUND, SEED.BACKGROUND]) {
      const points = seedColors(image, seeds, label);
      both(points, 70, {}, `chelsea label ${label}`);
      both(points, 70, { seed: 123, tolerance: 0.05 }, `chelsea label ${label}, tolerance`);
    }
  });
});
