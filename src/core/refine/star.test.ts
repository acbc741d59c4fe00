import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import { segment } from '../segment.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { DIRECTION_DX, DIRECTION_DY } from './grid.js';
import {
  geodesicForegroundCell,
  geodesicForegroundWeights,
  geodesicMarginWeights,
  geodesicRefitCell,
  starParents,
} from './star.js';

/**
 * A noisy scene: a grey background, a red object on the left with a foreground stroke, a blue-grey
 * wall down the middle (x = 30–33), and right of it a second red object that no stroke touches;
 * a background stroke on the far right.
 */
function scene(width = 64, height = 40): { image: RgbImage; seeds: SeedLabels } {
  const random = createRandom(11);
  const data = new Uint8Array(width * height * 3);
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const inLeft = (x - 15) ** 2 + (y - 20) ** 2 < 100;
      const inRight = (x - 46) ** 2 + (y - 20) ** 2 < 64;
      const wall = x >= 30 && x <= 33;
      const base = wall ? [40, 60, 200] : inLeft || inRight ? [200, 60, 50] : [120, 120, 120];
      for (let c = 0; c < 3; c++) data[p * 3 + c] = base[c] + Math.floor(random() * 16) - 8;
      if (y === 20 && x >= 12 && x <= 18) labels[p] = SEED.FOREGROUND;
      if (x === width - 3 && y > 4 && y < height - 4) labels[p] = SEED.BACKGROUND;
      if (x === 3 && y > 4 && y < height - 4) labels[p] = SEED.BACKGROUND;
    }
  }
  return { image: { width, height, data }, seeds: { width, height, labels } };
}

describe('geodesic star convexity', () => {
  it('every pixel has a parent one step nearer the foreground strokes, except the strokes', () => {
    const { image, seeds } = scene();
    for (const gamma of [0, 10]) {
      const parent = starParents(image, seeds, gamma);
      for (let p = 0; p < parent.length; p++) {
        assert.equal(parent[p] < 0, seeds.labels[p] === SEED.FOREGROUND, `pixel ${p}`);
      }
      // Following parents from any pixel ends on a stroke, in fewer steps than there are pixels.
      const x = 60;
      let p = 2 * image.width + x;
      let steps = 0;
      while (parent[p] >= 0 && steps < parent.length) {
        p += DIRECTION_DY[parent[p]] * image.width + DIRECTION_DX[parent[p]];
        steps++;
      }
      assert.equal(seeds.labels[p], SEED.FOREGROUND);
    }
  });

  it('the cut with the star keeps every foreground pixel’s parent foreground', () => {
    const { image, seeds } = scene();
    const options = { k: 5, star: true, starGamma: 10, keepConnected: false };
    const mask = segment(image, seeds, options).mask;
    const parent = starParents(image, seeds, 10);
    let foreground = 0;
    for (let p = 0; p < mask.length; p++) {
      if (mask[p] === 0 || parent[p] < 0) continue;
      foreground++;
      const q = p + DIRECTION_DY[parent[p]] * image.width + DIRECTION_DX[parent[p]];
      assert.notEqual(mask[q], 0, `pixel ${p} is foreground, its parent ${q} is not`);
    }
    assert.ok(foreground > 200, `the stroked object is cut out (${foreground} px)`);
    // The unstroked object beyond the wall can only be reached through background: left out,
    // even without keep-connected.
    assert.equal(mask[20 * image.width + 46], 0);
  });
});

describe('geodesic foreground cell', () => {
  it('is the stroked object and what no edge separates from it, not what lies beyond a wall', () => {
    const { image, seeds } = scene();
    const cell = geodesicForegroundCell(image, seeds, 10);
    const at = (x: number, y: number) => cell[y * image.width + x];
    assert.equal(at(15, 12), 1, 'inside the stroked object');
    assert.equal(at(46, 20), 0, 'the object beyond the wall, nearer the background stroke');
    assert.equal(at(3, 20), 0, 'a background stroke');
  });

  it('with geodesicRefit the cut still takes the stroked object, and leaves the default alone', () => {
    const { image, seeds } = scene();
    const plain = segment(image, seeds, { k: 5 });
    const withCell = segment(image, seeds, { k: 5, geodesicRefit: 10, geodesicRefitWeight: 0.1 });
    assert.notEqual(withCell.mask[20 * image.width + 15], 0);
    assert.equal(withCell.mask[20 * image.width + 46], 0);
    assert.deepEqual(segment(image, seeds, { k: 5, geodesicRefit: 0 }).mask, plain.mask);
  });
});

