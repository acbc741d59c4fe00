import { StrokecutError } from '../errors.js';
import { DIRECTION_DX, DIRECTION_DY, DIRECTIONS } from './grid.js';

/**
 * Exact max-flow / min-cut for graphs whose nodes have at most 8 neighbours, laid out on flat typed
 * arrays: the Boykov–Kolmogorov algorithm ("An Experimental Comparison of Min-Cut/Max-Flow
 * Algorithms for Energy Minimization in Vision", PAMI 2004). There is no object per node or per
 * edge: node p's edges are the 8 slots `edges[p · 8 + d]`, the node at the other end of slot d is
 * `neighbors[p · 8 + d]` (−1: none), and the reverse of slot d is slot (d + 4) & 7 of that
 * neighbour.
 *
 * The 8-connected pixel grid is the main case ({@link createGridNetwork}: slot d is the direction
 * {@link DIRECTIONS}[d]); a band of pixels cut out of a grid ({@link createNetwork}) is the other —
 * the same slots, with the neighbours outside the band missing.
 *
 * Capacities are integers (Int32): the energy is quantised by the caller. Integer arithmetic keeps
 * the algorithm exact and finite (floating-point residues of 1e-17 make BK chase ghost paths) and the
 * result identical on every engine.
 */

export { DIRECTION_DX, DIRECTION_DY, DIRECTIONS } from './grid.js';

/** A flow network whose nodes have up to 8 edge slots each. */
export interface FlowNetwork {
  readonly nodeCount: number;
  /**
   * Net terminal capacity per node: positive = capacity from the source to the node, negative =
   * capacity from the node to the sink. (A node joined to both terminals is reduced to its net
   * capacity; the common part, min(source, sink), is flow that must pass anyway and is counted in
   * {@link FlowNetwork.constantFlow}.)
   */
  readonly terminal: Int32Array;
  /** Capacity of the edge from node p through slot d at `p * 8 + d`; 0 for missing neighbours. */
  readonly edges: Int32Array;
  /**
   * The node at the other end of slot d of node p at `p * 8 + d`, −1 for none. Must be symmetric:
   * `neighbors[p * 8 + d] = q` ⇔ `neighbors[q * 8 + ((d + 4) & 7)] = p`.
   */
  readonly neighbors: Int32Array;
  /** Flow already accounted for by reducing terminal capacities (see `setTerminalCapacities`). */
  constantFlow: number;
}

/** A flow network on a width × height grid with 8-neighbour edges; node p = y · width + x. */
export interface GridNetwork extends FlowNetwork {
  readonly width: number;
  readonly height: number;
}

/** A network on `nodeCount` nodes with the given neighbour slots (see {@link FlowNetwork.neighbors}). */
export function createNetwork(nodeCount: number, neighbors: Int32Array): FlowNetwork {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || neighbors.length !== nodeCount * 8) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `A network of ${nodeCount} nodes needs ${nodeCount * 8} neighbour slots; found ${neighbors.length}.`,
    );
  }
  return {
    nodeCount,
    terminal: new Int32Array(nodeCount),
    edges: new Int32Array(nodeCount * 8),
    neighbors,
    constantFlow: 0,
  };
}

export function createGridNetwork(width: number, height: number): GridNetwork {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `A grid network needs a positive integer width and height; found ${width}×${height}.`,
    );
  }
  const n = width * height;
  const neighbors = new Int32Array(n * 8);
  const dx = DIRECTION_DX;
  const dy = DIRECTION_DY;
  for (let y = 0, p = 0; y < height; y++) {
    const inner = y > 0 && y < height - 1;
    for (let x = 0; x < width; x++, p++) {
      const e = p * 8;
      if (inner && x > 0 && x < width - 1) {
        // Interior pixels (nearly all): every neighbour exists (E, SE, S, SW, W, NW, N, NE).
        neighbors[e] = p + 1;
        neighbors[e + 1] = p + width + 1;
        neighbors[e + 2] = p + width;
        neighbors[e + 3] = p + width - 1;
        neighbors[e + 4] = p - 1;
        neighbors[e + 5] = p - width - 1;
        neighbors[e + 6] = p - width;
        neighbors[e + 7] = p - width + 1;
        continue;
      }
      for (let d = 0; d < 8; d++) {
        const qx = x + dx[d];
        const qy = y + dy[d];
        neighbors[e + d] = qx < 0 || qy < 0 || qx >= width || qy >= height ? -1 : qy * width + qx;
      }
    }
  }
  gridShapes.set(neighbors, { width, height });
  return { ...createNetwork(n, neighbors), width, height };
}

