import { createRandom } from '../random.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { KMeansOptions, KMeansResult } from './kmeans-shared.js';
import {
  centreShift,
  initialiseKMeansPlusPlusPlain,
  sampleIndex,
  startKMeans,
  sumClusters,
  updateCentroids,
} from './kmeans-shared.js';

export type { KMeansOptions, KMeansResult } from './kmeans-shared.js';
export { assertClusterCount, KMEANS_DEFAULTS } from './kmeans-shared.js';

/**
 * A point is kept in its cluster without a distance scan only when the bounds prove every other
 * centre farther by at least this much (RGB units). It absorbs the rounding of the bounds (about
 * 1e−11 after 100 iterations) with a wide margin, so near-ties always get the full scan and the
 * plain algorithm's tie-breaking.
 */
const BOUND_SLACK = 1e-6;

/**
 * Weighted k-means on distinct colours (each colour counted with its pixel count, which gives the
 * same clusters as running on every pixel, for far less work). Initialisation is k-means++ from a
 * seeded PRNG; iterations are Lloyd's. Deterministic for a given seed: ties in the nearest-centre
 * search go to the lowest cluster index, and an emptied cluster is moved to the point farthest
 * from its centre (lowest index on ties).
 *
 * When there are no more distinct colours than k, each colour is its own cluster.
 *
 * Accelerated, with results identical (to the bit) to the plain algorithm, {@link kmeansPlain}:
 * - Hamerly's bounds (2010): per point an upper bound on the distance to its centre and a lower
 *   bound on the distance to every other; most points are settled without a distance scan.
 *   Points whose bounds are within {@link BOUND_SLACK} of deciding get the plain scan.
 * - With whole-number weights (pixel counts), the centre sums are exact integers in floating
 *   point, so they are updated by the points that moved instead of recomputed; the result is the
 *   same number the plain sum gives. Fractional weights take the plain update.
 */
export function kmeans(points: WeightedColors, k: number, options: KMeansOptions = {}): KMeansResult {
  const { seed, maxIterations, tolerance, trivial } = startKMeans(points, k, options);
  if (trivial) return trivial;
  const n = points.count;
  const { colors, weights } = points;
  const total = points.total;

  const whole = wholeWeightTotal(points);
  const exactSums = whole >= 0 && whole * 255 < 2 ** 53;
  const seeded = seedAndAssign(points, k, seed, whole);
  const centroids = seeded?.centroids ?? initialiseKMeansPlusPlusPlain(points, k, seed);
  const previous = new Float64Array(k * 3);
  const state: BoundState = {
    assignment: new Int32Array(n).fill(-1),
    key: new Float64Array(n),
    // Entry k stays 0: the runner-up of points that have none tracked yet.
    clusterTravelled: new Float64Array(k + 1),
    lowerAt: new Float64Array(n),
    runnerUp: new Int32Array(n).fill(k),
    runnerUpKey: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    runnerUpLowerAt: new Float64Array(n).fill(Number.POSITIVE_INFINITY),
    travelled: 0,
    half: new Float64Array(k),
    neighbourOrder: new Int32Array(k * k),
    neighbourDistance: new Float64Array(k * k),
  };
  const { assignment } = state;
  initialNeighbourOrder(k, state.neighbourOrder);
  const sums = new Float64Array(k * 3);
  const clusterWeight = new Float64Array(k);
  let distance: Float64Array | undefined;
  let boundsValid = false;
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    iterations++;
    if (boundsValid) sortNeighbours(centroids, k, state);
    let changed: number;
    if (iterations === 1 && seeded) {
      // Lloyd's first scan, already done by the initialisation.
      takeSeededAssignment(seeded, state, n);
      changed = n;
    } else {
      changed = assignStep(points, k, centroids, state, boundsValid, exactSums, sums, clusterWeight);
    }
    if (changed === 0) {
      converged = true;
      break;
    }
    previous.set(centroids);
    // Incremental sums are exact only with whole-number weights and valid bounds (every move
    // seen); otherwise sum afresh, as the plain update does.
    if (!exactSums || !boundsValid) sumClusters(points, assignment, sums, clusterWeight);
    let anyEmpty = false;
    for (let c = 0; c < k; c++) if (!(clusterWeight[c] > 0)) anyEmpty = true;
    if (exactSums && !anyEmpty) {
      for (let c = 0; c < k; c++) {
        centroids[c * 3] = sums[c * 3] / clusterWeight[c];
        centroids[c * 3 + 1] = sums[c * 3 + 1] / clusterWeight[c];
        centroids[c * 3 + 2] = sums[c * 3 + 2] / clusterWeight[c];
      }
    } else {
      // The plain update, which also re-seeds emptied clusters. It needs each point's squared
      // distance to its centre as the plain assignment step computed it (same expression, same
      // value). Re-seeding moves points behind the bounds' back, so they are rebuilt next time.
      distance ??= new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = assignment[i];
        const dr = colors[i * 3] - previous[a * 3];
        const dg = colors[i * 3 + 1] - previous[a * 3 + 1];
        const db = colors[i * 3 + 2] - previous[a * 3 + 2];
        distance[i] = dr * dr + dg * dg + db * db;
      }
      updateCentroids(
        points,
        assignment,
        k,
        centroids,
        new Float64Array(k * 3),
        new Float64Array(k),
        distance,
      );
    }
    boundsValid = !anyEmpty;
    let largest = 0;
    for (let c = 0; c < k; c++) {
      const shift = centreShift(previous, centroids, c);
      state.clusterTravelled[c] += shift;
      if (shift > largest) largest = shift;
    }
    if (tolerance > 0 && largest <= tolerance) {
      converged = true;
      break;
    }
    state.travelled += largest;
  }

  return { k, centroids, weights: clusterShares(assignment, weights, k, total), iterations, converged };
}

