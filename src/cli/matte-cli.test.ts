import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { matte } from '../core/matte/matte.js';
import { rawSharp, readPixels, runCli, tempFolder } from '../testing/fixtures.js';
import { makeScene as makeMatteScene } from '../testing/matte-scenes.js';

const W = 160;
const H = 120;
let dir = '';
let cleanup = async () => {};
before(async () => {
  ({ dir, cleanup } = await tempFolder('matte-cli'));
  // A soft-edged disc over a texture, red strokes across its middle, blue along two borders.
  const scene = makeMatteScene('disc', 'texture', W, H);
  const strokes = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      if (Math.abs(y - H / 2) < 2 && Math.abs(x - W / 2) < 25) strokes[i] = 255;
      if (x < 3 || y < 3) strokes[i + 2] = 255;
    }
  }
  await rawSharp(scene.image.data, W, H, 3).png().toFile(join(dir, 'disc.png'));
  await rawSharp(strokes, W, H, 3).png().toFile(join(dir, 'disc-stroke.png'));
  await mkdir(join(dir, 'in'));
  await copyFile(join(dir, 'disc.png'), join(dir, 'in', 'disc.png'));
  await copyFile(join(dir, 'disc-stroke.png'), join(dir, 'in', 'disc-stroke.png'));
});
after(() => cleanup());

test('--cutout has soft edges by default, --matte writes its alpha; the mask stays binary', async () => {
  const run = await runCli(
    ['disc.png', 'disc-stroke.png', '-o', 'm.png', '--cutout', 'c.png', '--matte', 'a.png', '--json'],
    dir,
  );
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(typeof report.timings.matte, 'number');
  assert.ok(report.timings.matte > 0);
  assert.deepEqual(report.outputs, { mask: 'm.png', cutout: 'c.png', matte: 'a.png' });
  const mask = await readPixels(join(dir, 'm.png'));
  const alpha = await readPixels(join(dir, 'a.png'));
  const cut = await readPixels(join(dir, 'c.png'));
  const image = await readPixels(join(dir, 'disc.png'));
  assert.equal(alpha.channels, 1);
  assert.equal(alpha.width, W);
  assert.ok(mask.data.every((v) => v === 0 || v === 255));
  // The same mask as a run without any soft output.
  const plain = await runCli(['disc.png', 'disc-stroke.png', '-o', 'plain.png'], dir);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual((await readPixels(join(dir, 'plain.png'))).data, mask.data);
  // The matte is the library's matte of that mask, and the cut-out carries it and its colours.
  const expected = matte({ width: W, height: H, data: image.data }, mask.data);
  assert.deepEqual(alpha.data, expected.alpha);
  let fractional = 0;
  for (let p = 0; p < W * H; p++) {
    assert.equal(cut.data[p * 4 + 3], expected.alpha[p]);
    assert.equal(cut.data[p * 4], expected.foreground[p * 3]);
    if (alpha.data[p] > 0 && alpha.data[p] < 255) fractional++;
  }
  assert.ok(fractional > 100, `${fractional} soft pixels`);
});

test('--hard-edges gives the binary cut-out; --edge-radius widens the band', async () => {
  const hard = await runCli(
    ['disc.png', 'disc-stroke.png', '-o', 'm2.png', '--cutout', 'h.png', '--hard-edges'],
    dir,
  );
  assert.equal(hard.code, 0, hard.stderr);
  const mask = await readPixels(join(dir, 'm2.png'));
  const cut = await readPixels(join(dir, 'h.png'));
  const image = await readPixels(join(dir, 'disc.png'));
  for (let p = 0; p < W * H; p++) {
    assert.equal(cut.data[p * 4 + 3], mask.data[p]);
    assert.equal(cut.data[p * 4 + 1], image.data[p * 3 + 1]);
  }
  const soft = async (radius: string, file: string) => {
    const run = await runCli(['disc.png', 'disc-stroke.png', '--matte', file, '--edge-radius', radius], dir);
    assert.equal(run.code, 0, run.stderr);
    return (await readPixels(join(dir, file))).data.filter((v) => v > 0 && v < 255).length;
  };
  assert.ok((await soft('1', 'r1.png')) < (await soft('6', 'r6.png')));
});

test('a bad --edge-radius is one line, exit 2, nothing written', async () => {
  for (const value of ['0', 'x', '2.5']) {
    const run = await runCli(
      ['disc.png', 'disc-stroke.png', '--matte', 'bad.png', '--edge-radius', value],
      dir,
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--edge-radius must be an integer from 1 to 1000/);
    assert.equal(run.stderr.trim().split('\n').length, 1);
    await assert.rejects(stat(join(dir, 'bad.png')));
  }
});

test('batch --matte DIR writes one matte per pair', async () => {
  const run = await runCli(['batch', 'in', 'in', '--matte', 'mattes', '--cutout', 'cuts', '--json'], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await readdir(join(dir, 'mattes')), ['disc-stroke.png']);
  const alpha = await readPixels(join(dir, 'mattes', 'disc-stroke.png'));
  const cut = await readPixels(join(dir, 'cuts', 'disc-stroke.png'));
  for (let p = 0; p < W * H; p++) assert.equal(cut.data[p * 4 + 3], alpha.data[p]);
  assert.ok(alpha.data.some((v) => v > 0 && v < 255));
});
