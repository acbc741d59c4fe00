import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SegmentStats } from '../core/segment.js';
import { SEED } from '../core/types.js';
import { baseName } from './files.js';
import { noPrompts } from './prompts.js';
import { RESULT_VIEWS } from './result-views.js';
import { Session } from './session.js';
import { statsText, strokeHint } from './status.js';
import { StrokeLayer } from './strokes.js';

const image = (width: number, height: number) => ({
  id: 1,
  name: 'photo.jpg',
  width,
  height,
  rgb: new Uint8Array(width * height * 3),
  isExample: false,
});

function imageSession(
  loaded: ReturnType<typeof image>,
  layer = new StrokeLayer(loaded.width, loaded.height),
) {
  return {
    image: loaded,
    layer,
    file: new Blob([]),
    display: null,
    token: String(loaded.id),
    edited: false,
    prompts: noPrompts(),
    priorName: null,
  };
}

test('opening another image keeps the one before one step back, and forward again', () => {
  const session = new Session<null>();
  const first = imageSession({ ...image(4, 3), id: 1 });
  session.open(first);
  assert.equal(session.hasWork, false);
  first.layer.begin();
  first.layer.set(0, SEED.FOREGROUND);
  first.layer.end();
  assert.equal(session.hasWork, true, 'an undoable stroke is work');
  const second = imageSession({ ...image(2, 2), id: 2 });
  session.open(second);
  assert.equal(session.image?.id, 2);
  assert.equal(session.canGoBack, true);
  assert.equal(session.canGoForward, false);
  assert.equal(session.back(), first);
  assert.equal(session.layer?.counts.foreground, 1, 'with its strokes');
  assert.equal(session.back(), null, 'one step only');
  assert.equal(session.forward(), second);
  assert.equal(session.forward(), null);
  // Opening a third image drops the way forward, and the first image: one neighbour each way.
  session.back();
  session.open(imageSession({ ...image(3, 3), id: 3 }));
  assert.equal(session.back()?.image.id, 1);
  assert.equal(session.back(), null);
});

test('restored strokes count as work only when they were', () => {
  const session = new Session<null>();
  const layer = new StrokeLayer(2, 2);
  layer.restore(Uint8Array.of(1, 0, 0, 2));
  assert.deepEqual(layer.counts, { foreground: 1, background: 1 });
  assert.equal(layer.canUndo, false);
  session.open({ ...imageSession(image(2, 2), layer) });
  assert.equal(session.hasWork, false, 'the example’s own strokes');
  session.open({ ...imageSession(image(2, 2), layer), edited: true });
  assert.equal(session.hasWork, true);
});

test('a session opens an image with its stroke layer, and says what the strokes lack', () => {
  const session = new Session();
  assert.equal(session.hint(), null, 'no image: nothing to hint');
  const layer = new StrokeLayer(4, 3);
  session.open(imageSession(image(4, 3), layer));
  assert.match(session.hint() ?? '', /Paint red over the object/);
  layer.begin();
  layer.set(0, SEED.FOREGROUND);
  layer.end();
  assert.match(session.hint() ?? '', /Add a background stroke/);
  layer.begin();
  layer.set(1, SEED.BACKGROUND);
  layer.end();
  assert.equal(session.hint(), null);
  assert.throws(
    () => session.open(imageSession(image(5, 3), new StrokeLayer(4, 3))),
    /stroke layer is 4×3, the image 5×3/,
  );
});

test('hints and figures read as the status bar shows them', () => {
  assert.match(strokeHint({ foreground: 3, background: 0 }) ?? '', /background stroke/);
  assert.match(strokeHint({ foreground: 0, background: 3 }) ?? '', /foreground stroke/);
  assert.equal(statsText(null, null), '');
  assert.equal(statsText(image(451, 300), null), 'photo.jpg · 451×300');
  const stats = {
    foregroundFraction: 0.4321,
    timings: { seeds: 1.2, kmeans: 20.4, classify: 3.6, refine: 40.2 },
  } as SegmentStats;
  assert.equal(
    statsText(image(451, 300), { stats, computeMs: 70.6 }),
    'photo.jpg · 451×300 · 43.2% foreground · mask in 71 ms (seeds 1, k-means 20, graph cuts 40)',
  );
});

test('result views: the overlay dims the background only, the cut-out is transparent there', () => {
  const mask = Uint8Array.of(0, 255);
  const rgb = Uint8Array.of(1, 2, 3, 4, 5, 6);
  const out = new Uint8ClampedArray(8);
  const look = { overlayOpacity: 0.75, outlineRadius: 1 };
  RESULT_VIEWS.overlay.fill({ width: 2, height: 1, rgb, mask }, look, out);
  assert.equal(out[3], 191);
  assert.equal(out[7], 255, 'the foreground pixel beside the background is on the outline');
  RESULT_VIEWS.cutout.fill({ width: 2, height: 1, rgb, mask }, look, out);
  assert.deepEqual([...out], [0, 0, 0, 0, 4, 5, 6, 255]);
  assert.ok(RESULT_VIEWS.overlay.showsImage && !RESULT_VIEWS.mask.showsImage);
});

test('exports are named after the image without its extension', () => {
  assert.equal(baseName('chelsea.png'), 'chelsea');
  assert.equal(baseName('a.b.jpeg'), 'a.b');
  assert.equal(baseName('.png'), 'image');
  assert.equal(baseName(undefined), 'image');
});
