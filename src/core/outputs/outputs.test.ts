import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isForegroundColor } from '../model/color-model.js';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage } from '../types.js';
import { SEED } from '../types.js';
import { cutoutRgba } from './cutout.js';
import { overlayRgb } from './overlay.js';
import { softMap, softValue } from './soft-map.js';

/**
 * A noisy two-region test picture: a warm disc (foreground) on a cool background, with colours
 * that overlap between the regions so the models disagree in places and p spans 0–1.
 */
function scene(width = 80, height = 60) {
  const random = createRandom(3);
  const data = new Uint8Array(width * height * 3);
  const strokes = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - 40) ** 2 + (y - 30) ** 2 < 18 ** 2;
      const i = (y * width + x) * 3;
      const noise = () => Math.floor(random() * 90);
      data[i] = inside ? 140 + noise() : 60 + noise();
      data[i + 1] = 80 + noise();
      data[i + 2] = inside ? 60 + noise() : 120 + noise();
      if (inside && Math.abs(y - 30) <= 1 && Math.abs(x - 40) < 10) strokes[i] = 255;
      if (!inside && (x < 3 || y < 3)) strokes[i + 2] = 255;
    }
  }
  const image: RgbImage = { width, height, data };
  return { image, strokes: { width, height, data: strokes } };
}

test('cut-out: RGB is the image, alpha is the mask', () => {
  const { image, strokes } = scene();
  const { mask } = segment(image, strokes, { k: 5 });
  const cutout = cutoutRgba(image, mask);
  assert.equal(cutout.data.length, image.width * image.height * 4);
  for (let p = 0; p < mask.length; p++) {
    assert.equal(cutout.data[p * 4 + 3], mask[p]);
    for (let c = 0; c < 3; c++) assert.equal(cutout.data[p * 4 + c], image.data[p * 3 + c]);
  }
  assert.throws(() => cutoutRgba(image, mask.subarray(1)), /needs 4800 bytes/);
});

test('soft map: ≥ 128 exactly where the mask is foreground; strokes 255/0; p follows the likelihoods', () => {
  const { image, strokes } = scene();
  // The soft map comes from the colour models, so it matches the plain per-pixel mask.
  const result = segment(image, strokes, { k: 5, smooth: 0 });
  const soft = softMap(image, result.models, result.seeds);
  let intermediate = 0;
  for (let p = 0; p < soft.length; p++) {
    assert.equal(
      soft[p] >= 128,
      result.mask[p] === 255,
      `pixel ${p}: soft ${soft[p]}, mask ${result.mask[p]}`,
    );
    const seed = result.seeds.labels[p];
    if (seed === SEED.FOREGROUND) assert.equal(soft[p], 255);
    else if (seed === SEED.BACKGROUND) assert.equal(soft[p], 0);
    else if (soft[p] > 5 && soft[p] < 250) intermediate++;
  }
  assert.ok(intermediate > 20, `the scene should have uncertain pixels; found ${intermediate}`);
  // Each value is the rounded probability (up to the one-level nudge at the threshold).
  const { foreground, background } = result.models;
  for (let p = 0; p < soft.length; p += 7) {
    if (result.seeds.labels[p] !== SEED.NONE) continue;
    const [r, g, b] = image.data.subarray(p * 3, p * 3 + 3);
    const probability = 1 / (1 + Math.exp(logDifference(result.models, r, g, b)));
    assert.ok(Math.abs(soft[p] - probability * 255) <= 1, `pixel ${p}: ${soft[p]} vs ${probability * 255}`);
    assert.equal(
      softValue(foreground, background, r, g, b) >= 128,
      isForegroundColor(foreground, background, r, g, b),
    );
  }
});

function logDifference(
  models: ReturnType<typeof segment>['models'],
  r: number,
  g: number,
  b: number,
): number {
  // Direct, uncached sum of the mixture terms (no log-sum-exp trick): fine for colours near the centres.
  const likelihood = (model: typeof models.foreground) => {
    let sum = 0;
    for (let i = 0; i < model.k; i++) {
      const d = Math.hypot(
        r - model.centroids[i * 3],
        g - model.centroids[i * 3 + 1],
        b - model.centroids[i * 3 + 2],
      );
      sum += Math.exp(model.logWeights[i] - d);
    }
    return sum;
  };
  return Math.log(likelihood(models.background)) - Math.log(likelihood(models.foreground));
}

test('soft value: ties are background, and far-away colours saturate without NaN', () => {
  const model = { k: 1, centroids: new Float64Array([10, 10, 10]), logWeights: new Float64Array([0]) };
  assert.equal(softValue(model, model, 10, 10, 10), 127); // identical models: p = 0.5, a tie
  const far = { k: 1, centroids: new Float64Array([255, 255, 255]), logWeights: new Float64Array([0]) };
  assert.equal(softValue(model, far, 0, 0, 0), 255);
  assert.equal(softValue(far, model, 0, 0, 0), 0);
});

test('overlay: strokes in their colours, foreground tinted, background dimmed', () => {
  const { image, strokes } = scene();
  const result = segment(image, strokes, { k: 5 });
  const overlay = overlayRgb(image, result.mask, result.seeds, {
    foregroundColor: [255, 0, 0],
    backgroundColor: [0, 0, 255],
  });
  for (let p = 0; p < result.mask.length; p++) {
    const got = [...overlay.data.subarray(p * 3, p * 3 + 3)];
    const src = [...image.data.subarray(p * 3, p * 3 + 3)];
    const seed = result.seeds.labels[p];
    if (seed === SEED.FOREGROUND) assert.deepEqual(got, [255, 0, 0]);
    else if (seed === SEED.BACKGROUND) assert.deepEqual(got, [0, 0, 255]);
    else if (result.mask[p])
      assert.deepEqual(
        got,
        src.map((v, c) => Math.round(v + 0.45 * ([0, 255, 0][c] - v))),
      );
    else
      assert.deepEqual(
        got,
        src.map((v) => Math.round(v * 0.65)),
      );
  }
  assert.throws(
    () => overlayRgb(image, result.mask, undefined, { opacity: 2 }),
    /opacity must be a number from 0 to 1/,
  );
});

test('soft map stays fast on a large image with many colours (caching per colour works)', () => {
  // Not a timing test: checks the cache gives the same values as direct evaluation on a busy image.
  const width = 300;
  const height = 200;
  const random = createRandom(11);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(random() * 8) * 32; // 512 colours, repeated
  const fg = {
    k: 2,
    centroids: new Float64Array([200, 50, 50, 180, 180, 40]),
    logWeights: new Float64Array([Math.log(0.5), Math.log(0.5)]),
  };
  const bg = { k: 1, centroids: new Float64Array([40, 60, 200]), logWeights: new Float64Array([0]) };
  const soft = softMap({ width, height, data }, { foreground: fg, background: bg });
  for (let p = 0; p < width * height; p += 13) {
    assert.equal(soft[p], softValue(fg, bg, data[p * 3], data[p * 3 + 1], data[p * 3 + 2]));
  }
});
