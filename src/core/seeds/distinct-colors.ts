import type { RgbImage, SeedLabels } from '../types.js';

/**
 * A set of distinct colours with multiplicities: colour i is
 * (colors[3i], colors[3i+1], colors[3i+2]) and occurs weights[i] times.
 * Colours are sorted by their packed 24-bit value (0xRRGGBB), which makes every result built on
 * them independent of pixel order.
 */
export interface WeightedColors {
  readonly colors: Uint8Array;
  readonly weights: Float64Array;
  readonly count: number;
  /** Sum of the weights: the number of pixels the set was built from. */
  readonly total: number;
}

/**
 * Counts the pixels of each label value (0–255) in one pass. Unlabelled pixels are skipped four
 * at a time, and so are runs of one label (the inside of a stroke), which are most of the rest:
 * strokes cover a few per cent of an image, so on a large one this is most of the saving.
 */
export function countLabels(labels: Uint8Array): Float64Array {
  const counts = new Float64Array(256);
  const n = labels.length;
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (word === 0) continue;
      const label = word & 255;
      if (word === Math.imul(label, 0x01010101) >>> 0) {
        counts[label] += 4;
        continue;
      }
      for (let q = w << 2; q < (w << 2) + 4; q++) counts[labels[q]]++;
    }
    p = words.length << 2;
  }
  for (; p < n; p++) counts[labels[p]]++;
  counts[0] = 0;
  counts[0] = n - counts.reduce((x, y) => x + y, 0);
  return counts;
}

/**
 * Packs the colours of the pixels labelled `label` (for each label asked for) as 0xRRGGBB keys,
 * in pixel order. One loop written out (no per-pixel callback: a callback shared by several
 * callers is not inlined, and cost as much as the rest of the pass), skipping unlabelled pixels
 * four at a time.
 */
function packedColorsWithLabels(
  image: RgbImage,
  seeds: SeedLabels,
  wanted: number[],
  labelCounts?: Float64Array,
): Uint32Array[] {
  const labels = seeds.labels;
  const counts = labelCounts ?? countLabels(labels);
  const slot = new Int32Array(256).fill(-1);
  wanted.forEach((label, j) => {
    slot[label] = j;
  });
  slot[0] = -1;
  const keys = wanted.map((label) => new Uint32Array(label === 0 ? 0 : counts[label]));
  const filled = new Int32Array(wanted.length);
  const data = image.data;
  const n = labels.length;
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let q = w << 2, i = q * 3; q < (w << 2) + 4; q++, i += 3) {
        const j = slot[labels[q]];
        if (j >= 0) keys[j][filled[j]++] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      }
    }
    p = words.length << 2;
  }
  for (let i = p * 3; p < n; p++, i += 3) {
    const j = slot[labels[p]];
    if (j >= 0) keys[j][filled[j]++] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
  }
  wanted.forEach((label, j) => {
    if (label !== 0 && filled[j] !== counts[label]) {
      throw new Error(`seedColorsByLabel: ${filled[j]} pixels carry label ${label}, not ${counts[label]}.`);
    }
  });
  return keys;
}

/**
 * Sorts 24-bit keys ascending. Large arrays go through two 12-bit counting passes (linear time,
 * a few milliseconds for a million keys); small ones through the built-in sort.
 */
export function sortColorKeys(keys: Uint32Array): void {
  if (keys.length < 1 << 14) {
    keys.sort();
    return;
  }
  let bits = 0;
  for (let i = 0; i < keys.length; i++) bits |= keys[i];
  if (bits >>> 24 !== 0) {
    keys.sort(); // not 24-bit colours: no shortcut
    return;
  }
  const scratch = new Uint32Array(keys.length);
  const counts = new Uint32Array(4096);
  // Low 12 bits into scratch, then high 12 bits back into keys.
  for (const [shift, from, to] of [
    [0, keys, scratch],
    [12, scratch, keys],
  ] as const) {
    counts.fill(0);
    for (let i = 0; i < from.length; i++) counts[(from[i] >>> shift) & 4095]++;
    let position = 0;
    for (let d = 0; d < 4096; d++) {
      const c = counts[d];
      counts[d] = position;
      position += c;
    }
    for (let i = 0; i < from.length; i++) to[counts[(from[i] >>> shift) & 4095]++] = from[i];
  }
}

/**
 * The distinct colours of packed colours (0xRRGGBB) with their counts, in ascending key order.
 * `keys` is used as scratch: its contents are lost.
 */
export function distinctFromPackedColors(keys: Uint32Array): WeightedColors {
  const total = keys.length;
  let bits = 0;
  for (let i = 0; i < total; i++) bits |= keys[i];
  if (total >= 1 << 14 && bits >>> 24 === 0) return distinctByBuckets(keys);
  sortColorKeys(keys);
  let count = 0;
  for (let i = 0; i < total; i++) if (i === 0 || keys[i] !== keys[i - 1]) count++;
  const colors = new Uint8Array(count * 3);
  const weights = new Float64Array(count);
  let d = -1;
  for (let i = 0; i < total; i++) {
    if (i === 0 || keys[i] !== keys[i - 1]) {
      d++;
      const key = keys[i];
      colors[d * 3] = key >>> 16;
      colors[d * 3 + 1] = (key >>> 8) & 255;
      colors[d * 3 + 2] = key & 255;
    }
    weights[d]++;
  }
  return { colors, weights, count, total };
}

