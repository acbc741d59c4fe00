import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { StrokecutError } from '../core/errors.js';
import { exampleImagePath, temporaryDirectory } from '../testing/fixtures.js';
import { decodeRgb, decodeStrokes, readRgbImage } from './read-image.js';
import { encodeGreyPng, writeFileAtomic } from './write-image.js';

const directory = temporaryDirectory();

function isError(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof StrokecutError && e.code === code && pattern.test(e.message);
}

test('decodes a real PNG photograph to 8-bit RGB', async () => {
  const image = await readRgbImage(exampleImagePath);
  assert.equal(image.width, 451);
  assert.equal(image.height, 300);
  assert.equal(image.data.length, 451 * 300 * 3);
});

test('PNG round trip is lossless; grey expands to RGB; 16-bit scales to 8-bit', async () => {
  const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const png = await sharp(rgb, { raw: { width: 4, height: 3, channels: 3 } })
    .png()
    .toBuffer();
  assert.deepEqual((await decodeRgb(png)).data, rgb);

  const grey = Uint8Array.from([0, 50, 100, 255]);
  const greyPng = await sharp(grey, { raw: { width: 2, height: 2, channels: 1 } })
    .png()
    .toBuffer();
  assert.deepEqual([...(await decodeRgb(greyPng)).data], [0, 0, 0, 50, 50, 50, 100, 100, 100, 255, 255, 255]);

  const wide = new Uint16Array([0, 0, 0, 257 * 10, 257 * 20, 257 * 30, 65535, 65535, 65535, 257 * 128, 0, 0]);
  const png16 = await sharp(wide, { raw: { width: 2, height: 2, channels: 3 } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
  const decoded16 = await decodeRgb(png16);
  assert.equal((await sharp(png16).metadata()).depth, 'ushort');
  assert.deepEqual([...decoded16.data], [0, 0, 0, 10, 20, 30, 255, 255, 255, 128, 0, 0]);
});

test('alpha: dropped from the photograph, kept for the stroke image', async () => {
  const rgba = Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 0]);
  const png = await sharp(rgba, { raw: { width: 2, height: 1, channels: 4 } })
    .png()
    .toBuffer();
  assert.deepEqual([...(await decodeRgb(png)).data], [255, 0, 0, 0, 0, 255]);
  assert.deepEqual([...(await decodeStrokes(png)).data], [...rgba]);
});

test('missing files, directories and non-images give clear errors', async () => {
  await assert.rejects(
    readRgbImage(join(directory, 'nope.png')),
    isError('UNREADABLE_FILE', /nope\.png.*no such file/),
  );
  await assert.rejects(
    readRgbImage(directory),
    isError('UNREADABLE_FILE', /is a directory|it is a directory/),
  );
  const text = join(directory, 'notes.png');
  writeFileSync(text, 'this is not a picture');
  await assert.rejects(
    readRgbImage(text),
    isError('INVALID_IMAGE', /notes\.png" is not an image strokecut can read/),
  );
  const truncated = join(directory, 'truncated.png');
  writeFileSync(truncated, readFileSync(exampleImagePath).subarray(0, 2000));
  await assert.rejects(readRgbImage(truncated), isError('INVALID_IMAGE', /truncated\.png/));
});

test('writeFileAtomic creates directories, replaces whole files and leaves no temporary file', async () => {
  const target = join(directory, 'out', 'deep', 'mask.png');
  const png = await encodeGreyPng(Uint8Array.from([0, 255, 255, 0]), 2, 2);
  await writeFileAtomic(target, png);
  assert.deepEqual(readFileSync(target), png);
  await writeFileAtomic(target, Buffer.from('second'));
  assert.equal(readFileSync(target, 'utf8'), 'second');
  assert.deepEqual(readdirSync(join(directory, 'out', 'deep')), ['mask.png']);
  const metadata = await sharp(png).metadata();
  assert.deepEqual([metadata.format, metadata.channels, metadata.depth], ['png', 1, 'uchar']);
  const decoded = await sharp(png).extractChannel(0).raw().toBuffer();
  assert.deepEqual([...decoded], [0, 255, 255, 0]);
});

test('writeFileAtomic into an impossible path fails cleanly and leaves the old file alone', async () => {
  const blocker = join(directory, 'blocker');
  writeFileSync(blocker, 'a file, not a directory');
  await assert.rejects(
    writeFileAtomic(join(blocker, 'mask.png'), Buffer.from('x')),
    isError('UNWRITABLE_OUTPUT', /blocker\/mask\.png.*not a directory/),
  );
  const existing = join(directory, 'kept');
  mkdirSync(existing);
  await assert.rejects(writeFileAtomic(existing, Buffer.from('x')), isError('UNWRITABLE_OUTPUT', /kept/));
  assert.deepEqual(readdirSync(existing), []);
});
