import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStrokecutError } from '../errors.js';
import { createRandom } from '../random.js';
import type { SegmentOptions } from '../segment.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';

/**
 * The options measured for issue #10 part 2 and left off by default (see docs/algorithm.md): each
 * runs end to end and cuts a plain scene right, and each is checked where it enters.
 */
function scene(width = 60, height = 40): { image: RgbImage; seeds: SeedLabels; truth: Uint8Array } {
  const random = createRandom(3);
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  const truth = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inside = (x - 30) ** 2 + (y - 20) ** 2 < 144;
      // The object is shaded from dark to light along x: one material, many colours.
      const shade = (x - 30) * 3;
      const base = inside ? [150 + shade, 90 + shade, 60 + shade] : [60, 110, 170];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = base[c] + Math.floor(random() * 20) - 10;
      truth[p] = inside ? 1 : 0;
      if (y === 20 && x >= 24 && x <= 36) labels[p] = SEED.FOREGROUND;
      if (x === 4 && y > 4 && y < height - 4) labels[p] = SEED.BACKGROUND;
    }
  }
  return { image: { width, height, data }, seeds: { width, height, labels }, truth };
}

function iou(mask: Uint8Array, truth: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p] !== 0;
    const t = truth[p] !== 0;
    if (m && t) both++;
    if (m || t) either++;
  }
  return both / either;
}

describe('experimental refinement options', () => {
  const variants: SegmentOptions[] = [
    { dataTerm: 'gmm', gmmWeight: 0.1 },
    { gmmWeight: 0.05 },
    { star: true, starGamma: 1 },
    { star: true, starGamma: 1, starLast: true },
    { star: true, starGamma: 1, starSoft: 1 },
    { connectedRefit: true },
    { geodesicRefit: 10, geodesicRefitWeight: 0.1 },
    { geodesicRefit: 10, geodesicRefitBackground: 0.5 },
    { geodesicRefit: 10, geodesicRefitBackground: 0.5, geodesicRefitSoft: 2 },
    { geodesicRefit: 1, geodesicRefitBackground: 0.5, geodesicRefitMargin: 1 },
    { geodesicRefit: 1, geodesicRefitBackground: 0.5, geodesicRefitEdge: 10 },
  ];
  for (const options of variants) {
    it(`${JSON.stringify(options)} cuts the object out`, () => {
      const { image, seeds, truth } = scene();
      const result = segment(image, seeds, { k: 8, ...options });
      const score = iou(result.mask, truth);
      assert.ok(score > 0.9, `IoU ${score}`);
    });
  }

  it('rejects out-of-range values, naming the option', () => {
    const { image, seeds } = scene();
    for (const [options, name] of [
      [{ dataTerm: 'gmm', gmmWeight: 0 }, 'gmm'],
      [{ gmmWeight: -1 }, 'gmmWeight'],
      [{ gmmComponents: 0 }, 'gmmComponents'],
      [{ starGamma: -1 }, 'starGamma'],
      [{ starSoft: Number.NaN }, 'starSoft'],
      [{ geodesicRefit: -2 }, 'geodesicRefit'],
      [{ geodesicRefitWeight: 0 }, 'geodesicRefitWeight'],
      [{ geodesicRefitBackground: 1.5 }, 'geodesicRefitBackground'],
      [{ geodesicRefitSoft: -1 }, 'geodesicRefitSoft'],
      [{ geodesicRefitMargin: -1 }, 'geodesicRefitMargin'],
      [{ geodesicRefitEdge: Number.NaN }, 'geodesicRefitEdge'],
    ] as [SegmentOptions, string][]) {
      assert.throws(
        () => segment(image, seeds, options),
        (error: unknown) =>
          isStrokecutError(error) && error.code === 'INVALID_OPTION' && error.message.includes(name),
        JSON.stringify(options),
      );
    }
  });
});
