/** The prompts (--box, --background border, --prior) through the real CLI, on a scene with a known answer. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import './eval-command.js';
import './batch-command.js';
import { captureIo, writePixelPng } from '../testing/fixtures.js';
import { run } from './run.js';

const W = 64;
const H = 40;
/** Two orange discs on a two-tone green ground: A (radius 9 at 16,20) and B (radius 7 at 48,20). */
const inA = (x: number, y: number) => (x - 16) ** 2 + (y - 20) ** 2 <= 81;
const inB = (x: number, y: number) => (x - 48) ** 2 + (y - 20) ** 2 <= 49;

const capture = captureIo;

const png = (path: string, channels: 1 | 3, pixel: (x: number, y: number) => number[]) =>
  writePixelPng(path, W, H, channels, pixel);

async function mask(path: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(W * H);
  for (let p = 0; p < out.length; p++) out[p] = data[p * info.channels];
  return out;
}

/** Pixels where the mask disagrees with "foreground exactly where `truth` holds". */
function wrong(m: Uint8Array, truth: (x: number, y: number) => boolean): number {
  let n = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if ((m[y * W + x] === 255) !== truth(x, y)) n++;
  return n;
}

describe('prompts through the CLI', () => {
  let dir = '';
  const cli = async (args: string[]) => {
    const io = capture(dir);
    const code = await run(args, io);
    return { code, ...io };
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strokecut-prompts-'));
    await png(join(dir, 'image.png'), 3, (x, y) =>
      inA(x, y) || inB(x, y) ? [235, 125, 25] : y < 20 ? [40, 150, 60] : [25, 100, 45],
    );
    // The same without disc B (whose orange, outside a box, would teach the background model orange).
    await png(join(dir, 'one.png'), 3, (x, y) =>
      inA(x, y) ? [235, 125, 25] : y < 20 ? [40, 150, 60] : [25, 100, 45],
    );
    await png(join(dir, 'none.png'), 3, () => [0, 0, 0]);
    await png(join(dir, 'red.png'), 3, (x, y) =>
      (x - 16) ** 2 + (y - 20) ** 2 <= 4 ? [255, 0, 0] : [0, 0, 0],
    );
    // Red on A, blue on B's edge.
    await png(join(dir, 'veto.png'), 3, (x, y) =>
      (x - 16) ** 2 + (y - 20) ** 2 <= 4
        ? [255, 0, 0]
        : x === 54 && y >= 19 && y <= 21
          ? [0, 0, 255]
          : [0, 0, 0],
    );
    await png(join(dir, 'prior.png'), 1, (x, y) => [inA(x, y) || inB(x, y) ? 255 : 0]);
    await png(join(dir, 'prior-a.png'), 1, (x, y) => [inA(x, y) ? 255 : 0]);
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } })
      .png()
      .toFile(join(dir, 'small.png'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--box: with no stroke at all, cuts the object in the box and nothing outside it', async () => {
    const r = await cli(['one.png', 'none.png', '--box', '4,8,26,24', '-o', 'box.png', '-k', '4']);
    assert.equal(r.code, 0, r.err);
    assert.equal(wrong(await mask(join(dir, 'box.png')), inA), 0);
    // Without the box, the same strokes are today's clear error.
    const none = await cli(['image.png', 'none.png', '-o', 'nothing.png']);
    assert.equal(none.code, 2);
    assert.match(none.err, /No foreground strokes .* and no background strokes/);
  });

  it('--background border: red strokes alone are enough; without it, the error stays', async () => {
    const without = await cli(['image.png', 'red.png', '-o', 'red-only.png']);
    assert.equal(without.code, 2);
    assert.match(without.err, /No background strokes/);
    const r = await cli([
      'image.png',
      'red.png',
      '--background',
      'border',
      '-o',
      'border.png',
      '-k',
      '4',
      '--json',
    ]);
    assert.equal(r.code, 0, r.err);
    // The frame is green: both orange discs are alike, and keep-connected keeps only the stroked one.
    assert.equal(wrong(await mask(join(dir, 'border.png')), inA), 0);
  });

  it('--prior: the mask is the start; a region a stroke of the other colour touches is dropped whole', async () => {
    const kept = await cli([
      'image.png',
      'none.png',
      '--prior',
      'prior.png',
      '-o',
      'prior-out.png',
      '-k',
      '4',
      '--no-keep-connected',
    ]);
    assert.equal(kept.code, 0, kept.err);
    assert.equal(
      wrong(await mask(join(dir, 'prior-out.png')), (x, y) => inA(x, y) || inB(x, y)),
      0,
    );
    const vetoed = await cli([
      'image.png',
      'veto.png',
      '--prior',
      'prior.png',
      '-o',
      'veto-out.png',
      '-k',
      '4',
    ]);
    assert.equal(vetoed.code, 0, vetoed.err);
    assert.equal(wrong(await mask(join(dir, 'veto-out.png')), inA), 0);
  });

  it('eval and batch take the prompts too (--prior DIR: masks named like the images)', async () => {
    for (const sub of ['images', 'strokes', 'truth', 'priors'])
      await mkdir(join(dir, sub), { recursive: true });
    await png(join(dir, 'images', 'discs.png'), 3, (x, y) =>
      inA(x, y) ? [235, 125, 25] : y < 20 ? [40, 150, 60] : [25, 100, 45],
    );
    await png(join(dir, 'strokes', 'discs.png'), 3, () => [0, 0, 0]);
    await png(join(dir, 'truth', 'discs.png'), 1, (x, y) => [inA(x, y) ? 255 : 0]);
    await png(join(dir, 'priors', 'discs.png'), 1, (x, y) => [inA(x, y) ? 255 : 0]);
    const e = await cli([
      'eval',
      '--images',
      'images',
      '--strokes',
      'strokes',
      '--truth',
      'truth',
      '--box',
      '4,8,26,24',
      '-k',
      '4',
      '--json',
    ]);
    assert.equal(e.code, 0, e.err);
    assert.equal(JSON.parse(e.out).images[0].iou, 1);
    const p = await cli([
      'eval',
      '--images',
      'images',
      '--strokes',
      'strokes',
      '--truth',
      'truth',
      '--prior',
      'priors',
      '-k',
      '4',
      '--json',
    ]);
    assert.equal(p.code, 0, p.err);
    assert.equal(JSON.parse(p.out).images[0].iou, 1);
    const b = await cli([
      'batch',
      'images',
      'strokes',
      '-o',
      'batch-out',
      '--prior',
      'priors',
      '-k',
      '4',
      '-q',
    ]);
    assert.equal(b.code, 0, b.err);
    assert.equal(wrong(await mask(join(dir, 'batch-out', 'discs.png')), inA), 0);
  });

  it('bad prompt values: exit 2, one line naming the flag, nothing written', async () => {
    const cases: [string[], RegExp][] = [
      [['--box', '1,2,3'], /^strokecut: --box must be X,Y,W,H: four whole numbers .* found "1,2,3"\.$/],
      [['--box', '0,0,0,5'], /--box must be X,Y,W,H/],
      [['--box', '50,0,20,10'], /box 50,0,20,10 reaches past the 64×40 image/],
      [['--background', 'sky'], /^strokecut: --background must be "border" or "strokes"; found "sky"\.$/],
      [['--prior', 'missing.png'], /Cannot read the prior mask \(--prior\) "missing\.png": no such file/],
      [['--prior', 'small.png'], /The prior mask \(--prior\) "small\.png" is 10×10 but the image is 64×40/],
    ];
    for (const [extra, message] of cases) {
      const r = await cli(['image.png', 'red.png', '-o', 'bad.png', ...extra]);
      assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
      assert.match(r.err.trim(), message);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
    assert.ok(!(await readdir(dir)).includes('bad.png'));
  });
});
