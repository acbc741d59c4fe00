import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import type { SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { fillHoles, keepConnected } from './cleanup.js';

/** Mask and seeds from rows: '#' fg, '.' bg, 'F' fg stroke (fg), 'B' bg stroke (bg). */
function parse(rows: string[]): { mask: Uint8Array; seeds: SeedLabels } {
  const width = rows[0].length;
  const height = rows.length;
  const mask = new Uint8Array(width * height);
  const labels = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) {
      const c = row[x];
      mask[y * width + x] = c === '#' || c === 'F' ? 255 : 0;
      labels[y * width + x] = c === 'F' ? 1 : c === 'B' ? 2 : 0;
    }
  });
  return { mask, seeds: { width, height, labels } };
}

function render(mask: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.length / width; y++) {
    rows.push([...mask.subarray(y * width, (y + 1) * width)].map((v) => (v ? '#' : '.')).join(''));
  }
  return rows;
}

/** Reference for keepConnected: a plain flood fill, pixel by pixel, from the foreground strokes. */
function keepConnectedByFlood(mask: Uint8Array, seeds: SeedLabels): number {
  const { width, height, labels } = seeds;
  const reached = new Uint8Array(mask.length);
  const stack: number[] = [];
  for (let p = 0; p < mask.length; p++) {
    if (labels[p] === SEED.FOREGROUND && mask[p] !== 0) {
      reached[p] = 1;
      stack.push(p);
    }
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % width;
    const y = Math.floor(p / width);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const qx = x + dx;
        const qy = y + dy;
        if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
        const q = qy * width + qx;
        if (mask[q] !== 0 && !reached[q]) {
          reached[q] = 1;
          stack.push(q);
        }
      }
    }
  }
  let removed = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] !== 0 && !reached[p]) {
      mask[p] = 0;
      removed++;
    }
  }
  return removed;
}

describe('keepConnected', () => {
  it('gives what a pixel-by-pixel flood fill gives, on random masks', () => {
    const random = createRandom(12);
    for (let trial = 0; trial < 300; trial++) {
      const width = 1 + Math.floor(random() * 30);
      const height = 1 + Math.floor(random() * 30);
      const density = random();
      const mask = Uint8Array.from({ length: width * height }, () => (random() < density ? 255 : 0));
      const labels = Uint8Array.from({ length: width * height }, () =>
        random() < 0.02 ? SEED.FOREGROUND : random() < 0.02 ? SEED.BACKGROUND : SEED.NONE,
      );
      const seeds = { width, height, labels };
      const expected = mask.slice();
      const expectedRemoved = keepConnectedByFlood(expected, seeds);
      const removed = keepConnected(mask, seeds);
      assert.deepEqual(mask, expected, `trial ${trial} (${width}×${height})`);
      assert.equal(removed, expectedRemoved);
    }
  });

  it('and on masks of long runs (stepped over a word at a time), any foreground value, at any byte offset', () => {
    const random = createRandom(13);
    for (let trial = 0; trial < 200; trial++) {
      const width = 1 + Math.floor(random() * 70);
      const height = 1 + Math.floor(random() * 20);
      const n = width * height;
      // Inside a larger buffer at offset 0–3, so the mask's words are aligned or not.
      const offset = trial % 4;
      const mask = new Uint8Array(n + 8).subarray(offset, offset + n);
      const value = trial % 3 === 0 ? 1 + Math.floor(random() * 254) : 255;
      for (let r = 0; r < 6; r++) {
        const x0 = Math.floor(random() * width);
        const y0 = Math.floor(random() * height);
        const fill = random() < 0.7 ? value : 0;
        for (let y = y0; y < Math.min(height, y0 + random() * 10); y++)
          for (let x = x0; x < Math.min(width, x0 + random() * 40); x++) mask[y * width + x] = fill;
      }
      if (trial % 5 === 0) mask[Math.floor(random() * n)] = 128; // a foreground byte inside a run of 255s
      const labels = Uint8Array.from({ length: n }, () =>
        random() < 0.01 ? SEED.FOREGROUND : random() < 0.01 ? SEED.BACKGROUND : SEED.NONE,
      );
      const seeds = { width, height, labels };
      const expected = mask.slice();
      const expectedRemoved = keepConnectedByFlood(expected, seeds);
      const removed = keepConnected(mask, seeds);
      assert.deepEqual(mask, expected, `trial ${trial} (${width}×${height}, offset ${offset})`);
      assert.equal(removed, expectedRemoved);
    }
  });

  it('drops foreground regions that touch no foreground stroke, keeps diagonal links', () => {
    const { mask, seeds } = parse(['#F#...##', '##.#....', '....#..#', '.......#']);
    const removed = keepConnected(mask, seeds);
    // (3,1) joins (2,0)'s region diagonally and (4,2) joins (3,1): kept. The pair at the top right
    // and the column at the right touch no stroke: dropped.
    assert.deepEqual(render(mask, 8), ['###.....', '##.#....', '....#...', '........']);
    assert.equal(removed, 4);
  });

  it('removes every foreground pixel when no foreground stroke lies on the mask', () => {
    const { mask, seeds } = parse(['##..', '..##']);
    assert.equal(keepConnected(mask, seeds), 4);
    assert.deepEqual([...mask], new Array(8).fill(0));
  });
});

describe('fillHoles', () => {
  it('fills enclosed background holes smaller than the limit', () => {
    const { mask, seeds } = parse(['######', '#..#.#', '#..###', '######']);
    // Holes: 4 pixels at left, 1 pixel at right.
    assert.equal(fillHoles(mask, seeds, 2), 1);
    assert.deepEqual(render(mask, 6), ['######', '#..###', '#..###', '######']);
    assert.equal(fillHoles(mask, seeds, 5), 4);
    assert.deepEqual(render(mask, 6), ['######', '######', '######', '######']);
  });

  it('never fills a region touching the border, nor one holding a background stroke', () => {
    const { mask, seeds } = parse(['#.####', '#.#B.#', '#.####']);
    assert.equal(fillHoles(mask, seeds, 100), 0);
    assert.deepEqual(render(mask, 6), ['#.####', '#.#..#', '#.####']);
  });

  it('treats a hole closed only diagonally as enclosed (background is 4-connected)', () => {
    const { mask, seeds } = parse(['.#...', '#.#..', '.#...', '.....']);
    assert.equal(fillHoles(mask, seeds, 10), 1);
    assert.equal(mask[6], 255);
  });

  it('does nothing with a limit of 0', () => {
    const { mask, seeds } = parse(['###', '#.#', '###']);
    assert.equal(fillHoles(mask, seeds, 0), 0);
    assert.equal(mask[4], 0);
  });
});
