import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differingPixels, strokeModels } from '../../testing/models.js';
import { createColorModel, logLikelihood } from '../model/color-model.js';
import { createRandom } from '../random.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { REFERENCE_DIAGONAL } from './options.js';
import type { RefineOptions } from './refine.js';
import {
  boundaryWeights,
  fastLogLikelihood,
  REFINE_DEFAULTS,
  REFINE_SCALE,
  refineSegmentation,
} from './refine.js';

const OPTIONS: RefineOptions = {
  ...REFINE_DEFAULTS,
  smooth: 10,
  iterations: 1,
  k: 4,
  seed: 0,
  maxIterations: 20,
};

/**
 * A noisy synthetic photo: a disc of reddish colour on a bluish background, each pixel jittered,
 * and `flip` of the pixels repainted with the other class's colour (the speckle a per-pixel
 * classifier cannot avoid). Strokes: a short foreground stroke in the disc, a background frame.
 */
function noisyDisc(width: number, height: number, flip: number, seed = 1) {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height * 3);
  const truth = new Uint8Array(width * height);
  const labels = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) / 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2;
      truth[p] = inside ? 255 : 0;
      const looksInside = random() < flip ? !inside : inside;
      const base = looksInside ? [200, 60, 50] : [50, 80, 190];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = base[c] + Math.floor(random() * 30) - 15;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) labels[p] = SEED.BACKGROUND;
      if (Math.abs(y - cy) < 1 && Math.abs(x - cx) < radius / 3) labels[p] = SEED.FOREGROUND;
    }
  }
  const image: RgbImage = { width, height, data };
  const seeds: SeedLabels = { width, height, labels };
  return { image, seeds, truth };
}

