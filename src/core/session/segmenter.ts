import { hasPrompts } from '../prompts/prompts.js';
import { blockGrid, coarseFactor, shrinkImage, shrinkSeeds } from '../refine/coarse-to-fine.js';
import type { CoarseLabels, RefineHooks } from '../refine/hooks.js';
import type { FlowNetwork, MaxflowResult } from '../refine/maxflow.js';
import { cloneNetwork, solveMaxflow, updateTerminals } from '../refine/maxflow.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { SegmentOptions, SegmentResult } from '../segment.js';
import { segment } from '../segment.js';
import type { RgbaImage, RgbImage, SeedLabels } from '../types.js';
import { FitMemo } from './fit-memo.js';

/**
 * Segments one image again and again as strokes are added — the page's worker — reusing what the
 * previous runs computed:
 *
 * - values that depend on the image only (see `RefineHooks.memo`) are computed once;
 * - a k-means fit whose input is exactly an earlier one's (a class whose strokes did not change;
 *   a re-fit on labels a cut gave before) is not run again ({@link FitMemo});
 * - each graph cut starts from a solved network of an earlier run — the same cut of the previous
 *   run, or (when there is none) the previous cut of this one — with
 *   its flow and search trees (dynamic graph cuts: Kohli & Torr, ICCV 2005). For a fixed energy the
 *   nodes reachable from the source in the residual graph of any maximum flow are the same, so
 *   the cut found is the one a solve from nothing finds.
 *
 * So {@link Segmenter.segment} returns exactly `segment(image, strokes, options)` (the tests check
 * this over sequences of strokes), only sooner. {@link Segmenter.preview} is the quick
 * approximation shown while a stroke is being painted: one cut, on the coarse image for large
 * photos, with no re-fitting.
 */
/** The most k-means iterations a preview spends on a class whose strokes changed. */
const PREVIEW_KMEANS_ITERATIONS = 6;
/**
 * A preview's cut is made on the image shrunk to about this many pixels (the exact mask's on about
 * `workingPixels`, 4× as many): a quarter of the cut's cost, for blocks twice as wide.
 */
const PREVIEW_WORKING_PIXELS = 1 << 16;
/** The most distinct colours a preview's k-means fit runs on (a class's strokes hold up to ~10⁵). */
const PREVIEW_MAX_POINTS = 4096;

/**
 * At most `max` of the points: every s-th, each carrying the weight of the s points from it on (the
 * distinct colours come grouped by colour, so a run of s is a small neighbourhood of colours).
 */
function thinned(points: WeightedColors, max: number): WeightedColors {
  const { colors, weights, count, total } = points;
  if (count <= max) return points;
  const step = Math.ceil(count / max);
  const kept = Math.ceil(count / step);
  const keptColors = new Uint8Array(kept * 3);
  const keptWeights = new Float64Array(kept);
  for (let j = 0, i = 0; j < kept; j++, i += step) {
    keptColors[j * 3] = colors[i * 3];
    keptColors[j * 3 + 1] = colors[i * 3 + 1];
    keptColors[j * 3 + 2] = colors[i * 3 + 2];
    let w = 0;
    for (let t = i; t < Math.min(count, i + step); t++) w += weights[t];
    keptWeights[j] = w;
  }
  return { colors: keptColors, weights: keptWeights, count: kept, total };
}

/**
 * A preview: `segment()`'s result, with the mask at the image's size (`mask`) or, for a large image,
 * on the shrunk image it was computed on (`coarse`), or both (the full-size labels spread from the
 * coarse ones).
 */
export type PreviewResult = Omit<SegmentResult, 'mask'> & { mask?: Uint8Array; coarse?: CoarseLabels };

export class Segmenter {
  private readonly fits = new FitMemo();
  private readonly values = new Map<string, unknown>();
  private readonly slots = new Map<string, CutSlot>();
  private readonly results = new RecentResults();
  private run = 0;
  private readonly hooks: RefineHooks = {
    kmeans: (points, k, options) => this.fits.fit(points, k, options),
    memo: <T>(key: string, compute: () => T): T => this.memoValue(key, compute),
    cut: (slot, index, target, build, nodes) => this.cut(slot, index, target, build, nodes),
  };