// (The per-point loops before and after the iterations are functions of their own: in the long
// function above they were compiled by on-stack replacement and thrown away again when the code
// after them first ran.)

/** Lloyd's first assignment and the bounds, from the k-means++ pass that found them. */
function takeSeededAssignment(seeded: SeededClusters, state: BoundState, n: number): void {
  const { assignment, key, lowerAt } = state;
  const { nearestIndex, nearest, lower } = seeded;
  for (let i = 0; i < n; i++) {
    assignment[i] = nearestIndex[i];
    const u = Math.sqrt(nearest[i]);
    key[i] = lower[i] - u - BOUND_SLACK;
    lowerAt[i] = lower[i];
  }
}

/** Each cluster's share of the total weight. */
function clusterShares(
  assignment: Int32Array,
  weights: Float64Array,
  k: number,
  total: number,
): Float64Array {
  const shares = new Float64Array(k);
  for (let i = 0; i < assignment.length; i++) shares[assignment[i]] += weights[i];
  for (let c = 0; c < k; c++) shares[c] /= total;
  return shares;
}

/**
 * What the accelerated assignment step keeps between iterations.
 *
 * Hamerly's bounds, kept lazily so that a settled point costs a few comparisons per iteration.
 * Per iteration, a point's distance to its own centre a grows by at most a's move, and its
 * distance to any other centre c shrinks by at most c's move. With C_c the total distance centre
 * c has moved so far and M the total of the per-iteration largest moves (`travelled`), a point
 * examined when its own centre was nearer than every other by a margin g (upper bound u, lower
 * bound l, g = l − u) stays in its cluster as long as C_a + M < g + C_a(then) + M(then): that
 * right-hand side is its `key`. `lowerAt` is l + M(then), so the lower bound now is `lowerAt − M`.
 *
 * The runner-up (the second-nearest centre s when the point was last scanned) is tracked apart:
 * `key`/`lowerAt` bound the distance to every centre but a and s, and `runnerUpKey`/
 * `runnerUpLowerAt` the distance to s alone, which shrinks only by s's own moves (C_s in place of
 * M). Why: on large noisy sets a few centres keep drifting by about a colour level per iteration
 * long after the rest have settled (median move 0.01), and with one bound for all, M — the
 * drifters' moves — wore every point's margin down and sent it back to a scan within an
 * iteration or two. The margin to the runner-up, the one that usually decides, now wears down
 * by the runner-up's own (small) moves; the drifters only wear the margin to the third-nearest,
 * which is wider.
 */