describe('refineSegmentation', () => {
  it('removes the speckle of a per-pixel decision on a noisy image', () => {
    const { image, seeds, truth } = noisyDisc(60, 40, 0.08);
    const models = strokeModels(image, seeds, 4);
    const plain = new Uint8Array(truth.length);
    for (let p = 0; p < plain.length; p++) {
      const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
      const fg = logLikelihood(models.foreground, r, g, b) > logLikelihood(models.background, r, g, b);
      plain[p] = seeds.labels[p] === SEED.FOREGROUND || (seeds.labels[p] !== SEED.BACKGROUND && fg) ? 255 : 0;
    }
    const refined = refineSegmentation(image, seeds, models, { ...OPTIONS, smooth: 30 });
    const plainErrors = differingPixels(plain, truth);
    const refinedErrors = differingPixels(refined.mask, truth);
    assert.ok(plainErrors > 100, `the plain decision should be speckled; ${plainErrors} errors`);
    assert.ok(refinedErrors * 5 < plainErrors, `refined ${refinedErrors} vs plain ${plainErrors} errors`);
  });

  it('never changes a stroke pixel, however strong the smoothing', () => {
    const { image, seeds } = noisyDisc(30, 20, 0.3, 5);
    // Scatter strokes of both kinds at random, many against their colour.
    const random = createRandom(9);
    for (let p = 0; p < seeds.labels.length; p++) {
      if (random() < 0.05) seeds.labels[p] = random() < 0.5 ? SEED.FOREGROUND : SEED.BACKGROUND;
    }
    const models = strokeModels(image, seeds, 3);
    for (const smooth of [0.5, 50, 5000]) {
      const { mask } = refineSegmentation(image, seeds, models, { ...OPTIONS, smooth, iterations: 3 });
      for (let p = 0; p < mask.length; p++) {
        if (seeds.labels[p] === SEED.FOREGROUND) assert.equal(mask[p], 255, `smooth ${smooth}, pixel ${p}`);
        if (seeds.labels[p] === SEED.BACKGROUND) assert.equal(mask[p], 0, `smooth ${smooth}, pixel ${p}`);
      }
    }
  });

  it('returns a labelling of minimum energy (brute force over every labelling of a 4×3 image)', () => {
    const { image, seeds } = noisyDisc(4, 3, 0.4, 3);
    seeds.labels.fill(0);
    seeds.labels[0] = SEED.BACKGROUND;
    seeds.labels[5] = SEED.FOREGROUND;
    const models = strokeModels(noisyDisc(20, 20, 0, 4).image, noisyDisc(20, 20, 0, 4).seeds, 2);
    for (const boundaryTerm of ['grabcut', 'lazy'] as const) {
      for (const dataTerm of ['likelihood', 'distance'] as const) {
        const options = {
          ...OPTIONS,
          boundaryTerm,
          dataTerm,
          // λ 0.3 / 20 per pixel pair once scaled with the diagonal (5 of 800 pixels).
          smooth: (dataTerm === 'distance' ? 0.3 : 20) * 160,
          energy: true,
        };
        const result = refineSegmentation(image, seeds, models, options);
        // The same quantised energy, written out independently.
        const n = 12;
        const scratch = new Float64Array(8);
        const data = new Array<number>(n);
        for (let p = 0; p < n; p++) {
          const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
          let d: number;
          if (dataTerm === 'likelihood') {
            d =
              fastLogLikelihood(models.foreground, r, g, b, scratch) -
              fastLogLikelihood(models.background, r, g, b, scratch);
          } else {
            const near = (m: typeof models.foreground) => {
              let best = Number.POSITIVE_INFINITY;
              for (let i = 0; i < m.k; i++) {
                best = Math.min(
                  best,
                  Math.hypot(r - m.centroids[i * 3], g - m.centroids[i * 3 + 1], b - m.centroids[i * 3 + 2]),
                );
              }
              return best;
            };
            const f = near(models.foreground);
            const h = near(models.background);
            d = (h - f) / (f + h);
          }
          data[p] = Math.round(d * REFINE_SCALE);
        }
        // Stroke pixels are hard constraints: their colour costs nothing, their label is fixed.
        data[0] = 0;
        data[5] = 0;
        const weights = boundaryWeights(image, boundaryTerm);
        // λ as the cut uses it: scaled with the image's diagonal (5 pixels here).
        const lambda = (options.smooth * Math.hypot(4, 3)) / REFERENCE_DIAGONAL;
        const energy = (fg: (p: number) => boolean) => {
          let e = 0;
          for (let p = 0; p < n; p++) e += fg(p) ? Math.max(-data[p], 0) : Math.max(data[p], 0);
          for (let p = 0; p < n; p++) {
            const x = p % 4;
            const y = Math.floor(p / 4);
            const pairs = [
              [x + 1, y],
              [x + 1, y + 1],
              [x, y + 1],
              [x - 1, y + 1],
            ];
            pairs.forEach(([qx, qy], d) => {
              if (qx < 0 || qx >= 4 || qy >= 3) return;
              if (fg(p) !== fg(qy * 4 + qx)) e += Math.round(lambda * weights[p * 4 + d] * REFINE_SCALE);
            });
          }
          return e;
        };
        let best = Number.POSITIVE_INFINITY;
        for (let bits = 0; bits < 1 << n; bits++) {
          const fg = (p: number) => ((bits >> p) & 1) === 1;
          if (fg(0) || !fg(5)) continue; // the strokes
          best = Math.min(best, energy(fg));
        }
        const label = `${dataTerm} + ${boundaryTerm}`;
        assert.equal(result.energy, best, `${label}: the cut's value is the minimum energy`);
        assert.equal(
          energy((p) => result.mask[p] !== 0),
          best,
          `${label}: the returned labelling has it`,
        );
      }
    }
  });

  it('re-estimates the colour models until the labels stop changing, deterministically', () => {
    const { image, seeds } = noisyDisc(50, 40, 0.05, 11);
    const models = strokeModels(image, seeds, 4);
    const options = { ...OPTIONS, iterations: 10 };
    const a = refineSegmentation(image, seeds, models, options);
    const b = refineSegmentation(image, seeds, models, options);
    assert.deepEqual(a.mask, b.mask);
    assert.ok(a.converged, 'a clean two-colour image settles within 10 cuts');
    assert.ok(a.cuts >= 2 && a.cuts <= 10, `cuts ${a.cuts}`);
    assert.notDeepEqual(a.models.foreground.centroids, models.foreground.centroids);
  });

  it('stops re-fitting once a cut changes at most the `settle` fraction of the labels', () => {
    const { image, seeds } = noisyDisc(50, 40, 0.05, 11);
    const models = strokeModels(image, seeds, 4);
    const options = { ...OPTIONS, iterations: 10 };
    const full = refineSegmentation(image, seeds, models, options);
    assert.ok(full.cuts >= 3, `the loop runs ${full.cuts} cuts without settle`);
    // Every cut after the first changes less than the whole image: settle 1 stops after the second.
    const loose = refineSegmentation(image, seeds, models, { ...options, settle: 1 });
    assert.equal(loose.cuts, 2);
    // A fraction below one label per image is the fixed point again.
    const tight = refineSegmentation(image, seeds, models, { ...options, settle: 0.1 / (50 * 40) });
    assert.equal(tight.cuts, full.cuts);
    assert.deepEqual(tight.mask, full.mask);
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...options, settle: 2 }),
      /settle must be a fraction from 0 to 1; found 2/,
    );
  });

  it('gives after warm-started cuts exactly what a fresh cut with the final models gives', () => {
    const { image, seeds } = noisyDisc(40, 30, 0.15, 21);
    const models = strokeModels(image, seeds, 4);
    const options = { ...OPTIONS, smooth: 15, energy: true };
    const warm = refineSegmentation(image, seeds, models, { ...options, iterations: 4 });
    assert.ok(warm.cuts >= 2, 'at least one warm-started cut');
    const cold = refineSegmentation(image, seeds, warm.models, { ...options, iterations: 1 });
    assert.deepEqual(warm.mask, cold.mask);
    assert.equal(warm.energy, cold.energy);
  });

  it('computes the energy only when asked for', () => {
    const { image, seeds } = noisyDisc(20, 16, 0.1, 2);
    const models = strokeModels(image, seeds, 3);
    const quiet = refineSegmentation(image, seeds, models, OPTIONS);
    const asked = refineSegmentation(image, seeds, models, { ...OPTIONS, energy: true });
    assert.equal(quiet.energy, undefined);
    assert.ok(typeof asked.energy === 'number' && asked.energy > 0);
    assert.deepEqual(quiet.mask, asked.mask);
  });

  it('refuses smooth 0 and bad iteration counts', () => {
    const { image, seeds } = noisyDisc(8, 8, 0);
    const models = strokeModels(image, seeds, 2);
    assert.throws(() => refineSegmentation(image, seeds, models, { ...OPTIONS, smooth: 0 }), /smooth > 0/);
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, iterations: 0 }),
      /positive integer; found 0/,
    );
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, smooth: -1 }),
      /number ≥ 0; found -1/,
    );
  });
});

describe('fastLogLikelihood', () => {
  it('agrees with the core logLikelihood to rounding', () => {
    const random = createRandom(3);
    const centroids = new Float64Array(70 * 3).map(() => random() * 255);
    const weights = new Float64Array(70).map(() => random() + 0.01);
    const total = weights.reduce((s, w) => s + w, 0);
    const model = createColorModel({ k: 70, centroids, weights: weights.map((w) => w / total) });
    const scratch = new Float64Array(70);
    for (let i = 0; i < 2000; i++) {
      const [r, g, b] = [random() * 256, random() * 256, random() * 256].map(Math.floor);
      const exact = logLikelihood(model, r, g, b);
      const fast = fastLogLikelihood(model, r, g, b, scratch);
      assert.ok(
        Math.abs(exact - fast) <= 1e-12 * Math.max(1, Math.abs(exact)),
        `${r},${g},${b}: ${exact} vs ${fast}`,
      );
    }
  });
});
