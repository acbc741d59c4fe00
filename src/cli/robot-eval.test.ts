import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import './eval-command.js';
import { captureIo, grabcutFixtures, writePixelPng } from '../testing/fixtures.js';
import { run } from './run.js';

const fixtures = grabcutFixtures;

const capture = captureIo;

const png = writePixelPng;

describe('strokecut eval --robot', () => {
  let dir = '';
  // A scene with a known answer: an orange disc of radius 9 at (20, 15) and a second orange disc of
  // radius 5 at (48, 15), both foreground, on a two-tone green background.
  const inDisc = (x: number, y: number) =>
    (x - 20) ** 2 + (y - 15) ** 2 <= 81 || (x - 48) ** 2 + (y - 15) ** 2 <= 25;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strokecut-robot-'));
    for (const sub of ['images', 'strokes', 'truth']) await mkdir(join(dir, sub));
    await png(join(dir, 'images', 'discs.png'), 60, 30, 3, (x, y) =>
      inDisc(x, y) ? [230, 120, 20] : y < 15 ? [40, 160, 60] : [30, 110, 40],
    );
    await png(join(dir, 'truth', 'discs.png'), 60, 30, 1, (x, y) => [inDisc(x, y) ? 255 : 0]);
    // Strokes mark only the first disc and a bit of background.
    await png(join(dir, 'strokes', 'discs.png'), 60, 30, 3, (x, y) =>
      (x - 20) ** 2 + (y - 15) ** 2 <= 4 ? [255, 0, 0] : x < 3 && y < 3 ? [0, 0, 255] : [0, 0, 0],
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from scratch on the object, clicks the rest, reports NoC and writes the plot', async () => {
    const io = capture(dir);
    const code = await run(
      [
        'eval',
        '--robot',
        '--images',
        'images',
        '--truth',
        'truth',
        '--clicks',
        '4',
        '-k',
        '3',
        '--json',
        '--plot',
        'out/plot.svg',
      ],
      io,
    );
    assert.equal(code, 0, io.err);
    const report = JSON.parse(io.out);
    const image = report.images[0];
    assert.equal(report.robot.fromScratch, true);
    assert.equal(image.ious.length, 5);
    assert.equal(image.ious[0], null);
    // The first click: the big disc's centre; the frame as background covers the second disc's colour
    // only on the background, so the cut may or may not find the second disc — the robot must.
    assert.deepEqual(image.clicks[0], { x: 20, y: 15, foreground: true });
    assert.equal(image.ious.at(-1), 1, JSON.stringify(image));
    assert.ok(image.noc90 >= 1 && image.noc90 <= 4);
    assert.equal(report.summary.noc90, image.noc90);
    const svg = await readFile(join(dir, 'out', 'plot.svg'), 'utf8');
    assert.match(svg, /^<svg /);
    assert.match(svg, /from scratch/);
  });

  it('starts from the strokes when --strokes is given and prints the table', async () => {
    const io = capture(dir);
    const code = await run(
      [
        'eval',
        '--robot',
        '--images',
        'images',
        '--truth',
        'truth',
        '--strokes',
        'strokes',
        '--clicks',
        '3',
        '-k',
        '3',
      ],
      io,
    );
    assert.equal(code, 0, io.err);
    assert.match(
      io.out,
      /\| image \| size \| IoU at start \| IoU@1 \| IoU@2 \| IoU@3 \| NoC@85 \| NoC@90 \| ms per click \|/,
    );
    assert.match(io.out, /\| discs \| 60×30 \|/);
    assert.match(io.out, /from the given strokes; at most 3 clicks/);
  });

  it('runs on a real photo from scratch, improving on the first click', async () => {
    const io = capture();
    const code = await run(
      [
        'eval',
        '--robot',
        '--images',
        join(fixtures, 'images'),
        '--truth',
        join(fixtures, 'truth'),
        '--clicks',
        '3',
        '--json',
      ],
      io,
    );
    assert.equal(code, 0, io.err);
    const { ious } = JSON.parse(io.out).images[0];
    assert.ok(Math.max(ious[2], ious[3]) > ious[1], JSON.stringify(ious));
  });

  it('rejects bad robot flags with exit 2 and one line, writing nothing', async () => {
    for (const [extra, message] of [
      [['--clicks', '0'], /--clicks must be an integer from 1 to 1000; found "0"/],
      [['--click-radius', 'big'], /--click-radius must be a number ≥ 0; found "big"/],
      [['--plot', 'plot.png'], /--plot must name an \.svg file; found "plot\.png"/],
    ] as const) {
      const io = capture(dir);
      assert.equal(
        await run(['eval', '--robot', '--images', 'images', '--truth', 'truth', ...extra], io),
        2,
        io.err,
      );
      assert.match(io.err, message);
      assert.equal(io.err.trim().split('\n').length, 1);
    }
    const missing = capture(dir);
    assert.equal(await run(['eval', '--robot', '--images', 'images'], missing), 2);
    assert.match(missing.err, /strokecut eval --robot needs --truth DIR/);
    await assert.rejects(stat(join(dir, 'plot.png')));
  });
});