interface BoundState {
  readonly assignment: Int32Array;
  readonly key: Float64Array;
  readonly lowerAt: Float64Array;
  /** The tracked runner-up of each point, or k (none: C_k stays 0 and its key is +∞). */
  readonly runnerUp: Int32Array;
  readonly runnerUpKey: Float64Array;
  readonly runnerUpLowerAt: Float64Array;
  /** C_c: how far each centre has moved in all, over the iterations so far (k + 1 entries). */
  readonly clusterTravelled: Float64Array;
  /** M: the sum over the iterations so far of the largest move of any centre. */
  travelled: number;
  /** Half the distance from each centre to its nearest other centre (Hamerly's s(a)). */
  readonly half: Float64Array;
  /** Row a: all centres in order of distance from centre a (a first), and those distances. */
  readonly neighbourOrder: Int32Array;
  readonly neighbourDistance: Float64Array;
}

/**
 * Lloyd's assignment step, accelerated: each point's nearest centre (lowest index on ties), as the
 * plain scan finds it, examining only the points whose bounds no longer prove their centre nearest
 * (see {@link BoundState}), and scanning for those only the centres that can be nearer. Moves
 * update the cluster sums when they are exact. Returns the number of points that changed cluster.
 * (A function of its own so that the engine optimises it after the first few iterations.)
 */
