import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { squaredDistanceToOutside } from '../robot/distance.js';
import { SEED } from '../types.js';
import { applyPrompts, assertPromptOptions, defaultBorderWidth, priorErosion } from './prompts.js';

const W = 40;
const H = 30;
const none = () => ({ width: W, height: H, labels: new Uint8Array(W * H) });
const at = (labels: Uint8Array, x: number, y: number) => labels[y * W + x];
const count = (labels: Uint8Array, value: number) => labels.reduce((s, v) => s + (v === value ? 1 : 0), 0);

describe('prompt options', () => {
  it('rejects a bad box, background or prior with a message saying what was found', () => {
    assert.throws(
      () => assertPromptOptions({ box: { x: 30, y: 0, width: 20, height: 5 } }, W, H),
      /reaches past the 40×30 image \(x \+ width = 50/,
    );
    assert.throws(
      () => assertPromptOptions({ box: { x: 1.5, y: 0, width: 2, height: 2 } }, W, H),
      /integer x, y ≥ 0 and width, height ≥ 1; found 1.5,0,2,2/,
    );
    assert.throws(
      () => assertPromptOptions({ box: { x: 0, y: 0, width: 0, height: 2 } }, W, H),
      /found 0,0,0,2/,
    );
    assert.throws(
      () => assertPromptOptions({ background: 'frame' as 'border' }, W, H),
      /background must be 'strokes' or 'border'; found "frame"/,
    );
    assert.throws(
      () => assertPromptOptions({ prior: new Uint8Array(10) }, W, H),
      /1200 bytes .* found 10 bytes/,
    );
    const prior = new Uint8Array(W * H);
    prior[W + 3] = 128;
    assert.throws(
      () => assertPromptOptions({ prior }, W, H),
      /only 0 \(background\) and 255 \(foreground\); found 128 at \(3, 1\)/,
    );
    assert.doesNotThrow(() =>
      assertPromptOptions({ box: { x: 0, y: 0, width: W, height: H }, background: 'strokes' }, W, H),
    );
  });
});

describe('box', () => {
  const box = { x: 10, y: 5, width: 20, height: 15 };
  it('fixes the outside as background and, without foreground strokes, seeds the model with the inside', () => {
    const plan = applyPrompts(none(), { box });
    assert.equal(plan.softForeground, true);
    assert.equal(count(plan.seeds.labels, SEED.BACKGROUND), W * H - 20 * 15);
    assert.equal(count(plan.seeds.labels, SEED.FOREGROUND), 0);
    assert.equal(at(plan.seeds.labels, 9, 10), SEED.BACKGROUND);
    assert.equal(at(plan.seeds.labels, 10, 10), SEED.NONE);
    // The model sees the inside as foreground; the cut does not.
    assert.equal(count(plan.modelSeeds.labels, SEED.FOREGROUND), 20 * 15);
  });
  it('with a foreground stroke, the stroke (not the box) makes the foreground model; strokes win everywhere', () => {
    const strokes = none();
    strokes.labels[10 * W + 15] = SEED.FOREGROUND;
    strokes.labels[10 * W + 20] = SEED.BACKGROUND;
    strokes.labels[2 * W + 2] = SEED.FOREGROUND; // outside the box: the user's word counts
    const plan = applyPrompts(strokes, { box });
    assert.equal(plan.softForeground, false);
    assert.equal(plan.modelSeeds, plan.seeds);
    assert.equal(at(plan.seeds.labels, 15, 10), SEED.FOREGROUND);
    assert.equal(at(plan.seeds.labels, 20, 10), SEED.BACKGROUND);
    assert.equal(at(plan.seeds.labels, 2, 2), SEED.FOREGROUND);
    assert.equal(count(plan.seeds.labels, SEED.FOREGROUND), 2);
  });
});

describe("background: 'border'", () => {
  it('makes the frame background when no background stroke exists, keeping foreground strokes on it', () => {
    const strokes = none();
    strokes.labels[15 * W + 20] = SEED.FOREGROUND;
    strokes.labels[0] = SEED.FOREGROUND;
    const b = defaultBorderWidth(W, H);
    assert.equal(b, 2);
    const plan = applyPrompts(strokes, { background: 'border' });
    assert.equal(plan.borderPixels, W * H - (W - 2 * b) * (H - 2 * b) - 1);
    assert.equal(at(plan.seeds.labels, 0, 0), SEED.FOREGROUND);
    assert.equal(at(plan.seeds.labels, 1, 15), SEED.BACKGROUND);
    assert.equal(at(plan.seeds.labels, 2, 15), SEED.NONE);
    assert.equal(at(plan.seeds.labels, W - 1, H - 1), SEED.BACKGROUND);
  });
  it('adds nothing once the user painted background, and nothing by default', () => {
    const strokes = none();
    strokes.labels[15 * W + 20] = SEED.FOREGROUND;
    strokes.labels[15 * W + 30] = SEED.BACKGROUND;
    assert.equal(applyPrompts(strokes, { background: 'border' }).borderPixels, 0);
    const only = none();
    only.labels[15 * W + 20] = SEED.FOREGROUND;
    assert.equal(count(applyPrompts(only, {}).seeds.labels, SEED.BACKGROUND), 0);
  });
  it('scales the frame with the image', () => {
    assert.equal(defaultBorderWidth(4000, 3000), 30);
    assert.equal(priorErosion(481, 321), 2);
    assert.equal(priorErosion(4000, 3000), 15);
  });
});

describe('prior mask', () => {
  // Two foreground squares: A at x 4..13, y 4..13 and B at x 24..35, y 10..29 (running off the bottom edge).
  const prior = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if ((x >= 4 && x <= 13 && y >= 4 && y <= 13) || (x >= 24 && x <= 35 && y >= 10)) prior[y * W + x] = 255;
    }
  }
  it('turns each region, shrunk by 2 px from its outline (not from the image edge), into seeds', () => {
    const plan = applyPrompts(none(), { prior });
    const s = plan.seeds.labels;
    assert.equal(plan.droppedPriorRegions, 0);
    // A: 10×10 shrunk to the pixels more than 2 px from outside (x = 3 is outside: 4 and 5 go).
    assert.equal(at(s, 4, 8), SEED.NONE);
    assert.equal(at(s, 5, 8), SEED.NONE);
    assert.equal(at(s, 6, 8), SEED.FOREGROUND);
    assert.equal(at(s, 10, 10), SEED.FOREGROUND);
    // B touches the bottom edge: its last rows stay seeds.
    assert.equal(at(s, 30, H - 1), SEED.FOREGROUND);
    // Background: everywhere away from the squares, the image's corners included.
    assert.equal(at(s, 0, 0), SEED.BACKGROUND);
    assert.equal(at(s, 2, 8), SEED.NONE);
    assert.equal(at(s, 1, 8), SEED.BACKGROUND);
  });
  it('drops a region a stroke of the other class touches, as a whole, and lets strokes win', () => {
    const strokes = none();
    strokes.labels[12 * W + 13] = SEED.BACKGROUND; // on A's edge: A is vetoed
    strokes.labels[2 * W + 38] = SEED.FOREGROUND; // on the prior's background: the background region is vetoed
    const plan = applyPrompts(strokes, { prior });
    const s = plan.seeds.labels;
    assert.equal(plan.droppedPriorRegions, 2);
    assert.equal(at(s, 8, 8), SEED.NONE);
    assert.equal(at(s, 0, 0), SEED.NONE);
    assert.equal(at(s, 30, 20), SEED.FOREGROUND);
    assert.equal(at(s, 13, 12), SEED.BACKGROUND);
    assert.equal(at(s, 38, 2), SEED.FOREGROUND);
  });
  it('shrinks without the frame as outside: exact against brute force', () => {
    const region = new Uint8Array(7 * 5).fill(1);
    region[2 * 7 + 3] = 0;
    const d = squaredDistanceToOutside(region, 7, 5, false);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 7; x++) assert.equal(d[y * 7 + x], (x - 3) ** 2 + (y - 2) ** 2);
    assert.equal(
      squaredDistanceToOutside(new Uint8Array(4).fill(1), 2, 2, false)[0],
      Number.POSITIVE_INFINITY,
    );
  });
});
