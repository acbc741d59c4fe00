import { StrokecutError } from '../errors.js';
import type { ColorModel } from '../model/color-model.js';
import type { RgbImage, SeedLabels } from '../types.js';
import { MASK } from '../types.js';
import { coarseFactor, refineCoarseToFine } from './coarse-to-fine.js';
import type { RefineHooks } from './hooks.js';
import type { FlowNetwork, MaxflowResult } from './maxflow.js';
import { createGridNetwork, solveMaxflow } from './maxflow.js';
import type { BoundaryTerm, DataTerm } from './terms.js';
import { dataDifferences, EdgeCapacities, fillTerminals, indexColors, refitModels } from './terms.js';

export type { BoundaryTerm, DataTerm } from './terms.js';
export { boundaryWeights, fastLogLikelihood, REFINE_SCALE } from './terms.js';

/**
 * Graph-cut refinement: the labelling x minimising
 *
 *   E(x) = Σ_p D_p(x_p) + λ Σ_{p,q 8-neighbours} [x_p ≠ x_q] · B_pq
 *
 * exactly, by a minimum cut, with stroke pixels as hard constraints; then, as GrabCut does, the two
 * colour models are re-fitted on the pixels now labelled each way and the cut is made again, until
 * the labels stop changing or `iterations` cuts have been made.
 */

export interface RefineOptions {
  /** λ, the weight of the boundary term. Must be > 0 (0 is the plain per-pixel mode, not refined). */
  smooth: number;
  /** Most graph cuts; re-estimation of the colour models happens between them. */
  iterations: number;
  /** Clusters per re-estimated colour model. */
  k: number;
  /** Seed of the re-estimation's k-means++. */
  seed: number;
  /** Most Lloyd iterations per re-estimation (they start far from converged only on the first). */
  maxIterations: number;
  dataTerm: DataTerm;
  boundaryTerm: BoundaryTerm;
  /**
   * How much a stroke pixel counts, relative to a pixel labelled by the cut, when the colour models
   * are re-fitted: strokes are the user's word, cut labels are our guess.
   */
  strokeWeight: number;
  /**
   * Colour bits per channel kept when re-fitting (8 = exact colours). Fewer bits merge near-identical
   * colours, which bounds the distinct colours k-means sees and so its cost.
   */
  reestimateBits: number;
  /**
   * Colour bits per channel at which the data term is evaluated (8 = every exact colour). The data
   * term costs k distance computations per distinct colour and per model, and a photo has ~10^5
   * distinct colours; at 6 bits (steps of 4 levels, invisible in the result) there are a few 10^4.
   */
  dataBits: number;
  /**
   * The size the re-fitting cuts work at. An image is shrunk by the integer factor f that brings
   * it nearest this many pixels, f = round(√(pixels / workingPixels)); when f ≥ 2 (images of more
   * than 2.25 × workingPixels) it is refined coarse to fine (see ./coarse-to-fine.ts): the cuts run
   * on the shrunk image, then one full-resolution cut settles a band around the coarse outline
   * with the rest fixed. That is an approximation of the full-resolution minimum (Lazy Snapping's
   * own speed-up is one too: it cuts a graph of watershed regions) which turns seconds per
   * megapixel into tens of milliseconds. Smaller images are cut whole: shrunk below about
   * workingPixels / 2, the re-fitting loop loses accuracy (measured: 0.820 against 0.842 mean
   * IoU with the benchmark's 0.15 MP photos shrunk by 2). `Infinity` cuts every image whole.
   */
  workingPixels: number;
  /**
   * How many blocks (of the coarse image's pixels, `factor` pixels wide) the band reaches beyond
   * the blocks in doubt. 0: just the blocks on either side of the coarse outline, so a band at least
   * `factor` pixels wide each way. Measured on the benchmark images scaled ×3 and ×6, 1 changed the
   * mean IoU by under 0.001 and took the band from ~2.5% to ~5% of the pixels.
   */
  bandRadius: number;
  /** Reuse of work between runs on one image (see ./hooks.ts); none by default. */
  hooks?: RefineHooks;
}

export const REFINE_DEFAULTS: Omit<RefineOptions, 'smooth' | 'iterations' | 'k' | 'seed' | 'maxIterations'> =
  {
    dataTerm: 'distance',
    boundaryTerm: 'grabcut',
    strokeWeight: 1,
    reestimateBits: 5,
    dataBits: 6,
    workingPixels: 1 << 18,
    bandRadius: 0,
  };