function assignStep(
  points: WeightedColors,
  k: number,
  centroids: Float64Array,
  state: BoundState,
  boundsValid: boolean,
  exactSums: boolean,
  sums: Float64Array,
  clusterWeight: Float64Array,
): number {
  const { colors, weights, count: n } = points;
  const { assignment, key, lowerAt, clusterTravelled, half, neighbourOrder, neighbourDistance } = state;
  const { runnerUp, runnerUpKey, runnerUpLowerAt } = state;
  const travelled = state.travelled;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = assignment[i];
    const movedA = clusterTravelled[a];
    let s = runnerUp[i];
    if (boundsValid && movedA + travelled < key[i] && movedA + clusterTravelled[s] < runnerUpKey[i]) continue;
    const r = colors[i * 3];
    const g = colors[i * 3 + 1];
    const b = colors[i * 3 + 2];
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let third = Number.POSITIVE_INFINITY;
    let unvisited = Number.POSITIVE_INFINITY;
    s = k;
    if (boundsValid) {
      const dr = r - centroids[a * 3];
      const dg = g - centroids[a * 3 + 1];
      const db = b - centroids[a * 3 + 2];
      const u = Math.sqrt(dr * dr + dg * dg + db * db);
      // Every other centre is at least `lower` away (the runner-up at least `lowerRunnerUp`): by
      // the lazy bounds, and by Hamerly's triangle inequality (centre c is at least 2·half[a]
      // from a, so at least 2·half[a] − u from the point).
      const triangle = 2 * half[a] - u;
      let lower = lowerAt[i] - travelled;
      if (triangle > lower) lower = triangle;
      const tracked = runnerUp[i];
      let lowerRunnerUp = runnerUpLowerAt[i] - clusterTravelled[tracked];
      if (triangle > lowerRunnerUp) lowerRunnerUp = triangle;
      if (u + BOUND_SLACK < lower && u + BOUND_SLACK < lowerRunnerUp) {
        key[i] = lower - u - BOUND_SLACK + movedA + travelled;
        lowerAt[i] = lower + travelled;
        runnerUpKey[i] = lowerRunnerUp - u - BOUND_SLACK + movedA + clusterTravelled[tracked];
        runnerUpLowerAt[i] = lowerRunnerUp + clusterTravelled[tracked];
        continue;
      }
      // Scan outwards from a, the other centres in order of their distance from a. A centre at
      // distance D from a is at least D − u from the point, so once D − u exceeds the third-
      // nearest found so far, no later centre can be nearest, runner-up or third. Ties keep the
      // lowest index, as the plain scan does; centres not visited are farther than the best by
      // more than the slack, so the plain scan would not pick them either.
      const row = a * k;
      let thirdRoot = Number.POSITIVE_INFINITY;
      for (let t = 0; t < k; t++) {
        const gap = neighbourDistance[row + t] - u;
        if (gap > thirdRoot + BOUND_SLACK) {
          unvisited = gap;
          break;
        }
        const c = neighbourOrder[row + t];
        const er = r - centroids[c * 3];
        const eg = g - centroids[c * 3 + 1];
        const eb = b - centroids[c * 3 + 2];
        const d = er * er + eg * eg + eb * eb;
        if (d < bestDistance || (d === bestDistance && c < best)) {
          third = second;
          second = bestDistance;
          s = bestDistance === Number.POSITIVE_INFINITY ? k : best;
          bestDistance = d;
          best = c;
          thirdRoot = Math.sqrt(third);
        } else if (d < second) {
          third = second;
          second = d;
          s = c;
          thirdRoot = Math.sqrt(third);
        } else if (d < third) {
          third = d;
          thirdRoot = Math.sqrt(third);
        }
      }
    } else {
      // The plain scan, as Lloyd's step does it (lowest index wins ties), plus the runner-up and
      // the third.
      for (let c = 0; c < k; c++) {
        const er = r - centroids[c * 3];
        const eg = g - centroids[c * 3 + 1];
        const eb = b - centroids[c * 3 + 2];
        const d = er * er + eg * eg + eb * eb;
        if (d < bestDistance) {
          third = second;
          second = bestDistance;
          s = bestDistance === Number.POSITIVE_INFINITY ? k : best;
          bestDistance = d;
          best = c;
        } else if (d < second) {
          third = second;
          second = d;
          s = c;
        } else if (d < third) {
          third = d;
        }
      }
    }
    const u = Math.sqrt(bestDistance);
    const lower = Math.min(Math.sqrt(third), unvisited);
    const movedBest = clusterTravelled[best];
    key[i] = lower - u - BOUND_SLACK + movedBest + travelled;
    lowerAt[i] = lower + travelled;
    // With no runner-up (k = 1) the sentinel's key is +∞.
    const lowerRunnerUp = s === k ? Number.POSITIVE_INFINITY : Math.sqrt(second);
    runnerUp[i] = s;
    runnerUpKey[i] = lowerRunnerUp - u - BOUND_SLACK + movedBest + clusterTravelled[s];
    runnerUpLowerAt[i] = lowerRunnerUp + clusterTravelled[s];
    if (a !== best) {
      assignment[i] = best;
      changed++;
      if (exactSums && boundsValid) {
        const w = weights[i];
        sums[a * 3] -= w * r;
        sums[a * 3 + 1] -= w * g;
        sums[a * 3 + 2] -= w * b;
        clusterWeight[a] -= w;
        sums[best * 3] += w * r;
        sums[best * 3 + 1] += w * g;
        sums[best * 3 + 2] += w * b;
        clusterWeight[best] += w;
      }
    }
  }
  return changed;
}

function initialNeighbourOrder(k: number, order: Int32Array): void {
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) order[a * k + c] = c;
}

/**
 * Refreshes {@link BoundState.neighbourOrder}/`neighbourDistance`/`half` for the current centres.
 * Rows are re-sorted by insertion sort from the previous order, which centres moving a little
 * barely disturb, so this costs about k² per iteration.
 */
