import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differingPixels, strokeModels } from '../../testing/models.js';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { blockGrid, coarseFactor, workingFactor, workingSeeds } from './coarse-to-fine.js';
import { refineAtFullResolution } from './full-resolution.js';
import { REFERENCE_DIAGONAL } from './options.js';
import type { RefineOptions } from './refine.js';
import { REFINE_DEFAULTS, refineSegmentation } from './refine.js';

const OPTIONS: RefineOptions = {
  ...REFINE_DEFAULTS,
  smooth: 3,
  iterations: 3,
  k: 4,
  seed: 0,
  maxIterations: 20,
};

/**
 * A noisy two-colour scene: an ellipse of reddish colour, a thin bar of the same colour sticking
 * out of it, on a bluish background; each pixel jittered and a few repainted with the other colour.
 * Strokes: a line inside the ellipse, a frame along the border.
 */
function scene(width: number, height: number, seed = 1) {
  const random = createRandom(seed);
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  const truth = new Uint8Array(width * height);
  const cx = width / 2;
  const cy = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inside = ((x - cx) / (width / 3)) ** 2 + ((y - cy) / (height / 3)) ** 2 < 1;
      truth[p] = inside ? 255 : 0;
      const looksInside = random() < 0.03 ? !inside : inside;
      const base = looksInside ? [190, 70, 60] : [60, 90, 180];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = base[c] + Math.floor(random() * 40) - 20;
      if (x < 2 || y < 2 || x >= width - 2 || y >= height - 2) labels[p] = SEED.BACKGROUND;
      if (Math.abs(y - cy) < 1.5 && Math.abs(x - cx) < width / 8) labels[p] = SEED.FOREGROUND;
    }
  }
  const image: RgbImage = { width, height, data };
  const seeds: SeedLabels = { width, height, labels };
  return { image, seeds, truth };
}

describe('coarse-to-fine refinement', () => {
  it('shrinks by the smallest factor that brings the image within workingPixels', () => {
    assert.equal(workingFactor(10_800, 1200), 3);
    assert.equal(workingFactor(10_801, 1200), 4);
    assert.equal(workingFactor(1200, 1200), 1); // within workingPixels: cut whole
    assert.equal(workingFactor(2000, 1200), 1); // shrunk by 2, under 0.45 × workingPixels: cut whole
    assert.equal(workingFactor(2200, 1200), 2);
    assert.equal(workingFactor(640 * 480, 640 * 512), 1); // the benchmark's largest photos stay whole
    // A photo upscaled ×3 or ×6 is decided on an image of its own size (today's nearest factor,
    // round(√(pixels / 2^18)), shrank 481 × 321 ×3 by 2 only: 2.3 times the photo's pixels).
    assert.equal(workingFactor(481 * 3 * 321 * 3, 640 * 512), 3);
    assert.equal(workingFactor(640 * 6 * 480 * 6, 640 * 512), 6);
    for (const pixels of [1e5, 6e5, 1.4e6, 5.5e6, 12e6]) {
      const f = workingFactor(pixels, 640 * 512);
      assert.ok(pixels / f ** 2 <= 640 * 512 && (f === 1 || pixels / (f - 1) ** 2 > 640 * 512), `${pixels}`);
      assert.ok(f === 1 || pixels / f ** 2 >= 0.45 * 640 * 512, `${pixels}`);
    }
    assert.equal(workingFactor(12e6, Number.POSITIVE_INFINITY), 0);
    assert.equal(coarseFactor(12e6, 1 << 18), 7); // the preview's nearest factor
    const { image, seeds } = scene(120, 90);
    const models = strokeModels(image, seeds, 4);
    const result = refineSegmentation(image, seeds, models, { ...OPTIONS, workingPixels: 1200 });
    // ⌈√(10800 / 1200)⌉ = 3: a 40×30 coarse image of 1200 pixels.
    assert.equal(result.factor, 3);
    assert.ok(
      result.bandPixels > 0 && result.bandPixels < (image.width * image.height) / 2,
      `${result.bandPixels}`,
    );
    const full = refineSegmentation(image, seeds, models, OPTIONS);
    assert.equal(full.factor, 1);
    assert.equal(full.bandPixels, image.width * image.height);
  });

  it('with a band over the whole image, its last cut is the exact full-resolution minimum for its models', () => {
    const { image, seeds } = scene(64, 48, 3);
    const models = strokeModels(image, seeds, 4);
    const banded = refineSegmentation(image, seeds, models, {
      ...OPTIONS,
      workingPixels: 800,
      bandRadius: 100,
      energy: true,
    });
    assert.equal(banded.bandPixels, image.width * image.height);
    // refineSegmentation scales λ with the image's diagonal; refineAtFullResolution takes it as given.
    const exact = refineAtFullResolution(image, seeds, banded.models, {
      ...OPTIONS,
      smooth: (OPTIONS.smooth * Math.hypot(image.width, image.height)) / REFERENCE_DIAGONAL,
      iterations: 1,
      energy: true,
    });
    assert.ok(banded.energy !== undefined && banded.energy > 0);
    assert.deepEqual(banded.mask, exact.mask);
    assert.equal(banded.energy, exact.energy);
  });

  it('agrees with cutting at full resolution on all but a thin seam, and keeps the strokes', () => {
    const { image, seeds, truth } = scene(180, 120, 5);
    // Scatter a few strokes of each kind, some against their colour, to test the hard constraints
    // at both resolutions.
    const random = createRandom(2);
    for (let p = 0; p < seeds.labels.length; p++) {
      if (random() < 0.002) seeds.labels[p] = random() < 0.5 ? SEED.FOREGROUND : SEED.BACKGROUND;
    }
    const models = strokeModels(image, seeds, 4);
    const coarse = refineSegmentation(image, seeds, models, { ...OPTIONS, workingPixels: 3000 });
    const full = refineSegmentation(image, seeds, models, {
      ...OPTIONS,
      workingPixels: Number.POSITIVE_INFINITY,
    });
    assert.ok(coarse.factor >= 2);
    const n = image.width * image.height;
    // The ellipse's outline is about 315 pixels long (Ramanujan): allow a seam two pixels wide.
    const a = image.width / 3;
    const b = image.height / 3;
    const outline = Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));
    const seam = differingPixels(coarse.mask, full.mask);
    assert.ok(seam < 2 * outline, `${seam} pixels differ; the outline is ${Math.round(outline)} long`);
    assert.ok(
      differingPixels(coarse.mask, truth) <= differingPixels(full.mask, truth) + outline,
      'as close to the truth',
    );
    for (let p = 0; p < n; p++) {
      if (seeds.labels[p] === SEED.FOREGROUND) assert.equal(coarse.mask[p], 255, `stroke pixel ${p}`);
      if (seeds.labels[p] === SEED.BACKGROUND) assert.equal(coarse.mask[p], 0, `stroke pixel ${p}`);
    }
  });

  it('is deterministic, and segment() reports the factor and band', () => {
    const { image, seeds } = scene(100, 70, 7);
    const a = segment(image, seeds, { k: 4, workingPixels: 800 });
    const b = segment(image, seeds, { k: 4, workingPixels: 800 });
    assert.deepEqual(a.mask, b.mask);
    assert.equal(a.stats.refineFactor, 3);
    assert.ok(a.stats.bandPixels > 0 && a.stats.bandPixels < 7000);
    const plain = segment(image, seeds, { k: 4, smooth: 0 });
    assert.equal(plain.stats.refineFactor, 1);
    assert.equal(plain.stats.bandPixels, 0);
  });

  it('handles images whose sides are not multiples of the factor, down to one-pixel-wide images', () => {
    for (const [width, height] of [
      [97, 61],
      [1, 400],
      [400, 1],
      [5, 5],
    ]) {
      const { image, seeds } = scene(width, height, 11);
      seeds.labels[0] = SEED.BACKGROUND;
      seeds.labels[Math.floor(seeds.labels.length / 2)] = SEED.FOREGROUND;
      const models = strokeModels(image, seeds, 2);
      const result = refineSegmentation(image, seeds, models, { ...OPTIONS, workingPixels: 5 });
      assert.equal(result.mask.length, width * height, `${width}×${height}`);
      assert.ok(result.factor >= 2, `${width}×${height}`);
      assert.equal(result.mask[0], 0);
      assert.equal(result.mask[Math.floor(seeds.labels.length / 2)], 255);
    }
  });

  it('refuses nonsense working sizes and band radii', () => {
    const { image, seeds } = scene(10, 10);
    const models = strokeModels(image, seeds, 2);
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, workingPixels: 0 }),
      /workingPixels/,
    );
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, workingPixels: Number.NaN }),
      /workingPixels/,
    );
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, bandRadius: -1 }),
      /bandRadius/,
    );
    assert.throws(
      () => refineSegmentation(image, seeds, models, { ...OPTIONS, bandRadius: 1.5 }),
      /bandRadius/,
    );
  });
});