export interface RefineResult {
  /** 255 foreground, 0 background. */
  mask: Uint8Array;
  /** The colour models of the last cut. */
  models: { foreground: ColorModel; background: ColorModel };
  /** Graph cuts made. */
  cuts: number;
  /**
   * True when the last re-estimation changed no label (a fixed point); false when `iterations` ran
   * out. Coarse to fine: whether the coarse cuts reached a fixed point.
   */
  converged: boolean;
  /**
   * Energy of the returned labelling under the last cut's problem, in the cut's quantised units (for
   * tests and diagnostics): the whole image's at full resolution; coarse to fine, the band's (its
   * pixels' data terms and every edge touching one of them).
   */
  energy: number;
  /** Milliseconds per step, summed over the cuts: set-up, data terms, max-flow, re-fitting. */
  timings: { setup: number; data: number; maxflow: number; refit: number };
  /**
   * 1 when cut at full resolution; otherwise the coarse-to-fine shrink factor, with `bandPixels`
   * the pixels of the full-resolution band (the only ones the last cut could change).
   */
  factor: number;
  bandPixels: number;
}

export function assertRefineOptions(options: Pick<RefineOptions, 'smooth' | 'iterations'>): void {
  if (!Number.isFinite(options.smooth) || options.smooth < 0) {
    throw new StrokecutError('INVALID_OPTION', `smooth must be a number ≥ 0; found ${options.smooth}.`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < 1) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `iterations must be a positive integer; found ${options.iterations}.`,
    );
  }
}

/**
 * Refines a segmentation by graph cuts, starting from the colour models fitted on the strokes:
 * whole at full resolution, or coarse to fine when the image is at least 2.25 × `workingPixels`
 * (see {@link coarseFactor}).
 */
export function refineSegmentation(
  image: RgbImage,
  seeds: SeedLabels,
  initial: { foreground: ColorModel; background: ColorModel },
  options: RefineOptions,
): RefineResult {
  assertRefineOptions(options);
  if (!(options.smooth > 0)) {
    throw new StrokecutError('INVALID_OPTION', 'refineSegmentation needs smooth > 0 (0 is the plain mode).');
  }
  for (const name of ['reestimateBits', 'dataBits'] as const) {
    const bits = options[name];
    if (!Number.isInteger(bits) || bits < 1 || bits > 8) {
      throw new StrokecutError('INVALID_OPTION', `${name} must be an integer from 1 to 8; found ${bits}.`);
    }
  }
  if (!(options.workingPixels >= 1)) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `workingPixels must be a number ≥ 1 (Infinity: always full resolution); found ${options.workingPixels}.`,
    );
  }
  if (!Number.isInteger(options.bandRadius) || options.bandRadius < 0) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `bandRadius must be an integer ≥ 0; found ${options.bandRadius}.`,
    );
  }
  if (coarseFactor(image.width * image.height, options.workingPixels) >= 2) {
    return refineCoarseToFine(image, seeds, initial, options, refineAtFullResolution);
  }
  return refineAtFullResolution(image, seeds, initial, options);
}

/**
 * The exact minimum of the energy at the image's own resolution, re-fitting the models between
 * cuts. Options are assumed checked (by {@link refineSegmentation}).
 */
export function refineAtFullResolution(
  image: RgbImage,
  seeds: SeedLabels,
  initial: { foreground: ColorModel; background: ColorModel },
  options: RefineOptions,
): RefineResult {
  const t0 = performance.now();
  const timings = { setup: 0, data: 0, maxflow: 0, refit: 0 };
  const { width, height } = image;
  const n = width * height;
  const labels = seeds.labels;
  const hooks = options.hooks ?? {};
  const memo = hooks.memo ?? (<T>(_key: string, compute: () => T) => compute());
  const size = `${width}x${height}`;
  const capacities = memo(`capacities ${size} ${options.boundaryTerm} ${options.smooth}`, () =>
    EdgeCapacities.forImage(image, options.boundaryTerm, options.smooth),
  );
  const colors = memo(`colors ${size} ${options.dataBits}`, () => indexColors(image, options.dataBits));
  const differences = new Float64Array(colors.keys.length);
  const buildNetwork = () => {
    const network = createGridNetwork(width, height);
    fillGridEdges(network.edges, image, capacities);
    return network;
  };
  const solve = hooks.cut
    ? (index: number, target: Int32Array) =>
        hooks.cut!(`grid ${size} ${options.boundaryTerm} ${options.smooth}`, index, target, buildNetwork)
    : chainedCuts(n, buildNetwork);

  let models = initial;
  let mask: Uint8Array = new Uint8Array(n);
  let previous: Uint8Array | undefined;
  let cuts = 0;
  let converged = false;
  let energy = 0;
  const target = new Int32Array(n);
  timings.setup = performance.now() - t0;
  while (cuts < options.iterations) {
    const t1 = performance.now();
    dataDifferences(colors.keys, models.foreground, models.background, options.dataTerm, differences);
    fillTerminals(target, labels, colors.index, differences);
    const t2 = performance.now();
    const cut = solve(cuts, target);
    const t3 = performance.now();
    timings.data += t2 - t1;
    timings.maxflow += t3 - t2;
    cuts++;
    mask = cut.sourceSide;
    for (let p = 0; p < n; p++) mask[p] *= MASK.FOREGROUND; // 1 → 255, 0 → 0
    energy = labellingEnergy(mask, target, image, capacities);
    if (previous && equalMasks(previous, mask)) {
      converged = true;
      break;
    }
    if (cuts >= options.iterations) break;
    previous = mask;
    models = refitModels(image, mask, seeds, options, models);
    timings.refit += performance.now() - t3;
  }
  return { mask, models, cuts, converged, energy, timings, factor: 1, bandPixels: n };
}

