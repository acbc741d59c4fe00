import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import './eval-command.js';
import { captureIo, grabcutFixtures, writePixelPng } from '../testing/fixtures.js';
import { run } from './run.js';

const fixtures = grabcutFixtures;

const capture = captureIo;

const png = writePixelPng;

describe('strokecut eval', () => {
  let dir = '';
  before(async () => {
    // A synthetic set with a known answer: red left half (foreground), blue right half.
    dir = await mkdtemp(join(tmpdir(), 'strokecut-eval-'));
    for (const sub of ['images', 'strokes', 'truth', 'empty']) await mkdir(join(dir, sub));
    await png(join(dir, 'images', 'halves.png'), 20, 10, 3, (x) => (x < 10 ? [200, 30, 30] : [30, 30, 200]));
    await png(join(dir, 'strokes', 'halves.png'), 20, 10, 3, (x, y) =>
      y === 5 && x === 2 ? [255, 0, 0] : y === 5 && x === 17 ? [0, 0, 255] : [0, 0, 0],
    );
    await png(join(dir, 'truth', 'halves.png'), 20, 10, 1, (x) => [x < 9 ? 255 : x === 9 ? 128 : 0]);
    // An image without strokes or truth is skipped with a note.
    await png(join(dir, 'images', 'lonely.png'), 4, 4, 3, () => [0, 0, 0]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scores a synthetic pair with a known answer (table and JSON)', async () => {
    const args = [
      'eval',
      '--images',
      join(dir, 'images'),
      '--strokes',
      join(dir, 'strokes'),
      '--truth',
      join(dir, 'truth'),
    ];
    const io = capture();
    assert.equal(await run([...args, '-k', '2'], io), 0, io.err);
    assert.match(io.out, /\| halves \| 20×10 \| 1\.000 \| 0\.00% \| 1\.000 \|/);
    assert.match(io.out, /mean of 1/);
    assert.match(io.err, /skipped 1 image\(s\) without strokes or truth: lonely/);
    const json = capture();
    assert.equal(await run([...args, '-k', '2', '--smooth', '0', '--json'], json), 0, json.err);
    const report = JSON.parse(json.out);
    assert.equal(report.images.length, 1);
    assert.equal(report.images[0].iou, 1);
    assert.equal(report.images[0].errorRate, 0);
    assert.equal(report.images[0].labelled, 190);
    assert.deepEqual(report.skipped, ['lonely']);
  });

  it('refines a real scribbled photo far better than the plain per-pixel mode', async () => {
    const args = [
      'eval',
      '--images',
      join(fixtures, 'images'),
      '--strokes',
      join(fixtures, 'strokes'),
      '--truth',
      join(fixtures, 'truth'),
      '--json',
    ];
    const refined = capture();
    const plain = capture();
    assert.equal(await run(args, refined), 0, refined.err);
    assert.equal(await run([...args, '--smooth', '0'], plain), 0, plain.err);
    const refinedIou = JSON.parse(refined.out).mean.iou;
    const plainIou = JSON.parse(plain.out).mean.iou;
    assert.ok(refinedIou > plainIou + 0.05, `refined IoU ${refinedIou} vs plain ${plainIou}`);
  });

  it('fails with exit 2 and a clear message on bad usage', async () => {
    const missing = capture();
    assert.equal(await run(['eval', '--images', dir], missing), 2);
    assert.match(missing.err, /needs --strokes DIR/);
    const nodir = capture();
    assert.equal(
      await run(['eval', '--images', join(dir, 'nope'), '--strokes', dir, '--truth', dir], nodir),
      2,
    );
    assert.match(nodir.err, /Cannot list the images directory .*nope.*: no such directory/);
    const none = capture();
    assert.equal(
      await run(
        [
          'eval',
          '--images',
          join(dir, 'images'),
          '--strokes',
          join(dir, 'strokes'),
          '--truth',
          join(dir, 'empty'),
        ],
        none,
      ),
      2,
    );
    assert.match(none.err, /has both a stroke file .* and a truth file/);
    const badSmooth = capture();
    assert.equal(
      await run(['eval', '--images', dir, '--strokes', dir, '--truth', dir, '--smooth', 'soft'], badSmooth),
      2,
    );
    assert.match(badSmooth.err, /--smooth must be a number ≥ 0; found "soft"/);
    const help = capture();
    assert.equal(await run(['eval', '--help'], help), 0);
    assert.match(help.out, /Usage: strokecut eval --images DIR/);
  });
});

describe('strokecut IMAGE STROKES with refinement options', () => {
  it('reports the refine timing and cuts in --json, and takes --smooth 0 for the plain mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strokecut-seg-'));
    try {
      await png(join(dir, 'image.png'), 12, 8, 3, (x) => (x < 6 ? [200, 30, 30] : [30, 30, 200]));
      await png(join(dir, 'strokes.png'), 12, 8, 3, (x, y) =>
        y === 4 && x === 1 ? [255, 0, 0] : y === 4 && x === 10 ? [0, 0, 255] : [0, 0, 0],
      );
      for (const extra of [
        [],
        ['--smooth', '0'],
        ['--smooth', '5', '--iterations', '2', '--keep-connected', '--fill-holes', '10'],
      ]) {
        const io = capture(dir);
        const code = await run(
          ['image.png', 'strokes.png', '-k', '2', '-o', 'mask.png', '--json', ...extra],
          io,
        );
        assert.equal(code, 0, io.err);
        const report = JSON.parse(io.out);
        assert.equal(typeof report.timings.refine, 'number');
        assert.equal(report.cuts === 0, extra[1] === '0', JSON.stringify(extra));
        assert.equal(report.foregroundFraction, 0.5);
      }
      const bad = capture(dir);
      assert.equal(await run(['image.png', 'strokes.png', '--iterations', '0'], bad), 2);
      assert.match(bad.err, /--iterations must be a positive integer; found "0"/);
      const both = capture(dir);
      assert.equal(
        await run(['image.png', 'strokes.png', '--keep-connected', '--no-keep-connected'], both),
        2,
      );
      assert.match(both.err, /not both/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
