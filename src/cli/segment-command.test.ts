import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeCocoRle } from '../core/outputs/coco-rle.js';
import { makeScene, readPixels, runCli, tempFolder, writeScenePng } from '../testing/fixtures.js';

let dir = '';
let cleanup = async () => {};
before(async () => {
  ({ dir, cleanup } = await tempFolder('single'));
  await writeScenePng(makeScene(50, 40, 5), join(dir, 'photo.png'), join(dir, 'photo-stroke.png'));
});
after(() => cleanup());

test('single run: every output at once; cut-out alpha, soft map and COCO agree with the mask', async () => {
  const run = await runCli(
    [
      'photo.png',
      'photo-stroke.png',
      '-k',
      '5',
      '--mask',
      'out/m.png',
      '--cutout',
      'out/c.png',
      '--overlay',
      'out/o.webp',
      '--soft',
      'out/s.tif',
      '--hard-edges',
      '--json',
    ],
    dir,
  );
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.outputs, {
    mask: 'out/m.png',
    cutout: 'out/c.png',
    overlay: 'out/o.webp',
    soft: 'out/s.tif',
  });
  const mask = await readPixels(join(dir, 'out/m.png'));
  assert.equal(mask.channels, 1);
  const cut = await readPixels(join(dir, 'out/c.png'));
  for (let p = 0; p < mask.data.length; p++) assert.equal(cut.data[p * 4 + 3], mask.data[p]);
  const soft = await readPixels(join(dir, 'out/s.tif'));
  assert.equal(soft.channels, 1);
  for (let p = 0; p < mask.data.length; p++) assert.equal(soft.data[p] >= 128, mask.data[p] === 255);
  assert.equal((await readPixels(join(dir, 'out/o.webp'))).width, 50);

  const coco = await runCli(
    ['photo.png', 'photo-stroke.png', '-k', '5', '--format', 'coco', '-o', 'out/m.json'],
    dir,
  );
  assert.equal(coco.code, 0, coco.stderr);
  const dataset = JSON.parse(await readFile(join(dir, 'out/m.json'), 'utf8'));
  assert.equal(dataset.images[0].file_name, 'photo.png');
  assert.deepEqual(decodeCocoRle(dataset.annotations[0].segmentation).mask, mask.data);
});

test('single run: only the asked outputs are written; default names follow the stroke file', async () => {
  const run = await runCli(['photo.png', 'photo-stroke.png', '-k', '5', '--cutout', 'only-cut.png'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Wrote only-cut\.png /);
  await assert.rejects(readFile(join(dir, '5', 'photo-stroke.png')), /ENOENT/);
  const coco = await runCli(['photo.png', 'photo-stroke.png', '-k', '5', '--format', 'coco'], dir);
  assert.equal(coco.code, 0, coco.stderr);
  assert.match(coco.stdout, /^Wrote 5\/photo-stroke\.json /);
});

test('single run: bad output requests are usage errors and write nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['--cutout', 'x.jpg'], /must end in \.png, \.webp, \.tif, \.tiff/],
    [['--format', 'coco', '-o', 'x.png'], /must end in \.json/],
    [['--format', 'rle'], /--format must be "png"/],
    [['-o', 'a.png', '--soft', 'a.png'], /Two outputs, --mask and --soft/],
    [['--cutout', 'photo.png'], /is one of the inputs/],
    [['--mask', 'a.png', '--output', 'b.png'], /another name for --mask/],
    [['--max-megapixels', '0.001'], /above the limit of 0\.0010 megapixels/],
  ];
  for (const [extra, message] of cases) {
    const run = await runCli(['photo.png', 'photo-stroke.png', ...extra], dir);
    assert.equal(run.code, 2, extra.join(' '));
    assert.match(run.stderr, message, extra.join(' '));
  }
});

test('single run: large images are cut coarse to fine unless --full-resolution', async () => {
  // 900×700 = 630 000 pixels, 2.4 × the 2^18 working size: shrunk by 2 for the coarse cuts.
  await writeScenePng(makeScene(900, 700, 8), join(dir, 'big.png'), join(dir, 'big-stroke.png'));
  const coarse = await runCli(['big.png', 'big-stroke.png', '-k', '5', '-o', 'big-c2f.png', '--json'], dir);
  assert.equal(coarse.code, 0, coarse.stderr);
  const coarseReport = JSON.parse(coarse.stdout);
  assert.equal(coarseReport.refineFactor, 2);
  assert.ok(coarseReport.bandPixels > 0 && coarseReport.bandPixels < 900 * 700);
  const full = await runCli(
    ['big.png', 'big-stroke.png', '-k', '5', '-o', 'big-full.png', '--json', '--full-resolution'],
    dir,
  );
  assert.equal(full.code, 0, full.stderr);
  const fullReport = JSON.parse(full.stdout);
  assert.equal(fullReport.refineFactor, 1);
  assert.equal(fullReport.bandPixels, 900 * 700);
  const [a, b] = await Promise.all([
    readPixels(join(dir, 'big-c2f.png')),
    readPixels(join(dir, 'big-full.png')),
  ]);
  let differing = 0;
  for (let p = 0; p < a.data.length; p++) if (a.data[p] !== b.data[p]) differing++;
  assert.ok(differing < a.data.length * 0.02, `${differing} pixels differ`);
});
