import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strokeModels } from '../../testing/models.js';
import { createColorModel } from '../model/color-model.js';
import { createRandom } from '../random.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import type { RefineOptions } from './options.js';
import { REFINE_DEFAULTS, validateRefineOptions } from './options.js';
import { refineSegmentation } from './refine.js';
import { greedyStart, kmeansCost, refitModels, warmLloyd } from './terms.js';

const OPTIONS: RefineOptions = { ...REFINE_DEFAULTS, smooth: 8, k: 4, seed: 0, maxIterations: 20 };

/** A disc of two reds on a background of two blues, each pixel jittered; a short stroke in the disc, a frame. */
function scene(width: number, height: number, seed = 3) {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) / 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2;
      const half = x < cx;
      const base = inside ? (half ? [200, 60, 50] : [150, 90, 80]) : half ? [50, 80, 190] : [120, 100, 140];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = base[c] + Math.floor(random() * 40) - 20;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) labels[p] = SEED.BACKGROUND;
      if (Math.abs(y - cy) < 1 && Math.abs(x - cx) < radius / 2) labels[p] = SEED.FOREGROUND;
    }
  }
  const image: RgbImage = { width, height, data };
  const seeds: SeedLabels = { width, height, labels };
  return { image, seeds };
}

describe('the re-fit stabilisers', () => {
  it('default off: the explicit defaults give the same result, to the bit, as leaving them out', () => {
    const { image, seeds } = scene(48, 36);
    const models = strokeModels(image, seeds, 4);
    const plain = refineSegmentation(image, seeds, models, OPTIONS);
    const explicit = refineSegmentation(image, seeds, models, {
      ...OPTIONS,
      energyStop: false,
      refitForeground: true,
      refitWarm: 0,
      refitGreedy: false,
      refitRestarts: 1,
    });
    assert.deepEqual(explicit.mask, plain.mask);
    assert.deepEqual(explicit.models.foreground.centroids, plain.models.foreground.centroids);
    assert.equal(explicit.cuts, plain.cuts);
    // And the stabilisers are not no-ops: with them the loop re-fits otherwise.
    const fixed = refineSegmentation(image, seeds, models, { ...OPTIONS, refitForeground: false });
    assert.notDeepEqual(fixed.models.foreground.centroids, plain.models.foreground.centroids);
  });

  it('energyStop returns a labelling of no higher energy than the first cut, and stops once it rises', () => {
    for (const seed of [3, 4, 5]) {
      const { image, seeds } = scene(40, 30, seed);
      const models = strokeModels(image, seeds, 4);
      const first = refineSegmentation(image, seeds, models, { ...OPTIONS, iterations: 1, energy: true });
      const stopped = refineSegmentation(image, seeds, models, {
        ...OPTIONS,
        energyStop: true,
        energy: true,
      });
      assert.ok(stopped.energy! <= first.energy!, `seed ${seed}: ${stopped.energy} > ${first.energy}`);
      assert.ok(stopped.cuts <= OPTIONS.iterations);
    }
  });

  it('refitForeground false keeps the strokes’ foreground model', () => {
    const { image, seeds } = scene(40, 30);
    const models = strokeModels(image, seeds, 4);
    const result = refineSegmentation(image, seeds, models, { ...OPTIONS, refitForeground: false });
    assert.ok(result.cuts > 1, 'the loop re-fitted');
    assert.deepEqual(result.models.foreground.centroids, models.foreground.centroids);
    assert.notDeepEqual(result.models.background.centroids, models.background.centroids);
  });

  it('warmLloyd keeps cluster i as cluster i, and blends with the previous centres', () => {
    // Two groups of colours; the previous centres near each, in the opposite order of the points.
    const colors = new Uint8Array([10, 10, 10, 20, 20, 20, 200, 200, 200, 210, 210, 210]);
    const points = { colors, weights: new Float64Array([1, 1, 1, 3]), count: 4, total: 6 };
    const previous = createColorModel({
      k: 2,
      centroids: new Float64Array([190, 190, 190, 0, 0, 0]),
      weights: new Float64Array([0.5, 0.5]),
    });
    const full = warmLloyd(points, previous, 20, 1);
    assert.deepEqual(Array.from(full.centroids), [207.5, 207.5, 207.5, 15, 15, 15]);
    assert.deepEqual(Array.from(full.weights), [4 / 6, 2 / 6]);
    const half = warmLloyd(points, previous, 20, 0.5);
    assert.deepEqual(Array.from(half.centroids), [198.75, 198.75, 198.75, 7.5, 7.5, 7.5]);
    assert.ok(Math.abs(half.weights[0] - (0.25 + 2 / 6)) < 1e-12);
  });

  it('greedyStart: the heaviest colour, then the largest weight × squared distance', () => {
    // Weights 1, 5, 2, 1 at grey 0, 10, 100, 250: first 10 (heaviest); then 100 (2 · 90² = 16200
    // against 1 · 240² = 57600 for 250: 250 first), then 100.
    const colors = new Uint8Array([0, 0, 0, 10, 10, 10, 100, 100, 100, 250, 250, 250]);
    const points = { colors, weights: new Float64Array([1, 5, 2, 1]), count: 4, total: 9 };
    const start = greedyStart(points, 3);
    assert.deepEqual(Array.from(start.centroids), [10, 10, 10, 250, 250, 250, 100, 100, 100]);
    assert.equal(greedyStart(points, 9).k, 4, 'no more centres than colours');
    // refitGreedy through the loop: the same result at any k-means seed.
    const { image, seeds } = scene(40, 30);
    const models = strokeModels(image, seeds, 4);
    const a = refineSegmentation(image, seeds, models, { ...OPTIONS, refitGreedy: true, seed: 0 });
    const b = refineSegmentation(image, seeds, models, { ...OPTIONS, refitGreedy: true, seed: 7 });
    assert.deepEqual(a.mask, b.mask);
    assert.deepEqual(a.models.background.centroids, b.models.background.centroids);
  });

  it('refitRestarts keeps the k-means run of least cost', () => {
    const { image, seeds } = scene(40, 30);
    const models = strokeModels(image, seeds, 4);
    const mask = new Uint8Array(40 * 30);
    for (let p = 0; p < mask.length; p++) if (p % 40 < 20) mask[p] = MASK.FOREGROUND;
    const fit = (refitRestarts: number) =>
      refitModels(image, mask, seeds, { ...OPTIONS, k: 6, refitRestarts }, models);
    const one = fit(1);
    const five = fit(5);
    // The cost of each on the colours it was fitted on: the background half's, 5-bit bin centres.
    const colors: number[] = [];
    for (let p = 0; p < mask.length; p++) {
      if (mask[p] === 0 && seeds.labels[p] !== SEED.FOREGROUND) {
        for (let c = 0; c < 3; c++) colors.push(((image.data[p * 3 + c] >> 3) << 3) + 4);
      }
    }
    const points = {
      colors: new Uint8Array(colors),
      weights: new Float64Array(colors.length / 3).fill(1),
      count: colors.length / 3,
      total: colors.length / 3,
    };
    assert.ok(kmeansCost(points, five.background) <= kmeansCost(points, one.background));
  });

  it('checks the options', () => {
    for (const refitWarm of [-0.1, 1.5, Number.NaN]) {
      assert.throws(() => validateRefineOptions({ ...REFINE_DEFAULTS, refitWarm }), /refitWarm/);
    }
    for (const refitRestarts of [0, 1.5]) {
      assert.throws(() => validateRefineOptions({ ...REFINE_DEFAULTS, refitRestarts }), /refitRestarts/);
    }
    for (const name of ['energyStop', 'refitForeground', 'refitGreedy'] as const) {
      const bad = { ...REFINE_DEFAULTS, [name]: 1 as unknown as boolean };
      assert.throws(() => validateRefineOptions(bad), new RegExp(name));
    }
  });
});
