import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import {
  countLabels,
  distinctFromPackedColors,
  seedColors,
  seedColorsByLabel,
  sortColorKeys,
} from './distinct-colors.js';
import { countSeeds, extractSeeds, extractSeedsAndCount } from './extract-seeds.js';

describe('distinct colours', () => {
  it('sorts large sets of 24-bit keys like the built-in sort (radix path), and others too', () => {
    const random = createRandom(1);
    for (const n of [10, 20000, 100000]) {
      const keys = Uint32Array.from({ length: n }, () => Math.floor(random() * (1 << 24)));
      const expected = keys.slice().sort();
      sortColorKeys(keys);
      assert.deepEqual(keys, expected);
    }
    const wide = Uint32Array.from({ length: 20000 }, () => Math.floor(random() * 2 ** 32));
    const expected = wide.slice().sort();
    sortColorKeys(wide);
    assert.deepEqual(wide, expected);
  });

  it('run-length encodes colours with their counts', () => {
    const points = distinctFromPackedColors(Uint32Array.from([0x010203, 0xff0000, 0x010203, 0x000001]));
    assert.equal(points.count, 3);
    assert.equal(points.total, 4);
    assert.deepEqual([...points.colors], [0, 0, 1, 1, 2, 3, 255, 0, 0]);
    assert.deepEqual([...points.weights], [1, 2, 1]);
  });

  it('gives the same distinct colours and counts by buckets (many keys) as by sorting', () => {
    const random = createRandom(4);
    const bySorting = (keys: Uint32Array) => {
      const sorted = keys.slice().sort();
      const colors: number[] = [];
      const weights: number[] = [];
      for (let i = 0; i < sorted.length; i++) {
        if (i > 0 && sorted[i] === sorted[i - 1]) weights[weights.length - 1]++;
        else {
          colors.push(sorted[i] >>> 16, (sorted[i] >>> 8) & 255, sorted[i] & 255);
          weights.push(1);
        }
      }
      return { colors: Uint8Array.from(colors), weights: Float64Array.from(weights) };
    };
    const cases: [string, () => number][] = [
      // Crowded (large buckets, counted by table) and spread (small buckets, sorted), and a mix.
      ['crowded', () => 0x804020 + Math.floor(random() * 40) * 0x10000 + Math.floor(random() * 4000)],
      ['spread', () => Math.floor(random() * (1 << 24))],
      [
        'mixed',
        () => (random() < 0.5 ? 0x123456 + Math.floor(random() * 300) : Math.floor(random() * (1 << 24))),
      ],
      ['extremes', () => (random() < 0.5 ? 0 : 0xffffff - Math.floor(random() * 3))],
    ];
    for (const [name, draw] of cases) {
      for (const n of [1 << 14, 100003]) {
        const keys = Uint32Array.from({ length: n }, draw);
        const expected = bySorting(keys);
        const points = distinctFromPackedColors(keys);
        assert.equal(points.total, n, name);
        assert.equal(points.count, expected.weights.length, `${name}: count`);
        assert.deepEqual(points.colors, expected.colors, `${name}: colours`);
        assert.deepEqual(points.weights, expected.weights, `${name}: weights`);
      }
    }
  });

  it('collects both classes in one pass, the same as one class at a time', () => {
    const random = createRandom(2);
    const width = 301;
    const height = 97;
    const data = Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 8) * 32);
    const image: RgbImage = { width, height, data };
    const labels = Uint8Array.from({ length: width * height }, () => {
      const u = random();
      return u < 0.9 ? SEED.NONE : u < 0.95 ? SEED.FOREGROUND : SEED.BACKGROUND;
    });
    // Also at an odd offset, which takes the byte-by-byte path.
    const shifted = new Uint8Array(labels.length + 1);
    shifted.set(labels, 1);
    for (const l of [labels, shifted.subarray(1)]) {
      const seeds: SeedLabels = { width, height, labels: l };
      const [fg, bg] = seedColorsByLabel(image, seeds, [SEED.FOREGROUND, SEED.BACKGROUND]);
      assert.deepEqual(fg, seedColors(image, seeds, SEED.FOREGROUND));
      assert.deepEqual(bg, seedColors(image, seeds, SEED.BACKGROUND));
      const counts = countLabels(l);
      assert.equal(counts[SEED.FOREGROUND], fg.total);
      assert.equal(counts[SEED.BACKGROUND], bg.total);
      assert.equal(counts[SEED.NONE] + fg.total + bg.total, l.length);
      assert.deepEqual(countSeeds(seeds), { foreground: fg.total, background: bg.total });
      // With the counts given (as segment does), the same; with wrong counts, an error.
      assert.deepEqual(seedColorsByLabel(image, seeds, [SEED.FOREGROUND, SEED.BACKGROUND], counts), [fg, bg]);
      const wrong = counts.slice();
      wrong[SEED.FOREGROUND]--;
      assert.throws(() => seedColorsByLabel(image, seeds, [SEED.FOREGROUND], wrong), /carry label 1/);
    }
    // Runs of one label (whole words of it) are counted four at a time.
    const runs = new Uint8Array(4099).fill(SEED.FOREGROUND, 0, 2050).fill(SEED.BACKGROUND, 2050, 4000);
    const counted = countLabels(runs);
    assert.deepEqual([counted[0], counted[1], counted[2]], [99, 2050, 1950]);
  });
});

