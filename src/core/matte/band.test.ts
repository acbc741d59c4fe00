import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import { bandIndexOf, buildBand, growBand } from './band.js';

/** Brute force: a pixel is in the band when a pixel of the other label lies within radius. */
function bruteBand(mask: Uint8Array, width: number, height: number, radius: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fg = mask[y * width + x] >= 128;
      let hit = false;
      for (let yy = 0; yy < height && !hit; yy++) {
        for (let xx = 0; xx < width && !hit; xx++) {
          if (mask[yy * width + xx] >= 128 !== fg && (xx - x) ** 2 + (yy - y) ** 2 <= radius * radius)
            hit = true;
        }
      }
      if (hit) out.push(y * width + x);
    }
  }
  return out;
}

function blobMask(width: number, height: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const mask = new Uint8Array(width * height);
  const blobs = Array.from({ length: 4 }, () => [random() * width, random() * height, 2 + random() * 6]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (blobs.some(([bx, by, r]) => (x - bx) ** 2 + (y - by) ** 2 <= r * r)) mask[y * width + x] = 255;
    }
  }
  mask[3] = 255; // a lone pixel at the image's edge
  return mask;
}

describe('buildBand', () => {
  it('is dilate minus erode with a disk: every pixel within radius of the other label', () => {
    for (const [seed, radius] of [
      [1, 1],
      [2, 2],
      [3, 3.7],
      [4, 5],
      [5, 40], // wider than the image
      [6, 300], // distances past a byte
    ] as const) {
      const mask = blobMask(31, 23, seed);
      const scratch = new Uint8Array(31 * 23);
      const band = buildBand(mask, 31, 23, radius, scratch);
      assert.deepEqual(Array.from(band.pixels), bruteBand(mask, 31, 23, Math.floor(radius)), `seed ${seed}`);
      assert.equal(band.rowStart[23], band.pixels.length);
      for (let p = 0; p < scratch.length; p++) assert.equal(scratch[p], band.pixels.includes(p) ? 1 : 0);
    }
  });

  it('is empty for an all-foreground or all-background mask, or radius 0', () => {
    assert.equal(buildBand(new Uint8Array(20).fill(255), 5, 4, 3).pixels.length, 0);
    assert.equal(buildBand(new Uint8Array(20), 5, 4, 3).pixels.length, 0);
    assert.equal(buildBand(blobMask(12, 9, 5), 12, 9, 0).pixels.length, 0);
  });

  it('finds band pixels by coordinates', () => {
    const mask = blobMask(31, 23, 7);
    const band = buildBand(mask, 31, 23, 2);
    for (let y = -1; y <= 23; y++) {
      for (let x = -1; x <= 31; x++) {
        const i = bandIndexOf(band, x, y);
        if (x < 0 || y < 0 || x >= 31 || y >= 23) assert.equal(i, -1);
        else assert.equal(i, band.pixels.indexOf(y * 31 + x));
      }
    }
  });
});

describe('growBand', () => {
  it('adds the pixels within radius of the seeds, keeps the band sorted and the marks right', () => {
    const width = 31;
    const height = 23;
    for (const [seed, radius] of [
      [1, 2],
      [2, 3],
      [3, 6],
    ] as const) {
      const mask = blobMask(width, height, seed);
      const marks = new Uint8Array(width * height);
      const band = buildBand(mask, width, height, 1, marks);
      const random = createRandom(seed);
      const seeds = Int32Array.from(
        { length: 3 },
        () => band.pixels[Math.floor(random() * band.pixels.length)],
      );
      const grown = growBand(band, seeds, radius, marks);
      const inDisk = (p: number) =>
        Array.from(seeds).some(
          (s) =>
            ((p % width) - (s % width)) ** 2 + (Math.floor(p / width) - Math.floor(s / width)) ** 2 <=
            radius ** 2,
        );
      const expected = [...Array(width * height).keys()].filter((p) => band.pixels.includes(p) || inDisk(p));
      // Near-exact: never a pixel too many, and (a flood from several seeds can shadow one
      // another) nearly all of them.
      const got = Array.from(grown.pixels);
      for (const p of got) assert.ok(expected.includes(p), `pixel ${p} is not within ${radius} of a seed`);
      assert.ok(got.length >= 0.95 * expected.length, `${got.length} of ${expected.length} pixels`);
      for (let k = 1; k < got.length; k++) assert.ok(got[k] > got[k - 1], 'sorted, no duplicates');
      for (let y = 0; y < height; y++) {
        for (let i = grown.rowStart[y]; i < grown.rowStart[y + 1]; i++) {
          assert.equal(Math.floor(grown.pixels[i] / width), y, 'row starts');
        }
      }
      for (let p = 0; p < marks.length; p++) assert.equal(marks[p], got.includes(p) ? 1 : 0, `mark ${p}`);
    }
  });

  it('from one seed, exactly its disk', () => {
    const width = 40;
    const height = 30;
    const mask = new Uint8Array(width * height);
    for (let p = 0; p < mask.length; p++) if (p % width < 20) mask[p] = 255;
    const marks = new Uint8Array(width * height);
    const band = buildBand(mask, width, height, 1, marks);
    const seed = 15 * width + 20;
    const grown = growBand(band, Int32Array.of(seed), 7, marks);
    const expected = [...Array(width * height).keys()].filter(
      (p) => band.pixels.includes(p) || ((p % width) - 20) ** 2 + (Math.floor(p / width) - 15) ** 2 <= 49,
    );
    assert.deepEqual(Array.from(grown.pixels), expected);
  });
});