function sortNeighbours(centroids: Float64Array, k: number, state: BoundState): void {
  const { neighbourOrder: order, neighbourDistance: distance, half } = state;
  for (let a = 0; a < k; a++) {
    const row = a * k;
    const ar = centroids[a * 3];
    const ag = centroids[a * 3 + 1];
    const ab = centroids[a * 3 + 2];
    for (let t = 0; t < k; t++) {
      const c = order[row + t];
      const dr = ar - centroids[c * 3];
      const dg = ag - centroids[c * 3 + 1];
      const db = ab - centroids[c * 3 + 2];
      // Centre a itself first, whatever the rounding.
      distance[row + t] = c === a ? -1 : Math.sqrt(dr * dr + dg * dg + db * db);
    }
    for (let t = 1; t < k; t++) {
      const c = order[row + t];
      const d = distance[row + t];
      let s = t - 1;
      while (s >= 0 && (distance[row + s] > d || (distance[row + s] === d && order[row + s] > c))) {
        order[row + s + 1] = order[row + s];
        distance[row + s + 1] = distance[row + s];
        s--;
      }
      order[row + s + 1] = c;
      distance[row + s + 1] = d;
    }
    distance[row] = 0;
    half[a] = k > 1 ? 0.5 * distance[row + 1] : Number.POSITIVE_INFINITY;
  }
}

/**
 * The sum of the weights when every one is a whole number ≥ 0; −1 otherwise. With a whole total T
 * and T × scale < 2^53, any sum of `weight × value` (value ≤ scale) is an exact integer in floating
 * point, whatever the order of the additions — which is what lets the fast paths add in a
 * different order than the plain code and still get the same numbers.
 */
function wholeWeightTotal(points: WeightedColors): number {
  const weights = points.weights;
  let total = 0;
  for (let i = 0; i < points.count; i++) {
    const w = weights[i];
    if (!Number.isInteger(w) || w < 0) return -1;
    total += w;
  }
  return total;
}

/** Largest squared distance between two 8-bit colours. */
const MAX_SQUARED_DISTANCE = 3 * 255 * 255;
/** Points per block of the running sums used to sample k-means++ centres. */
const BLOCK = 256;

/**
 * k-means++ (Arthur & Vassilvitskii 2007) with point weights: the first centre is drawn with
 * probability ∝ weight, each next one ∝ weight × squared distance to the nearest chosen centre.
 *
 * Same draws as the plain version ({@link initialiseKMeansPlusPlusPlain}). With whole-number
 * weights every score (weight × squared distance between integer colours) and every sum of
 * scores is an exact integer, so the draw can be found through per-block sums, kept up to date
 * in the distance pass, instead of two more passes over all points per centre.
 */
export function initialiseKMeansPlusPlus(points: WeightedColors, k: number, seed: number): Float64Array {
  return (
    seedAndAssign(points, Math.min(k, points.count), seed)?.centroids ??
    initialiseKMeansPlusPlusPlain(points, k, seed)
  );
}

/** k-means++ centres, and each point's nearest centre among them. */
interface SeededClusters {
  centroids: Float64Array;
  /** Nearest centre of each point (lowest index on ties), as Lloyd's first scan finds it. */
  nearestIndex: Int32Array;
  /** Squared distance to it. */
  nearest: Float64Array;
  /** A lower bound on the distance (not squared) to every other centre. */
  lower: Float64Array;
}

/**
 * The fast k-means++ (see {@link initialiseKMeansPlusPlus}), or undefined when the weights do not
 * allow exact sums.
 *
 * Points are kept in groups by nearest centre so far. A new centre c cannot be nearer than its
 * current nearest centre j to any point of j's group when |c − j|² ≥ 4 × the group's largest
 * squared distance (triangle inequality; all these are integers, so the test is exact): such a
 * group is skipped whole. Its points' scores do not change, so neither do the draws.
 *
 * The distance passes also find each point's nearest centre, with the same squared distances and
 * tie-breaking as Lloyd's first assignment scan (centres in index order, strict `<`), so one more
 * pass for the last centre gives that scan's result for free; with a lower bound on the distance
 * to the other centres (exact runner-up where computed, triangle bound where skipped).
 */
