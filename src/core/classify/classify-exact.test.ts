import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readRgbImage, readStrokeImage } from '../../io/read-image.js';
import { classifyPixelsPlain } from '../../testing/classify-plain.js';
import { repoRoot } from '../../testing/fixtures.js';
import type { ColorModel } from '../model/color-model.js';
import { isForegroundColor, logLikelihood } from '../model/color-model.js';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { classifyPixels, countForeground } from './classify.js';
import { ColorDecider } from './color-decider.js';

// The shared evaluation set sits beside the repository (../shared), in CI as on a developer's machine.
const DATASET = join(repoRoot, '..', 'shared', 'datasets', 'grabcut');

function model(centroids: number[], weights: number[]): ColorModel {
  return {
    k: weights.length,
    centroids: Float64Array.from(centroids),
    logWeights: Float64Array.from(weights, (w) => Math.log(w)),
  };
}

/** A one-row image holding the given colours (packed 0xRRGGBB). */
function imageOf(colors: ArrayLike<number>): RgbImage {
  const data = new Uint8Array(colors.length * 3);
  for (let i = 0; i < colors.length; i++) {
    data[i * 3] = colors[i] >>> 16;
    data[i * 3 + 1] = (colors[i] >>> 8) & 255;
    data[i * 3 + 2] = colors[i] & 255;
  }
  return { width: colors.length, height: 1, data };
}

/** Every 8-bit colour once, as a 4096 × 4096 image. */
function everyColor(): RgbImage {
  const data = new Uint8Array(3 << 24);
  for (let c = 0, i = 0; c < 1 << 24; c++, i += 3) {
    data[i] = c >>> 16;
    data[i + 1] = (c >>> 8) & 255;
    data[i + 2] = c & 255;
  }
  return { width: 4096, height: 4096, data };
}

function randomModel(k: number, random: () => number, spread = 255): ColorModel {
  const centroids: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < k; i++) {
    centroids.push(random() * spread, random() * spread, random() * spread);
    weights.push(0.05 + random());
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return model(
    centroids,
    weights.map((w) => w / total),
  );
}

/** Asserts the fast mask equals the plain one, naming the first differing colour. */
function assertSameMask(image: RgbImage, fg: ColorModel, bg: ColorModel, seeds?: SeedLabels): Uint8Array {
  const fast = classifyPixels(image, fg, bg, seeds);
  const plain = classifyPixelsPlain(image, fg, bg, seeds);
  for (let p = 0; p < plain.length; p++) {
    if (fast[p] !== plain[p]) {
      const d = image.data;
      const [r, g, b] = [d[p * 3], d[p * 3 + 1], d[p * 3 + 2]];
      const D = logLikelihood(fg, r, g, b) - logLikelihood(bg, r, g, b);
      assert.fail(`pixel ${p}, colour (${r}, ${g}, ${b}), D = ${D}: fast ${fast[p]}, plain ${plain[p]}`);
    }
  }
  return fast;
}

