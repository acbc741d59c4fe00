import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEED } from '../core/types.js';
import { StrokeLayer } from './strokes.js';
import { BRUSH_SIZES, stepBrushSize, TOOLS } from './tools.js';

test('a brush gesture paints along the path as one undoable stroke, and reports what to redraw', () => {
  const layer = new StrokeLayer(40, 30);
  const context = { layer, size: 3 };
  const gesture = TOOLS.foreground.start(context, { x: 5.5, y: 5.5 });
  gesture.move({ x: 15.5, y: 5.5 });
  const dirty = gesture.takeDirty();
  assert.ok(
    dirty && dirty.x0 <= 4 && dirty.x1 >= 17 && dirty.y0 <= 4 && dirty.y1 >= 7,
    JSON.stringify(dirty),
  );
  assert.equal(gesture.takeDirty(), null, 'taken once');
  assert.equal(gesture.end({ x: 20.5, y: 5.5 }), true);
  assert.equal(layer.labels[5 * 40 + 20], SEED.FOREGROUND);
  assert.equal(layer.labels[5 * 40 + 10], SEED.FOREGROUND);
  assert.equal(layer.labels[20 * 40 + 10], SEED.NONE);
  layer.undo();
  assert.deepEqual(layer.counts, { foreground: 0, background: 0 });
});

test('the eraser is a brush of no label; a gesture that changes nothing is not a change', () => {
  const layer = new StrokeLayer(20, 20);
  TOOLS.background.start({ layer, size: 4 }, { x: 10, y: 10 }).end(null);
  assert.ok(layer.counts.background > 0);
  const erase = TOOLS.eraser.start({ layer, size: 8 }, { x: 10, y: 10 });
  assert.equal(erase.end(null), true);
  assert.equal(layer.counts.background, 0);
  assert.equal(TOOLS.eraser.start({ layer, size: 8 }, { x: 10, y: 10 }).end(null), false);
  assert.equal(TOOLS.eraser.ring, 'dashed');
});

test('the brush reads the size at every move', () => {
  const layer = new StrokeLayer(50, 10);
  let size = 1;
  const context = {
    layer,
    get size() {
      return size;
    },
  };
  const gesture = TOOLS.foreground.start(context, { x: 5.5, y: 5.5 });
  size = 7;
  gesture.move({ x: 40.5, y: 5.5 });
  gesture.end(null);
  assert.equal(layer.labels[2 * 50 + 40], SEED.FOREGROUND, 'the wider brush reached row 2 at the end');
});

test('[ and ] step the brush size symmetrically, from any size', () => {
  assert.deepEqual(BRUSH_SIZES.slice(0, 12), [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 17]);
  assert.equal(BRUSH_SIZES[BRUSH_SIZES.length - 1], 200);
  for (const size of BRUSH_SIZES.slice(0, -1)) assert.equal(stepBrushSize(stepBrushSize(size, 1), -1), size);
  assert.equal(stepBrushSize(20, 1), 24);
  assert.equal(stepBrushSize(24, 1), 29);
  assert.equal(stepBrushSize(29, -1), 24);
  assert.equal(stepBrushSize(21, -1), 20, 'off the ladder: the next size down on it');
  assert.equal(stepBrushSize(200, 1), 200);
  assert.equal(stepBrushSize(1, -1), 1);
});

test('the box tool shows the dragged rectangle, and commits it only at the release', () => {
  const layer = new StrokeLayer(20, 20);
  const calls: string[] = [];
  const context = {
    layer,
    size: 4,
    dragBox: (from: { x: number; y: number }, to: { x: number; y: number }, done: boolean) => {
      calls.push(`${from.x},${from.y}-${to.x},${to.y}${done ? ' done' : ''}`);
      return done;
    },
  };
  assert.equal(TOOLS.box.ring, null, 'no brush ring');
  const gesture = TOOLS.box.start(context, { x: 2, y: 3 });
  gesture.move({ x: 8, y: 9 });
  assert.equal(gesture.takeDirty(), null, 'no strokes drawn');
  assert.equal(gesture.end({ x: 10, y: 12 }), true);
  assert.deepEqual(calls, ['2,3-8,9', '2,3-10,12 done']);
  assert.deepEqual(layer.counts, { foreground: 0, background: 0 });
  // Cancelled (a pinch began): the rectangle shrinks back to nothing, no change.
  calls.length = 0;
  const cancelled = TOOLS.box.start(context, { x: 1, y: 1 });
  cancelled.move({ x: 5, y: 5 });
  assert.equal(cancelled.end(null), false);
  assert.deepEqual(calls, ['1,1-5,5', '1,1-1,1']);
  assert.equal(layer.canUndo, false);
});
