import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kmeans } from '../kmeans/kmeans.js';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { blockGrid, workingSeeds } from './coarse-to-fine.js';

/**
 * One scene, rendered at any resolution: a warm ellipse on a cool background, with blotches —
 * discs a little nearer the other class's colour than their own, of a fixed size in the scene (so
 * `scale` times as many pixels across at `scale`) — and per-pixel noise of ±30 levels. Strokes: a line
 * in the ellipse and a frame, also of fixed width in the scene. Unit: the 90 × 60 rendering.
 */
function renderScene(scale: number) {
  const width = 90 * scale;
  const height = 60 * scale;
  const random = createRandom(7 + scale);
  const inside = [200, 90, 60];
  const outside = [70, 100, 170];
  // Blotch colour: 56% of the way to the other class (nearer it: only the neighbourhood can say
  // which class a blotch is in, and whether it outweighs the colour depends on its size).
  const mix = (a: number[], b: number[]) => a.map((v, c) => v + 0.56 * (b[c] - v));
  const blotches: [number, number, number][] = [];
  const placement = createRandom(99); // the same blotches at every scale
  while (blotches.length < 40) {
    const [bx, by, r] = [placement() * 90, placement() * 60, 1.2 + placement() * 1.6];
    // Clear of the strokes, so that the stroke-fitted models do not know the blotch colours.
    const nearStroke = Math.abs(by - 30) < r + 1 && Math.abs(bx - 45) < 12 + r;
    const nearFrame = bx < 2 + r || by < 2 + r || bx > 88 - r || by > 58 - r;
    if (!nearStroke && !nearFrame) blotches.push([bx, by, r]);
  }
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const u = (x + 0.5) / scale;
      const v = (y + 0.5) / scale;
      const fg = ((u - 45) / 28) ** 2 + ((v - 30) / 19) ** 2 < 1;
      let color = fg ? inside : outside;
      for (const [bx, by, r] of blotches) {
        if ((u - bx) ** 2 + (v - by) ** 2 < r * r) color = fg ? mix(inside, outside) : mix(outside, inside);
      }
      for (let c = 0; c < 3; c++) {
        data[p * 3 + c] = Math.max(0, Math.min(255, Math.round(color[c] + (random() - 0.5) * 60)));
      }
      if (u < 2 || v < 2 || u > 88 || v > 58) labels[p] = SEED.BACKGROUND;
      if (Math.abs(v - 30) < 1 && Math.abs(u - 45) < 12) labels[p] = SEED.FOREGROUND;
    }
  }
  const image: RgbImage = { width, height, data };
  const seeds: SeedLabels = { width, height, labels };
  return { image, seeds };
}

/** The mask shrunk by `factor`: a block is foreground when most of its pixels are. */
function majorityDownscale(mask: Uint8Array, width: number, height: number, factor: number): Uint8Array {
  const w = width / factor;
  const out = new Uint8Array(w * (height / factor));
  for (let by = 0; by < height / factor; by++) {
    for (let bx = 0; bx < w; bx++) {
      let count = 0;
      for (let y = by * factor; y < (by + 1) * factor; y++) {
        for (let x = bx * factor; x < (bx + 1) * factor; x++) if (mask[y * width + x]) count++;
      }
      out[by * w + bx] = 2 * count > factor * factor ? 255 : 0;
    }
  }
  return out;
}

function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] !== 0) !== (b[i] !== 0)) n++;
  return n;
}

describe('resolution invariance', () => {
  it('cuts the same scene the same way at ×1 and ×3 (after shrinking the ×3 mask back)', () => {
    const small = renderScene(1);
    const large = renderScene(3);
    // One cut: the colour models' re-fitting is not what this test is about.
    const options = { k: 6, iterations: 1, smooth: 5, workingPixels: Number.POSITIVE_INFINITY };
    const a = segment(small.image, small.seeds, options).mask;
    const b = segment(large.image, large.seeds, options).mask;
    const shrunk = majorityDownscale(b, large.image.width, large.image.height, 3);
    // The ellipse's outline is about 150 scene pixels long: a seam of a pixel along part of it is
    // rounding; blotches kept at one scale and smoothed away at the other are not. (Measured: 65
    // pixels differ; with λ the same per pixel pair at both scales, as before it was scaled with the
    // diagonal, 213.)
    const n = differing(a, shrunk);
    assert.ok(n < 110, `${n} of ${a.length} pixels differ between ×1 and ×3`);
    // The scene is not trivial: a blotch-blind cut would differ from the per-pixel decision.
    const plain = segment(small.image, small.seeds, { ...options, smooth: 0 }).mask;
    assert.ok(differing(plain, a) > 100, `${differing(plain, a)} pixels smoothed at ×1`);
  });

  it('decides a photo upscaled ×3 on an image of its own size, coarse to fine', () => {
    const small = renderScene(1);
    const large = renderScene(3);
    // 5400 pixels at ×1, cut whole; 48600 at ×3, which the cuts see shrunk by ⌈√(48600 / 8640)⌉ = 3
    // — the ×1 scene's size — rather than by the nearest factor, 2.
    const options = { k: 6, smooth: 5, workingPixels: 8640 };
    const a = segment(small.image, small.seeds, options);
    const b = segment(large.image, large.seeds, options);
    assert.equal(a.stats.refineFactor, 1);
    assert.equal(b.stats.refineFactor, 3);
    const n = differing(a.mask, majorityDownscale(b.mask, large.image.width, large.image.height, 3));
    // Measured: 18 pixels differ; shrunk by 2 (today's nearest factor before), 130.
    assert.ok(n < 60, `${n} of ${a.mask.length} pixels differ between ×1 and ×3`);
  });

  it('fits the first colour models coarse to fine on the shrunk image, as the cuts see the strokes', () => {
    const large = renderScene(3);
    const options = { k: 6, smooth: 5, workingPixels: 8640 };
    const fits: number[] = [];
    segment(large.image, large.seeds, options, {
      kmeans: (points, k, fitOptions) => {
        fits.push(points.total);
        return kmeans(points, k, fitOptions);
      },
    });
    // The first two fits (foreground, background) weigh each stroke block of the shrunk image
    // once — not each of the 9 full-resolution stroke pixels a block holds.
    const shrunk = workingSeeds(large.seeds, blockGrid(large.image.width, large.image.height, 3)).labels;
    const blocks = (label: number) => shrunk.filter((l) => l === label).length;
    assert.deepEqual(fits.slice(0, 2), [blocks(SEED.FOREGROUND), blocks(SEED.BACKGROUND)]);
    assert.ok(blocks(SEED.FOREGROUND) > 0 && blocks(SEED.BACKGROUND) > 0);
  });
});
