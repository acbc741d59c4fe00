import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { crc32, encodePng, readPngTexts } from './png.js';

const deflate = async (bytes: Uint8Array) => new Uint8Array(deflateSync(bytes));

test('crc32 is the PNG (ISO 3309) CRC', () => {
  assert.equal((crc32(new TextEncoder().encode('IEND')) ^ 0xffffffff) >>> 0, 0xae426082);
});

test('a grey PNG decodes (sharp) to the same pixels, one channel', async () => {
  const width = 37;
  const height = 11;
  const data = new Uint8Array(width * height);
  for (let p = 0; p < data.length; p++) data[p] = (p * 7) % 3 === 0 ? 255 : p % 256;
  const png = await encodePng({ width, height, channels: 1, data }, deflate);
  const metadata = await sharp(png).metadata();
  assert.deepEqual(
    [metadata.width, metadata.height, metadata.channels, metadata.space],
    [width, height, 1, 'b-w'],
  );
  // (sharp's raw output widens grey to three equal channels unless asked for one.)
  const { data: back, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 1);
  assert.deepEqual(new Uint8Array(back), data);
});

test('an RGB PNG keeps its text chunks, read back by sharp and by readPngTexts', async () => {
  const data = new Uint8Array(4 * 3 * 3).fill(0);
  data.set([255, 0, 0], 0);
  data.set([0, 0, 255], 33);
  const texts = { strokecut: '{"k":40,"smooth":6}', Software: 'strokecut' };
  const png = await encodePng({ width: 4, height: 3, channels: 3, data }, deflate, texts);
  assert.deepEqual(readPngTexts(png), texts);
  const metadata = await sharp(png).metadata();
  assert.deepEqual(
    metadata.comments?.map(({ keyword, text }) => [keyword, text]),
    Object.entries(texts),
  );
  const { data: back, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3);
  assert.deepEqual(new Uint8Array(back), data);
});

test('readPngTexts: nothing from other files; encodePng refuses bad input', async () => {
  assert.deepEqual(readPngTexts(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)), {});
  const jpeg = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
    .jpeg()
    .toBuffer();
  assert.deepEqual(readPngTexts(jpeg), {});
  await assert.rejects(
    encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) }, deflate),
    /expected 4 bytes, found 3/,
  );
  await assert.rejects(
    encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }, deflate, { 'bad\nkey': 'x' }),
    /not a PNG text keyword/,
  );
});