describe('extractSeeds (word-skipping fast paths)', () => {
  it('labels the same at any byte offset, for RGB and RGBA', () => {
    const random = createRandom(3);
    const palette = [
      [0, 0, 0],
      [255, 0, 0],
      [0, 0, 255],
      [240, 20, 30],
      [20, 30, 200],
      [40, 40, 40],
      [200, 200, 200],
    ];
    for (const channels of [3, 4]) {
      const width = 203;
      const height = 5;
      const data = new Uint8Array(width * height * channels);
      let color = palette[0];
      for (let p = 0; p < width * height; p++) {
        // Rows 0–2: pixels drawn one by one; rows 3–4: runs of 1–12 pixels of one colour (the
        // inside of strokes, labelled four pixels at a time).
        if (p < 3 * width || random() < 0.15) {
          color = random() < 0.7 ? palette[0] : palette[Math.floor(random() * palette.length)];
        }
        data.set(color, p * channels);
        if (channels === 4) data[p * channels + 3] = random() < 0.2 ? 0 : 255;
      }
      const aligned = extractSeeds({ width, height, data });
      const { seeds: counted, counts } = extractSeedsAndCount({ width, height, data });
      assert.deepEqual(counted.labels, aligned.labels);
      assert.deepEqual(counts, countLabels(aligned.labels), 'counts made on the way');
      const copy = new Uint8Array(data.length + 1);
      copy.set(data, 1);
      const unaligned = extractSeeds({ width, height, data: copy.subarray(1) });
      assert.deepEqual(unaligned.labels, aligned.labels);
      // The reference: every pixel tested one by one.
      for (let p = 0; p < width * height; p++) {
        const [r, g, b] = data.subarray(p * channels, p * channels + 3);
        const transparent = channels === 4 && data[p * channels + 3] < 128;
        const expected = transparent
          ? SEED.NONE
          : r > 200 && g < 60 && b < 60
            ? SEED.FOREGROUND
            : b > 180 && r < 60 && g < 60
              ? SEED.BACKGROUND
              : SEED.NONE;
        assert.equal(aligned.labels[p], expected, `pixel ${p} (${r}, ${g}, ${b})`);
      }
    }
  });

  it('does not take a stroke colour that fails its own test as a match', () => {
    // Saturation 0.42: chromatic (≥ 0.4), but below the 0.45 a stroke pixel needs.
    const target = [255, 150, 148] as const;
    const image = { width: 2, height: 1, data: Uint8Array.from([255, 150, 148, 0, 0, 255]) };
    const seeds = extractSeeds(image, { foregroundColor: target });
    assert.deepEqual([...seeds.labels], [SEED.NONE, SEED.BACKGROUND]);
  });
});
