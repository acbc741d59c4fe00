import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEED } from '../core/types.js';
import { StrokeLayer } from './strokes.js';

function painted(layer: StrokeLayer): string[] {
  const rows: string[] = [];
  for (let y = 0; y < layer.height; y++) {
    let row = '';
    for (let x = 0; x < layer.width; x++) row += '.FB'[layer.labels[y * layer.width + x]];
    rows.push(row);
  }
  return rows;
}

test('a brush covers exactly the pixels whose centres lie within it', () => {
  const layer = new StrokeLayer(7, 7);
  layer.begin();
  // Diameter 3 centred on pixel (3, 3)'s centre: centres at distance ≤ 1.5 → a plus with corners cut.
  layer.paintSegment(3.5, 3.5, 3.5, 3.5, 3, SEED.FOREGROUND);
  layer.end();
  assert.deepEqual(painted(layer), [
    '.......',
    '.......',
    '..FFF..',
    '..FFF..',
    '..FFF..',
    '.......',
    '.......',
  ]);
  assert.deepEqual(layer.counts, { foreground: 9, background: 0 });
});

test('a one-pixel brush paints the pixel under it, wherever in the pixel the pointer is', () => {
  for (const [x, y] of [
    [2.5, 1.5],
    [2.01, 1.99],
    [2.99, 1.01],
  ]) {
    const layer = new StrokeLayer(5, 4);
    layer.begin();
    layer.paintSegment(x, y, x, y, 1, SEED.BACKGROUND);
    layer.end();
    assert.equal(layer.labels[1 * 5 + 2], SEED.BACKGROUND, `pointer at (${x}, ${y})`);
  }
});

test('a segment leaves no gaps, and painting off the image is clipped', () => {
  const layer = new StrokeLayer(10, 3);
  layer.begin();
  assert.deepEqual(layer.paintSegment(-5, 1.5, 20, 1.5, 1, SEED.FOREGROUND), { x0: 0, y0: 0, x1: 10, y1: 3 });
  assert.equal(layer.paintSegment(-50, -50, -40, -40, 4, SEED.FOREGROUND), null);
  layer.end();
  assert.deepEqual(painted(layer), ['..........', 'FFFFFFFFFF', '..........']);
});

test('undo and redo restore whole strokes, and a new stroke clears the redo history', () => {
  const layer = new StrokeLayer(8, 2);
  layer.begin();
  layer.paintSegment(0.5, 0.5, 3.5, 0.5, 1, SEED.FOREGROUND);
  layer.paintSegment(3.5, 0.5, 3.5, 1.5, 1, SEED.FOREGROUND);
  assert.equal(layer.end(), true);
  layer.begin();
  layer.paintSegment(5.5, 0.5, 7.5, 0.5, 1, SEED.BACKGROUND);
  layer.end();
  layer.begin();
  layer.paintSegment(2.5, 0.5, 6.5, 0.5, 1, SEED.NONE); // eraser over both strokes
  layer.end();
  assert.deepEqual(painted(layer), ['FF.....B', '...F....']);
  assert.deepEqual(layer.undo(), { x0: 2, y0: 0, x1: 7, y1: 1 });
  assert.deepEqual(painted(layer), ['FFFF.BBB', '...F....']);
  assert.deepEqual(layer.counts, { foreground: 5, background: 3 });
  layer.undo();
  assert.deepEqual(painted(layer), ['FFFF....', '...F....']);
  layer.redo();
  assert.deepEqual(painted(layer), ['FFFF.BBB', '...F....']);
  assert.equal(layer.canRedo, true);
  layer.begin();
  layer.paintSegment(4.5, 1.5, 4.5, 1.5, 1, SEED.BACKGROUND);
  layer.end();
  assert.equal(layer.canRedo, false);
  assert.equal(layer.redo(), null);
  layer.undo();
  layer.undo();
  layer.undo();
  assert.deepEqual(painted(layer), ['........', '........']);
  assert.deepEqual(layer.counts, { foreground: 0, background: 0 });
  assert.equal(layer.undo(), null);
});

test('a stroke that changes nothing is not an undo step', () => {
  const layer = new StrokeLayer(4, 1);
  layer.begin();
  layer.paintSegment(1.5, 0.5, 1.5, 0.5, 1, SEED.NONE);
  assert.equal(layer.end(), false);
  layer.begin();
  layer.paintSegment(1.5, 0.5, 1.5, 0.5, 1, SEED.FOREGROUND);
  layer.paintSegment(1.5, 0.5, 1.5, 0.5, 1, SEED.NONE); // painted and erased within one stroke
  assert.equal(layer.end(), false);
  assert.equal(layer.canUndo, false);
});

test('replaceAll (import, clear) is one undoable change', () => {
  const layer = new StrokeLayer(3, 2);
  layer.begin();
  layer.paintSegment(0.5, 0.5, 0.5, 0.5, 1, SEED.FOREGROUND);
  layer.end();
  const imported = Uint8Array.from([0, 2, 2, 1, 0, 0]);
  assert.deepEqual(layer.replaceAll(imported), { x0: 0, y0: 0, x1: 3, y1: 2 });
  assert.deepEqual(painted(layer), ['.BB', 'F..']);
  assert.equal(layer.replaceAll(imported), null, 'replacing with the same labels changes nothing');
  layer.undo();
  assert.deepEqual(painted(layer), ['F..', '...']);
  assert.throws(() => layer.replaceAll(new Uint8Array(5)), /expected 6 labels, found 5/);
});

test('cancel abandons the open change: labels and counts back, no history', () => {
  const layer = new StrokeLayer(10, 10);
  layer.begin();
  layer.paintSegment(2, 2, 8, 8, 3, SEED.FOREGROUND);
  assert.ok(layer.counts.foreground > 0);
  layer.cancel();
  assert.deepEqual(layer.counts, { foreground: 0, background: 0 });
  assert.ok(layer.labels.every((label) => label === 0));
  assert.equal(layer.canUndo, false);
  layer.begin();
  layer.set(3, SEED.BACKGROUND);
  assert.equal(layer.end(), true, 'a later change records normally');
});

test('a note (a prompt change) takes its turn in the history, and undo and redo hand it back', () => {
  const layer = new StrokeLayer(3, 2);
  layer.begin();
  layer.set(0, SEED.FOREGROUND);
  layer.end();
  layer.note('box added');
  layer.begin();
  layer.set(1, SEED.BACKGROUND);
  layer.end();
  assert.ok(layer.undo(), 'the stroke');
  assert.equal(layer.lastNote, undefined);
  const rect = layer.undo();
  assert.equal(layer.lastNote, 'box added');
  assert.deepEqual(rect, { x0: 0, y0: 0, x1: 0, y1: 0 }, 'no pixels to redraw');
  assert.deepEqual(layer.counts, { foreground: 1, background: 0 }, 'the labels stayed');
  layer.undo();
  assert.equal(layer.counts.foreground, 0);
  layer.redo();
  layer.redo();
  assert.equal(layer.lastNote, 'box added');
  assert.equal(layer.canRedo, true);
  layer.note('another');
  assert.equal(layer.canRedo, false, 'a new change drops the redo history');
});
