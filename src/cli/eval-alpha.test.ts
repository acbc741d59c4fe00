import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { rawSharp, runCli, tempFolder } from '../testing/fixtures.js';
import { makeScene, thresholdMask } from '../testing/matte-scenes.js';

const W = 160;
const H = 120;
let dir = '';
let cleanup = async () => {};
before(async () => {
  ({ dir, cleanup } = await tempFolder('eval-alpha'));
  for (const sub of ['images', 'strokes', 'truth', 'alpha']) await mkdir(join(dir, sub));
  const scene = makeScene('motion', 'gradient', W, H);
  const strokes = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (Math.abs(y - H / 2) < 2 && Math.abs(x - W / 2) < 20) strokes[(y * W + x) * 3] = 255;
      if (x < 3 || y < 3) strokes[(y * W + x) * 3 + 2] = 255;
    }
  }
  const alpha = Uint8Array.from(scene.alpha, (a) => Math.round(a * 255));
  await rawSharp(scene.image.data, W, H, 3)
    .png()
    .toFile(join(dir, 'images', 'sq.png'));
  await rawSharp(strokes, W, H, 3)
    .png()
    .toFile(join(dir, 'strokes', 'sq.png'));
  await rawSharp(thresholdMask(scene.alpha), W, H, 1)
    .png()
    .toFile(join(dir, 'truth', 'sq.png'));
  await rawSharp(alpha, W, H, 1)
    .png()
    .toFile(join(dir, 'alpha', 'sq.png'));
});
after(() => cleanup());

test('eval --truth-alpha scores the matte: lower SAD than the binary mask on a blurred edge', async () => {
  const args = [
    'eval',
    '--images',
    'images',
    '--strokes',
    'strokes',
    '--truth',
    'truth',
    '--truth-alpha',
    'alpha',
  ];
  const run = await runCli([...args, '--json'], dir);
  assert.equal(run.code, 0, run.stderr);
  const [row] = JSON.parse(run.stdout).images;
  assert.ok(row.alpha.pixels > 0);
  assert.ok(row.alpha.sad < 0.7 * row.alpha.binarySad, `${row.alpha.sad} vs ${row.alpha.binarySad}`);
  assert.ok(row.alpha.mse > 0 && row.alpha.gradient > 0);
  const text = await runCli(args, dir);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Mattes against --truth-alpha[\s\S]*\| sq \|/);
});
