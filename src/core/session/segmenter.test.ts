import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { readRgbImage, readStrokeImage } from '../../io/read-image.js';
import { exampleImagePath, exampleStrokesPath, repoRoot } from '../../testing/fixtures.js';
import { createRandom } from '../random.js';
import { extractSeeds } from '../seeds/extract-seeds.js';
import type { SegmentOptions, SegmentResult } from '../segment.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { Segmenter } from './segmenter.js';

/** A thick straight stroke of `label` from (x0, y0) to (x1, y1), painted into a copy of `seeds`. */
function withStroke(
  seeds: SeedLabels,
  label: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  radius: number,
) {
  const labels = seeds.labels.slice();
  const { width, height } = seeds;
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
  for (let s = 0; s <= steps; s++) {
    const cx = x0 + ((x1 - x0) * s) / steps;
    const cy = y0 + ((y1 - y0) * s) / steps;
    for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(height - 1, cy + radius); y++) {
      for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(width - 1, cx + radius); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) labels[y * width + x] = label;
      }
    }
  }
  return { width, height, labels };
}

/**
 * Random strokes as a user adds them: mostly agreeing with the mask on screen at their start,
 * some correcting it (the other label), one now and then erased (an undo).
 */
function* strokeSequence(seeds: SeedLabels, first: Uint8Array, count: number, seed: number) {
  const random = createRandom(seed);
  const { width, height } = seeds;
  const history = [seeds];
  let mask = first;
  for (let i = 0; i < count; i++) {
    if (i % 4 === 3 && history.length > 1) {
      history.pop(); // undo the last stroke
    } else {
      const x0 = random() * width;
      const y0 = random() * height;
      const angle = random() * Math.PI * 2;
      const length = (0.05 + random() * 0.2) * width;
      const inMask = mask[Math.floor(y0) * width + Math.floor(x0)] !== 0;
      const agree = random() < 0.7;
      const label = inMask === agree ? SEED.FOREGROUND : SEED.BACKGROUND;
      const radius = 1 + random() * (width / 80);
      const last = history[history.length - 1];
      history.push(
        withStroke(last, label, x0, y0, x0 + Math.cos(angle) * length, y0 + Math.sin(angle) * length, radius),
      );
    }
    const current = history[history.length - 1];
    mask = yield current;
  }
}

function assertSameResult(actual: SegmentResult, expected: SegmentResult, label: string): void {
  assert.ok(Buffer.from(actual.mask).equals(Buffer.from(expected.mask)), `${label}: mask`);
  for (const name of ['foreground', 'background'] as const) {
    assert.deepEqual(actual.models[name], expected.models[name], `${label}: ${name} model`);
  }
  const { timings: _a, ...actualStats } = actual.stats;
  const { timings: _b, ...expectedStats } = expected.stats;
  assert.deepEqual(actualStats, expectedStats, `${label}: stats`);
}

/** Runs a stroke sequence through a Segmenter and through segment() and compares every result. */
function checkSequence(
  image: RgbImage,
  seeds: SeedLabels,
  options: SegmentOptions,
  count: number,
  seed: number,
  name: string,
) {
  const segmenter = new Segmenter(image);
  let result = segmenter.segment(seeds, options);
  assertSameResult(result, segment(image, seeds, options), `${name}, first run`);
  const sequence = strokeSequence(seeds, result.mask, count, seed);
  let step = sequence.next(result.mask);
  for (let i = 0; !step.done; i++) {
    const current = step.value;
    const preview = segmenter.preview(current, options);
    const { mask: full, coarse } = preview;
    if (full) assert.equal(full.length, image.width * image.height, `${name}: preview size`);
    else {
      assert.ok(coarse, `${name}: a preview has a mask or coarse labels`);
      assert.equal(coarse.mask.length, coarse.image.width * coarse.image.height, `${name}: coarse size`);
      assert.equal(coarse.image.width, Math.ceil(image.width / coarse.factor), `${name}: coarse width`);
    }
    result = segmenter.segment(current, options);
    assertSameResult(result, segment(image, current, options), `${name}, stroke ${i + 1}`);
    step = sequence.next(result.mask);
  }
  return segmenter;
}