/** Sets node p's capacities from the source and to the sink (both ≥ 0, integers). */
export function setTerminalCapacities(network: FlowNetwork, p: number, source: number, sink: number): void {
  network.terminal[p] = source - sink;
  network.constantFlow += Math.min(source, sink);
}

/** Sets the capacity of the edge from (x, y) in direction d (one way). */
export function setEdgeCapacity(
  network: GridNetwork,
  x: number,
  y: number,
  d: number,
  capacity: number,
): void {
  const [dx, dy] = DIRECTIONS[d];
  const qx = x + dx;
  const qy = y + dy;
  if (qx < 0 || qy < 0 || qx >= network.width || qy >= network.height) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `Node (${x}, ${y}) has no neighbour in direction ${d} on a ${network.width}×${network.height} grid.`,
    );
  }
  network.edges[(y * network.width + x) * 8 + d] = capacity;
}

const checkedNetworks = new WeakSet<FlowNetwork>();
/** The neighbour slots {@link createGridNetwork} made, with their grid's size: missing on the border only. */
const gridShapes = new WeakMap<Int32Array, { width: number; height: number }>();

/** {@link solveMaxflow} on a grid network. */
export function solveGridMaxflow(network: GridNetwork): MaxflowResult {
  return solveMaxflow(network);
}

export interface MaxflowResult {
  /** The maximum flow, including the network's constant flow: equal to the minimum cut's capacity. */
  flow: number;
  /**
   * The minimum cut: 1 for nodes on the source side, 0 for the sink side. The source side is the set
   * of nodes reachable from the source in the final residual graph, hence the smallest minimum cut's
   * source side: nodes free to go either way go to the sink.
   */
  sourceSide: Uint8Array;
  /** Augmenting paths found. */
  augmentations: number;
}

const FREE = 0;
const SOURCE = 1;
const SINK = 2;
/**
 * `link` values (see {@link SearchTrees.link}) besides an arc index ≥ 0: the node's parent is the
 * terminal; it is an orphan; it is in no tree.
 */
const TERMINAL = -1;
const ORPHAN = -2;
const NONE = -3;
const INFINITE_DISTANCE = 0x7fffffff;

/**
 * The search trees of a network's last solve, kept for the next one ("dynamic graph cuts": Kohli &
 * Torr, ICCV 2005, with Kolmogorov's tree reuse). After a solve no node is active and the trees
 * are valid, so when only a few terminal capacities change, re-rooting the changed nodes and
 * adopting the orphans that makes is far less work than growing both trees from every terminal
 * node again.
 */
interface SearchTrees {
  tree: Uint8Array;
  /**
   * Per node, its search-tree parent as the index `b · 8 + r` of the arc from the parent b to it
   * (slot r of b): the parent is `link >> 3`, the arc back is slot (r + 4) & 7 of the node. One
   * number gives the parent and both arcs, so walking a tree reads no neighbour slot. Or
   * TERMINAL, ORPHAN, NONE.
   */
  link: Int32Array;
  stamp: Int32Array;
  distance: Int32Array;
  time: number;
  /** The current problem's net terminal capacities (what {@link updateTerminal} changes from). */
  capacity: Int32Array;
  /** Nodes whose terminal capacity changed since the last solve (each once: `isChanged`). */
  changed: Int32Array;
  changedCount: number;
  isChanged: Uint8Array;
}

const savedTrees = new WeakMap<FlowNetwork, SearchTrees>();

