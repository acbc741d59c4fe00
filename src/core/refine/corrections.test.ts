import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';

/**
 * Corrections stay local: a scene of two red discs (foreground) on a background whose left half
 * is blue and right half green, with a yellowish patch in the green half that is nearer the red
 * discs' colour than the background strokes' blue. Strokes: a line in each disc, a line in the
 * blue half.
 */
function scene() {
  const width = 160;
  const height = 100;
  const random = createRandom(5);
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  const truth = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const disc = (x - 40) ** 2 + (y - 50) ** 2 < 20 ** 2 || (x - 115) ** 2 + (y - 65) ** 2 < 18 ** 2;
      const patch = x > 120 && x < 150 && y > 8 && y < 30;
      const color = disc ? [200, 60, 50] : patch ? [200, 150, 60] : x < 80 ? [60, 90, 180] : [70, 150, 80];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = color[c] + Math.floor(random() * 24) - 12;
      truth[p] = disc ? 255 : 0;
      if (y === 50 && x > 30 && x < 50) labels[p] = SEED.FOREGROUND;
      if (y === 65 && x > 106 && x < 124) labels[p] = SEED.FOREGROUND;
      if (x === 10 && y > 10 && y < 90) labels[p] = SEED.BACKGROUND;
    }
  }
  const image: RgbImage = { width, height, data };
  return { image, labels, truth, width, height };
}

const withStrokes = (labels: Uint8Array, width: number, height: number): SeedLabels => ({
  width,
  height,
  labels,
});

/** The default, and the measured candidate of docs/algorithm.md (geodesic re-fit, margin 1, b 0). */
const VARIANTS = [{ k: 8 }, { k: 8, geodesicRefit: 1, geodesicRefitBackground: 0, geodesicRefitMargin: 1 }];

describe('corrections', () => {
  for (const options of VARIANTS) {
    it(`${JSON.stringify(options)}: a background stroke changes nothing far from it, and both discs stay foreground`, () => {
      const { image, labels, truth, width, height } = scene();
      const before = segment(image, withStrokes(labels, width, height), options).mask;
      // The yellowish patch touches neither disc, so keep-connected drops it; what matters is what
      // the correction does elsewhere.
      const corrected = Uint8Array.from(labels);
      for (let y = 15; y < 24; y++)
        for (let x = 128; x < 142; x++) corrected[y * width + x] = SEED.BACKGROUND;
      const after = segment(image, withStrokes(corrected, width, height), options).mask;
      let farChanged = 0;
      let discPixels = 0;
      let discKept = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const p = y * width + x;
          const far = (x - 135) ** 2 + (y - 20) ** 2 > 40 ** 2;
          if (far && before[p] !== after[p]) farChanged++;
          if (truth[p]) {
            discPixels++;
            if (after[p]) discKept++;
          }
        }
      }
      assert.ok(farChanged < 20, `${farChanged} pixels far from the correction changed`);
      assert.ok(discKept > 0.95 * discPixels, `${discKept} of ${discPixels} disc pixels stayed foreground`);
    });

    it(`${JSON.stringify(options)}: a background class of one small stroke does not swallow the foreground`, () => {
      const { image, labels, truth, width, height } = scene();
      // Background strokes: only a 9×9 square (81 pixels) in the blue half.
      const sparse = Uint8Array.from(labels, (v) => (v === SEED.BACKGROUND ? SEED.NONE : v));
      for (let y = 46; y < 55; y++) for (let x = 6; x < 15; x++) sparse[y * width + x] = SEED.BACKGROUND;
      const mask = segment(image, withStrokes(sparse, width, height), options).mask;
      let discKept = 0;
      let discPixels = 0;
      for (let p = 0; p < mask.length; p++) {
        if (truth[p]) {
          discPixels++;
          if (mask[p]) discKept++;
        }
      }
      assert.ok(discKept > 0.95 * discPixels, `${discKept} of ${discPixels} disc pixels stayed foreground`);
    });
  }

  it('a foreground class of one small click does not collapse to it, with or without the geodesic re-fit', () => {
    const { image, labels, truth, width, height } = scene();
    // Foreground strokes: only a disk of radius 2 (13 pixels) in the left disc; the background line stays.
    const sparse = Uint8Array.from(labels, (v) => (v === SEED.FOREGROUND ? SEED.NONE : v));
    for (let y = 48; y <= 52; y++) {
      for (let x = 38; x <= 42; x++)
        if ((x - 40) ** 2 + (y - 50) ** 2 <= 4) sparse[y * width + x] = SEED.FOREGROUND;
    }
    for (const options of [{ k: 8, geodesicRefit: 10, geodesicRefitWeight: 0.1 }, ...VARIANTS]) {
      const mask = segment(image, withStrokes(sparse, width, height), options).mask;
      let kept = 0;
      let left = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < 80; x++) {
          const p = y * width + x;
          if (!truth[p]) continue;
          left++;
          if (mask[p]) kept++;
        }
      }
      assert.ok(
        kept > 0.95 * left,
        `${JSON.stringify(options)}: ${kept} of ${left} pixels of the clicked disc`,
      );
    }
  });
});
