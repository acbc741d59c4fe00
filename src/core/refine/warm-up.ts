import { createRandom } from '../random.js';
import type { FlowNetwork } from './maxflow.js';
import { createGridNetwork, createNetwork, solveMaxflow } from './maxflow.js';

/**
 * Solves a few small cuts, so that a fresh process's first real cut runs compiled code.
 *
 * Without it the engine optimises the max-flow's search loop while the first large cut runs, on
 * the type feedback of the branches that cut has taken so far; each branch met later for the first
 * time (an orphan freed with children of its own, the first band network, a flow beyond 31 bits)
 * throws that code away, and a 12-megapixel run paid for five or six recompiles, some hundreds of
 * milliseconds in all. Small networks that take every branch give the search its full feedback
 * first. Nothing is kept: the real problem's cuts are computed as before, and come out the same.
 * Once per process (or worker thread): later calls return at once. About 20–40 ms of CPU, which the
 * CLI spends while libvips decodes the image.
 */
export function warmUpMaxflow(): void {
  if (warmedUp) return;
  warmedUp = true;
  // The engine records type feedback for a function only from its 8th call on (or once its loops
  // have run long enough): tiny cuts first, then the ones that take every branch.
  for (let call = 0; call < FEEDBACK_AFTER_CALLS; call++) solveMaxflow(createGridNetwork(2, 2));
  const random = createRandom(1);
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    const grid = createGridNetwork(WARM_UP_SIDE, WARM_UP_SIDE);
    fillRandom(grid, random);
    solveMaxflow(grid);
    // A network without the grid's shape (as the coarse-to-fine band's), missing some neighbours.
    const neighbors = grid.neighbors.slice();
    for (let e = 0; e < neighbors.length; e++) {
      if ((e >> 3) % 7 === 3) {
        const q = neighbors[e];
        if (q >= 0) neighbors[q * 8 + ((e + 4) & 7)] = -1;
        neighbors[e] = -1;
      }
    }
    const band = createNetwork(grid.nodeCount, neighbors);
    fillRandom(band, random);
    solveMaxflow(band);
  }
  const chains = createGridNetwork(WARM_UP_SIDE, WARM_UP_SIDE);
  fillChains(chains);
  solveMaxflow(chains);
}

let warmedUp = false;
const WARM_UP_SIDE = 32;
const FEEDBACK_AFTER_CALLS = 8;
const WARM_UP_ROUNDS = 2;

/**
 * Symmetric edge capacities and terminal capacities of both signs, as an image cut's are: a
 * foreground-leaning and a background-leaning half with noise, a few hard stroke nodes, and a
 * flow already beyond 31 bits (a photo's is).
 */
function fillRandom(network: FlowNetwork, random: () => number): void {
  const { nodeCount: n, terminal, edges, neighbors } = network;
  const side = Math.round(Math.sqrt(n));
  for (let p = 0; p < n; p++) {
    const lean = (p % side) * 2 < side ? 1 : -1;
    terminal[p] = Math.round((lean * 0.3 + random() - 0.5) * 2000);
    if (random() < 0.01) terminal[p] = lean * (1 << 29);
    for (let d = 0; d < 4; d++) {
      const q = neighbors[p * 8 + d];
      if (q < 0) continue;
      const c = Math.round(random() * random() * 800);
      edges[p * 8 + d] = c;
      edges[q * 8 + d + 4] = c;
    }
  }
  network.constantFlow = 2 ** 40;
}

/**
 * Each row a chain from a source end to a sink end with a weak link next to one end (the source's
 * on even rows, the sink's on odd ones): its augmentation frees the whole subtree beyond the link,
 * orphan after orphan, in either tree.
 */
function fillChains(network: FlowNetwork & { width: number; height: number }): void {
  const { width, height, terminal, edges } = network;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    terminal[row] = 1000;
    terminal[row + width - 1] = -1000;
    for (let x = 0; x + 1 < width; x++) {
      const weak = y % 2 === 0 ? x === 0 : x === width - 2;
      const c = weak ? 10 : 100;
      edges[(row + x) * 8] = c;
      edges[(row + x + 1) * 8 + 4] = c;
    }
  }
  network.constantFlow = 2 ** 40;
}