/**
 * Changes node p's net terminal capacity (see {@link FlowNetwork.terminal}) to `capacity` in a
 * network solved with `reuseTrees`, keeping its flow: the residual moves by the change, and where
 * the node's terminal flow exceeds its new capacity the problem is reparametrised (the same constant
 * added to both terminal capacities, which changes every cut's capacity by that constant and so
 * none's rank). With t the old capacity, r the residual and δ the change, every cut of the new
 * problem costs F' + its residual capacity for F' = F + (t+δ)⁺ − t⁺ − (r+δ)⁺ + r⁺, which is what
 * `constantFlow` becomes. The next {@link solveMaxflow} with `reuseTrees` then finds the new
 * maximum flow (and the same minimum cut as a solve from scratch) starting from the old one.
 */
export function updateTerminal(network: FlowNetwork, p: number, capacity: number): void {
  const trees = savedTrees.get(network);
  if (!trees) {
    throw new StrokecutError(
      'INVALID_OPTION',
      'updateTerminal needs a network solved with reuseTrees (it changes a solved network).',
    );
  }
  const previous = trees.capacity[p];
  if (capacity === previous) return;
  const r = network.terminal[p];
  const moved = r + capacity - previous;
  network.constantFlow += Math.max(capacity, 0) - Math.max(previous, 0) - Math.max(moved, 0) + Math.max(r, 0);
  network.terminal[p] = moved;
  trees.capacity[p] = capacity;
  if (trees.isChanged[p] === 0) {
    trees.isChanged[p] = 1;
    trees.changed[trees.changedCount++] = p;
  }
}

/**
 * {@link updateTerminal} for every node: node p's net terminal capacity becomes `capacities[p]`.
 */
export function updateTerminals(network: FlowNetwork, capacities: Int32Array): void {
  const trees = savedTrees.get(network);
  if (!trees) {
    throw new StrokecutError(
      'INVALID_OPTION',
      'updateTerminals needs a network solved with reuseTrees (it changes a solved network).',
    );
  }
  const { terminal } = network;
  const { capacity: applied, isChanged, changed } = trees;
  let flow = network.constantFlow;
  let count = trees.changedCount;
  for (let p = 0; p < capacities.length; p++) {
    const next = capacities[p];
    const previous = applied[p];
    if (next === previous) continue;
    const r = terminal[p];
    const moved = r + next - previous;
    flow += Math.max(next, 0) - Math.max(previous, 0) - Math.max(moved, 0) + Math.max(r, 0);
    terminal[p] = moved;
    applied[p] = next;
    if (isChanged[p] === 0) {
      isChanged[p] = 1;
      changed[count++] = p;
    }
  }
  trees.changedCount = count;
  network.constantFlow = flow;
}

/** A copy of a network (its residual capacities, flow and kept search trees); neighbours are shared. */
export function cloneNetwork<T extends FlowNetwork>(network: T): T {
  const copy = {
    ...network,
    terminal: network.terminal.slice(),
    edges: network.edges.slice(),
    constantFlow: network.constantFlow,
  };
  if (checkedNetworks.has(network)) checkedNetworks.add(copy);
  const trees = savedTrees.get(network);
  if (trees) {
    savedTrees.set(copy, {
      ...trees,
      tree: trees.tree.slice(),
      link: trees.link.slice(),
      stamp: trees.stamp.slice(),
      distance: trees.distance.slice(),
      capacity: trees.capacity.slice(),
      changed: trees.changed.slice(),
      isChanged: trees.isChanged.slice(),
    });
  }
  return copy;
}

export interface MaxflowOptions {
  /**
   * Keep the search trees for the next solve of this network, and start from the kept ones (after
   * {@link updateTerminal} changes) when there are. Default false.
   */
  reuseTrees?: boolean;
}

/**
 * Computes a maximum flow and minimum cut of `network`. The network's capacities are consumed:
 * afterwards `terminal` and `edges` hold the residual capacities and `constantFlow` the flow, so
 * the network is the residual problem (solving it again finds no more flow and the same cut).
 */
