import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairFileNames } from './batch-pairs.js';

test('pairs image NAME with NAME-stroke, NAME-strokes or NAME in another folder, any extension', () => {
  const { pairs, unpaired } = pairFileNames(
    ['a.png', 'b.jpg', 'c.tif', 'notes.txt', '.hidden.png'],
    ['a-stroke.png', 'b-strokes.webp', 'c.PNG', '.a-stroke.png.123.0badf00d.tmp'],
    false,
  );
  assert.deepEqual(pairs, [
    { image: 'a.png', strokes: 'a-stroke.png', outputBase: 'a-stroke' },
    { image: 'b.jpg', strokes: 'b-strokes.webp', outputBase: 'b-strokes' },
    { image: 'c.tif', strokes: 'c.PNG', outputBase: 'c' },
  ]);
  assert.deepEqual(unpaired, []);
});

test('in one shared folder, *-stroke files are strokes, not images', () => {
  const { pairs, unpaired } = pairFileNames(
    ['chelsea.png', 'chelsea-stroke.png', 'coffee.png', 'lone-stroke.png'],
    ['chelsea.png', 'chelsea-stroke.png', 'coffee.png', 'lone-stroke.png'],
    true,
  );
  assert.deepEqual(pairs, [
    { image: 'chelsea.png', strokes: 'chelsea-stroke.png', outputBase: 'chelsea-stroke' },
  ]);
  assert.deepEqual(
    unpaired.map((u) => [u.code, u.image ?? u.strokes]),
    [
      ['MISSING_STROKES', 'coffee.png'],
      ['MISSING_IMAGE', 'lone-stroke.png'],
    ],
  );
});

test('missing partners, ambiguous candidates and shared stroke files are reported, not guessed', () => {
  const { pairs, unpaired } = pairFileNames(
    ['ok.png', 'none.png', 'two.png', 'dup.png', 'dup.jpg'],
    ['ok-stroke.png', 'two-stroke.png', 'two.png', 'dup-stroke.png', 'orphan-stroke.png'],
    false,
  );
  assert.deepEqual(pairs, [{ image: 'ok.png', strokes: 'ok-stroke.png', outputBase: 'ok-stroke' }]);
  const byName = Object.fromEntries(unpaired.map((u) => [u.image ?? u.strokes, u]));
  assert.equal(byName['none.png'].code, 'MISSING_STROKES');
  assert.match(byName['none.png'].message, /none-stroke\.\*, none-strokes\.\*, none\.\*/);
  assert.equal(byName['two.png'].code, 'AMBIGUOUS_PAIR');
  assert.match(byName['two.png'].message, /two-stroke\.png, two\.png/);
  assert.equal(byName['dup.png'].code, 'AMBIGUOUS_PAIR');
  assert.equal(byName['dup.jpg'].code, 'AMBIGUOUS_PAIR');
  assert.match(
    byName['dup.jpg'].message,
    /dup\.jpg and dup\.png both pair with the stroke file "dup-stroke\.png"/,
  );
  assert.equal(byName['orphan-stroke.png'].code, 'MISSING_IMAGE');
  assert.equal(unpaired.length, 5);
});