  constructor(readonly image: RgbImage) {}

  /**
   * Exactly `segment(image, strokes, options)`. `onCoarse` gets the coarse labels first, when there
   * are (not for strokes and options the segmenter answered recently, whose result it keeps: an
   * undo, a redo).
   */
  segment(
    strokes: SeedLabels | RgbImage | RgbaImage,
    options: SegmentOptions = {},
    onCoarse?: (mask: Uint8Array, blocks: CoarseLabels) => void,
  ): SegmentResult {
    const key = resultKey(strokes, options);
    const kept = key === undefined ? undefined : this.results.find(key, (strokes as SeedLabels).labels);
    if (kept) return kept;
    const result = this.segmentAgain(strokes, options, onCoarse);
    if (key !== undefined) this.results.keep(key, (strokes as SeedLabels).labels, result);
    return result;
  }

  /** True when {@link segment} would answer these strokes and options from a kept result at once. */
  knows(strokes: SeedLabels, options: SegmentOptions = {}): boolean {
    const key = resultKey(strokes, options);
    return key !== undefined && this.results.has(key, strokes.labels);
  }

  private segmentAgain(
    strokes: SeedLabels | RgbImage | RgbaImage,
    options: SegmentOptions,
    onCoarse?: (mask: Uint8Array, blocks: CoarseLabels) => void,
  ): SegmentResult {
    this.run++;
    const hooks = onCoarse
      ? {
          ...this.hooks,
          coarse: (mask: Uint8Array, blocks: CoarseLabels) => {
            onCoarse(mask, blocks);
            return true;
          },
        }
      : this.hooks;
    return segment(this.image, strokes, options, hooks);
  }

  /**
   * A quick approximate mask: one cut (no re-fitting) with colour models fitted on at most
   * {@link PREVIEW_MAX_POINTS} colours in a few iterations. An image of more than 2.25 ×
   * {@link PREVIEW_WORKING_PIXELS} pixels is segmented shrunk to about that many (strokes as the
   * coarse cuts see them): the answer is then `coarse`, the shrunk image and its labels, and `mask`
   * is absent — nothing is computed at the photo's own size, which at 12 MP would cost more than
   * the cut. Prompts (a box, a prior mask) are given in the image's pixels: with them, and in the
   * plain mode, the preview is computed at full size (`mask`).
   */
  preview(strokes: SeedLabels, options: SegmentOptions = {}): PreviewResult {
    this.run++;
    if (options.smooth === 0) return segment(this.image, strokes, options, this.hooks);
    const hooks: RefineHooks = {
      ...this.hooks,
      // A class whose strokes are being painted has new colours at every preview: a few k-means
      // iterations on a sample of them model it well enough for a look.
      kmeans: (points, k, fitOptions) =>
        this.fits.find(points, k, fitOptions) ??
        this.fits.fit(thinned(points, PREVIEW_MAX_POINTS), k, {
          ...fitOptions,
          maxIterations: Math.min(
            fitOptions.maxIterations ?? PREVIEW_KMEANS_ITERATIONS,
            PREVIEW_KMEANS_ITERATIONS,
          ),
        }),
    };
    const { width, height } = this.image;
    const factor = coarseFactor(width * height, PREVIEW_WORKING_PIXELS);
    if (factor >= 2 && !hasPrompts(options)) {
      const grid = blockGrid(width, height, factor);
      const small = this.memoValue(`shrunk by ${factor}`, () => shrinkImage(this.image, grid));
      const result = segment(
        small,
        shrinkSeeds(strokes, grid),
        { ...options, iterations: 1, workingPixels: Number.POSITIVE_INFINITY },
        hooks,
      );
      const { mask: _, ...rest } = result;
      return { ...rest, coarse: { image: small, mask: result.mask, factor } };
    }
    let coarse: CoarseLabels | undefined;
    const result = segment(
      this.image,
      strokes,
      {
        ...options,
        iterations: 1,
        workingPixels: Math.min(options.workingPixels ?? Number.POSITIVE_INFINITY, PREVIEW_WORKING_PIXELS),
      },
      {
        ...hooks,
        coarse: (_mask, blocks) => {
          coarse = blocks;
          return false;
        },
      },
    );
    return { ...result, coarse };
  }