describe('soft geodesic foreground cell', () => {
  it('is s^p = (d_bg / (d_fg + d_bg))^p inside the hard cell, 0 outside', () => {
    // A uniform 9 × 1 strip: fg stroke at x = 0, bg stroke at x = 8, so d_fg = x, d_bg = 8 − x.
    const width = 9;
    const image = { width, height: 1, data: new Uint8Array(width * 3).fill(90) };
    const labels = new Uint8Array(width);
    labels[0] = SEED.FOREGROUND;
    labels[8] = SEED.BACKGROUND;
    const seeds = { width, height: 1, labels };
    for (const power of [1, 2]) {
      const weights = geodesicForegroundWeights(image, seeds, 10, power);
      for (let x = 0; x < width; x++) {
        const expected = x < 4 ? ((8 - x) / 8) ** power : 0;
        assert.ok(Math.abs(weights[x] - expected) < 1e-6, `p ${power}, x ${x}: ${weights[x]}`);
      }
    }
  });

  it('agrees with the hard cell on where it is non-zero, and is below 1 towards its border', () => {
    const { image, seeds } = scene();
    const cell = geodesicForegroundCell(image, seeds, 10);
    const weights = geodesicForegroundWeights(image, seeds, 10, 2);
    let partial = 0;
    for (let p = 0; p < cell.length; p++) {
      assert.equal(weights[p] > 0, cell[p] === 1, `pixel ${p}`);
      if (cell[p] === 1 && weights[p] < 0.9) partial++;
    }
    assert.ok(partial > 0, 'some cell pixels count less than fully');
  });

  it('geodesicRefitSoft 0 is the hard cell; > 0 still takes the stroked object, not the one past the wall', () => {
    const { image, seeds } = scene();
    const hard = segment(image, seeds, { k: 5, geodesicRefit: 10, geodesicRefitBackground: 0.5 });
    const zero = segment(image, seeds, {
      k: 5,
      geodesicRefit: 10,
      geodesicRefitBackground: 0.5,
      geodesicRefitSoft: 0,
    });
    assert.deepEqual(zero.mask, hard.mask);
    const soft = segment(image, seeds, {
      k: 5,
      geodesicRefit: 10,
      geodesicRefitBackground: 0.5,
      geodesicRefitSoft: 2,
    });
    assert.notEqual(soft.mask[20 * image.width + 15], 0);
    assert.equal(soft.mask[20 * image.width + 46], 0);
  });
});

describe('geodesic cell margin and edge stop', () => {
  /** A uniform 9 × 1 strip: fg stroke at x = 0, bg stroke at x = 8, so d_fg = x, d_bg = 8 − x. */
  function strip(edgeAt = -1) {
    const width = 9;
    const data = new Uint8Array(width * 3).fill(90);
    // From edgeAt on, a much brighter colour: one strong step between edgeAt − 1 and edgeAt.
    if (edgeAt >= 0) data.fill(250, edgeAt * 3);
    const labels = new Uint8Array(width);
    labels[0] = SEED.FOREGROUND;
    labels[8] = SEED.BACKGROUND;
    return { image: { width, height: 1, data }, seeds: { width, height: 1, labels } };
  }

  it('margin p weighs ((d_bg − d_fg) / (d_bg + d_fg))^p in the cell: 1 on the stroke, 0 at its border and outside', () => {
    const { image, seeds } = strip();
    for (const power of [0.5, 1, 2]) {
      const weights = geodesicMarginWeights(image, seeds, 10, power, 0);
      for (let x = 0; x < 9; x++) {
        const expected = x < 4 ? ((8 - 2 * x) / 8) ** power : 0;
        assert.ok(Math.abs(weights[x] - expected) < 1e-6, `p ${power}, x ${x}: ${weights[x]}`);
      }
    }
  });

  it('the edge stop keeps the cell on the strokes’ side of a strong colour edge', () => {
    // γ 0, so without the stop the cell is the plain half x < 4; a step at x = 2 cuts it at x = 2.
    const { image, seeds } = strip(2);
    const open = geodesicMarginWeights(image, seeds, 0, 0, 0);
    assert.deepEqual([...open], [1, 1, 1, 1, 0, 0, 0, 0, 0]);
    const stopped = geodesicMarginWeights(image, seeds, 0, 0, 1);
    assert.deepEqual([...stopped], [1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('margin 0 and edge 0 (the defaults) leave the cell as it was: hard, or soft with geodesicRefitSoft', () => {
    const { image, seeds } = scene();
    const hard = geodesicRefitCell(image, seeds, {
      geodesicRefit: 10,
      geodesicRefitSoft: 0,
      geodesicRefitMargin: 0,
      geodesicRefitEdge: 0,
    });
    assert.deepEqual(hard, geodesicForegroundCell(image, seeds, 10));
    const soft = geodesicRefitCell(image, seeds, {
      geodesicRefit: 10,
      geodesicRefitSoft: 2,
      geodesicRefitMargin: 0,
      geodesicRefitEdge: 0,
    });
    assert.deepEqual(soft, geodesicForegroundWeights(image, seeds, 10, 2));
    const base = { k: 5, geodesicRefit: 10, geodesicRefitBackground: 0.5 };
    assert.deepEqual(
      segment(image, seeds, { ...base, geodesicRefitMargin: 0, geodesicRefitEdge: 0 }).mask,
      segment(image, seeds, base).mask,
    );
  });

  it('with margin or edge stop the cut still takes the stroked object, not the one past the wall', () => {
    const { image, seeds } = scene();
    for (const extra of [{ geodesicRefitMargin: 1 }, { geodesicRefitEdge: 10 }]) {
      const mask = segment(image, seeds, {
        k: 5,
        geodesicRefit: 10,
        geodesicRefitBackground: 0.5,
        ...extra,
      }).mask;
      assert.notEqual(mask[20 * image.width + 15], 0, JSON.stringify(extra));
      assert.equal(mask[20 * image.width + 46], 0, JSON.stringify(extra));
    }
  });
});
