import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createColorModel } from '../model/color-model.js';
import { MASK, SEED } from '../types.js';
import type { ColorModels } from './options.js';
import { REFINE_DEFAULTS } from './options.js';
import { backgroundBandWeights } from './refit-band.js';
import { refitModels } from './terms.js';

describe('the background band held back when re-fitting (refitBand)', () => {
  it('gives weight w to background pixels within the radius of the foreground, 1 to the rest and to the foreground', () => {
    // A 7 × 1 strip, foreground at x = 0–1: background at distance 1, 2, 3, 4, 5.
    const mask = new Uint8Array([MASK.FOREGROUND, MASK.FOREGROUND, 0, 0, 0, 0, 0]);
    const weights = backgroundBandWeights(mask, 7, 1, 2, 0.25);
    assert.deepEqual([...weights], [1, 1, 0.25, 0.25, 1, 1, 1]);
    // Diagonal steps count √2: in a 3 × 3 image with the corner foreground, (1, 1) is √2 away and
    // (2, 0) 2, both within 2; (2, 1) is 1 + √2 and (2, 2) 2√2, beyond.
    const square = new Uint8Array(9);
    square[0] = MASK.FOREGROUND;
    const near = backgroundBandWeights(square, 3, 3, 2, 0);
    assert.deepEqual([...near], [1, 0, 0, 0, 0, 1, 0, 1, 1]);
  });

  it('refitBand 0 (the default) re-fits as before; > 0 holds the band back in the background model', () => {
    // 4 × 1: red foreground stroke, green cut-background next to it, blue cut-background, blue stroke.
    const image = { width: 4, height: 1, data: new Uint8Array([200, 0, 0, 0, 200, 0, 0, 0, 200, 0, 0, 200]) };
    const seeds = {
      width: 4,
      height: 1,
      labels: new Uint8Array([SEED.FOREGROUND, SEED.NONE, SEED.NONE, SEED.BACKGROUND]),
    };
    const mask = new Uint8Array([MASK.FOREGROUND, 0, 0, 0]);
    const start = createColorModel({ k: 1, centroids: new Float64Array(3), weights: new Float64Array([1]) });
    const previous: ColorModels = { foreground: start, background: start };
    const base = { ...REFINE_DEFAULTS, k: 1, seed: 0, maxIterations: 20 };
    const plain = refitModels(image, mask, seeds, base, previous);
    const off = refitModels(image, mask, seeds, { ...base, refitBand: 0, refitBandWeight: 0.5 }, previous);
    assert.deepEqual(off.background.centroids, plain.background.centroids);
    // Green, blue, blue equally: green 204 / 3; with the band (diagonal √17 ≈ 4.1, r 0.3 → 1.2 px) green counts 0.
    assert.ok(
      Math.abs(plain.background.centroids[1] - (204 + 8) / 3) < 1,
      `${plain.background.centroids[1]}`,
    );
    const held = refitModels(image, mask, seeds, { ...base, refitBand: 0.3, refitBandWeight: 0 }, previous);
    assert.ok(Math.abs(held.background.centroids[1] - 4) < 1, `${held.background.centroids[1]}`);
    assert.deepEqual(held.foreground.centroids, plain.foreground.centroids);
  });
});