/**
 * Computes a maximum flow and minimum cut of `network`. The network's capacities are consumed:
 * afterwards `terminal` and `edges` hold the residual capacities and `constantFlow` the flow, so
 * the network is the residual problem (solving it again finds no more flow and the same cut).
 */
export function solveMaxflow(network: FlowNetwork, options: MaxflowOptions = {}): MaxflowResult {
  const { nodeCount: n, terminal, edges, neighbors } = network;
  if (terminal.length !== n || edges.length !== n * 8 || neighbors.length !== n * 8) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `A network of ${n} nodes needs ${n} terminal capacities and ${n * 8} edge and neighbour slots; found ${terminal.length}, ${edges.length} and ${neighbors.length}.`,
    );
  }
  // The loops below read a slot's capacity before its neighbour: a missing neighbour must have none.
  // Checked on a network's first solve only; later solves of the same network (warm-started cuts)
  // change capacities only along existing edges.
  if (!checkedNetworks.has(network)) {
    checkMissingSlots(network);
    checkedNetworks.add(network);
  }
  const reuseTrees = options.reuseTrees ?? false;
  const kept = reuseTrees ? savedTrees.get(network) : undefined;
  const tree = kept ? kept.tree : new Uint8Array(n);
  const link = kept ? kept.link : new Int32Array(n).fill(NONE);
  const stamp = kept ? kept.stamp : new Int32Array(n);
  const distance = kept ? kept.distance : new Int32Array(n);
  // Active nodes: a FIFO linked through `nextActive`; -1 = not queued, p itself = last in the queue.
  const nextActive = new Int32Array(n).fill(-1);
  // Orphans: a ring used as a deque (a node is an orphan at most once at a time, so n slots
  // suffice). As in Kolmogorov's implementation, orphans made by an augmentation go to the front
  // and the children of freed orphans to the back.
  const orphans = new Int32Array(n);

  let flow = network.constantFlow;
  let time = kept ? kept.time : 0;
  if (reuseTrees && !kept) {
    savedTrees.set(network, {
      tree,
      link,
      stamp,
      distance,
      time,
      capacity: terminal.slice(),
      changed: new Int32Array(n),
      changedCount: 0,
      isChanged: new Uint8Array(n),
    });
  }

  // The queue's ends and the orphan count as the set-up below leaves them.
  const ends = new Int32Array([-1, -1, 0]);
  if (kept) {
    time++;
    reRootChangedNodes(network, kept, time, nextActive, orphans, ends);
  } else {
    flow += greedyStart(network);
    plantTrees(network, tree, link, distance, nextActive, ends);
  }
  // The search itself is a function of its own, which leaves nothing after its loop: compiled while
  // the loop runs (on-stack replacement), such code was thrown away again for want of type feedback
  // at the first statement after the loop, and each cut of a cold process paid for a recompile.
  const counters = new Float64Array([flow, time, 0]);
  search(network, tree, link, stamp, distance, nextActive, orphans, ends, counters);
  flow = counters[0];
  time = counters[1];
  const augmentations = counters[2];

  network.constantFlow = flow;
  const trees = savedTrees.get(network);
  if (reuseTrees && trees) trees.time = time;
  return { flow, sourceSide: sourceSideOf(tree), augmentations };
}

/** 1 for the nodes of the source tree, 0 for the others. */
function sourceSideOf(tree: Uint8Array): Uint8Array {
  const sourceSide = new Uint8Array(tree.length);
  for (let p = 0; p < tree.length; p++) if (tree[p] === SOURCE) sourceSide[p] = 1;
  return sourceSide;
}

/**
 * The Boykov–Kolmogorov search from the trees the set-up left: ends = [first active, last active,
 * orphan count] (orphans from slot 0), counters = [flow, time, augmentations], both updated. Returns
 * when no active node is left.
 */
