import type { SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';

/**
 * Mask clean-ups users expect after a cut. Both work in place on a mask (255 foreground, 0
 * background) and never change a stroke pixel's label.
 */

/**
 * Drops foreground regions that touch no foreground stroke: a stray patch of object-coloured
 * background far from anything the user marked. Foreground connectivity is 8-neighbour, the same
 * neighbourhood the graph cut uses, so a region joined only diagonally stays one region.
 * Returns the number of pixels turned to background.
 */
export function keepConnected(mask: Uint8Array, seeds: SeedLabels): number {
  const { width, height, labels } = seeds;
  const n = width * height;
  const reached = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let p = 0; p < n; p++) {
    if (labels[p] === SEED.FOREGROUND && mask[p] !== MASK.BACKGROUND) {
      reached[p] = 1;
      queue[tail++] = p;
    }
  }
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const x = p % width;
    const y = (p - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const qy = y + dy;
      if (qy < 0 || qy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const qx = x + dx;
        if (qx < 0 || qx >= width || (dx === 0 && dy === 0)) continue;
        const q = qy * width + qx;
        if (reached[q] || mask[q] === MASK.BACKGROUND) continue;
        reached[q] = 1;
        queue[tail++] = q;
      }
    }
  }
  let removed = 0;
  for (let p = 0; p < n; p++) {
    if (mask[p] !== MASK.BACKGROUND && !reached[p]) {
      mask[p] = MASK.BACKGROUND;
      removed++;
    }
  }
  return removed;
}

/**
 * Fills holes: background regions smaller than `maxSize` pixels that are fully enclosed by
 * foreground (they touch no image border) and hold no background stroke. Background connectivity
 * is 4-neighbour, the complement of the foreground's 8, so a hole closed only by a diagonal step of
 * foreground still counts as enclosed. Returns the number of pixels turned to foreground.
 */
export function fillHoles(mask: Uint8Array, seeds: SeedLabels, maxSize: number): number {
  const { width, height, labels } = seeds;
  const n = width * height;
  if (maxSize <= 0) return 0;
  const visited = new Uint8Array(n);
  const region = new Int32Array(n);
  let filled = 0;
  for (let start = 0; start < n; start++) {
    if (visited[start] || mask[start] !== MASK.BACKGROUND) continue;
    // Flood one background region, noting whether it may be filled.
    visited[start] = 1;
    region[0] = start;
    let size = 1;
    let fillable = true;
    for (let head = 0; head < size; head++) {
      const p = region[head];
      const x = p % width;
      const y = (p - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) fillable = false;
      if (labels[p] === SEED.BACKGROUND) fillable = false;
      if (x > 0 && !visited[p - 1] && mask[p - 1] === MASK.BACKGROUND) {
        visited[p - 1] = 1;
        region[size++] = p - 1;
      }
      if (x < width - 1 && !visited[p + 1] && mask[p + 1] === MASK.BACKGROUND) {
        visited[p + 1] = 1;
        region[size++] = p + 1;
      }
      if (y > 0 && !visited[p - width] && mask[p - width] === MASK.BACKGROUND) {
        visited[p - width] = 1;
        region[size++] = p - width;
      }
      if (y < height - 1 && !visited[p + width] && mask[p + width] === MASK.BACKGROUND) {
        visited[p + width] = 1;
        region[size++] = p + width;
      }
    }
    if (fillable && size < maxSize) {
      for (let i = 0; i < size; i++) mask[region[i]] = MASK.FOREGROUND;
      filled += size;
    }
  }
  return filled;
}