describe('classifyPixels (exact fast path)', () => {
  it('keeps seed labels and agrees with isForegroundColor elsewhere', () => {
    const fg = model([200, 40, 40], [1]);
    const bg = model([40, 40, 200], [1]);
    const image = imageOf([0xc82828, 0x2828c8, 0xc82828, 0x2828c8, 0x808080]);
    const seeds: SeedLabels = {
      width: 5,
      height: 1,
      labels: Uint8Array.from([SEED.NONE, SEED.NONE, SEED.BACKGROUND, SEED.FOREGROUND, SEED.NONE]),
    };
    const mask = classifyPixels(image, fg, bg, seeds);
    assert.deepEqual(
      [...mask],
      [MASK.FOREGROUND, MASK.BACKGROUND, MASK.BACKGROUND, MASK.FOREGROUND, MASK.BACKGROUND],
    );
    // (128,128,128) is equidistant from both centres: a tie, which is background.
    assert.equal(isForegroundColor(fg, bg, 128, 128, 128), false);
  });

  it('matches the plain computation on every 8-bit colour for small models', () => {
    const image = everyColor();
    const random = createRandom(7);
    const cases: [string, ColorModel, ColorModel][] = [
      // Mirror images across the plane r + g + b = 384: every colour on it ties exactly.
      ['symmetric centroids', model([100, 100, 100], [1]), model([156, 156, 156], [1])],
      // Symmetric pairs with equal weights: ties on a plane, and near-ties around it.
      [
        'symmetric pairs',
        model([60, 128, 20, 60, 128, 236], [0.5, 0.5]),
        model([196, 128, 20, 196, 128, 236], [0.5, 0.5]),
      ],
      // Identical single clusters: every colour ties, so everything is background.
      ['identical models', model([10, 200, 30], [1]), model([10, 200, 30], [1])],
      // Centres far outside the cube: the whole cube is far from both.
      ['far-away centres', model([-3000, 0, 0], [1]), model([3000, 255, 255], [1])],
      ['random k = 3', randomModel(3, random), randomModel(3, random)],
    ];
    for (const [name, fg, bg] of cases) {
      const fast = classifyPixels(image, fg, bg);
      const plain = classifyPixelsPlainUncached(image, fg, bg);
      const differing = firstDifference(fast, plain);
      assert.equal(differing, -1, `${name}: colour #${differing.toString(16)} differs`);
    }
    const ties = classifyPixels(image, model([10, 200, 30], [1]), model([10, 200, 30], [1]));
    assert.equal(ties.indexOf(MASK.FOREGROUND), -1, 'identical models: every tie is background');
  });

  it('matches on colours that tie up to the last bit (same clusters, summed in another order)', () => {
    const random = createRandom(11);
    const fg = randomModel(70, random);
    // The same clusters in reverse order: L_fg = L_bg in exact arithmetic, and the two
    // floating-point sums differ by a few ulps either way, so the decision is a coin toss
    // that only the plain computation can call.
    const reversed = (values: Float64Array, width: number) => {
      const out = new Float64Array(values.length);
      const k = values.length / width;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < width; j++) out[(k - 1 - i) * width + j] = values[i * width + j];
      }
      return out;
    };
    const bg: ColorModel = {
      k: fg.k,
      centroids: reversed(fg.centroids, 3),
      logWeights: reversed(fg.logWeights, 1),
    };
    const colors = new Uint32Array(20000);
    for (let i = 0; i < colors.length; i++) colors[i] = Math.floor(random() * (1 << 24));
    const image = imageOf(colors);
    const mask = assertSameMask(image, fg, bg);
    const decider = new ColorDecider(fg, bg);
    classifyPixels(image, fg, bg, undefined, undefined, decider);
    assert.equal(decider.stats.boxesDecided, 0, 'no box can be decided when every colour (nearly) ties');
    assert.equal(decider.stats.colorsPruned, 0, 'every colour is within the error bound of a tie');
    const foreground = mask.filter((v) => v === MASK.FOREGROUND).length;
    // Sanity: the test really is on the boundary (both answers occur, or all are ties).
    let exactTies = 0;
    for (const c of colors) {
      const d = logLikelihood(fg, c >>> 16, (c >>> 8) & 255, c & 255);
      if (d === logLikelihood(bg, c >>> 16, (c >>> 8) & 255, c & 255)) exactTies++;
    }
    assert.ok(exactTies > 0 || foreground > 0, 'the colours lie on the boundary');
  });

  it('matches on colours near the boundary of random k = 70 models', () => {
    const random = createRandom(3);
    for (let trial = 0; trial < 3; trial++) {
      const fg = randomModel(70, random, 180);
      const bg = randomModel(70, random, 255);
      // Colours near the boundary: walk segments between random colours and keep the integer
      // colours next to each sign change of D.
      const near = new Set<number>();
      while (near.size < 4000) {
        const a = [random() * 255, random() * 255, random() * 255];
        const b = [random() * 255, random() * 255, random() * 255];
        let previous: boolean | undefined;
        for (let t = 0; t <= 64; t++) {
          const c = a.map((v, i) => Math.round(v + ((b[i] - v) * t) / 64));
          const fgNow = isForegroundColor(fg, bg, c[0], c[1], c[2]);
          if (previous !== undefined && fgNow !== previous) {
            for (let dr = -2; dr <= 2; dr++) {
              for (let dg = -2; dg <= 2; dg++) {
                for (let db = -2; db <= 2; db++) {
                  const [r, g, bl] = [c[0] + dr, c[1] + dg, c[2] + db];
                  if (Math.min(r, g, bl) >= 0 && Math.max(r, g, bl) <= 255)
                    near.add((r << 16) | (g << 8) | bl);
                }
              }
            }
          }
          previous = fgNow;
        }
      }
      // Plus random colours anywhere, so whole boxes get decided by the bound too.
      const colors = [...near];
      for (let i = 0; i < 20000; i++) colors.push(Math.floor(random() * (1 << 24)));
      const mask = assertSameMask(imageOf(colors), fg, bg);
      assert.ok(mask.includes(MASK.FOREGROUND) && mask.includes(MASK.BACKGROUND));
    }
  });

  it('falls back to the plain computation for models with non-finite numbers', () => {
    // A cluster with zero weight has log w = −∞: no bound applies, every colour goes the plain way.
    const fg = model([200, 40, 40, 0, 0, 0], [1, 0]);
    const bg = model([40, 40, 200], [1]);
    const random = createRandom(5);
    const colors = Array.from({ length: 5000 }, () => Math.floor(random() * (1 << 24)));
    const image = imageOf(colors);
    assertSameMask(image, fg, bg);
    const decider = new ColorDecider(fg, bg);
    classifyPixels(image, fg, bg, undefined, undefined, decider);
    assert.equal(decider.stats.boxesDecided, 0);
    assert.ok(decider.stats.colorsPlain > 0);
  });

  it('decides most colours by boxes, and reuses a decider across images', () => {
    const random = createRandom(9);
    const fg = randomModel(70, random);
    const bg = randomModel(70, random);
    const decider = new ColorDecider(fg, bg);
    const image = imageOf(Array.from({ length: 100000 }, () => Math.floor(random() * (1 << 24))));
    const first = classifyPixels(image, fg, bg, undefined, undefined, decider);
    const evaluated = decider.stats.colorsPruned + decider.stats.colorsPlain;
    assert.ok(evaluated < 50000, `only colours near the boundary are evaluated; ${evaluated} were`);
    const again = classifyPixels(image, fg, bg, undefined, undefined, decider);
    assert.deepEqual(again, first);
    assert.equal(decider.stats.colorsPruned + decider.stats.colorsPlain, evaluated, 'nothing re-evaluated');
    assert.throws(() => classifyPixels(image, bg, fg, undefined, undefined, decider), /other colour models/);
  });

  it('gives the same mask at any buffer alignment and pixel count, with and without seeds', () => {
    // The pass reads 4 pixels as 3 words when both buffers start on a 4-byte boundary and does
    // the rest (a tail of 1–3 pixels, or everything when unaligned) a byte at a time.
    const random = createRandom(13);
    const fg = randomModel(70, random, 180);
    const bg = randomModel(70, random, 255);
    const colors = Array.from({ length: 4099 }, () => Math.floor(random() * (1 << 24)));
    // Seeds in runs (whole words of one label, as inside a stroke) and scattered.
    const labels = new Uint8Array(colors.length);
    labels.fill(SEED.FOREGROUND, 100, 1100).fill(SEED.BACKGROUND, 2001, 3003);
    for (let p = 3100; p < 3400; p += 3) labels[p] = p % 2 ? SEED.FOREGROUND : SEED.BACKGROUND;
    const seeds: SeedLabels = { width: colors.length, height: 1, labels };
    const reference = classifyPixelsPlain(imageOf(colors), fg, bg);
    const seeded = classifyPixelsPlain(imageOf(colors), fg, bg, seeds);
    const packed = imageOf(colors).data;
    for (const length of [4099, 4098, 4097, 4096, 3, 1]) {
      for (const [imageShift, outShift] of [
        [0, 0],
        [1, 0],
        [4, 4],
        [0, 3],
        [2, 1],
      ]) {
        const data = new Uint8Array(length * 3 + imageShift).subarray(imageShift);
        data.set(packed.subarray(0, length * 3));
        const out = new Uint8Array(length + outShift).subarray(outShift);
        classifyPixels({ width: length, height: 1, data }, fg, bg, undefined, out);
        const differing = firstDifference(out, reference.subarray(0, length));
        assert.equal(differing, -1, `${length} pixels, image at +${imageShift}, out at +${outShift}`);
        const part: SeedLabels = { width: length, height: 1, labels: labels.subarray(0, length) };
        classifyPixels({ width: length, height: 1, data }, fg, bg, part, out);
        const differingSeeded = firstDifference(out, seeded.subarray(0, length));
        assert.equal(differingSeeded, -1, `with seeds: ${length} pixels, +${imageShift}, +${outShift}`);
      }
    }
  });

  const photos = ['chelsea'].concat(
    existsSync(DATASET) ? ['106024', '124084', '153077', '189080', '326038'] : [],
  );
  for (const name of photos) {
    it(`matches the plain computation on a real photograph (${name})`, async () => {
      const [imagePath, strokePath] =
        name === 'chelsea'
          ? ['examples/chelsea.png', 'examples/chelsea-stroke.png']
          : [join(DATASET, 'images', `${name}.png`), join(DATASET, 'strokes', `${name}.png`)];
      const image = await readRgbImage(imagePath);
      const strokes = await readStrokeImage(strokePath);
      const result = segment(image, strokes, { k: 70, smooth: 0 });
      const plain = classifyPixelsPlain(
        image,
        result.models.foreground,
        result.models.background,
        result.seeds,
      );
      assert.equal(firstDifference(result.mask, plain), -1);
      // Also without seeds, so every pixel's colour counts.
      assertSameMask(image, result.models.foreground, result.models.background);
    });
  }
});

