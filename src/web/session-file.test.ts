import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLabels, encodeLabels, fnv1a, readSessionFile, writeSessionFile } from './session-file.js';

test('labels round-trip through their runs, long runs in a few bytes', () => {
  const labels = new Uint8Array(3000 * 4000);
  labels.fill(1, 1000, 1200);
  labels.fill(2, 5_000_000, 5_000_300);
  labels[labels.length - 1] = 1;
  const runs = encodeLabels(labels);
  assert.ok(runs.length < 40, `${runs.length} bytes`);
  assert.deepEqual(decodeLabels(runs, labels.length), labels);
  assert.deepEqual(decodeLabels(encodeLabels(new Uint8Array(0)), 0), new Uint8Array(0));
  assert.throws(() => decodeLabels(runs, labels.length - 1), /more than the image's/);
  assert.throws(() => decodeLabels(runs, labels.length + 1), /hold 12000000 pixels; the image has 12000001/);
  assert.throws(() => decodeLabels(runs.subarray(0, runs.length - 1), labels.length), /middle of a run/);
});

test('a session file round-trips, with the image embedded or referred to', () => {
  const labels = Uint8Array.of(0, 1, 1, 2, 0, 0);
  const image = { name: 'photo one.jpg', width: 3, height: 2, rgbHash: fnv1a(Uint8Array.of(1, 2, 3)) };
  const data = Uint8Array.of(0xff, 0xd8, 0xff, 0, 200);
  const text = writeSessionFile({
    image: { ...image, type: 'image/jpeg', data },
    labels,
    settings: { k: 40, smooth: 6 },
    softEdge: { radius: 3 },
  });
  const back = readSessionFile(text, 's.json');
  assert.deepEqual(back, {
    image: { ...image, type: 'image/jpeg', data },
    labels,
    settings: { k: 40, smooth: 6 },
    softEdge: { radius: 3 },
  });
  const reference = readSessionFile(writeSessionFile({ image, labels, settings: { k: 70, smooth: 3 } }), 's');
  assert.equal(reference.image.data, undefined);
  assert.equal(JSON.parse(text).format, 'strokecut-session');
});

test('bad session files say what is wrong', () => {
  const good = JSON.parse(
    writeSessionFile({
      image: { name: 'a.png', width: 2, height: 1, rgbHash: 7 },
      labels: Uint8Array.of(1, 2),
      settings: { k: 70, smooth: 3 },
    }),
  );
  const read = (value: unknown) => () => readSessionFile(JSON.stringify(value), 'x.json');
  assert.throws(
    () => readSessionFile('{', 'x.json'),
    /^Error: "x\.json" is not a session file: it is not JSON\.$/,
  );
  assert.throws(read({ format: 'other' }), /expected "format": "strokecut-session"/);
  assert.throws(read({ ...good, version: 2 }), /version 2; this page reads version 1/);
  assert.throws(
    read({ ...good, image: { name: 'a.png' } }),
    /needs a name, a width, a height and an rgbHash/,
  );
  assert.throws(read({ ...good, settings: { k: 0, smooth: 3 } }), /settings, k must be a whole number/);
  assert.throws(read({ ...good, image: { ...good.image, width: 3 } }), /hold 2 pixels; the image has 3/);
});