  private memoValue<T>(key: string, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = compute();
    this.values.set(key, value);
    return value;
  }

  /** Counts of k-means fits reused and run, for tests and diagnostics. */
  get fitStats(): { reused: number; run: number } {
    return { reused: this.fits.hits, run: this.fits.misses };
  }

  private cut(
    slot: string,
    index: number,
    target: Int32Array,
    build: () => FlowNetwork,
    nodes?: Int32Array,
  ): MaxflowResult {
    let state = this.slots.get(slot);
    if (!state) {
      state = { nodes: undefined, cuts: [] };
      this.slots.set(slot, state);
      // A few slots at most (the grid for each smoothing tried, a band): drop the oldest.
      if (this.slots.size > MAX_SLOTS) this.slots.delete(this.slots.keys().next().value as string);
    }
    if (nodes && !equal(state.nodes, nodes)) {
      // Other nodes (a band that moved): a new network, with the flow of the old one's edges
      // between pixels that are nodes of both.
      const network = build();
      network.terminal.set(target);
      const old = state.cuts[index];
      if (state.nodes && old) carryFlow(old.network, state.nodes, network, nodes, target);
      state.nodes = nodes.slice();
      state.cuts = [];
      const result = solveMaxflow(network, { reuseTrees: true });
      state.cuts[index] = { network, applied: target.slice(), run: this.run };
      return result;
    }
    // The same cut of an earlier run when there is one, else a copy of this run's previous cut.
    // (Choosing the one that differs in fewer terminal capacities was slower: after a stroke both
    // differ in ~90% of them, and taking the previous cut costs a copy of its network, to keep it
    // for the next run: 0.33 → 0.28 s CPU per stroke at 1 MP without the copies.)
    const same = state.cuts[index];
    const before = index > 0 ? state.cuts[index - 1] : undefined;
    let base: SolvedCut | undefined;
    if (same) base = same;
    else if (before?.run === this.run) base = copy(before);
    let result: MaxflowResult;
    if (base) {
      const { network, applied } = base;
      updateTerminals(network, target);
      applied.set(target);
      result = solveMaxflow(network, { reuseTrees: true });
    } else {
      const network = build();
      network.terminal.set(target);
      base = { network, applied: target.slice(), run: this.run };
      result = solveMaxflow(network, { reuseTrees: true });
    }
    base.run = this.run;
    state.cuts[index] = base;
    return result;
  }
}

/**
 * Starts `network` (fresh: full edge capacities, terminal capacities `target`; node s is pixel
 * `nodes[s]`) from the flow of a solved network on other nodes: the residual capacities of every
 * edge whose two pixels are nodes of both are carried over, and each node's terminal residual
 * becomes its capacity less the net flow its edges now carry out (in the net-capacity form a
 * terminal flow of any size is a reparametrisation, so this is a feasible flow of the new problem).
 * Every cut then costs F + its residual capacity with F = Σ (t⁺ − r⁺), the flow set here.
 */
function carryFlow(
  old: FlowNetwork,
  oldNodes: Int32Array,
  network: FlowNetwork,
  nodes: Int32Array,
  target: Int32Array,
): void {
  const oldNodeOf = new PixelIndex(oldNodes);
  const { edges, terminal, neighbors } = network;
  let flow = 0;
  for (let s = 0; s < nodes.length; s++) {
    const was = oldNodeOf.get(nodes[s]);
    let out = 0;
    if (was >= 0) {
      for (let d = 0; d < 8; d++) {
        const e = s * 8 + d;
        // Same direction from the same pixel: the same neighbour pixel, if a node in both.
        if (neighbors[e] < 0 || old.neighbors[was * 8 + d] < 0) continue;
        const residual = old.edges[was * 8 + d];
        out += edges[e] - residual;
        edges[e] = residual;
      }
    }
    const t = target[s];
    const r = t - out;
    terminal[s] = r;
    flow += Math.max(t, 0) - Math.max(r, 0);
  }
  network.constantFlow = flow;
}

