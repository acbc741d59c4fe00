import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../random.js';
import type { RgbImage } from '../types.js';
import { boundaryBeta } from './terms.js';

/** β written plainly: every 8-neighbour pair once, from its end with the forward offset. */
function plainBeta(image: RgbImage): number {
  const { width, height, data } = image;
  let sum = 0;
  let pairs = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const [dx, dy] of [
        [1, 0],
        [1, 1],
        [0, 1],
        [-1, 1],
      ]) {
        const qx = x + dx;
        const qy = y + dy;
        if (qx < 0 || qx >= width || qy >= height) continue;
        const i = (y * width + x) * 3;
        const j = (qy * width + qx) * 3;
        for (let c = 0; c < 3; c++) sum += (data[i + c] - data[j + c]) ** 2;
        pairs++;
      }
    }
  }
  return sum > 0 ? pairs / (2 * sum) : 0;
}

describe('boundaryBeta', () => {
  it('equals the plain mean over every neighbour pair, to the bit, on any shape', () => {
    const random = createRandom(11);
    for (const [width, height] of [
      [1, 1],
      [1, 6],
      [6, 1],
      [2, 2],
      [3, 2],
      [17, 9],
      [64, 33],
    ]) {
      for (const spread of [256, 3]) {
        const data = new Uint8Array(width * height * 3);
        for (let i = 0; i < data.length; i++)
          data[i] = Math.floor(random() * spread) * (spread === 3 ? 100 : 1);
        const image = { width, height, data };
        assert.equal(boundaryBeta(image), plainBeta(image), `${width}×${height}, spread ${spread}`);
      }
    }
  });

  it('is 0 on a uniform image', () => {
    assert.equal(boundaryBeta({ width: 5, height: 4, data: new Uint8Array(60).fill(77) }), 0);
  });
});
