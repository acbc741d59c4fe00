import type { RgbImage, SeedLabels } from '../types.js';
import { SEED } from '../types.js';
import { DIRECTION_DX, DIRECTION_DY, isDiagonal } from './grid.js';
import type { FlowNetwork } from './maxflow.js';

/**
 * Geodesic star convexity (Gulshan, Rother, Criminisi, Blake, Zisserman, "Geodesic star convexity
 * for interactive image segmentation", CVPR 2010): the foreground must be star-shaped about the
 * foreground strokes along geodesic paths — if a pixel is foreground, so is every pixel on its
 * shortest path to the nearest foreground stroke. It is enforced exactly in the graph cut: each
 * pixel p gets an edge of unbounded capacity towards its parent q on the shortest-path tree (an
 * 8-neighbour), which a cut would sever exactly when p is foreground and q background.
 *
 * The path length is Gulshan's: a step from p to q costs √(‖p − q‖² + γ · ‖c_p − c_q‖² / m), with
 * m the image's mean squared neighbour colour difference (so that γ does not depend on the
 * photo's contrast). γ = 0 gives Euclidean star convexity (straight rays from the strokes);
 * larger γ lets the rays bend around colour edges, along the object.
 */

/** Capacity of a star edge: more than any finite cut can pay, below Int32 overflow with B added. */
const STAR_EDGE = 1 << 28;

/**
 * Per pixel, the direction (0–7, see ./grid.ts) to its parent on the shortest-path tree grown from
 * the foreground stroke pixels; −1 for the strokes themselves (the roots) and for pixels no path
 * reaches (none, on a connected grid).
 */
export function starParents(image: RgbImage, seeds: SeedLabels, gamma: number): Int8Array {
  return shortestPaths(image, seeds, SEED.FOREGROUND, gamma).parent;
}

/**
 * Foreground where the pixel is geodesically nearer the foreground strokes than the background
 * ones (the same path length as the star's), 0 elsewhere: the geodesic Voronoi cell of the
 * foreground strokes (Bai & Sapiro 2007).
 */
export function geodesicForegroundCell(image: RgbImage, seeds: SeedLabels, gamma: number): Uint8Array {
  const fg = shortestPaths(image, seeds, SEED.FOREGROUND, gamma).distance;
  const bg = shortestPaths(image, seeds, SEED.BACKGROUND, gamma).distance;
  const cell = new Uint8Array(fg.length);
  for (let p = 0; p < cell.length; p++) if (fg[p] < bg[p]) cell[p] = 1;
  return cell;
}

/**
 * The soft version of {@link geodesicForegroundCell}: in the cell, s^power with
 * s = d_bg / (d_fg + d_bg) (½ at the cell's border, 1 on the strokes), 0 elsewhere — so a pixel
 * the cell reaches only just, e.g. past a weak edge, counts less than one deep inside it.
 */
export function geodesicForegroundWeights(
  image: RgbImage,
  seeds: SeedLabels,
  gamma: number,
  power: number,
): Float32Array {
  const fg = shortestPaths(image, seeds, SEED.FOREGROUND, gamma).distance;
  const bg = shortestPaths(image, seeds, SEED.BACKGROUND, gamma).distance;
  const weights = new Float32Array(fg.length);
  for (let p = 0; p < weights.length; p++) {
    if (!(fg[p] < bg[p])) continue;
    // No background stroke (d_bg ∞): every pixel is wholly in the cell.
    const s = Number.isFinite(bg[p]) ? bg[p] / (fg[p] + bg[p]) : 1;
    weights[p] = s ** power;
  }
  return weights;
}

/**
 * Variants of the geodesic re-fit's cell (see RefineOptions.geodesicRefitMargin and
 * geodesicRefitEdge), measured in docs/algorithm.md:
 *
 * - margin p > 0: each pixel of the foreground strokes' geodesic cell weighs
 *   t^p, t = (d_bg − d_fg) / (d_bg + d_fg) — 1 on the strokes, falling to 0 at the cell's border
 *   (where the soft cell, s^p with s = d_bg / (d_fg + d_bg), still gives ½^p); p = 0: 1 everywhere
 *   in the cell (the hard cell).
 * - edge e > 0: the foreground strokes' paths stop at strong colour edges — no step whose squared
 *   colour difference exceeds e times the image's mean squared neighbour difference — so the cell
 *   holds only what the foreground strokes reach without crossing one (the background strokes'
 *   distances are the usual ones).
 */
export function geodesicMarginWeights(
  image: RgbImage,
  seeds: SeedLabels,
  gamma: number,
  margin: number,
  edge: number,
): Float32Array {
  const fg = shortestPaths(image, seeds, SEED.FOREGROUND, gamma, edge).distance;
  const bg = shortestPaths(image, seeds, SEED.BACKGROUND, gamma).distance;
  const weights = new Float32Array(fg.length);
  for (let p = 0; p < weights.length; p++) {
    if (!(fg[p] < bg[p])) continue;
    if (!(margin > 0) || !Number.isFinite(bg[p])) {
      weights[p] = 1;
      continue;
    }
    const t = (bg[p] - fg[p]) / (bg[p] + fg[p]);
    weights[p] = t ** margin;
  }
  return weights;
}

/**
 * The cell the re-fit's foreground model also learns (see RefineOptions.geodesicRefit): none with
 * geodesicRefit 0, the hard cell with geodesicRefitSoft 0, else the soft weights.
 */