describe('workingSeeds (the strokes as the coarse cuts see them)', () => {
  /** Seeds of a width × height image from rows of characters: f foreground, b background, . none. */
  const seedsOf = (rows: string[]): SeedLabels => {
    const labels = Uint8Array.from(rows.join(''), (ch) =>
      ch === 'f' ? SEED.FOREGROUND : ch === 'b' ? SEED.BACKGROUND : SEED.NONE,
    );
    return { width: rows[0].length, height: rows.length, labels };
  };
  const F = SEED.FOREGROUND;
  const B = SEED.BACKGROUND;
  const N = SEED.NONE;

  it('makes a block a stroke when more than half of it is strokes of one kind and none of the other', () => {
    // Blocks of 2 × 2; the last column and row are narrower (1 pixel wide / high).
    const seeds = seedsOf(['fff.bbb', 'f...b.b', 'ff..fbb', '..b.b..', 'f.....b']);
    const out = workingSeeds(seeds, blockGrid(7, 5, 2));
    assert.deepEqual([out.width, out.height], [4, 3]);
    // Row 0: 3 of 4 f; 1 of 4 f (half or less: none); 3 of 4 b; the 1 × 2 edge block b b (2 of 2).
    // Row 1: 2 of 4 f (half: none); 1 b; f and b together (none); 1 of 2 b (none).
    // Row 2 (1 pixel high): 1 of 2 f (none); none; none; the 1 × 1 corner b.
    assert.deepEqual(Array.from(out.labels), [F, N, B, B, N, N, N, N, N, N, N, B]);
  });

  it('keeps every touched block of a class whose strokes are all thinner than half a block', () => {
    // One-pixel foreground line in 3 × 3 blocks: no block is more than half foreground.
    const seeds = seedsOf(['......', '.ffff.', '......', 'bbbbbb', 'bbbbbb', 'bbbbbb']);
    const out = workingSeeds(seeds, blockGrid(6, 6, 3));
    assert.deepEqual(Array.from(out.labels), [F, F, B, B]);
  });
});