function seedAndAssign(
  points: WeightedColors,
  k: number,
  seed: number,
  /** {@link wholeWeightTotal} of the points, when the caller has it. */
  whole = wholeWeightTotal(points),
): SeededClusters | undefined {
  if (!(whole >= 0 && whole * MAX_SQUARED_DISTANCE < 2 ** 53)) return undefined;
  const { colors, weights, count: n } = points;
  const random = createRandom(seed);
  const centroids = new Float64Array(k * 3);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const second = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  /** Lower bound on the distance to centres skipped while the point was in another group. */
  const skippedBefore = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const nearestIndex = new Int32Array(n).fill(-1);
  const score = new Float64Array(n);
  const blocks = Math.ceil(n / BLOCK);
  const blockSums = new Float64Array(blocks);
  // Groups as singly linked lists: head[j] → next[i] → … → −1. Group k holds the points before
  // the first centre.
  const head = new Int32Array(k + 1).fill(-1);
  const next = new Int32Array(n);
  const groupMax = new Float64Array(k + 1);
  /** Lower bound on the distance from group j's points to the centres skipped for j. */
  const groupSkipped = new Float64Array(k + 1).fill(Number.POSITIVE_INFINITY);
  head[k] = chainAll(next);
  groupMax[k] = Number.POSITIVE_INFINITY;
  const seeding: Seeding = {
    colors,
    weights,
    nearest,
    second,
    skippedBefore,
    nearestIndex,
    score,
    blockSums,
    next,
    sums: new Float64Array(3),
    movedHead: new Int32Array(1),
  };

  let chosen = sampleIndex(weights, n, random());
  for (let c = 0; c < k; c++) {
    const cr = colors[chosen * 3];
    const cg = colors[chosen * 3 + 1];
    const cb = colors[chosen * 3 + 2];
    centroids[c * 3] = cr;
    centroids[c * 3 + 1] = cg;
    centroids[c * 3 + 2] = cb;
    seeding.movedHead[0] = -1;
    seeding.sums[MOVED_MAX] = 0;
    for (let j = 0; j <= k; j++) {
      if (head[j] < 0 || j === c) continue;
      if (j < k) {
        const dr = centroids[j * 3] - cr;
        const dg = centroids[j * 3 + 1] - cg;
        const db = centroids[j * 3 + 2] - cb;
        const between = dr * dr + dg * dg + db * db;
        if (between >= 4 * groupMax[j]) {
          groupSkipped[j] = Math.min(groupSkipped[j], Math.sqrt(between) - Math.sqrt(groupMax[j]));
          continue;
        }
      }
      head[j] = visitGroup(seeding, head[j], c, cr, cg, cb, groupSkipped[j]);
      groupMax[j] = seeding.sums[STAY_MAX];
    }
    head[c] = seeding.movedHead[0];
    groupMax[c] = seeding.sums[MOVED_MAX];
    if (c < k - 1) chosen = sampleFromBlocks(score, blockSums, n, random() * seeding.sums[TOTAL]);
  }
  const lower = lowerBounds(second, skippedBefore, groupSkipped, nearestIndex);
  return { centroids, nearestIndex, nearest, lower };
}

/** Links every point into one list, 0 → 1 → … → −1 (through `next`); returns its head. */
function chainAll(next: Int32Array): number {
  const n = next.length;
  for (let i = 0; i < n - 1; i++) next[i] = i + 1;
  if (n > 0) next[n - 1] = -1;
  return n > 0 ? 0 : -1;
}

/** Per point, the lower bound on the distance to every centre but its nearest (see seedAndAssign). */
function lowerBounds(
  second: Float64Array,
  skippedBefore: Float64Array,
  groupSkipped: Float64Array,
  nearestIndex: Int32Array,
): Float64Array {
  const n = second.length;
  const lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lower[i] = Math.min(Math.sqrt(second[i]), skippedBefore[i], groupSkipped[nearestIndex[i]]);
  }
  return lower;
}