/** Pixel → node of a band, by open addressing (a band is a few per cent of a photo's pixels). */
class PixelIndex {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(pixels: Int32Array) {
    let size = 16;
    while (size < pixels.length * 2) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    for (let s = 0; s < pixels.length; s++) {
      let h = Math.imul(pixels[s], 0x9e3779b1) & this.mask;
      while (this.keys[h] !== -1) h = (h + 1) & this.mask;
      this.keys[h] = pixels[s];
      this.values[h] = s;
    }
  }

  get(pixel: number): number {
    for (let h = Math.imul(pixel, 0x9e3779b1) & this.mask; ; h = (h + 1) & this.mask) {
      const key = this.keys[h];
      if (key === pixel) return this.values[h];
      if (key === -1) return -1;
    }
  }
}

const MAX_SLOTS = 3;

/**
 * The options as a key for {@link RecentResults}, or undefined when the result is not kept: strokes
 * given as an image, or a prior mask among the options.
 */
function resultKey(strokes: SeedLabels | RgbImage | RgbaImage, options: SegmentOptions): string | undefined {
  if ((strokes as SeedLabels).labels === undefined || options.prior !== undefined) return undefined;
  return `${strokes.width}x${strokes.height} ${JSON.stringify(options)}`;
}

/**
 * How many recent results a segmenter keeps (an undo goes back one, a redo forward one): up to 4,
 * fewer for large images (each holds a mask and the strokes, 2 bytes a pixel), at least 2.
 */
const KEPT_RESULTS = 4;
const KEPT_RESULT_BYTES = 64 * 1024 * 1024;

/**
 * The last few results ({@link KEPT_RESULTS}) with the strokes and options they were computed for: `segment()` is a pure
 * function of those, so the same strokes and options again (an undo, a redo, a stroke cancelled)
 * get the same result without a run. Each answer is a copy (the page's worker hands the mask's
 * buffer over to the page).
 */
class RecentResults {
  private entries: { key: string; labels: Uint8Array; result: SegmentResult }[] = [];

  find(key: string, labels: Uint8Array): SegmentResult | undefined {
    const i = this.indexOf(key, labels);
    if (i < 0) return undefined;
    const [entry] = this.entries.splice(i, 1);
    this.entries.push(entry);
    return answerOf(entry.result, true);
  }

  has(key: string, labels: Uint8Array): boolean {
    return this.indexOf(key, labels) >= 0;
  }

  private indexOf(key: string, labels: Uint8Array): number {
    return this.entries.findIndex((entry) => entry.key === key && sameBytes(entry.labels, labels));
  }

  keep(key: string, labels: Uint8Array, result: SegmentResult): void {
    const kept = labels.slice();
    // The result's strokes are the labels given (segment() passes seed labels through): one copy for both.
    const seeds = result.seeds.labels === labels ? { ...result.seeds, labels: kept } : undefined;
    this.entries.push({ key, labels: kept, result: answerOf(result, false, seeds) });
    const most = Math.max(2, Math.min(KEPT_RESULTS, Math.floor(KEPT_RESULT_BYTES / (2 * labels.length))));
    while (this.entries.length > most) this.entries.shift();
  }
}

/**
 * A copy of a result that shares nothing a caller may change (but `seeds`, when given); `again`:
 * its timings are 0.
 */
function answerOf(result: SegmentResult, again: boolean, seeds?: SeedLabels): SegmentResult {
  const { stats } = result;
  return {
    ...result,
    mask: result.mask.slice(),
    seeds: seeds ?? { ...result.seeds, labels: result.seeds.labels.slice() },
    stats: {
      ...stats,
      timings: again ? { seeds: 0, kmeans: 0, classify: 0, refine: 0 } : { ...stats.timings },
      warnings: [...stats.warnings],
    },
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, words);
    const wb = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (wa[i] !== wb[i]) return false;
    for (let i = words * 4; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface SolvedCut {
  network: FlowNetwork;
  /** The terminal capacities of the problem the network holds the residual of. */
  applied: Int32Array;
  /** The run that last solved it. */
  run: number;
}

interface CutSlot {
  nodes: Int32Array | undefined;
  /** By cut index within a run. */
  cuts: SolvedCut[];
}

function copy(cut: SolvedCut): SolvedCut {
  return { network: cloneNetwork(cut.network), applied: cut.applied.slice(), run: cut.run };
}

function equal(a: Int32Array | undefined, b: Int32Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
