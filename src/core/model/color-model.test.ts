import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../random.js';
import { createColorModel, isForegroundColor, logLikelihood } from './color-model.js';

function model(centres: number[][], weights: number[]) {
  return createColorModel({
    k: centres.length,
    centroids: Float64Array.from(centres.flat()),
    weights: Float64Array.from(weights),
  });
}

test('log-space likelihood equals the direct float64 computation where the direct one is representable', () => {
  const random = createRandom(1);
  for (let trial = 0; trial < 200; trial++) {
    const k = 1 + Math.floor(random() * 10);
    const centres = Array.from({ length: k }, () => [random() * 255, random() * 255, random() * 255]);
    const raw = Array.from({ length: k }, () => random() + 0.01);
    const sum = raw.reduce((s, w) => s + w, 0);
    const weights = raw.map((w) => w / sum);
    const m = model(centres, weights);
    const c = [random() * 255, random() * 255, random() * 255];
    let direct = 0;
    for (let i = 0; i < k; i++) {
      direct +=
        weights[i] * Math.exp(-Math.hypot(c[0] - centres[i][0], c[1] - centres[i][1], c[2] - centres[i][2]));
    }
    if (direct < 1e-300) continue; // not representable directly: covered by the next test
    const logged = logLikelihood(m, c[0], c[1], c[2]);
    assert.ok(
      Math.abs(logged - Math.log(direct)) < 1e-9 * Math.max(1, Math.abs(logged)),
      `${logged} vs ${Math.log(direct)}`,
    );
  }
});

test('far from every centre the direct sum underflows to 0, the log-space value stays exact', () => {
  // Two centres at distances 1000 and 1001 from the colour: L = 0.5 e^-1000 + 0.5 e^-1001.
  const m = model(
    [
      [1000, 0, 0],
      [1001, 0, 0],
    ],
    [0.5, 0.5],
  );
  assert.equal(0.5 * Math.exp(-1000) + 0.5 * Math.exp(-1001), 0);
  const expected = Math.log(0.5) - 1000 + Math.log1p(Math.exp(-1));
  assert.ok(Math.abs(logLikelihood(m, 0, 0, 0) - expected) < 1e-9);
});

test('ties are background; strictly more likely under the foreground model is foreground', () => {
  const fg = model([[100, 100, 100]], [1]);
  const bg = model([[120, 100, 100]], [1]);
  // (110, 100, 100) is equidistant: an exact tie.
  assert.equal(logLikelihood(fg, 110, 100, 100), logLikelihood(bg, 110, 100, 100));
  assert.equal(isForegroundColor(fg, bg, 110, 100, 100), false);
  assert.equal(isForegroundColor(fg, bg, 109, 100, 100), true);
  assert.equal(isForegroundColor(fg, bg, 111, 100, 100), false);
  // Identical models tie everywhere: all background.
  assert.equal(isForegroundColor(fg, fg, 100, 100, 100), false);
});

test('cluster weights matter: a heavier cluster wins at equal distance', () => {
  const fg = model(
    [
      [0, 0, 0],
      [200, 200, 200],
    ],
    [0.9, 0.1],
  );
  const bg = model(
    [
      [0, 0, 0],
      [200, 200, 200],
    ],
    [0.1, 0.9],
  );
  assert.equal(isForegroundColor(fg, bg, 10, 10, 10), true);
  assert.equal(isForegroundColor(fg, bg, 190, 190, 190), false);
});
