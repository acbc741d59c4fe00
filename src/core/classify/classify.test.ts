import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRgbImage, readStrokeImage } from '../../io/read-image.js';
import { exampleImagePath, exampleStrokesPath } from '../../testing/fixtures.js';
import { kmeans } from '../kmeans/kmeans.js';
import type { ColorModel } from '../model/color-model.js';
import { createColorModel } from '../model/color-model.js';
import { seedColors } from '../seeds/distinct-colors.js';
import { extractSeeds } from '../seeds/extract-seeds.js';
import { MASK, SEED } from '../types.js';
import { classifyPixels } from './classify.js';

/**
 * The reference classifier, written plainly: L(c) = Σ w_i exp(−‖c − μ_i‖) summed directly in float64.
 * Inside the RGB cube no distance exceeds 442, so exp never underflows and the direct sum is exact
 * enough to judge every pixel that is not within rounding of a tie.
 */
function referenceLikelihood(model: ColorModel, r: number, g: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < model.k; i++) {
    const distance = Math.sqrt(
      (r - model.centroids[i * 3]) ** 2 +
        (g - model.centroids[i * 3 + 1]) ** 2 +
        (b - model.centroids[i * 3 + 2]) ** 2,
    );
    sum += Math.exp(model.logWeights[i]) * Math.exp(-distance);
  }
  return sum;
}

test('classifyPixels agrees with a brute-force reference on every pixel of a real photograph', async () => {
  const image = await readRgbImage(exampleImagePath);
  const seeds = extractSeeds(await readStrokeImage(exampleStrokesPath));
  const fg = createColorModel(kmeans(seedColors(image, seeds, SEED.FOREGROUND), 70));
  const bg = createColorModel(kmeans(seedColors(image, seeds, SEED.BACKGROUND), 70));
  const mask = classifyPixels(image, fg, bg, seeds);

  let nearTies = 0;
  let checked = 0;
  for (let p = 0; p < mask.length; p++) {
    const seed = seeds.labels[p];
    if (seed !== SEED.NONE) {
      assert.equal(mask[p], seed === SEED.FOREGROUND ? MASK.FOREGROUND : MASK.BACKGROUND, `seed pixel ${p}`);
      continue;
    }
    const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
    const lf = referenceLikelihood(fg, r, g, b);
    const lb = referenceLikelihood(bg, r, g, b);
    if (Math.abs(lf - lb) <= 1e-12 * Math.max(lf, lb)) {
      nearTies++;
      continue;
    }
    checked++;
    assert.equal(mask[p], lf > lb ? MASK.FOREGROUND : MASK.BACKGROUND, `pixel ${p} (${r}, ${g}, ${b})`);
  }
  assert.ok(checked > mask.length * 0.9);
  assert.ok(nearTies < 10, `${nearTies} near-ties`);
});

test('classifyPixels without seeds labels by colour alone; out buffer is reused', () => {
  const image = { width: 3, height: 1, data: Uint8Array.from([0, 0, 0, 250, 250, 250, 120, 120, 120]) };
  const fg = createColorModel({
    k: 1,
    centroids: Float64Array.from([0, 0, 0]),
    weights: Float64Array.from([1]),
  });
  const bg = createColorModel({
    k: 1,
    centroids: Float64Array.from([255, 255, 255]),
    weights: Float64Array.from([1]),
  });
  const out = new Uint8Array(3).fill(7);
  const result = classifyPixels(image, fg, bg, undefined, out);
  assert.equal(result, out);
  assert.deepEqual([...out], [255, 0, 255]);
});
