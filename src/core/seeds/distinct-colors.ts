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
 * Calls `visit(p)` for every pixel p whose label is not 0, skipping unlabelled pixels four at a
 * time: strokes cover a few per cent of an image, so on a large one this is most of the saving.
 */
export function forEachLabelled(labels: Uint8Array, visit: (p: number) => void): void {
  const n = labels.length;
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      const q = w << 2;
      if (labels[q] !== 0) visit(q);
      if (labels[q + 1] !== 0) visit(q + 1);
      if (labels[q + 2] !== 0) visit(q + 2);
      if (labels[q + 3] !== 0) visit(q + 3);
    }
    p = words.length << 2;
  }
  for (; p < n; p++) if (labels[p] !== 0) visit(p);
}

/** Packs the colours of the pixels whose seed label equals `label` as 0xRRGGBB keys. */
function packedColorsWithLabel(image: RgbImage, seeds: SeedLabels, label: number): Uint32Array {
  const labels = seeds.labels;
  let n = 0;
  forEachLabelled(labels, (p) => {
    if (labels[p] === label) n++;
  });
  const keys = new Uint32Array(n);
  const data = image.data;
  let j = 0;
  forEachLabelled(labels, (p) => {
    if (labels[p] !== label) return;
    const i = p * 3;
    keys[j++] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
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

/** Run-length encodes packed colours (0xRRGGBB; sorted here, in place) into distinct colours with counts. */
export function distinctFromPackedColors(keys: Uint32Array): WeightedColors {
  sortColorKeys(keys);
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) count++;
  const colors = new Uint8Array(count * 3);
  const weights = new Float64Array(count);
  let d = -1;
  for (let i = 0; i < keys.length; i++) {
    if (i === 0 || keys[i] !== keys[i - 1]) {
      d++;
      const key = keys[i];
      colors[d * 3] = key >>> 16;
      colors[d * 3 + 1] = (key >>> 8) & 255;
      colors[d * 3 + 2] = key & 255;
    }
    weights[d]++;
  }
  return { colors, weights, count, total: keys.length };
}

/** The distinct image colours under the pixels labelled `label`, with their pixel counts. */
export function seedColors(image: RgbImage, seeds: SeedLabels, label: number): WeightedColors {
  return distinctFromPackedColors(packedColorsWithLabel(image, seeds, label));
}
