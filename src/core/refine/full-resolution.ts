import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { keepConnected } from './cleanup.js';
import { cutEnergy, fillGridEdges } from './grid.js';
import type { FlowNetwork, MaxflowResult } from './maxflow.js';
import { createGridNetwork, solveMaxflow } from './maxflow.js';
import type { ColorModels, RefineOptions, RefineResult } from './options.js';
import { addStarEdges, geodesicRefitCell, starParents } from './star.js';
import {
  dataDifferences,
  EdgeCapacities,
  fillTerminals,
  indexColors,
  REFINE_SCALE,
  refitModels,
  withStrokeMixtures,
} from './terms.js';

/**
 * The exact minimum of the energy at the image's own resolution, GrabCut's loop:
 *
 *   weights  the boundary term's edge capacities, once (they depend on the image only);
 *   loop     assign — each pixel's data term under the current colour models;
 *            cut    — the minimum cut, strokes hard;
 *            learn  — both colour models re-fitted on the pixels the cut gave each class;
 *   until the labels stop changing or `iterations` cuts have been made.
 *
 * Options are taken as checked (see ./options.ts).
 */
export function refineAtFullResolution(
  image: RgbImage,
  seeds: SeedLabels,
  initial: ColorModels,
  options: RefineOptions,
): RefineResult {
  const t0 = performance.now();
  const timings = { setup: 0, data: 0, maxflow: 0, refit: 0 };
  const n = image.width * image.height;

  // Weights (through the session's memo, when there is one: they depend on the image only).
  const { width, height } = image;
  const hooks = options.hooks ?? {};
  const memo = hooks.memo ?? (<T>(_key: string, compute: () => T) => compute());
  const size = `${width}x${height}`;
  const capacities = memo(`capacities ${size} ${options.boundaryTerm} ${options.smooth}`, () =>
    EdgeCapacities.forImage(image, options.boundaryTerm, options.smooth),
  );
  const parents = options.star ? starParents(image, seeds, options.starGamma) : undefined;
  // With starLast the colour models are learnt without the star, which then shapes the last cut.
  const starEvery = parents && !options.starLast;
  // A soft star: breaking it costs starSoft times a uniform region's straight edge.
  const starCapacity =
    options.starSoft > 0 ? Math.round(options.starSoft * options.smooth * REFINE_SCALE) : undefined;
  const buildPlain = () => {
    const network = createGridNetwork(width, height);
    fillGridEdges(network, image, capacities);
    return network;
  };
  const buildNetwork = () => {
    const network = buildPlain();
    if (starEvery) addStarEdges(network, parents, undefined, starCapacity);
    return network;
  };
  const colors = memo(`colors ${size} ${options.dataBits}`, () => indexColors(image, options.dataBits));
  const differences = new Float64Array(colors.keys.length);
  // The star's edges depend on the foreground strokes: a network with them is for these strokes only.
  const plainSlot = `grid ${size} ${options.boundaryTerm} ${options.smooth}`;
  const starSlot = parents && `${plainSlot} star ${options.starGamma} ${fingerprint(seeds.labels)}`;
  const slot = starEvery ? starSlot! : plainSlot;
  const chained = hooks.cut ? undefined : chainedCuts(n, buildNetwork);
  const target = new Int32Array(n);
  // The most labels a cut may change and the loop stop (settle); −1: none (stop at a fixed point).
  const settleLimit = options.settle > 0 ? Math.floor(options.settle * n) : -1;
  timings.setup = performance.now() - t0;

  let models = withStrokeMixtures(image, seeds, options, initial);
  // The foreground strokes' geodesic cell also teaches the foreground model (see geodesicRefit).
  const cell = geodesicRefitCell(image, seeds, options);
  let mask: Uint8Array = new Uint8Array(n);
  let previous: Uint8Array | undefined;
  let cuts = 0;
  let converged = false;
  let network: FlowNetwork | undefined;
  for (;;) {
    // Assign.
    const t1 = performance.now();
    dataDifferences(colors.keys, models, options.dataTerm, options.gmmWeight, differences);
    fillTerminals(target, seeds.labels, colors.index, differences);
    // Cut.
    const t2 = performance.now();
    if (chained) {
      mask = chained.solve(target).sourceSide;
      network = chained.network();
    } else {
      mask = hooks.cut!(slot, cuts, target, buildNetwork).sourceSide;
    }
    toMaskValues(mask); // 1 → 255, 0 → 0
    const t3 = performance.now();
    timings.data += t2 - t1;
    timings.maxflow += t3 - t2;
    cuts++;
    if (previous) {
      const changed = countChanges(previous, mask, settleLimit);
      if (changed === 0) {
        converged = true;
        break;
      }
      if (changed <= settleLimit) break;
    }
    if (cuts >= options.iterations) break;
    // Learn.
    previous = mask;
    let learnFrom = mask;
    if (options.connectedRefit) {
      learnFrom = mask.slice();
      keepConnected(learnFrom, seeds);
    }
    models = refitModels(image, learnFrom, seeds, options, models, cell);
    timings.refit += performance.now() - t3;
  }
  if (parents && options.starLast) {
    // The star's edges added to the last cut's solved network: more capacity keeps its flow
    // feasible, so the cut goes on from it.
    const t4 = performance.now();
    const buildStar = () => {
      const starred = buildPlain();
      addStarEdges(starred, parents);
      return starred;
    };
    if (chained) {
      network = chained.network();
      addStarEdges(network, parents);
      mask = solveMaxflow(network).sourceSide;
    } else {
      mask = hooks.cut!(starSlot!, 0, target, buildStar).sourceSide;
    }
    toMaskValues(mask);
    cuts++;
    timings.maxflow += performance.now() - t4;
  }
  const energy = options.energy
    ? cutEnergy(network ?? buildNetwork(), undefined, target, image, mask, capacities)
    : undefined;
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
function chainedCuts(n: number, build: () => FlowNetwork) {
  let network: FlowNetwork | undefined;
  const applied = new Int32Array(n);
  return {
    network: () => (network ??= build()),
    solve(target: Int32Array): MaxflowResult {
      if (!network) {
        network = build();
        network.terminal.set(target);
      } else {
        moveTerminals(network.terminal, target, applied);
      }
      applied.set(target);
      return solveMaxflow(network);
    },
  };
}

/** Adds each node's change of terminal capacity, target − applied, to its residual. */
function moveTerminals(residual: Int32Array, target: Int32Array, applied: Int32Array): void {
  for (let p = 0; p < residual.length; p++) residual[p] += target[p] - applied[p];
}

/** A cut's source side (1 / 0) as mask values (255 / 0), in place. */
function toMaskValues(mask: Uint8Array): void {
  for (let p = 0; p < mask.length; p++) mask[p] *= MASK.FOREGROUND;
}

/** Labels that differ between a and b, counted until there are more than `limit` (then limit + 1). */
function countChanges(a: Uint8Array, b: Uint8Array, limit: number): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && ++count > limit) return count;
  }
  return count;
}

/** A 32-bit hash of the foreground stroke pixels' positions (FNV-1a over their indices). */
function fingerprint(labels: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== SEED.FOREGROUND) continue;
    h = Math.imul(h ^ p, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