/**
 * {@link distinctFromPackedColors} for many 24-bit keys, in about two passes instead of a sort's
 * two scatter passes plus a run-length pass: the keys go into 4096 buckets by their high 12 bits
 * (one counting pass, one scatter of the low 12 bits); then each bucket is counted on its low 12
 * bits with a 4096-entry table (large buckets: seed pixels crowd into few colour regions, so most
 * keys are in large buckets) or sorted (small ones), and read out in order. Distinct keys and their
 * counts are written back over `keys` and the scatter buffer, behind what has been read.
 */
function distinctByBuckets(keys: Uint32Array): WeightedColors {
  // Each pass is a function of its own: called once, a long function's loops are compiled one by
  // one as they run (on-stack replacement), and each compile of the whole function was thrown away
  // when the code after its loop first ran (no type feedback there yet).
  const total = keys.length;
  const start = bucketStarts(keys);
  const low = new Uint32Array(total);
  scatterLowBits(keys, start, low);
  const d = countBuckets(keys, start, low);
  return weightedFromCounts(keys, low, d, total);
}

/** Where each bucket (high 12 bits) of `keys` starts once they are sorted by it; 4097 entries. */
function bucketStarts(keys: Uint32Array): Uint32Array {
  const start = new Uint32Array(4097);
  for (let i = 0; i < keys.length; i++) start[(keys[i] >>> 12) + 1]++;
  for (let h = 0; h < 4096; h++) start[h + 1] += start[h];
  return start;
}

/** The low 12 bits of the keys, bucket by bucket (stable). */
function scatterLowBits(keys: Uint32Array, start: Uint32Array, low: Uint32Array): void {
  const fill = start.slice(0, 4096);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    low[fill[key >>> 12]++] = key & 4095;
  }
}

/**
 * Reads the buckets in order: keys[d] / low[d] become the d-th distinct key and its count (d never
 * passes the bucket being read). Returns the number of distinct keys.
 */
function countBuckets(keys: Uint32Array, start: Uint32Array, low: Uint32Array): number {
  const table = new Uint32Array(4096);
  let d = 0;
  for (let h = 0; h < 4096; h++) {
    const from = start[h];
    const to = start[h + 1];
    if (from === to) continue;
    d =
      to - from > 256
        ? countLargeBucket(keys, low, table, from, to, h << 12, d)
        : countSmallBucket(keys, low, from, to, h << 12, d);
  }
  return d;
}

/** A bucket counted on a 4096-entry table. Returns the next d. */
function countLargeBucket(
  keys: Uint32Array,
  low: Uint32Array,
  table: Uint32Array,
  from: number,
  to: number,
  high: number,
  d: number,
): number {
  for (let i = from; i < to; i++) table[low[i]]++;
  for (let l = 0; l < 4096; l++) {
    const c = table[l];
    if (c === 0) continue;
    table[l] = 0;
    keys[d] = high | l;
    low[d++] = c;
  }
  return d;
}

/** A bucket sorted, then run-length counted. Returns the next d. */
function countSmallBucket(
  keys: Uint32Array,
  low: Uint32Array,
  from: number,
  to: number,
  high: number,
  d: number,
): number {
  low.subarray(from, to).sort();
  let previous = -1;
  for (let i = from; i < to; i++) {
    const l = low[i];
    if (l !== previous) {
      keys[d] = high | l;
      low[d++] = 1;
      previous = l;
    } else {
      low[d - 1]++;
    }
  }
  return d;
}

/** The first d keys as colours, with the counts in `low` as their weights. */
function weightedFromCounts(keys: Uint32Array, low: Uint32Array, d: number, total: number): WeightedColors {
  const colors = new Uint8Array(d * 3);
  const weights = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const key = keys[i];
    colors[i * 3] = key >>> 16;
    colors[i * 3 + 1] = (key >>> 8) & 255;
    colors[i * 3 + 2] = key & 255;
    weights[i] = low[i];
  }
  return { colors, weights, count: d, total };
}

/** The distinct image colours under the pixels labelled `label`, with their pixel counts. */
export function seedColors(image: RgbImage, seeds: SeedLabels, label: number): WeightedColors {
  return distinctFromPackedColors(packedColorsWithLabels(image, seeds, [label])[0]);
}

/** {@link seedColors} for several labels at once, with one pass over the labels for all. */
export function seedColorsByLabel(
  image: RgbImage,
  seeds: SeedLabels,
  labels: number[],
  /** {@link countLabels} of these seeds, when the caller has it: saves a pass over the labels. */
  labelCounts?: Float64Array,
): WeightedColors[] {
  return packedColorsWithLabels(image, seeds, labels, labelCounts).map(distinctFromPackedColors);
}
