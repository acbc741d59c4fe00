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

/** Packs the colours of the pixels whose seed label equals `label` as 0xRRGGBB keys. */
function packedColorsWithLabel(image: RgbImage, seeds: SeedLabels, label: number): Uint32Array {
  const labels = seeds.labels;
  let n = 0;
  for (let p = 0; p < labels.length; p++) if (labels[p] === label) n++;
  const keys = new Uint32Array(n);
  const data = image.data;
  for (let p = 0, j = 0; p < labels.length; p++) {
    if (labels[p] !== label) continue;
    const i = p * 3;
    keys[j++] = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
  }
  return keys;
}

/** Run-length encodes sorted packed colours into distinct colours with counts. */
export function distinctFromPackedColors(keys: Uint32Array): WeightedColors {
  keys.sort();
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
