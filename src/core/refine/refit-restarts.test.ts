import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strokeModels } from '../../testing/models.js';
import { createRandom } from '../random.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import type { RefineOptions } from './options.js';
import { REFINE_DEFAULTS, validateRefineOptions } from './options.js';
import { refineSegmentation } from './refine.js';
import { kmeansCost, refitModels } from './terms.js';

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

describe('k-means restarts in the re-fit (refitRestarts)', () => {
  it('default 1: giving it explicitly gives the same result, to the bit, as leaving it out', () => {
    const { image, seeds } = scene(48, 36);
    const models = strokeModels(image, seeds, 4);
    const plain = refineSegmentation(image, seeds, models, OPTIONS);
    const explicit = refineSegmentation(image, seeds, models, { ...OPTIONS, refitRestarts: 1 });
    assert.deepEqual(explicit.mask, plain.mask);
    assert.deepEqual(explicit.models.foreground.centroids, plain.models.foreground.centroids);
    assert.equal(explicit.cuts, plain.cuts);
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

  it('checks the option', () => {
    for (const refitRestarts of [0, 1.5, Number.NaN]) {
      assert.throws(() => validateRefineOptions({ ...REFINE_DEFAULTS, refitRestarts }), /refitRestarts/);
    }
  });
});
