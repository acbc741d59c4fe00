/**
 * Issue #13, messages through the real CLI: always one line naming the flag or file (negative
 * numbers, decoder text), and the right reason (our pixel limit, faint strokes, sizes compared
 * from the headers before anything is decoded).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { makeScene, rawSharp, tempFolder, writeScenePng } from '../testing/fixtures.js';
import { assertOneLineFailure, runCliWith } from '../testing/reliability.js';

let work: { dir: string; cleanup: () => Promise<void> };
const PAIR = ['photo.png', 'photo-stroke.png'];

before(async () => {
  work = await tempFolder('messages');
  await writeScenePng(makeScene(64, 48, 4), join(work.dir, 'photo.png'), join(work.dir, 'photo-stroke.png'));
});
after(() => work.cleanup());

/** A PNG whose header says width × height, followed by no real pixel data. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await rawSharp(new Uint8Array(3), 1, 1, 3).png().toBuffer());
  // IHDR: length (4) + "IHDR" (4) at offset 8; width, height at 16 and 20; CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/** A baseline JPEG whose frame header (SOF0) says width × height; its data is for 64×48. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const scene = makeScene(64, 48, 4);
  const jpeg = Buffer.from(await rawSharp(scene.image, 64, 48, 3).jpeg().toBuffer());
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  assert.ok(sof > 0, 'no SOF0 marker');
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

test('negative numbers for numeric flags: one line naming the flag, in every command', async () => {
  const cases: [string[], RegExp][] = [
    [[...PAIR, '-k', '-5'], /^strokecut: -k must be a positive integer; found "-5"\.$/],
    [[...PAIR, '--seed', '-1'], /--seed must be an integer from 0 to 4294967295; found "-1"/],
    [[...PAIR, '--fill-holes', '-3'], /--fill-holes must be an integer ≥ 0; found "-3"/],
    [['batch', '.', '.', '--jobs', '-2'], /--jobs must be an integer from 1 to 256; found "-2"/],
    [['serve', '--port', '-1'], /--port must be an integer from 0 to 65535; found "-1"/],
    [
      ['eval', '--images', '.', '--strokes', '.', '--truth', '.', '--smooth', '-1'],
      /--smooth must be a number ≥ 0; found "-1"/,
    ],
  ];
  for (const [args, pattern] of cases) assertOneLineFailure(await runCliWith(args, work.dir), pattern);
});

test('a corrupt JPEG: one line, libvips text not repeated', async () => {
  const scene = makeScene(320, 240, 6);
  const jpeg = Buffer.from(await rawSharp(scene.image, 320, 240, 3).jpeg({ quality: 90 }).toBuffer());
  writeFileSync(join(work.dir, 'cut.jpg'), jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
  await rawSharp(scene.strokes, 320, 240, 3).png().toFile(join(work.dir, 'cut-stroke.png'));
  const run = await runCliWith(['cut.jpg', 'cut-stroke.png', '-o', 'm.png'], work.dir);
  assertOneLineFailure(run, /The image "cut\.jpg" is not an image strokecut can read/);
  const words = run.stderr.split(/[;:]\s*/).filter((part) => /Vips|JPEG|jpeg/.test(part));
  assert.equal(new Set(words).size, words.length, `repeated decoder text: ${run.stderr}`);
});

test('above the pixel limit: our limit is named (not sharp’s), and --max-megapixels lifts it', async () => {
  writeFileSync(join(work.dir, 'huge.png'), await pngClaiming(20000, 14000)); // 280 MP: above sharp's own 268 MP
  let run = await runCliWith(['huge.png', 'photo-stroke.png', '-o', 'm.png'], work.dir);
  assertOneLineFailure(
    run,
    /"huge\.png" is 20000×14000 = 280 megapixels, above the limit of 100 megapixels.*--max-megapixels/,
  );
  assert.doesNotMatch(run.stderr, /pixel limit/);
  // Lifted, the header is read and compared with the strokes' header: no decoding at all.
  run = await runCliWith(
    ['huge.png', 'photo-stroke.png', '-o', 'm.png', '--max-megapixels', '5000'],
    work.dir,
  );
  assertOneLineFailure(
    run,
    /The image "huge\.png" is 20000×14000 but the stroke image "photo-stroke\.png" is 64×48/,
  );
});

test('a 9000×9000 JPEG header beside small strokes: the size mismatch, from the headers', async () => {
  writeFileSync(join(work.dir, 'big.jpg'), await jpegClaiming(9000, 9000));
  const started = performance.now();
  const run = await runCliWith(['big.jpg', 'photo-stroke.png', '-o', 'm.png'], work.dir);
  // Decoding first would have failed on the data instead (it holds 64×48 pixels), after
  // allocating 243 MB.
  assertOneLineFailure(
    run,
    /The image "big\.jpg" is 9000×9000 but the stroke image "photo-stroke\.png" is 64×48/,
  );
  assert.ok(performance.now() - started < 60_000);
});

test('strokes painted with alpha below 128: the message says so', async () => {
  const scene = makeScene(64, 48, 4);
  const rgba = new Uint8Array(64 * 48 * 4);
  for (let p = 0; p < 64 * 48; p++) {
    rgba.set(scene.strokes.subarray(p * 3, p * 3 + 3), p * 4);
    rgba[p * 4 + 3] = scene.strokes[p * 3] || scene.strokes[p * 3 + 2] ? 100 : 0;
  }
  await rawSharp(rgba, 64, 48, 4).png().toFile(join(work.dir, 'faint.png'));
  const run = await runCliWith(['photo.png', 'faint.png', '-o', 'm.png'], work.dir);
  assertOneLineFailure(
    run,
    /No foreground strokes .* \d+ coloured pixels of the stroke image have an alpha below 128 \(at most 100\).*paint the strokes opaque/,
  );
  assert.doesNotMatch(run.stderr, /no coloured pixels at all/);
  assert.equal((await sharp(readFileSync(join(work.dir, 'faint.png'))).metadata()).channels, 4);
});
