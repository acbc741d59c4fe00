import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../random.js';
import {
  cocoDataset,
  decodeCocoRle,
  encodeCocoRle,
  maskAreaAndBox,
  maskToRunLengths,
  runLengthsToMask,
  runLengthsToString,
  stringToRunLengths,
} from './coco-rle.js';

/** A row-major mask from rows of '#' (foreground) and '.' (background). */
function maskFrom(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const height = rows.length;
  const width = rows[0].length;
  const mask = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) mask[y * width + x] = row[x] === '#' ? 255 : 0;
  });
  return { mask, width, height };
}

test('run lengths are column-major and start with a background run', () => {
  // Columns top to bottom: col 0 = . . , col 1 = # # , col 2 = # .  →  0 0 1 1 1 0 → [2, 3, 1].
  const { mask, width, height } = maskFrom(['.##', '.#.']);
  assert.deepEqual(maskToRunLengths(mask, width, height), [2, 3, 1]);
  // A foreground top-left pixel gives a leading 0 (empty background run).
  const corner = maskFrom(['#.', '..']);
  assert.deepEqual(maskToRunLengths(corner.mask, 2, 2), [0, 1, 3]);
  assert.deepEqual(maskToRunLengths(new Uint8Array(6), 3, 2), [6]);
});

test('compressed string: a hand-worked example with a delta, a two-character count and a negative', () => {
  // counts [1, 40, 2, 33]
  //  1 → group 1, no more → '1' (48+1)
  //  40 = 0b01000 + 1·32 → groups 8, 1 → '8'+32 = 'X' (88), then '1'
  //  2 → '2'
  //  33 is the 4th count, written as 33 − 40 = −7 → group (−7 & 31) = 25, then −7 >> 5 = −1 and
  //  bit 4 of 25 is set, so no more groups → 48+25 = 'I'
  assert.equal(runLengthsToString([1, 40, 2, 33]), '1X12I');
  assert.deepEqual(stringToRunLengths('1X12I'), [1, 40, 2, 33]);
  // The same counts as a 4×19 mask: pixel i (column-major) is foreground for 1 ≤ i < 41 and 43 ≤ i < 76.
  const width = 19;
  const height = 4;
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const foreground = (i >= 1 && i < 41) || i >= 43;
    mask[(i % height) * width + Math.floor(i / height)] = foreground ? 255 : 0;
  }
  assert.deepEqual(encodeCocoRle(mask, width, height), { size: [4, 19], counts: '1X12I' });
  assert.deepEqual(decodeCocoRle({ size: [4, 19], counts: '1X12I' }).mask, mask);
});

test('compressed string: small counts and the sign bit', () => {
  // 16 needs two groups even though it fits in 5 bits: bit 4 of the last group is the sign.
  assert.equal(runLengthsToString([16]), `${String.fromCharCode(48 + 16 + 32)}0`);
  assert.equal(runLengthsToString([15]), String.fromCharCode(48 + 15));
  assert.equal(runLengthsToString([0]), '0');
  // 20 = 0b10100 has bit 4 set, so it takes two groups: 20 + 32 → 'd', then 0 → '0'.
  // The fourth count, 4, is written as 4 − 20 = −16: one group (−16 & 31 = 16, the sign) → '@'.
  assert.equal(runLengthsToString([0, 20, 0, 4]), '0d00@');
  assert.deepEqual(stringToRunLengths(runLengthsToString([0, 20, 0, 4])), [0, 20, 0, 4]);
});

test('round trip on random masks of many shapes, and on counts beyond 32 bits', () => {
  const random = createRandom(7);
  for (let trial = 0; trial < 60; trial++) {
    const width = 1 + Math.floor(random() * 40);
    const height = 1 + Math.floor(random() * 40);
    const mask = new Uint8Array(width * height);
    // Blobs and noise: long runs and single-pixel runs both occur.
    const density = random();
    for (let p = 0; p < mask.length; p++) {
      const previous = p > 0 ? mask[p - 1] : 0;
      mask[p] = random() < 0.8 ? previous : random() < density ? 255 : 0;
    }
    const rle = encodeCocoRle(mask, width, height);
    assert.match(rle.counts, /^[0-o]*$/);
    const back = decodeCocoRle(JSON.parse(JSON.stringify(rle)));
    assert.equal(back.width, width);
    assert.equal(back.height, height);
    assert.deepEqual(back.mask, mask, `trial ${trial}: ${width}×${height}`);
    // The uncompressed form decodes to the same mask.
    assert.deepEqual(
      decodeCocoRle({ size: [height, width], counts: maskToRunLengths(mask, width, height) }).mask,
      mask,
    );
  }
  const big = [3, 2 ** 33 + 5, 7, 2 ** 40, 1];
  assert.deepEqual(stringToRunLengths(runLengthsToString(big)), big);
});

test('decoding refuses counts that do not fit the size, and broken strings', () => {
  assert.throws(() => runLengthsToMask([2, 3], 2, 2), /add up to 4/);
  assert.throws(() => decodeCocoRle({ size: [2, 2], counts: '3' }), /add up to 4/);
  assert.throws(() => stringToRunLengths('X'), /middle of a count/);
  assert.throws(() => stringToRunLengths('1 2'), /found " "/);
  assert.throws(() => encodeCocoRle(new Uint8Array(5), 2, 2), /needs 4 bytes/);
});

test('area, bounding box and the COCO data set object', () => {
  const { mask, width, height } = maskFrom(['....', '.##.', '..#.']);
  assert.deepEqual(maskAreaAndBox(mask, width, height), { area: 3, bbox: [1, 1, 2, 2] });
  assert.deepEqual(maskAreaAndBox(new Uint8Array(4), 2, 2), { area: 0, bbox: [0, 0, 0, 0] });
  const rle = encodeCocoRle(mask, width, height);
  const dataset = cocoDataset([
    {
      fileName: 'a.png',
      strokesFileName: 'a-stroke.png',
      width,
      height,
      rle,
      ...maskAreaAndBox(mask, width, height),
    },
  ]);
  assert.deepEqual(dataset.images, [
    { id: 1, file_name: 'a.png', width: 4, height: 3, strokes_file_name: 'a-stroke.png' },
  ]);
  assert.deepEqual(dataset.annotations[0], {
    id: 1,
    image_id: 1,
    category_id: 1,
    segmentation: rle,
    area: 3,
    bbox: [1, 1, 2, 2],
    iscrowd: 0,
  });
  assert.deepEqual(dataset.categories, [{ id: 1, name: 'foreground', supercategory: 'foreground' }]);
});
