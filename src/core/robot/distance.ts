/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance transforms of sampled
 * functions", 2012): two passes of the 1-D lower envelope of parabolas, O(pixels).
 *
 * The robot user clicks at the point of an error region farthest from the region's boundary, which
 * is the point of largest distance to the nearest pixel outside the region. Pixels beyond the
 * image's edge count as outside (as RITM's robot pads the error mask with zeros), so a region
 * running off the image is not "deep" at the edge.
 */

/** 1-D squared distance transform of `f` (length n) into `out`; `v`, `z` are scratch. */
function transform1d(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = Number.NEGATIVE_INFINITY;
  z[1] = Number.POSITIVE_INFINITY;
  for (let q = 1; q < n; q++) {
    if (f[q] === Number.POSITIVE_INFINITY) continue;
    // Skip leading infinite samples: they never form part of the envelope.
    if (f[v[k]] === Number.POSITIVE_INFINITY) {
      v[k] = q;
      continue;
    }
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (f[v[0]] === Number.POSITIVE_INFINITY) {
    out.fill(Number.POSITIVE_INFINITY, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const d = q - v[k];
    out[q] = d * d + f[v[k]];
  }
}

/**
 * Squared Euclidean distance from every pixel of `region` (non-zero bytes) to the nearest pixel not
 * in it; 0 outside the region. The image's surroundings count as not in the region unless
 * `frameIsOutside` is false (then a region filling the image is infinitely deep). Distances are
 * integers (sums of two squares), exact in a Float64Array.
 */
export function squaredDistanceToOutside(
  region: Uint8Array,
  width: number,
  height: number,
  frameIsOutside = true,
): Float64Array {
  // Work on the grid padded by one pixel on every side: "outside" (0), or part of the region.
  const pw = width + 2;
  const ph = height + 2;
  const grid = new Float64Array(pw * ph).fill(frameIsOutside ? 0 : Number.POSITIVE_INFINITY);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      grid[(y + 1) * pw + x + 1] = region[y * width + x] ? Number.POSITIVE_INFINITY : 0;
    }
  }
  const longest = Math.max(pw, ph);
  const f = new Float64Array(longest);
  const out = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  for (let x = 0; x < pw; x++) {
    for (let y = 0; y < ph; y++) f[y] = grid[y * pw + x];
    transform1d(f, ph, out, v, z);
    for (let y = 0; y < ph; y++) grid[y * pw + x] = out[y];
  }
  for (let y = 0; y < ph; y++) {
    const row = y * pw;
    for (let x = 0; x < pw; x++) f[x] = grid[row + x];
    transform1d(f, pw, out, v, z);
    for (let x = 0; x < pw; x++) grid[row + x] = out[x];
  }
  const result = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) result[y * width + x] = grid[(y + 1) * pw + x + 1];
  }
  return result;
}

export interface InteriorPoint {
  x: number;
  y: number;
  /** Euclidean distance to the nearest pixel outside the region (≥ 1 for any region pixel). */
  distance: number;
}

/**
 * The region's pixel farthest from its boundary; ties go to the first in raster order (top row
 * first, then leftmost). Undefined for an empty region.
 */
export function farthestInteriorPoint(
  region: Uint8Array,
  width: number,
  height: number,
): InteriorPoint | undefined {
  const distance = squaredDistanceToOutside(region, width, height);
  let best = -1;
  let bestValue = 0;
  for (let p = 0; p < distance.length; p++) {
    if (distance[p] > bestValue) {
      bestValue = distance[p];
      best = p;
    }
  }
  if (best < 0) return undefined;
  return { x: best % width, y: Math.floor(best / width), distance: Math.sqrt(bestValue) };
}
