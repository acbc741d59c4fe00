import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  boxBetween,
  noPrompts,
  offersBorder,
  priorFromRgba,
  promptFlags,
  promptHint,
  readPrompts,
  savePrompts,
} from './prompts.js';

test('a dragged box covers every pixel it touches, clipped to the image; a click is no box', () => {
  assert.deepEqual(boxBetween({ x: 10.5, y: 20.2 }, { x: 3.1, y: 5.9 }, 100, 50), {
    x: 3,
    y: 5,
    width: 8,
    height: 16,
  });
  assert.deepEqual(boxBetween({ x: -5, y: -5 }, { x: 120, y: 60 }, 100, 50), {
    x: 0,
    y: 0,
    width: 100,
    height: 50,
  });
  assert.equal(boxBetween({ x: 10.2, y: 10.2 }, { x: 10.8, y: 30 }, 100, 50), null);
});

test('hints account for the prompts, and the border is offered for red strokes only', () => {
  const prompts = noPrompts();
  const redOnly = { foreground: 10, background: 0 };
  assert.match(
    promptHint(redOnly, prompts) ?? '',
    /Add a background stroke .*, or press "Use the border as background"\.$/,
  );
  assert.equal(offersBorder(redOnly, prompts), true);
  assert.equal(offersBorder({ foreground: 10, background: 3 }, prompts), false);
  assert.equal(offersBorder({ foreground: 0, background: 0 }, prompts), false);
  assert.match(
    promptHint({ foreground: 0, background: 0 }, prompts) ?? '',
    /or drag a box around it \(R\)\.$/,
  );
  assert.equal(promptHint(redOnly, { ...prompts, borderBackground: true }), null);
  assert.equal(
    promptHint({ foreground: 0, background: 0 }, { ...prompts, box: { x: 0, y: 0, width: 5, height: 5 } }),
    null,
  );
  // Blue only and the border: still a red stroke missing.
  assert.match(
    promptHint({ foreground: 0, background: 4 }, { ...prompts, borderBackground: true }) ?? '',
    /Add a foreground stroke/,
  );
});

test('a loaded mask reads as the CLI reads it (red channel ≥ 128), and the prompts give the CLI flags', () => {
  const rgba = new Uint8Array([255, 255, 255, 255, 127, 0, 0, 255, 128, 128, 128, 0]);
  assert.deepEqual([...priorFromRgba(rgba, 3)], [255, 0, 255]);
  assert.deepEqual(
    promptFlags(
      { box: { x: 1, y: 2, width: 3, height: 4 }, prior: new Uint8Array(1), borderBackground: true },
      'm.png',
    ),
    ['--box', '1,2,3,4', '--background', 'border', '--prior', 'm.png'],
  );
});

test('prompts saved and read back; a box off the image or a prior of another size is refused', () => {
  const prior = new Uint8Array(12);
  prior.fill(255, 4, 9);
  const prompts = { box: { x: 1, y: 0, width: 2, height: 3 }, prior, borderBackground: true };
  const saved = savePrompts(prompts, 'mask.png');
  assert.deepEqual(
    JSON.parse(JSON.stringify(readPrompts(saved, 4, 3))),
    JSON.parse(JSON.stringify({ prompts, priorName: 'mask.png' })),
  );
  assert.deepEqual(readPrompts(saved, 4, 3).prompts.prior, prior);
  assert.equal(savePrompts(noPrompts(), null), undefined);
  assert.deepEqual(readPrompts(undefined, 4, 3), { prompts: noPrompts(), priorName: null });
  assert.throws(
    () => readPrompts({ box: { x: 3, y: 0, width: 2, height: 1 } }, 4, 3),
    /within the 4×3 image/,
  );
  assert.throws(() => readPrompts({ prior: saved?.prior }, 5, 3), /the image has 15/);
  assert.throws(() => readPrompts({ borderBackground: 'yes' }, 4, 3), /true or false/);
});