/**
 * Cuts made one after the other on one network: after the first, the network keeps its residual
 * capacities (the flow found so far) and only the terminals move by the change in the data term,
 * so each later cut starts from the previous flow instead of from zero ("dynamic graph cuts",
 * Kohli & Torr 2005). A node whose terminal flow exceeds its new capacity is reparametrised: the
 * same constant added to both its terminal capacities, which leaves every cut's ranking unchanged.
 * In the net-capacity form that needs nothing but adding the change to the residual.
 */
function chainedCuts(
  n: number,
  build: () => FlowNetwork,
): (index: number, target: Int32Array) => MaxflowResult {
  let network: FlowNetwork | undefined;
  const applied = new Int32Array(n);
  return (_index, target) => {
    if (!network) {
      network = build();
      network.terminal.set(target);
    } else {
      const residual = network.terminal;
      for (let p = 0; p < n; p++) residual[p] += target[p] - applied[p];
    }
    applied.set(target);
    return solveMaxflow(network);
  };
}

/** Both directions of every neighbour pair get the pair's (symmetric) capacity. */
function fillGridEdges(edges: Int32Array, image: RgbImage, capacities: EdgeCapacities): void {
  const { width, height, data } = image;
  edges.fill(0);
  const row = width * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const i = p * 3;
      const e = p * 8;
      // Forward directions E, SE, S, SW (0–3); the reverse slot of d at the neighbour is d + 4.
      if (x + 1 < width) {
        const c = capacities.between(data, i, i + 3, false);
        edges[e] = c;
        edges[(p + 1) * 8 + 4] = c;
      }
      if (y + 1 < height) {
        if (x + 1 < width) {
          const c = capacities.between(data, i, i + row + 3, true);
          edges[e + 1] = c;
          edges[(p + width + 1) * 8 + 5] = c;
        }
        const c = capacities.between(data, i, i + row, false);
        edges[e + 2] = c;
        edges[(p + width) * 8 + 6] = c;
        if (x > 0) {
          const c = capacities.between(data, i, i + row - 3, true);
          edges[e + 3] = c;
          edges[(p + width - 1) * 8 + 7] = c;
        }
      }
    }
  }
}

/** E(x) in quantised units: terminal costs of each label plus the capacities of cut neighbour pairs. */
function labellingEnergy(
  mask: Uint8Array,
  terminal: Int32Array,
  image: RgbImage,
  capacities: EdgeCapacities,
): number {
  const { width, height, data } = image;
  const row = width * 3;
  let energy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const i = p * 3;
      const t = terminal[p];
      const fg = mask[p] !== 0;
      // Foreground pays the sink capacity (−t when t < 0), background the source capacity.
      if (fg ? t < 0 : t > 0) energy += fg ? -t : t;
      if (x + 1 < width && fg !== (mask[p + 1] !== 0)) energy += capacities.between(data, i, i + 3, false);
      if (y + 1 < height) {
        const below = p + width;
        if (x + 1 < width && fg !== (mask[below + 1] !== 0))
          energy += capacities.between(data, i, i + row + 3, true);
        if (fg !== (mask[below] !== 0)) energy += capacities.between(data, i, i + row, false);
        if (x > 0 && fg !== (mask[below - 1] !== 0)) energy += capacities.between(data, i, i + row - 3, true);
      }
    }
  }
  return energy;
}

function equalMasks(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
