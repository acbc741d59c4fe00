import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SCALE, MIN_SCALE, ViewTransform } from './transform.js';

test('fit centres the image and leaves a margin', () => {
  const view = new ViewTransform();
  view.fit({ width: 1016, height: 516 }, 2000, 500);
  assert.equal(view.scale, 0.5);
  assert.equal(view.tx, 8);
  assert.equal(view.ty, Math.round((516 - 250) / 2));
  assert.equal(view.label(), '50%');
});

test('zoomAt keeps the image point under the pointer in place, and clamps the scale', () => {
  const view = new ViewTransform();
  view.tx = 30;
  view.ty = -12;
  const at = { x: 200, y: 150 };
  const before = view.toImage(at);
  view.zoomAt(3.7, at);
  const after = view.toImage(at);
  assert.ok(Math.abs(after.x - before.x) < 1e-9 && Math.abs(after.y - before.y) < 1e-9);
  view.zoomAt(1e6, at);
  assert.equal(view.scale, MAX_SCALE);
  view.zoomAt(1e-9, at);
  assert.equal(view.scale, MIN_SCALE);
  assert.equal(view.label(), '1.6%');
});

test('toViewport inverts toImage; panBy moves the image', () => {
  const view = new ViewTransform();
  view.zoomAt(2.5, { x: 10, y: 20 });
  view.panBy(7, -3);
  const p = { x: 123.25, y: 45.5 };
  const back = view.toImage(view.toViewport(p));
  assert.ok(Math.abs(back.x - p.x) < 1e-9 && Math.abs(back.y - p.y) < 1e-9);
  assert.equal(view.css(), `translate(${view.tx}px, ${view.ty}px) scale(2.5)`);
});