export function geodesicRefitCell(
  image: RgbImage,
  seeds: SeedLabels,
  options: {
    geodesicRefit: number;
    geodesicRefitSoft: number;
    geodesicRefitMargin?: number;
    geodesicRefitEdge?: number;
  },
): Uint8Array | Float32Array | undefined {
  if (!(options.geodesicRefit > 0)) return undefined;
  if ((options.geodesicRefitMargin ?? 0) > 0 || (options.geodesicRefitEdge ?? 0) > 0) {
    return geodesicMarginWeights(
      image,
      seeds,
      options.geodesicRefit,
      options.geodesicRefitMargin ?? 0,
      options.geodesicRefitEdge ?? 0,
    );
  }
  return options.geodesicRefitSoft > 0
    ? geodesicForegroundWeights(image, seeds, options.geodesicRefit, options.geodesicRefitSoft)
    : geodesicForegroundCell(image, seeds, options.geodesicRefit);
}

/**
 * Dijkstra from every pixel labelled `source`: distances and, per pixel, the direction to its parent.
 * With `edgeStop` > 0, no path takes a step whose squared colour difference exceeds edgeStop times
 * the image's mean squared neighbour difference (such pixels may stay unreached: distance ∞).
 */
export function shortestPaths(
  image: RgbImage,
  seeds: SeedLabels,
  source: number,
  gamma: number,
  edgeStop = 0,
): { distance: Float64Array; parent: Int8Array } {
  const { width, height, data } = image;
  const n = width * height;
  const labels = seeds.labels;
  const parent = new Int8Array(n).fill(-1);
  const distance = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const mean = gamma > 0 || edgeStop > 0 ? meanSquaredDifference(image) : 1;
  const scale = gamma > 0 ? gamma / mean : 0;
  const stop = edgeStop > 0 ? edgeStop * mean : Number.POSITIVE_INFINITY;
  const heap = new MinHeap(Math.max(16, n >> 2));
  for (let p = 0; p < n; p++) {
    if (labels[p] === source) {
      distance[p] = 0;
      heap.push(0, p);
    }
  }
  const done = new Uint8Array(n);
  while (heap.size > 0) {
    const p = heap.popValue();
    if (done[p]) continue;
    done[p] = 1;
    const base = distance[p];
    const x = p % width;
    const y = (p - x) / width;
    for (let d = 0; d < 8; d++) {
      const qx = x + DIRECTION_DX[d];
      const qy = y + DIRECTION_DY[d];
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      if (done[q]) continue;
      let step2 = isDiagonal(d) ? 2 : 1;
      if (scale > 0 || stop < Number.POSITIVE_INFINITY) {
        const dr = data[p * 3] - data[q * 3];
        const dg = data[p * 3 + 1] - data[q * 3 + 1];
        const db = data[p * 3 + 2] - data[q * 3 + 2];
        const diff2 = dr * dr + dg * dg + db * db;
        if (diff2 > stop) continue;
        step2 += scale * diff2;
      }
      const candidate = base + Math.sqrt(step2);
      if (candidate < distance[q]) {
        distance[q] = candidate;
        // q's parent is p, which is direction (d + 4) & 7 from q.
        parent[q] = (d + 4) & 7;
        heap.push(candidate, q);
      }
    }
  }
  return { distance, parent };
}

/**
 * Adds the star edges to a network whose node s is pixel `pixels[s]` (or pixel s): node p's slot
 * towards its parent gets {@link STAR_EDGE}. Only edges whose both ends are nodes are added.
 */
export function addStarEdges(
  network: FlowNetwork,
  parent: Int8Array,
  pixels?: Int32Array,
  capacity = STAR_EDGE,
): void {
  const { edges, neighbors, nodeCount } = network;
  for (let s = 0; s < nodeCount; s++) {
    const d = parent[pixels ? pixels[s] : s];
    if (d < 0 || neighbors[s * 8 + d] < 0) continue;
    edges[s * 8 + d] += capacity;
  }
}

function meanSquaredDifference(image: RgbImage): number {
  const { width, height, data } = image;
  let sum = 0;
  let pairs = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      if (x + 1 < width) {
        for (let c = 0; c < 3; c++) sum += (data[i + c] - data[i + 3 + c]) ** 2;
        pairs++;
      }
      if (y + 1 < height) {
        const j = i + width * 3;
        for (let c = 0; c < 3; c++) sum += (data[i + c] - data[j + c]) ** 2;
        pairs++;
      }
    }
  }
  return pairs > 0 && sum > 0 ? sum / pairs : 1;
}

/** A binary min-heap of (key, value) pairs on typed arrays, growing as needed; stale entries are skipped by the caller. */
class MinHeap {
  private keys: Float64Array;
  private values: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const values = new Int32Array(this.size * 2);
      values.set(this.values);
      this.values = values;
    }
    const { keys, values } = this;
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up] <= key) break;
      keys[i] = keys[up];
      values[i] = values[up];
      i = up;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the entry with the smallest key and returns its value. */
  popValue(): number {
    const { keys, values } = this;
    const top = values[0];
    const last = --this.size;
    const key = keys[last];
    const value = values[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[i] = keys[child];
      values[i] = values[child];
      i = child;
    }
    keys[i] = key;
    values[i] = value;
    return top;
  }
}