/** isForegroundColor for every pixel, no caching at all: the most literal reference. */
function classifyPixelsPlainUncached(image: RgbImage, fg: ColorModel, bg: ColorModel): Uint8Array {
  const out = new Uint8Array(image.width * image.height);
  const d = image.data;
  for (let p = 0; p < out.length; p++) {
    out[p] = isForegroundColor(fg, bg, d[p * 3], d[p * 3 + 1], d[p * 3 + 2])
      ? MASK.FOREGROUND
      : MASK.BACKGROUND;
  }
  return out;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('countForeground', () => {
  it('counts non-zero bytes at any offset and length', () => {
    const random = createRandom(1);
    const buffer = new Uint8Array(1003);
    for (let i = 0; i < buffer.length; i++) buffer[i] = random() < 0.5 ? 0 : 1 + Math.floor(random() * 255);
    for (const [start, end] of [
      [0, 1003],
      [1, 1003],
      [4, 1000],
      [3, 10],
    ]) {
      const view = buffer.subarray(start, end);
      let expected = 0;
      for (const v of view) if (v !== 0) expected++;
      assert.equal(countForeground(view), expected);
    }
    assert.equal(countForeground(new Uint8Array([255, 128, 1, 0x80, 0x7f, 0, 0, 0])), 5);
  });
});