function search(
  network: FlowNetwork,
  tree: Uint8Array,
  link: Int32Array,
  stamp: Int32Array,
  distance: Int32Array,
  nextActive: Int32Array,
  orphans: Int32Array,
  ends: Int32Array,
  counters: Float64Array,
): void {
  const { nodeCount: n, terminal, edges, neighbors } = network;
  // (Queue and orphan-list updates are written out inline below rather than as closures: variables
  // captured by a closure live in a heap context, and this loop touches them millions of times.)
  let firstActive = ends[0];
  let lastActive = ends[1];
  let orphanHead = 0;
  let orphanCount = ends[2];
  let flow = counters[0];
  let time = counters[1];
  let augmentations = 0;
  let current = -1;
  for (;;) {
    // Adoption: give each orphan (made by the last augmentation, or by re-rooting changed nodes)
    // a new parent in its tree, or free it.
    if (orphanCount > 0) {
      time++;
      counters[1] = time;
    }
    while (orphanCount > 0) {
      const o = orphans[orphanHead];
      orphanHead++;
      if (orphanHead === n) orphanHead = 0;
      orphanCount--;
      const side = tree[o];
      const o8 = o * 8;
      let bestLink = -1;
      let bestDistance = INFINITE_DISTANCE;
      for (let d = 0; d < 8; d++) {
        const q = neighbors[o8 + d];
        if (q < 0) continue;
        if (tree[q] !== side) continue;
        // The arc from q to o, which would join o to q in the tree.
        const arc = q * 8 + ((d + 4) & 7);
        // It (source tree), or its reverse (sink tree), must have residual capacity.
        const c = side === SOURCE ? edges[arc] : edges[o8 + d];
        if (c === 0) continue;
        // Is q's path to its terminal intact? Walk up until a terminal, an orphan, or a node
        // already checked during this adoption round (stamp === time).
        let a = q;
        let steps = 0;
        let origin = false;
        for (;;) {
          if (stamp[a] === time) {
            steps += distance[a];
            origin = true;
            break;
          }
          const e = link[a];
          steps++;
          if (e === TERMINAL) {
            stamp[a] = time;
            distance[a] = 1;
            origin = true;
            break;
          }
          if (e < 0) break; // an orphan, or in no tree
          a = e >> 3;
        }
        if (!origin) continue;
        if (steps < bestDistance) {
          bestLink = arc;
          bestDistance = steps;
        }
        // Record the distances along the walk so later walks stop early.
        for (let b = q, s = steps; stamp[b] !== time; ) {
          stamp[b] = time;
          distance[b] = s;
          s--;
          b = link[b] >> 3;
        }
      }
      if (bestLink >= 0) {
        link[o] = bestLink;
        stamp[o] = time;
        distance[o] = bestDistance + 1;
        continue;
      }
      // No parent: o leaves its tree. Neighbours that could reach it become active (they may grow
      // into the freed region); its children become orphans.
      for (let d = 0; d < 8; d++) {
        const q = neighbors[o8 + d];
        if (q < 0) continue;
        if (tree[q] !== side) continue;
        const c = side === SOURCE ? edges[q * 8 + ((d + 4) & 7)] : edges[o8 + d];
        if (c > 0) {
          if (nextActive[q] === -1) {
            if (lastActive >= 0) nextActive[lastActive] = q;
            else firstActive = q;
            lastActive = q;
            nextActive[q] = q;
          }
        } // skips p, held aside as `current` (-2)
        const e = link[q];
        if (e >= 0 && e >> 3 === o) {
          link[q] = ORPHAN;
          let slot = orphanHead + orphanCount;
          if (slot >= n) slot -= n;
          orphans[slot] = q;
          orphanCount++;
        }
      }
      tree[o] = FREE;
      link[o] = NONE;
    }
    // The node held aside as `current` (-2) may be queued again.
    if (current >= 0 && nextActive[current] === -2) nextActive[current] = -1;

    // Pick an active node still in a tree (orphans that became free stay queued; skip them).
    let p = current;
    if (p >= 0 && tree[p] === FREE) p = -1;
    if (p < 0) {
      while (firstActive >= 0) {
        const candidate = firstActive;
        firstActive = nextActive[candidate] === candidate ? -1 : nextActive[candidate];
        if (firstActive < 0) lastActive = -1;
        nextActive[candidate] = -1;
        if (tree[candidate] !== FREE) {
          p = candidate;
          break;
        }
      }
      if (p < 0) break;
    }
    current = -1;

    // Growth: look for an edge from the source tree to the sink tree through p. (p's own stamp and
    // distance are read once: the loop writes only its neighbours'.)
    const p8 = p * 8;
    const stampP = stamp[p];
    const nextDistance = distance[p] + 1;
    let meet = -1; // the arc from the source tree to the sink tree
    if (tree[p] === SOURCE) {
      for (let d = 0; d < 8; d++) {
        const arc = p8 + d;
        if (edges[arc] === 0) continue;
        const q = neighbors[arc];
        const tq = tree[q];
        if (tq === FREE) {
          tree[q] = SOURCE;
          link[q] = arc;
          stamp[q] = stampP;
          distance[q] = nextDistance;
          if (nextActive[q] === -1) {
            if (lastActive >= 0) nextActive[lastActive] = q;
            else firstActive = q;
            lastActive = q;
            nextActive[q] = q;
          }
        } else if (tq === SINK) {
          meet = arc;
          break;
        } else if (stamp[q] <= stampP && distance[q] > nextDistance - 1) {
          // Shorter path to the source through p: re-parent q (keeps trees shallow).
          link[q] = arc;
          stamp[q] = stampP;
          distance[q] = nextDistance;
        }
      }
    } else {
      for (let d = 0; d < 8; d++) {
        const q = neighbors[p8 + d];
        if (q < 0) continue;
        const back = q * 8 + ((d + 4) & 7);
        if (edges[back] === 0) continue;
        const tq = tree[q];
        if (tq === FREE) {
          tree[q] = SINK;
          link[q] = p8 + d;
          stamp[q] = stampP;
          distance[q] = nextDistance;
          if (nextActive[q] === -1) {
            if (lastActive >= 0) nextActive[lastActive] = q;
            else firstActive = q;
            lastActive = q;
            nextActive[q] = q;
          }
        } else if (tq === SOURCE) {
          meet = back;
          break;
        } else if (stamp[q] <= stampP && distance[q] > nextDistance - 1) {
          link[q] = p8 + d;
          stamp[q] = stampP;
          distance[q] = nextDistance;
        }
      }
    }
    if (meet < 0) continue; // p has no more edges to the other tree: it stays passive

    // p may have more paths to the other tree: process it again next round.
    current = p;
    if (nextActive[p] === -1) nextActive[p] = -2; // mark "active, held aside" so setActive skips it
    augmentations++;
    counters[2] = augmentations;

    // Augmentation: bottleneck along source → meetS → meetT → sink.
    const meetS = meet >> 3;
    const meetT = neighbors[meet];
    let bottleneck = edges[meet];
    for (let a = meetS; ; ) {
      const e = link[a];
      if (e === TERMINAL) {
        if (terminal[a] < bottleneck) bottleneck = terminal[a];
        break;
      }
      const c = edges[e];
      if (c < bottleneck) bottleneck = c;
      a = e >> 3;
    }
    for (let a = meetT; ; ) {
      const e = link[a];
      if (e === TERMINAL) {
        if (-terminal[a] < bottleneck) bottleneck = -terminal[a];
        break;
      }
      const c = edges[a * 8 + ((e + 4) & 7)];
      if (c < bottleneck) bottleneck = c;
      a = e >> 3;
    }
    edges[meet] -= bottleneck;
    edges[meetT * 8 + ((meet + 4) & 7)] += bottleneck;
    for (let a = meetS; ; ) {
      const e = link[a];
      if (e === TERMINAL) {
        terminal[a] -= bottleneck;
        if (terminal[a] === 0) {
          link[a] = ORPHAN;
          orphanHead = orphanHead === 0 ? n - 1 : orphanHead - 1;
          orphans[orphanHead] = a;
          orphanCount++;
        }
        break;
      }
      // e is the arc parent → a; a's arc back to the parent gains the flow.
      edges[a * 8 + ((e + 4) & 7)] += bottleneck;
      const left = edges[e] - bottleneck;
      edges[e] = left;
      if (left === 0) {
        link[a] = ORPHAN;
        orphanHead = orphanHead === 0 ? n - 1 : orphanHead - 1;
        orphans[orphanHead] = a;
        orphanCount++;
      }
      a = e >> 3;
    }
    for (let a = meetT; ; ) {
      const e = link[a];
      if (e === TERMINAL) {
        terminal[a] += bottleneck;
        if (terminal[a] === 0) {
          link[a] = ORPHAN;
          orphanHead = orphanHead === 0 ? n - 1 : orphanHead - 1;
          orphans[orphanHead] = a;
          orphanCount++;
        }
        break;
      }
      // e is the arc parent → a; the flow goes a → parent.
      edges[e] += bottleneck;
      const up = a * 8 + ((e + 4) & 7);
      const left = edges[up] - bottleneck;
      edges[up] = left;
      if (left === 0) {
        link[a] = ORPHAN;
        orphanHead = orphanHead === 0 ? n - 1 : orphanHead - 1;
        orphans[orphanHead] = a;
        orphanCount++;
      }
      a = e >> 3;
    }
    flow += bottleneck;
    counters[0] = flow;
  }
}

