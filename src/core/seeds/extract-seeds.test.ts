import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StrokecutError } from '../errors.js';
import { SEED } from '../types.js';
import { seedColors } from './distinct-colors.js';
import { countSeeds, dominantStrokeColors, extractSeeds } from './extract-seeds.js';

/** A 4×1 RGB stroke image from a list of pixels. */
function rgbRow(...pixels: number[][]) {
  return { width: pixels.length, height: 1, data: Uint8Array.from(pixels.flat()) };
}

test('extractSeeds labels red as foreground, blue as background, the rest unmarked', () => {
  const strokes = rgbRow([255, 0, 0], [0, 0, 0], [0, 0, 255], [128, 128, 128], [250, 12, 8], [3, 1, 1]);
  const seeds = extractSeeds(strokes);
  assert.deepEqual(
    [...seeds.labels],
    [SEED.FOREGROUND, SEED.NONE, SEED.BACKGROUND, SEED.NONE, SEED.FOREGROUND, SEED.NONE],
  );
  assert.deepEqual(countSeeds(seeds), { foreground: 2, background: 1 });
});

test('RGBA stroke images: transparent pixels are unmarked whatever their colour', () => {
  const strokes = {
    width: 3,
    height: 1,
    data: Uint8Array.from([255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 255, 200]),
  };
  assert.deepEqual([...extractSeeds(strokes).labels], [SEED.FOREGROUND, SEED.NONE, SEED.BACKGROUND]);
});

test('custom stroke colours', () => {
  const strokes = rgbRow([255, 0, 0], [0, 255, 0], [255, 255, 0]);
  const seeds = extractSeeds(strokes, { foregroundColor: [0, 255, 0], backgroundColor: [255, 255, 0] });
  assert.deepEqual([...seeds.labels], [SEED.NONE, SEED.FOREGROUND, SEED.BACKGROUND]);
});

test('stroke colours too alike to tell apart are refused', () => {
  assert.throws(
    () => extractSeeds(rgbRow([0, 0, 0]), { foregroundColor: [255, 0, 0], backgroundColor: [250, 20, 10] }),
    (e: unknown) => e instanceof StrokecutError && e.code === 'INVALID_OPTION' && /too alike/.test(e.message),
  );
});

test('a data length that fits neither RGB nor RGBA is refused with both expectations', () => {
  assert.throws(
    () => extractSeeds({ width: 2, height: 2, data: new Uint8Array(10) }),
    (e: unknown) =>
      e instanceof StrokecutError && /12 \(RGB\) or 16 \(RGBA\) bytes; found 10/.test((e as Error).message),
  );
});

test('seedColors returns distinct colours with pixel counts, sorted by packed value', () => {
  const image = rgbRow([10, 20, 30], [10, 20, 30], [5, 5, 5], [10, 20, 30], [200, 0, 0]);
  const seeds = { width: 5, height: 1, labels: Uint8Array.from([1, 1, 1, 2, 0]) };
  const fg = seedColors(image, seeds, SEED.FOREGROUND);
  assert.equal(fg.count, 2);
  assert.equal(fg.total, 3);
  assert.deepEqual([...fg.colors], [5, 5, 5, 10, 20, 30]);
  assert.deepEqual([...fg.weights], [1, 2]);
  const bg = seedColors(image, seeds, SEED.BACKGROUND);
  assert.deepEqual([...bg.colors], [10, 20, 30]);
});

test('dominantStrokeColors names the colours that are there', () => {
  const strokes = rgbRow([0, 255, 0], [0, 250, 0], [255, 255, 0], [0, 0, 0]);
  const found = dominantStrokeColors(strokes);
  assert.deepEqual(
    found.map((f) => f.pixels),
    [2, 1],
  );
  assert.match(found[0].color, /^#00f800$/);
});
