import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { LIMITS, readDimensions, sizeProblem } from './image-limits.js';

test('reads width and height from real PNG, JPEG, WebP (lossy and lossless) and GIF headers', async () => {
  const base = sharp({
    create: { width: 37, height: 23, channels: 3, background: { r: 200, g: 30, b: 90 } },
  });
  const encoded = {
    png: await base.clone().png().toBuffer(),
    jpeg: await base.clone().jpeg().toBuffer(),
    jpegWithExif: await base.clone().jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    webp: await base.clone().webp().toBuffer(),
    webpLossless: await base.clone().webp({ lossless: true }).toBuffer(),
    gif: await base.clone().gif().toBuffer(),
  };
  for (const [format, bytes] of Object.entries(encoded)) {
    assert.deepEqual(readDimensions(new Uint8Array(bytes)), { width: 37, height: 23 }, format);
  }
});

test('returns null for what it cannot read', () => {
  assert.equal(readDimensions(new TextEncoder().encode('hello, not an image')), null);
  assert.equal(readDimensions(new Uint8Array(0)), null);
  assert.equal(readDimensions(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 2])), null);
});

test('the size limit names the image and the limit', () => {
  assert.equal(sizeProblem('a.png', { width: 4000, height: 3000 }), null);
  const message = sizeProblem('huge.png', { width: 10000, height: 6000 });
  assert.match(message ?? '', /"huge\.png" is 10000×6000 \(60\.0 megapixels\)/);
  assert.match(message ?? '', new RegExp(`up to ${LIMITS.maxPixels / 1e6} megapixels`));
  assert.match(sizeProblem('tall.png', { width: 100, height: LIMITS.maxSide + 1 }) ?? '', /pixels per side/);
});
