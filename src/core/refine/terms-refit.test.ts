import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createColorModel } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import type { ColorModels } from './options.js';
import { REFINE_DEFAULTS } from './options.js';
import { refitModels } from './terms.js';

/**
 * A 3 × 1 image: a red foreground stroke, a green unstroked pixel that the cut said background but
 * that lies in the foreground strokes' geodesic cell, and a blue background stroke.
 */
function strip(): { image: RgbImage; seeds: SeedLabels; mask: Uint8Array; cell: Uint8Array } {
  const image = { width: 3, height: 1, data: new Uint8Array([200, 0, 0, 0, 200, 0, 0, 0, 200]) };
  const seeds = {
    width: 3,
    height: 1,
    labels: new Uint8Array([SEED.FOREGROUND, SEED.NONE, SEED.BACKGROUND]),
  };
  const mask = new Uint8Array([MASK.FOREGROUND, MASK.BACKGROUND, MASK.BACKGROUND]);
  return { image, seeds, mask, cell: new Uint8Array([1, 1, 0]) };
}

function refit(
  geodesicRefitBackground: number,
  geodesicRefitWeight = 0.1,
  cell: Uint8Array | Float32Array = strip().cell,
): ColorModels {
  const { image, seeds, mask } = strip();
  const start = createColorModel({ k: 1, centroids: new Float64Array(3), weights: new Float64Array([1]) });
  const previous: ColorModels = { foreground: start, background: start };
  const options = {
    ...REFINE_DEFAULTS,
    k: 1,
    seed: 0,
    maxIterations: 20,
    geodesicRefitWeight,
    geodesicRefitBackground,
  };
  return refitModels(image, mask, seeds, options, previous, cell);
}

describe('the geodesic re-fit', () => {
  it('the cell pixel the cut left out counts geodesicRefitBackground in the background model', () => {
    // k = 1: each model's centre is its pixels' weighted mean colour (5-bit bin centres: 200 → 204, 0 → 4).
    const full = refit(1).background.centroids;
    assert.ok(Math.abs(full[1] - 104) < 1, `green and blue equally: ${full[1]}`);
    const held = refit(0).background.centroids;
    assert.ok(Math.abs(held[1] - 4) < 1, `blue only: ${held[1]}`);
    const half = refit(0.5).background.centroids;
    assert.ok(Math.abs(half[1] - (0.5 * 204 + 4) / 1.5) < 1, `green at half weight: ${half[1]}`);
  });

  it('and geodesicRefitWeight in the foreground model, whatever the background weight', () => {
    for (const background of [0, 1]) {
      const fg = refit(background, 0.25).foreground.centroids;
      assert.ok(Math.abs(fg[1] - (0.25 * 204 + 4) / 1.25) < 1, `${background}: ${fg[1]}`);
    }
  });

  it('a soft cell scales both by the pixel weight c: w · c in the foreground, 1 − (1 − b) · c in the background', () => {
    // The green pixel at c = 0.5, with w = 0.4 and b = 0: foreground 0.2 of it, background 0.5.
    const soft = new Float32Array([1, 0.5, 0]);
    const models = refit(0, 0.4, soft);
    const fg = models.foreground.centroids;
    assert.ok(Math.abs(fg[1] - (0.2 * 204 + 4) / 1.2) < 1, `foreground: ${fg[1]}`);
    const bg = models.background.centroids;
    assert.ok(Math.abs(bg[1] - (0.5 * 204 + 4) / 1.5) < 1, `background: ${bg[1]}`);
    // c = 1 in a Float32Array is the hard cell.
    const full = refit(0, 0.4, new Float32Array([1, 1, 0]));
    assert.deepEqual(full.foreground.centroids, refit(0, 0.4).foreground.centroids);
    assert.deepEqual(full.background.centroids, refit(0, 0.4).background.centroids);
  });
});
