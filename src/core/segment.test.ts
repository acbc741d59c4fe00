import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRgbImage, readStrokeImage } from '../io/read-image.js';
import { exampleImagePath, exampleStrokesPath } from '../testing/fixtures.js';
import { StrokecutError } from './errors.js';
import { segment } from './segment.js';
import { MASK, SEED } from './types.js';

const image = await readRgbImage(exampleImagePath);
const strokes = await readStrokeImage(exampleStrokesPath);

function expectError(fn: () => unknown, code: string, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StrokecutError, `expected a StrokecutError, got ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

test('segment the example: binary mask of the image size, seeds keep their labels, plausible share', () => {
  const { mask, seeds, stats } = segment(image, strokes);
  assert.equal(mask.length, image.width * image.height);
  for (let p = 0; p < mask.length; p++) {
    assert.ok(mask[p] === MASK.FOREGROUND || mask[p] === MASK.BACKGROUND);
    if (seeds.labels[p] === SEED.FOREGROUND) assert.equal(mask[p], MASK.FOREGROUND);
    if (seeds.labels[p] === SEED.BACKGROUND) assert.equal(mask[p], MASK.BACKGROUND);
  }
  assert.deepEqual(stats.k, { foreground: 70, background: 70 });
  assert.ok(stats.seeds.foreground > 1000 && stats.seeds.background > 1000);
  // The cat fills most of the frame.
  assert.ok(stats.foregroundFraction > 0.5 && stats.foregroundFraction < 0.95, `${stats.foregroundFraction}`);
  for (const ms of Object.values(stats.timings)) assert.ok(ms >= 0);
});

test('segment is deterministic for a seed', () => {
  const a = segment(image, strokes, { seed: 3 });
  const b = segment(image, strokes, { seed: 3 });
  assert.deepEqual(a.mask, b.mask);
  assert.deepEqual(a.models, b.models);
});

test('segment accepts seed labels instead of a stroke image, with the same result', () => {
  const fromImage = segment(image, strokes, { k: 10 });
  const fromLabels = segment(image, fromImage.seeds, { k: 10 });
  assert.deepEqual(fromLabels.mask, fromImage.mask);
});

test('a class with fewer distinct colours than k uses what there is, and says so', () => {
  const tiny = { width: 4, height: 1, data: Uint8Array.from([10, 10, 10, 20, 20, 20, 200, 0, 0, 210, 0, 0]) };
  const labels = {
    width: 4,
    height: 1,
    labels: Uint8Array.from([SEED.FOREGROUND, SEED.FOREGROUND, SEED.BACKGROUND, 0]),
  };
  const { mask, stats } = segment(tiny, labels, { k: 5 });
  assert.deepEqual(stats.k, { foreground: 2, background: 1 });
  assert.equal(stats.warnings.length, 2);
  assert.match(stats.warnings[0], /foreground strokes cover only 2 distinct colours.*k = 2 instead of 5/);
  assert.deepEqual([...mask], [255, 255, 0, 0]);
});

test('sizes that differ: both sizes named', () => {
  const small = { width: 10, height: 10, data: new Uint8Array(300) };
  expectError(() => segment(image, small), 'SIZE_MISMATCH', /image is 451×300 but the stroke image is 10×10/);
});

test('no foreground strokes: says which, and what colours were found', () => {
  const onlyBlue = new Uint8Array(strokes.data);
  for (let i = 0; i < onlyBlue.length; i += 3) if (onlyBlue[i] > 128) onlyBlue[i] = 0; // erase red
  expectError(
    () => segment(image, { width: image.width, height: image.height, data: onlyBlue }),
    'NO_FOREGROUND_SEEDS',
    /No foreground strokes \(#ff0000\) were found; \d+ background stroke pixels were\. .*#0000f8/,
  );
  // The core says what it found and leaves the hint to its caller: no CLI flag in the text.
  assert.throws(
    () => segment(image, { width: image.width, height: image.height, data: onlyBlue }),
    (error: unknown) => {
      assert.ok(error instanceof StrokecutError);
      assert.doesNotMatch(error.message, /--/);
      assert.equal(error.details.strokeColors?.[0].color, '#0000f8');
      return true;
    },
  );
});

test('no background strokes, and no strokes at all', () => {
  const onlyRed = new Uint8Array(strokes.data);
  for (let i = 2; i < onlyRed.length; i += 3) onlyRed[i] = 0; // erase blue
  expectError(
    () => segment(image, { width: image.width, height: image.height, data: onlyRed }),
    'NO_BACKGROUND_SEEDS',
    /No background strokes \(#0000ff\) were found/,
  );
  expectError(
    () =>
      segment(image, { width: image.width, height: image.height, data: new Uint8Array(image.data.length) }),
    'NO_FOREGROUND_SEEDS',
    /No foreground strokes .* and no background strokes .*only black/,
  );
});

test('options that make no sense are refused', () => {
  for (const k of [0, -3, 2.5, Number.NaN])
    expectError(() => segment(image, strokes, { k }), 'INVALID_OPTION', /k must be a positive integer/);
  expectError(() => segment(image, strokes, { seed: -1 }), 'INVALID_OPTION', /seed must be an integer/);
  expectError(() => segment(image, strokes, { maxIterations: 0 }), 'INVALID_OPTION', /maxIterations/);
});
