import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StrokecutError } from '../errors.js';
import {
  createColorMatcher,
  DEFAULT_BACKGROUND_COLOR,
  DEFAULT_FOREGROUND_COLOR,
  formatHex,
  parseHexColor,
  rgbToHsv,
} from './stroke-colors.js';

const isRed = createColorMatcher(DEFAULT_FOREGROUND_COLOR);
const isBlue = createColorMatcher(DEFAULT_BACKGROUND_COLOR);

test('pure, anti-aliased and JPEG-smeared red counts as red', () => {
  for (const [r, g, b] of [
    [255, 0, 0],
    [250, 12, 8],
    [200, 30, 25],
    [128, 10, 6], // half-covered edge pixel of a red stroke on black
    [255, 60, 40],
    [240, 0, 30], // slightly towards magenta
  ]) {
    assert.ok(isRed(r, g, b), `(${r}, ${g}, ${b}) should be red`);
    assert.ok(!isBlue(r, g, b), `(${r}, ${g}, ${b}) should not be blue`);
  }
});

test('pure, anti-aliased and JPEG-smeared blue counts as blue', () => {
  for (const [r, g, b] of [
    [0, 0, 255],
    [10, 14, 246],
    [6, 8, 120],
    [40, 60, 230],
  ]) {
    assert.ok(isBlue(r, g, b), `(${r}, ${g}, ${b}) should be blue`);
    assert.ok(!isRed(r, g, b), `(${r}, ${g}, ${b}) should not be red`);
  }
});

test('black, grey, white, dark noise and other hues never count', () => {
  for (const [r, g, b] of [
    [0, 0, 0],
    [1, 0, 0], // the original script's hue test called every near-black pixel red
    [30, 2, 2], // dark noise
    [40, 0, 45],
    [128, 128, 128],
    [255, 255, 255],
    [200, 180, 180], // pale, unsaturated
    [0, 255, 0],
    [255, 255, 0],
    [255, 0, 255], // magenta: halfway, neither
  ]) {
    assert.ok(!isRed(r, g, b), `(${r}, ${g}, ${b}) should not be red`);
    assert.ok(!isBlue(r, g, b), `(${r}, ${g}, ${b}) should not be blue`);
  }
});

test('custom chromatic and achromatic stroke colours', () => {
  const isGreen = createColorMatcher([0, 200, 0]);
  assert.ok(isGreen(20, 230, 30));
  assert.ok(!isGreen(255, 0, 0));
  const isWhite = createColorMatcher([255, 255, 255]);
  assert.ok(isWhite(250, 248, 252));
  assert.ok(!isWhite(128, 128, 128));
  assert.ok(!isWhite(255, 0, 0));
});

test('a near-black stroke colour is refused: black means unmarked', () => {
  assert.throws(
    () => createColorMatcher([10, 0, 0], 'foreground'),
    (error: unknown) =>
      error instanceof StrokecutError &&
      error.code === 'INVALID_OPTION' &&
      /#0a0000.*too dark/.test(error.message),
  );
});

test('parseHexColor and formatHex', () => {
  assert.deepEqual(parseHexColor('#ff0000'), [255, 0, 0]);
  assert.deepEqual(parseHexColor('00f'), [0, 0, 255]);
  assert.deepEqual(parseHexColor('#A0b1C2'), [0xa0, 0xb1, 0xc2]);
  assert.equal(formatHex([0xa0, 0xb1, 0xc2]), '#a0b1c2');
  assert.equal(formatHex([0, 0, 0]), '#000000');
  for (const bad of ['red', '#ff00', '#gg0000', '', '#ff00000']) {
    assert.throws(() => parseHexColor(bad), /Expected a colour as hex/);
  }
});

test('rgbToHsv', () => {
  assert.deepEqual(rgbToHsv(255, 0, 0), [0, 1, 1]);
  assert.deepEqual(rgbToHsv(0, 0, 255), [240, 1, 1]);
  assert.deepEqual(rgbToHsv(0, 0, 0), [0, 0, 0]);
  const [h, s, v] = rgbToHsv(255, 0, 128);
  assert.ok(Math.abs(h - 329.88) < 0.01 && s === 1 && v === 1);
});
