import type { RefineHooks } from '../refine/hooks.js';
import type { FlowNetwork, MaxflowResult } from '../refine/maxflow.js';
import { cloneNetwork, solveMaxflow, updateTerminal } from '../refine/maxflow.js';
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
 *   run, or the previous cut of this one, whichever differs in fewer terminal capacities — with
 *   its flow and search trees (dynamic graph cuts: Kohli & Torr, ICCV 2005). For a fixed energy the
 *   nodes reachable from the source in the residual graph of any maximum flow are the same, so
 *   the cut found is the one a solve from nothing finds.
 *
 * So {@link Segmenter.segment} returns exactly `segment(image, strokes, options)` (the tests check
 * this over sequences of strokes), only sooner. {@link Segmenter.preview} is the quick
 * approximation shown while a stroke is being painted: one cut, on the coarse image for large
 * photos, with no re-fitting.
 */
export class Segmenter {
  private readonly fits = new FitMemo();
  private readonly values = new Map<string, unknown>();
  private readonly slots = new Map<string, CutSlot>();
  private run = 0;
  private readonly hooks: RefineHooks = {
    kmeans: (points, k, options) => this.fits.fit(points, k, options),
    memo: <T>(key: string, compute: () => T): T => {
      if (this.values.has(key)) return this.values.get(key) as T;
      const value = compute();
      this.values.set(key, value);
      return value;
    },
    cut: (slot, index, target, build, nodes) => this.cut(slot, index, target, build, nodes),
  };

  constructor(readonly image: RgbImage) {}

  /** Exactly `segment(image, strokes, options)`. `onCoarse` gets the coarse labels first, when there are. */
  segment(
    strokes: SeedLabels | RgbImage | RgbaImage,
    options: SegmentOptions = {},
    onCoarse?: (mask: Uint8Array) => void,
  ): SegmentResult {
    this.run++;
    const hooks = onCoarse
      ? {
          ...this.hooks,
          coarse: (mask: Uint8Array) => {
            onCoarse(mask);
            return true;
          },
        }
      : this.hooks;
    return segment(this.image, strokes, options, hooks);
  }

  /**
   * A quick approximate mask: the first cut only (no re-fitting), and for images refined coarse to
   * fine, its coarse labels without the band's full-resolution cut.
   */
  preview(strokes: SeedLabels | RgbImage | RgbaImage, options: SegmentOptions = {}): SegmentResult {
    this.run++;
    if (options.smooth === 0) return segment(this.image, strokes, options, this.hooks);
    return segment(
      this.image,
      strokes,
      { ...options, iterations: 1 },
      { ...this.hooks, coarse: () => false },
    );
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
    if (!state || (nodes && !equal(state.nodes, nodes))) {
      state = { nodes: nodes?.slice(), cuts: [] };
      this.slots.set(slot, state);
      // A few slots at most (the grid for each smoothing tried, a band): drop the oldest.
      if (this.slots.size > MAX_SLOTS) this.slots.delete(this.slots.keys().next().value as string);
    }
    const same = state.cuts[index];
    const before = index > 0 ? state.cuts[index - 1] : undefined;
    let base: SolvedCut | undefined;
    if (same && before?.run === this.run) {
      base = changes(same.applied, target) <= changes(before.applied, target) ? same : copy(before);
    } else if (same) base = same;
    else if (before?.run === this.run) base = copy(before);
    let result: MaxflowResult;
    if (base) {
      const { network, applied } = base;
      for (let p = 0; p < target.length; p++) {
        if (applied[p] !== target[p]) updateTerminal(network, p, target[p]);
      }
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

const MAX_SLOTS = 3;

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

function changes(a: Int32Array, b: Int32Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) count++;
  return count;
}

function equal(a: Int32Array | undefined, b: Int32Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