async function scaled(path: string, factor: number, kernel: 'lanczos3' | 'nearest'): Promise<RgbImage> {
  const meta = await sharp(path).metadata();
  const width = Math.round((meta.width ?? 0) * factor);
  const height = Math.round((meta.height ?? 0) * factor);
  const data = await sharp(path).removeAlpha().resize(width, height, { kernel }).raw().toBuffer();
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

describe('Segmenter (segment() again and again, reusing work)', () => {
  it('gives segment()’s result, bit for bit, over sequences of random strokes on real photos (cut whole)', async () => {
    const photos = [
      { image: exampleImagePath, strokes: exampleStrokesPath },
      {
        image: join(repoRoot, 'fixtures', 'grabcut', 'images', '106024.png'),
        strokes: join(repoRoot, 'fixtures', 'grabcut', 'strokes', '106024.png'),
      },
    ];
    for (const [index, photo] of photos.entries()) {
      const image = await readRgbImage(photo.image);
      const seeds = extractSeeds(await readStrokeImage(photo.strokes));
      const segmenter = checkSequence(image, seeds, {}, 4, 100 + index, photo.image);
      assert.ok(segmenter.fitStats.reused > 0, 'some k-means fits were reused');
    }
  });

  it('and coarse to fine: a small working size, and a photo large enough for the default one', async () => {
    const image = await readRgbImage(exampleImagePath);
    const seeds = extractSeeds(await readStrokeImage(exampleStrokesPath));
    // 2^15 working pixels: the 0.14 MP example is shrunk by 2.
    checkSequence(image, seeds, { workingPixels: 1 << 15 }, 4, 7, 'example, coarse to fine');
    checkSequence(image, seeds, { smooth: 6, k: 20 }, 2, 8, 'example, other settings');
    // The example ×2.3 (0.72 MP) is refined coarse to fine at the defaults (factor 2).
    const large = await scaled(exampleImagePath, 2.3, 'lanczos3');
    const strokes = await scaled(exampleStrokesPath, 2.3, 'nearest');
    checkSequence(large, extractSeeds(strokes), {}, 2, 9, 'example ×2.3');
  });

  it('answers strokes it has seen recently (an undo, a redo) from the kept result, as copies', async () => {
    const image = await readRgbImage(exampleImagePath);
    const seeds = extractSeeds(await readStrokeImage(exampleStrokesPath));
    const segmenter = new Segmenter(image);
    const first = segmenter.segment(seeds);
    const stroked = withStroke(seeds, SEED.FOREGROUND, 200, 60, 250, 65, 6);
    const second = segmenter.segment(stroked);
    const expected = segment(image, seeds);
    first.mask.fill(7); // the caller's copy (the page's worker hands it over)
    const fitsBefore = segmenter.fitStats;
    assert.ok(segmenter.knows(seeds) && segmenter.knows(stroked) && !segmenter.knows(seeds, { k: 9 }));
    const undone = segmenter.segment({ ...seeds, labels: seeds.labels.slice() });
    assertSameResult(undone, expected, 'undo');
    assert.deepEqual(undone.stats.timings, { seeds: 0, kmeans: 0, classify: 0, refine: 0 }, 'no run');
    assert.deepEqual(segmenter.fitStats, fitsBefore, 'no k-means fit looked up');
    undone.mask.fill(9);
    assertSameResult(segmenter.segment(stroked), segment(image, stroked), 'redo');
    assert.ok(Buffer.from(segmenter.segment(seeds).mask).equals(Buffer.from(expected.mask)), 'undo again');
    // Other options: a run.
    const other = segmenter.segment(seeds, { smooth: 6 });
    assert.ok(other.stats.timings.refine > 0);
    assertSameResult(other, segment(image, seeds, { smooth: 6 }), 'other options');
    assert.ok(second.stats.timings.refine > 0);
  });

  it('previews are quick approximations: one cut, the coarse labels on large images', async () => {
    const image = await readRgbImage(exampleImagePath);
    const seeds = extractSeeds(await readStrokeImage(exampleStrokesPath));
    const segmenter = new Segmenter(image);
    const preview = segmenter.preview(seeds, { workingPixels: 1 << 15 });
    assert.equal(preview.stats.cuts, 1);
    assert.equal(preview.stats.bandPixels, 0, 'no band cut');
    const exact = segment(image, seeds, { workingPixels: 1 << 15 });
    assert.ok(preview.mask, 'a small image is previewed at its own size');
    let differing = 0;
    for (let p = 0; p < exact.mask.length; p++) if (exact.mask[p] !== preview.mask[p]) differing++;
    assert.ok(differing < exact.mask.length * 0.05, `${differing} pixels differ from the exact mask`);
    const plain = segmenter.preview(seeds, { smooth: 0 });
    assert.ok(
      plain.mask && Buffer.from(plain.mask).equals(Buffer.from(segment(image, seeds, { smooth: 0 }).mask)),
    );
  });

  it('a large image is previewed shrunk: coarse labels only, close to the exact mask block by block', async () => {
    // The example ×2.3 (0.72 MP): previewed shrunk by 3.
    const image = await scaled(exampleImagePath, 2.3, 'lanczos3');
    const seeds = extractSeeds(await scaled(exampleStrokesPath, 2.3, 'nearest'));
    const preview = new Segmenter(image).preview(seeds);
    assert.equal(preview.mask, undefined, 'nothing at full size');
    const { coarse } = preview;
    assert.ok(coarse);
    assert.equal(coarse.factor, 3);
    assert.equal(preview.stats.cuts, 1);
    const exact = segment(image, seeds).mask;
    const { width } = image;
    let differing = 0;
    for (let by = 0; by < coarse.image.height; by++) {
      for (let bx = 0; bx < coarse.image.width; bx++) {
        const p = Math.min(by * 3 + 1, image.height - 1) * width + Math.min(bx * 3 + 1, width - 1);
        if (exact[p] !== coarse.mask[by * coarse.image.width + bx]) differing++;
      }
    }
    assert.ok(differing < coarse.mask.length * 0.05, `${differing} of ${coarse.mask.length} blocks differ`);
  });
});
