import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import { SEED } from '../core/types.js';
import { cutoutToRgba, labelsToRgba, maskToRgba, overlayToRgba, rgbaToRgb } from './pixels.js';

test('the exported stroke image reads back, with the CLI’s stroke extraction, as the same labels', () => {
  const labels = Uint8Array.from([0, 1, 2, 1, 0, 2]);
  const rgba = new Uint8ClampedArray(6 * 4);
  labelsToRgba(labels, 3, { x0: 0, y0: 0, x1: 3, y1: 2 }, rgba, true);
  assert.deepEqual([...rgba.slice(0, 12)], [0, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255]);
  const seeds = extractSeeds({ width: 3, height: 2, data: new Uint8Array(rgba.buffer) });
  assert.deepEqual([...seeds.labels], [...labels]);
});

test('the on-screen stroke layer is transparent where unmarked, and draws only its rectangle', () => {
  const labels = Uint8Array.from([1, 0, 0, 0, 2, 0]);
  const rgba = new Uint8ClampedArray(2 * 4);
  labelsToRgba(labels, 3, { x0: 1, y0: 1, x1: 3, y1: 2 }, rgba, false);
  assert.deepEqual([...rgba], [0, 0, 255, 255, 0, 0, 0, 0]);
  assert.equal(SEED.BACKGROUND, labels[4]);
});

test('mask, overlay and cut-out pixels', () => {
  const mask = Uint8Array.from([255, 0]);
  const out = new Uint8ClampedArray(8);
  maskToRgba(mask, out);
  assert.deepEqual([...out], [255, 255, 255, 255, 0, 0, 0, 255]);
  overlayToRgba(mask, out);
  assert.equal(out[3], 0, 'the foreground is left clear');
  assert.equal(out[7], 255, 'the background is dimmed');
  cutoutToRgba(Uint8Array.from([10, 20, 30, 40, 50, 60]), mask, out);
  assert.deepEqual([...out], [10, 20, 30, 255, 0, 0, 0, 0]);
  assert.deepEqual([...rgbaToRgb(Uint8Array.from([1, 2, 3, 0, 4, 5, 6, 255]))], [1, 2, 3, 4, 5, 6]);
});