/**
 * Throws unless every slot without a neighbour has capacity 0. A grid network's neighbours (made
 * by {@link createGridNetwork}) are missing on the border only, so only the border is read.
 */
function checkMissingSlots(network: FlowNetwork): void {
  const { nodeCount: n, edges, neighbors } = network;
  const check = (p: number) => {
    for (let e = p * 8; e < p * 8 + 8; e++) {
      if (neighbors[e] < 0 && edges[e] !== 0) {
        throw new StrokecutError(
          'INVALID_OPTION',
          `Node ${e >> 3} has capacity ${edges[e]} in slot ${e & 7}, which has no neighbour.`,
        );
      }
    }
  };
  const grid = gridShapes.get(neighbors);
  if (!grid) {
    for (let p = 0; p < n; p++) check(p);
    return;
  }
  const { width, height } = grid;
  for (let x = 0; x < width; x++) {
    check(x);
    check((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    check(y * width);
    check(y * width + width - 1);
  }
}

/**
 * The trees at the start of a solve from nothing: every node with terminal residual is a child of
 * its terminal. Only those that can grow are made active: a node whose every residual edge (out of
 * it in the source tree, into it in the sink tree) leads to a node leaning the same way has nothing
 * to grow into, and most nodes of an image cut are such, deep inside a region. That stays so
 * until a neighbour leaves the tree, and a node freed from a tree activates its neighbours (see
 * the adoption), so the search ends with the same trees and the same cut, from less work.
 */
function plantTrees(
  network: FlowNetwork,
  tree: Uint8Array,
  link: Int32Array,
  distance: Int32Array,
  nextActive: Int32Array,
  ends: Int32Array,
): void {
  const { nodeCount: n, terminal, edges, neighbors } = network;
  for (let p = 0; p < n; p++) {
    const t = terminal[p];
    if (t === 0) continue;
    tree[p] = t > 0 ? SOURCE : SINK;
    link[p] = TERMINAL;
    distance[p] = 1;
    const p8 = p * 8;
    let grows = false;
    if (t > 0) {
      for (let d = 0; d < 8 && !grows; d++) grows = edges[p8 + d] !== 0 && terminal[neighbors[p8 + d]] <= 0;
    } else {
      for (let d = 0; d < 8 && !grows; d++) {
        const q = neighbors[p8 + d];
        grows = q >= 0 && edges[q * 8 + ((d + 4) & 7)] !== 0 && terminal[q] >= 0;
      }
    }
    if (grows) enqueue(nextActive, ends, p);
  }
}

/** Appends p to the active queue (ends[0] first, ends[1] last) unless it is queued already. */
function enqueue(nextActive: Int32Array, ends: Int32Array, p: number): void {
  if (nextActive[p] !== -1) return;
  if (ends[1] >= 0) nextActive[ends[1]] = p;
  else ends[0] = p;
  ends[1] = p;
  nextActive[p] = p;
}

/**
 * Most flow in an image cut goes source → p → q → sink between two neighbours of opposite
 * leaning: push it directly in one pass, before any tree exists, so that BK finds only the longer
 * paths. (Any feasible flow is a valid start: the trees are built from the residual.) Returns the
 * flow pushed.
 */
function greedyStart(network: FlowNetwork): number {
  const { nodeCount: n, terminal, edges, neighbors } = network;
  let flow = 0;
  for (let p = 0; p < n; p++) {
    let t = terminal[p];
    if (t <= 0) continue;
    for (let d = 0; d < 8 && t > 0; d++) {
      const c = edges[p * 8 + d];
      if (c === 0) continue; // (missing neighbours have capacity 0)
      const q = neighbors[p * 8 + d];
      const u = terminal[q];
      if (u >= 0) continue;
      const m = Math.min(t, c, -u);
      t -= m;
      terminal[q] = u + m;
      edges[p * 8 + d] = c - m;
      edges[q * 8 + ((d + 4) & 7)] += m;
      flow += m;
    }
    terminal[p] = t;
  }
  return flow;
}

/**
 * Tree reuse (after Kolmogorov's `maxflow_reuse_trees_init`): each node whose terminal capacity
 * changed becomes active and a child of the terminal its residual now leans to; if that moves it
 * to the other tree (or out of none), its children become orphans and the other tree's neighbours
 * that reach it become active. A changed node left with no terminal residual is an orphan itself.
 * Orphans go to `orphans` from slot 0; ends = [first active, last active, orphan count].
 */
function reRootChangedNodes(
  network: FlowNetwork,
  trees: SearchTrees,
  time: number,
  nextActive: Int32Array,
  orphans: Int32Array,
  ends: Int32Array,
): void {
  const { terminal, edges, neighbors } = network;
  const { tree, link, stamp, distance, changed, isChanged } = trees;
  let orphanCount = 0;
  for (let c = 0; c < trees.changedCount; c++) {
    const i = changed[c];
    isChanged[i] = 0;
    const t = terminal[i];
    if (t === 0) {
      // A root loses its terminal: an orphan. A child keeps its parent (the edge is unchanged)
      // unless the parent, changed before it, has moved to the other tree.
      const e = link[i];
      if (e === TERMINAL || (e >= 0 && tree[e >> 3] !== tree[i])) {
        link[i] = ORPHAN;
        orphans[orphanCount++] = i;
      }
      continue;
    }
    const side = t > 0 ? SOURCE : SINK;
    // A node that stays in its tree only becomes a root there: no tree meets another where none
    // met before, so it stays passive (after a solve every node is). One that joins or changes
    // tree can grow, and so can the other tree's neighbours with an edge into it.
    if (tree[i] !== side) {
      enqueue(nextActive, ends, i);
      for (let d = 0; d < 8; d++) {
        const q = neighbors[i * 8 + d];
        if (q < 0) continue;
        // (A changed neighbour not yet re-rooted is re-rooted or orphaned in its turn.)
        const e = link[q];
        if (isChanged[q] === 0 && e >= 0 && e >> 3 === i) {
          link[q] = ORPHAN;
          orphans[orphanCount++] = q;
        }
        // The other tree's neighbours with an edge to i may grow into it: active, changed or not
        // (a changed one that stays in its tree is not made active in its own turn).
        const other = tree[q];
        if (other !== FREE && other !== side) {
          const c = side === SOURCE ? edges[i * 8 + d] : edges[q * 8 + ((d + 4) & 7)];
          if (c > 0) enqueue(nextActive, ends, q);
        }
      }
      tree[i] = side;
    }
    link[i] = TERMINAL;
    stamp[i] = time;
    distance[i] = 1;
  }
  trees.changedCount = 0;
  ends[2] = orphanCount;
}