/** What {@link visitGroup} works on: {@link seedAndAssign}'s arrays. */
interface Seeding {
  readonly colors: Uint8Array;
  readonly weights: Float64Array;
  readonly nearest: Float64Array;
  readonly second: Float64Array;
  readonly skippedBefore: Float64Array;
  readonly nearestIndex: Int32Array;
  readonly score: Float64Array;
  readonly blockSums: Float64Array;
  readonly next: Int32Array;
  /**
   * Running numbers, in a typed array rather than fields: [TOTAL] the sum of the scores,
   * [MOVED_MAX] the largest squared distance of the points moved to the new centre, [STAY_MAX]
   * that of the points the last visited group kept.
   */
  readonly sums: Float64Array;
  /** Head of the list of points moved to the new centre. */
  readonly movedHead: Int32Array;
}

const TOTAL = 0;
const MOVED_MAX = 1;
const STAY_MAX = 2;

/**
 * One group's visit in {@link seedAndAssign}: the points of list `head` that are nearer to the
 * new centre c (colour cr, cg, cb) than to their own move to c's list, the others stay. Returns
 * the head of the stayers' list. A function of its own, called once per visited group, so that
 * the engine optimises this loop early and for good: inside one long function it was compiled
 * part by part, and thrown away each time the code after the part was first reached — on a
 * 12 MP photo the first k-means++ took 110 ms instead of 24.
 */
function visitGroup(
  seeding: Seeding,
  head: number,
  c: number,
  cr: number,
  cg: number,
  cb: number,
  skipped: number,
): number {
  const { colors, weights, nearest, second, skippedBefore, nearestIndex, score, blockSums, next, sums } =
    seeding;
  let movedHead = seeding.movedHead[0];
  let movedMax = sums[MOVED_MAX];
  let total = sums[TOTAL];
  let stayHead = -1;
  let stayTail = -1;
  let stayMax = 0;
  for (let i = head; i >= 0; ) {
    const following = next[i];
    const dr = colors[i * 3] - cr;
    const dg = colors[i * 3 + 1] - cg;
    const db = colors[i * 3 + 2] - cb;
    const d = dr * dr + dg * dg + db * db;
    if (d < nearest[i]) {
      second[i] = nearest[i];
      skippedBefore[i] = Math.min(skippedBefore[i], skipped);
      nearest[i] = d;
      nearestIndex[i] = c;
      const updated = weights[i] * d;
      const change = updated - score[i];
      score[i] = updated;
      blockSums[(i / BLOCK) | 0] += change;
      total += change;
      next[i] = movedHead;
      movedHead = i;
      if (d > movedMax) movedMax = d;
    } else {
      if (d < second[i]) second[i] = d;
      if (stayTail < 0) stayHead = i;
      else next[stayTail] = i;
      stayTail = i;
      next[i] = -1;
      if (nearest[i] > stayMax) stayMax = nearest[i];
    }
    i = following;
  }
  seeding.movedHead[0] = movedHead;
  sums[MOVED_MAX] = movedMax;
  sums[TOTAL] = total;
  sums[STAY_MAX] = stayMax;
  return stayHead;
}

/**
 * The index the plain {@link sampleIndex} returns for `target`: the first i whose running sum
 * exceeds target (exact integers, so block sums give the same running sums).
 */
function sampleFromBlocks(values: Float64Array, blockSums: Float64Array, n: number, target: number): number {
  let cumulative = 0;
  let last = -1;
  for (let block = 0; block < blockSums.length; block++) {
    if (blockSums[block] > 0) last = block;
    if (cumulative + blockSums[block] <= target) {
      cumulative += blockSums[block];
      continue;
    }
    const end = Math.min(n, (block + 1) * BLOCK);
    for (let i = block * BLOCK; i < end; i++) {
      if (values[i] <= 0) continue;
      cumulative += values[i];
      if (cumulative > target) return i;
    }
  }
  // Only reachable if target ≥ the sum: the plain code then returns the last positive entry.
  if (last < 0) return 0;
  for (let i = Math.min(n, (last + 1) * BLOCK) - 1; i >= last * BLOCK; i--) if (values[i] > 0) return i;
  return 0;
}
