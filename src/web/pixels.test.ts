import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../core/random.js';
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import { SEED } from '../core/types.js';
import {
  changedRects,
  cutoutToRgba,
  labelsToRgb,
  labelsToRgba,
  maskToRgba,
  outlineOf,
  overlayWithOutlineToRgba,
  overlayWithOutlineToRgbaIn,
  rgbaToRgb,
  softCutoutToRgba,
} from './pixels.js';

test('the exported stroke image reads back, with the CLI’s stroke extraction, as the same labels', () => {
  const labels = Uint8Array.from([0, 1, 2, 1, 0, 2]);
  const rgba = new Uint8ClampedArray(6 * 4);
  labelsToRgba(labels, 3, { x0: 0, y0: 0, x1: 3, y1: 2 }, rgba, true);
  assert.deepEqual([...rgba.slice(0, 12)], [0, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255]);
  const seeds = extractSeeds({ width: 3, height: 2, data: new Uint8Array(rgba.buffer) });
  assert.deepEqual([...seeds.labels], [...labels]);
  const rgb = labelsToRgb(labels);
  assert.deepEqual([...rgb.slice(0, 9)], [0, 0, 0, 255, 0, 0, 0, 0, 255]);
  const fromRgb = extractSeeds({ width: 3, height: 2, data: rgb });
  assert.deepEqual([...fromRgb.labels], [...labels]);
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
  overlayWithOutlineToRgba(mask, 2, 1, 1, 0, out);
  assert.equal(out[3], 0, 'the foreground is left clear (no outline asked for)');
  assert.equal(out[7], 255, 'the background is dimmed');
  cutoutToRgba(Uint8Array.from([10, 20, 30, 40, 50, 60]), mask, out);
  assert.deepEqual([...out], [10, 20, 30, 255, 0, 0, 0, 0]);
  softCutoutToRgba(Uint8Array.from([11, 21, 31, 41, 51, 61]), Uint8Array.from([128, 0]), out);
  assert.deepEqual([...out], [11, 21, 31, 128, 0, 0, 0, 0]);
  assert.deepEqual([...rgbaToRgb(Uint8Array.from([1, 2, 3, 0, 4, 5, 6, 255]))], [1, 2, 3, 4, 5, 6]);
});

test('the outline is the foreground within the radius of the background, not of the border', () => {
  // 7×5, foreground a 5×3 block in the middle and the whole right column.
  const width = 7;
  const height = 5;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) mask[y * width + 6] = 255;
  for (let y = 1; y < 4; y++) for (let x = 1; x < 6; x++) mask[y * width + x] = 255;
  const rows = (outline: Uint8Array) =>
    Array.from({ length: height }, (_, y) => [...outline.subarray(y * width, (y + 1) * width)].join(''));
  assert.deepEqual(rows(outlineOf(mask, width, height, 1)), [
    '0000001',
    '0111111',
    '0100000',
    '0111111',
    '0000001',
  ]);
  assert.deepEqual(rows(outlineOf(mask, width, height, 2)), [
    '0000001',
    '0111111',
    '0111111',
    '0111111',
    '0000001',
  ]);
});

test('the overlay with outline: dimmed background at the opacity, opaque dashes, clear inside', () => {
  const width = 5;
  const height = 5;
  const mask = new Uint8Array(width * height);
  for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) mask[y * width + x] = 255;
  const out = new Uint8ClampedArray(width * height * 4);
  overlayWithOutlineToRgba(mask, width, height, 0.5, 1, out);
  assert.equal(out[3], 128, 'background alpha');
  const centre = (2 * width + 2) * 4;
  assert.equal(out[centre + 3], 0, 'inside is clear');
  const edge = (1 * width + 1) * 4;
  assert.equal(out[edge + 3], 255, 'the outline is opaque');
  assert.ok(out[edge] === 255 || out[edge] === 0);
});

test('the overlay redrawn where the mask changed is the whole redraw, pixel for pixel', () => {
  const random = createRandom(5);
  for (const [width, height, radius] of [
    [37, 23, 1],
    [40, 31, 3],
    [16, 16, 0],
    [53, 9, 2],
  ]) {
    const before = new Uint8Array(width * height);
    // Blobs, so there is an outline to move.
    for (let p = 0; p < before.length; p++) {
      const x = p % width;
      const y = Math.floor(p / width);
      before[p] = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (width * height) / 12 ? 255 : 0;
    }
    for (let trial = 0; trial < 20; trial++) {
      const after = before.slice();
      const changes = 1 + Math.floor(random() * 6);
      for (let c = 0; c < changes; c++) {
        const x0 = Math.floor(random() * width);
        const y0 = Math.floor(random() * height);
        const value = random() < 0.5 ? 0 : 255;
        for (let y = y0; y < Math.min(height, y0 + 1 + random() * 5); y++)
          for (let x = x0; x < Math.min(width, x0 + 1 + random() * 5); x++) after[y * width + x] = value;
      }
      const whole = new Uint8ClampedArray(width * height * 4);
      overlayWithOutlineToRgba(after, width, height, 0.6, radius, whole);
      const part = new Uint8ClampedArray(width * height * 4);
      overlayWithOutlineToRgba(before, width, height, 0.6, radius, part);
      const rects = changedRects(before, after, width, height, 8 + (trial % 3) * 8);
      for (let p = 0; p < after.length; p++) {
        if (before[p] === after[p]) continue;
        const x = p % width;
        const y = Math.floor(p / width);
        const inside = rects.some((r) => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1);
        assert.ok(inside, 'every change in a rectangle');
      }
      for (const rect of rects) {
        const grown = {
          x0: Math.max(0, rect.x0 - radius),
          y0: Math.max(0, rect.y0 - radius),
          x1: Math.min(width, rect.x1 + radius),
          y1: Math.min(height, rect.y1 + radius),
        };
        assert.ok(overlayWithOutlineToRgbaIn(after, width, height, 0.6, radius, part, grown));
      }
      assert.deepEqual(part, whole, `${width}×${height}, radius ${radius}, trial ${trial}`);
    }
  }
  assert.deepEqual(changedRects(new Uint8Array(16), new Uint8Array(16), 8, 2), []);
  const b = new Uint8Array(16);
  b[13] = 255; // (5, 1)
  b[1] = 255; // (1, 0)
  b[2] = 255; // (2, 0)
  assert.deepEqual(changedRects(new Uint8Array(16), b, 8, 2, 4), [
    { x0: 1, y0: 0, x1: 3, y1: 1 },
    { x0: 5, y0: 1, x1: 6, y1: 2 },
  ]);
  assert.equal(changedRects(new Uint8Array(16), b, 8, 2).length, 1, 'one tile');
});
