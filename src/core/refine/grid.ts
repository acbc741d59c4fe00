import type { RgbImage } from '../types.js';
import { MASK } from '../types.js';
import type { FlowNetwork, GridNetwork } from './maxflow.js';
import type { EdgeCapacities } from './terms.js';

/**
 * The pixel grid as the graph cut sees it: the 8-neighbour direction convention, the filling of a
 * network's edges from the boundary term, and the energy of a labelling (walked only when asked for).
 *
 * Direction d is the offset {@link DIRECTIONS}[d]: 0 E, 1 SE, 2 S, 3 SW, 4 W, 5 NW, 6 N, 7 NE. The
 * reverse of d is (d + 4) & 7, so 0–3 are the forward directions (each neighbour pair once) and
 * odd directions are the diagonals. A network's edge slot d of node p points the same way.
 */

/** Neighbour offsets (dx, dy) by direction index; the reverse of direction d is (d + 4) & 7. */
export const DIRECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
  [1, -1],
];

/** {@link DIRECTIONS} as two typed arrays, for loops over every pixel. */
export const DIRECTION_DX = Int32Array.from(DIRECTIONS, ([dx]) => dx);
export const DIRECTION_DY = Int32Array.from(DIRECTIONS, ([, dy]) => dy);

/** Whether direction d joins diagonal neighbours (√2 apart). */
export const isDiagonal = (d: number): boolean => (d & 1) === 1;

/**
 * Fills the edges of a whole-image grid network: both directions of every neighbour pair get the
 * pair's (symmetric) capacity, computed once per pair from its forward end.
 */
export function fillGridEdges(network: GridNetwork, image: RgbImage, capacities: EdgeCapacities): void {
  const { width, height, data } = image;
  const edges = network.edges;
  edges.fill(0);
  // The four forward directions written out (E 0, SE 1, S 2, SW 3; the reverse slot is d + 4):
  // this pass visits every edge of the image.
  const row = width * 3;
  for (let y = 0, p = 0; y < height; y++) {
    const below = y + 1 < height;
    for (let x = 0; x < width; x++, p++) {
      const i = p * 3;
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      const e = p * 8;
      if (x + 1 < width) {
        const c = capacities.straightAt(squared(r, g, b, data, i + 3));
        edges[e] = c;
        edges[e + 12] = c; // slot W of p + 1
      }
      if (!below) continue;
      const j = i + row;
      const s = e + width * 8;
      if (x + 1 < width) {
        const c = capacities.diagonalAt(squared(r, g, b, data, j + 3));
        edges[e + 1] = c;
        edges[s + 8 + 5] = c; // slot NW of p + width + 1
      }
      {
        const c = capacities.straightAt(squared(r, g, b, data, j));
        edges[e + 2] = c;
        edges[s + 6] = c; // slot N of p + width
      }
      if (x > 0) {
        const c = capacities.diagonalAt(squared(r, g, b, data, j - 3));
        edges[e + 3] = c;
        edges[s - 8 + 7] = c; // slot NE of p + width − 1
      }
    }
  }
}

/** Squared RGB difference of (r, g, b) and the pixel whose data start at byte j. */
function squared(r: number, g: number, b: number, data: Uint8Array, j: number): number {
  const dr = r - data[j];
  const dg = g - data[j + 1];
  const db = b - data[j + 2];
  return dr * dr + dg * dg + db * db;
}

/**
 * Fills the edges of a network on a subset of the pixels (node s is pixel `pixels[s]`, its
 * neighbour slots already set, −1 where the neighbour is not a node). An edge to a pixel that is
 * not a node — fixed to its label in `mask` — is cut exactly when the node takes the other label,
 * so it is added to the node's terminal capacity towards the fixed pixel's side.
 */
export function fillSubsetEdges(
  network: FlowNetwork,
  pixels: Int32Array,
  image: RgbImage,
  mask: Uint8Array,
  capacities: EdgeCapacities,
): void {
  const { width, height, data } = image;
  const { edges, terminal, neighbors } = network;
  for (let s = 0; s < pixels.length; s++) {
    const p = pixels[s];
    const x = p % width;
    const y = (p - x) / width;
    let t = terminal[s];
    for (let d = 0; d < 8; d++) {
      const qx = x + DIRECTION_DX[d];
      const qy = y + DIRECTION_DY[d];
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      const c = capacities.between(data, p * 3, q * 3, isDiagonal(d));
      if (neighbors[s * 8 + d] >= 0) edges[s * 8 + d] = c;
      else t += mask[q] === MASK.FOREGROUND ? c : -c;
    }
    terminal[s] = t;
  }
}

/**
 * E(x) in the cut's quantised units for the labels in `mask`: each node's data term (`data[s]`,
 * the net terminal capacity before any edge to a fixed pixel was folded in: foreground pays −t when
 * t < 0, background pays t when t > 0) plus every cut neighbour pair that touches a node, once.
 * Node s is pixel `pixels[s]`, or pixel s for a whole-image network.
 */
export function cutEnergy(
  network: FlowNetwork,
  pixels: Int32Array | undefined,
  data: Int32Array,
  image: RgbImage,
  mask: Uint8Array,
  capacities: EdgeCapacities,
): number {
  const { width, height } = image;
  const neighbors = network.neighbors;
  let energy = 0;
  for (let s = 0; s < network.nodeCount; s++) {
    const p = pixels ? pixels[s] : s;
    const fg = mask[p] !== MASK.BACKGROUND;
    const t = data[s];
    if (fg ? t < 0 : t > 0) energy += fg ? -t : t;
    const x = p % width;
    const y = (p - x) / width;
    for (let d = 0; d < 8; d++) {
      const qx = x + DIRECTION_DX[d];
      const qy = y + DIRECTION_DY[d];
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      const q = qy * width + qx;
      if (fg === (mask[q] !== MASK.BACKGROUND)) continue;
      // A pair of two nodes is met from both ends: count it from the lower pixel index.
      if (neighbors[s * 8 + d] >= 0 && q < p) continue;
      energy += capacities.between(image.data, p * 3, q * 3, isDiagonal(d));
    }
  }
  return energy;
}
