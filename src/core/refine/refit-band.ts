import { MASK } from '../types.js';

/**
 * The background model learnt only from confidently-background pixels (see RefineOptions.refitBand):
 * per pixel, the weight with which a pixel the cut said background counts in the background model —
 * `weight` within `radius` pixels of the cut's foreground (where the unstroked parts of the object
 * that the cut missed lie), 1 farther away. Distances are the two-pass chamfer (1, √2) transform.
 */
export function backgroundBandWeights(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  weight: number,
): Float32Array {
  const n = width * height;
  const distance = new Float32Array(n);
  const far = width + height;
  for (let p = 0; p < n; p++) distance[p] = mask[p] !== MASK.BACKGROUND ? 0 : far;
  const diagonal = Math.SQRT2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      let d = distance[p];
      if (d === 0) continue;
      if (x > 0) d = Math.min(d, distance[p - 1] + 1);
      if (y > 0) {
        d = Math.min(d, distance[p - width] + 1);
        if (x > 0) d = Math.min(d, distance[p - width - 1] + diagonal);
        if (x + 1 < width) d = Math.min(d, distance[p - width + 1] + diagonal);
      }
      distance[p] = d;
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const p = y * width + x;
      let d = distance[p];
      if (d === 0) continue;
      if (x + 1 < width) d = Math.min(d, distance[p + 1] + 1);
      if (y + 1 < height) {
        d = Math.min(d, distance[p + width] + 1);
        if (x + 1 < width) d = Math.min(d, distance[p + width + 1] + diagonal);
        if (x > 0) d = Math.min(d, distance[p + width - 1] + diagonal);
      }
      distance[p] = d;
    }
  }
  const weights = new Float32Array(n);
  for (let p = 0; p < n; p++) weights[p] = distance[p] > 0 && distance[p] <= radius ? weight : 1;
  return weights;
}
