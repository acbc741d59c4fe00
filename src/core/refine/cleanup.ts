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
 *
 * Works on runs (maximal horizontal stretches of foreground), not pixels: runs of adjacent rows
 * that touch, diagonally included, are joined by union–find. A 12-megapixel mask has a few
 * hundred thousand runs, so this costs little more than reading the mask once, where a
 * pixel-by-pixel flood visits each foreground pixel's eight neighbours.
 */
export function keepConnected(mask: Uint8Array, seeds: SeedLabels): number {
  const { width, height, labels } = seeds;
  // Runs: [start, end) as pixel indices; rowRuns[y] .. rowRuns[y + 1] are row y's runs.
  let starts: Int32Array = new Int32Array(1024);
  let ends: Int32Array = new Int32Array(1024);
  const rowRuns = new Int32Array(height + 1);
  let count = 0;
  // Long stretches of one label are stepped over four pixels at a time where the mask's words
  // allow (all background: 0; all foreground as masks hold it: four 255s).
  const words =
    mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : undefined;
  const ALL_FOREGROUND = 0xffffffff;
  for (let y = 0; y < height; y++) {
    rowRuns[y] = count;
    const rowEnd = (y + 1) * width;
    for (let p = y * width; p < rowEnd; ) {
      if (mask[p] === MASK.BACKGROUND) {
        p++;
        if (words && (p & 3) === 0) while (p + 4 <= rowEnd && words[p >> 2] === 0) p += 4;
        continue;
      }
      const start = p;
      while (p < rowEnd && mask[p] !== MASK.BACKGROUND) {
        p++;
        if (words && (p & 3) === 0) while (p + 4 <= rowEnd && words[p >> 2] === ALL_FOREGROUND) p += 4;
      }
      if (count === starts.length) {
        starts = grow(starts);
        ends = grow(ends);
      }
      starts[count] = start;
      ends[count++] = p;
    }
  }
  rowRuns[height] = count;

  const parent = new Int32Array(count);
  for (let r = 0; r < count; r++) parent[r] = r;
  const find = (r: number): number => {
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]];
      r = parent[r];
    }
    return r;
  };
  for (let y = 1; y < height; y++) {
    // Two pointers over the runs of rows y − 1 (a) and y (b), by column.
    let a = rowRuns[y - 1];
    const aEnd = rowRuns[y];
    let b = rowRuns[y];
    const bEnd = rowRuns[y + 1];
    const shift = width; // a column in row y − 1 is its pixel index + width
    while (a < aEnd && b < bEnd) {
      const aStart = starts[a] + shift;
      const aStop = ends[a] + shift;
      // 8-neighbours: columns [aStart, aStop) and [starts[b], ends[b]) touch when each begins no
      // later than one past the other's last column.
      if (aStart <= ends[b] && starts[b] <= aStop) {
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
      if (aStop < ends[b]) a++;
      else b++;
    }
  }

  // Components holding a foreground stroke pixel on the mask are kept.
  const kept = new Uint8Array(count);
  for (let y = 0; y < height; y++) {
    for (let r = rowRuns[y]; r < rowRuns[y + 1]; r++) {
      const root = find(r);
      if (kept[root]) continue;
      for (let p = starts[r]; p < ends[r]; p++) {
        if (labels[p] === SEED.FOREGROUND) {
          kept[root] = 1;
          break;
        }
      }
    }
  }
  let removed = 0;
  for (let r = 0; r < count; r++) {
    if (kept[find(r)]) continue;
    mask.fill(MASK.BACKGROUND, starts[r], ends[r]);
    removed += ends[r] - starts[r];
  }
  return removed;
}

function grow(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
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
