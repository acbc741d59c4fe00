import type { RgbImage, SeedLabels } from '../types.js';
import { MASK, SEED } from '../types.js';
import { refineAtFullResolution } from './full-resolution.js';
import { cutEnergy, DIRECTION_DX, DIRECTION_DY, fillSubsetEdges } from './grid.js';
import { createNetwork, solveMaxflow } from './maxflow.js';
import type { ColorModels, RefineOptions, RefineResult, RefineTimings } from './options.js';
import { geodesicRefitCell } from './star.js';
import { dataDifferences, EdgeCapacities, fillTerminals, indexColors, refitModels } from './terms.js';

/**
 * Coarse-to-fine graph-cut refinement for images of at least 2.25 × `options.workingPixels` pixels.
 *
 * A cut of a large photo costs seconds per megapixel, yet nearly all of its pixels are far from
 * the object's outline, where no reasonable cut would change them. So:
 *
 * 1. the image is shrunk by the smallest integer factor f that brings it within `workingPixels`
 *    pixels (box average; f = ⌈√(pixels / workingPixels)⌉ ≥ 2), so that the colour models and the
 *    cuts that decide the object see about the pixels a photo of that size would,
 *    the strokes with it ({@link workingSeeds}: a block more than half covered by strokes of one
 *    kind, and by none of the other, is a stroke of that kind); the first colour models were
 *    fitted on these stroke blocks (by `segment`);
 * 2. the usual refinement (cuts with the colour models re-fitted between them) runs there, with
 *    λ / f: a block stands for f² pixels' data terms but only f pixels' worth of boundary on each
 *    side, so this keeps the coarse energy a scaled copy of the full-resolution one;
 * 3. blocks whose coarse label is in doubt — next to a block of the other label, or holding a
 *    stroke of the other label — make the band (widened by `bandRadius` blocks, default 0: the
 *    outline's position is uncertain by about a block, and the band already reaches a block
 *    either side of it);
 * 4. the colour models are re-fitted on the full-resolution pixels with the coarse labels, and one
 *    full-resolution cut labels the band's pixels, every pixel outside it fixed to its block's
 *    label (its edges to band pixels become terminal capacities of those pixels).
 *
 * The band's labelling is the exact minimum of the full-resolution energy given the fixed pixels;
 * what the approximation can miss is a structure narrower than a block far from the coarse
 * outline (a thin strand, a small hole). `bench/coarse-to-fine.ts` (`npm run bench:coarse`) measures
 * the agreement with a full-resolution cut on upscaled benchmark images.
 */
export function refineCoarseToFine(
  image: RgbImage,
  seeds: SeedLabels,
  initial: ColorModels,
  options: RefineOptions,
): RefineResult {
  const t0 = performance.now();
  const { width, height } = image;
  const n = width * height;
  const factor = workingFactor(n, options.workingPixels);
  const grid = blockGrid(width, height, factor);

  const hooks = options.hooks ?? {};
  const memo = hooks.memo ?? (<T>(_key: string, compute: () => T) => compute());
  const small = memo(`shrunk by ${factor}`, () => shrinkImage(image, grid));
  const blockStrokes = strokeKindsPerBlock(seeds, grid);
  const smallSeeds = workingSeeds(seeds, grid);
  const setup = performance.now() - t0;
  const coarse = refineAtFullResolution(small, smallSeeds, initial, {
    ...options,
    smooth: options.smooth / factor,
    energy: false,
  });

  const t1 = performance.now();
  // Full-resolution labels: each pixel its block's, each stroke pixel its own.
  const mask = upsampleBlocks(coarse.mask, grid, width, height);
  const labels = seeds.labels;
  forEachStroke(labels, (p, seed) => {
    mask[p] = seed === SEED.FOREGROUND ? MASK.FOREGROUND : MASK.BACKGROUND;
  });
  // (The coarse models until the re-fit below.)
  let models = coarse.models;
  if (hooks.coarse && !hooks.coarse(mask, { image: small, mask: coarse.mask, factor })) {
    // A preview: the coarse labels as they are.
    return finish(0, undefined, { setup: setup + performance.now() - t1, data: 0, maxflow: 0, refit: 0 });
  }
  const t2 = performance.now();
  const band = bandBlocks(coarse.mask, blockStrokes, grid, options.bandRadius);
  // The foreground strokes' geodesic cell, found on the shrunk image (as its cuts' re-fits used
  // it) and given to each block's pixels, for the full-resolution re-fit.
  const smallCell = geodesicRefitCell(small, smallSeeds, options);
  let cell: Uint8Array | Float32Array | undefined;
  if (smallCell) {
    const n = width * height;
    const out = smallCell instanceof Float32Array ? new Float32Array(n) : new Uint8Array(n);
    cell = upsampleBlocks(smallCell, grid, width, height, out);
  }
  models = refitModels(image, mask, seeds, options, coarse.models, cell);
  const t3 = performance.now();

  const nodes = bandNodes(band, grid, width, height);
  const { pixels } = nodes;
  const m = pixels.length;
  if (m === 0) {
    // One label everywhere and no stroke against it: nothing is in doubt.
    return finish(0, undefined, {
      setup: setup + t2 - t1,
      data: 0,
      maxflow: 0,
      refit: t3 - t2,
    });
  }
  const colors = indexColors(image, options.dataBits, pixels);
  const differences = new Float64Array(colors.keys.length);
  dataDifferences(colors.keys, models, options.dataTerm, options.gmmWeight, differences);
  const data = new Int32Array(m);
  fillTerminals(data, labels, colors.index, differences, pixels);
  const t4 = performance.now();

  const capacities = memo(`capacities ${width}x${height} ${options.boundaryTerm} ${options.smooth}`, () =>
    EdgeCapacities.forImage(image, options.boundaryTerm, options.smooth),
  );
  const network = createNetwork(m, bandNeighbors(nodes, grid, width, height));
  network.terminal.set(data);
  fillSubsetEdges(network, pixels, image, mask, capacities);
  const t5 = performance.now();
  const cut = hooks.cut
    ? hooks.cut(
        `band ${options.boundaryTerm} ${options.smooth}`,
        0,
        network.terminal.slice(),
        () => network,
        pixels,
      )
    : solveMaxflow(network);
  const t6 = performance.now();
  for (let s = 0; s < m; s++) mask[pixels[s]] = cut.sourceSide[s] * MASK.FOREGROUND;
  const energy = options.energy ? cutEnergy(network, pixels, data, image, mask, capacities) : undefined;
  return finish(m, energy, {
    setup: setup + t2 - t1 + t5 - t4,
    data: t4 - t3,
    maxflow: t6 - t5,
    refit: t3 - t2,
  });

  /** The result, with this stage's timings added to the coarse cuts'. */
  function finish(bandPixels: number, energy: number | undefined, own: RefineTimings): RefineResult {
    const timings = { ...coarse.timings };
    for (const key of Object.keys(own) as (keyof typeof own)[]) timings[key] += own[key];
    return {
      mask,
      models,
      cuts: coarse.cuts + (bandPixels > 0 ? 1 : 0),
      converged: coarse.converged,
      energy,
      timings,
      factor,
      bandPixels,
    };
  }
}

/**
 * The refinement's shrink factor: the smallest integer f with pixels / f² ≤ `workingPixels`, so
 * that a photo upscaled by an integer is decided on an image of its own size (see
 * docs/algorithm.md, "The same cut at any resolution") — but never one that leaves fewer than
 * {@link MIN_WORKING_SHARE} × `workingPixels` pixels (then f − 1): below that the re-fitting loop
 * loses accuracy. 1: cut whole; 0 when `workingPixels` is Infinity.
 */
export function workingFactor(pixels: number, workingPixels: number): number {
  if (!Number.isFinite(workingPixels)) return 0;
  const f = Math.max(1, Math.ceil(Math.sqrt(pixels / workingPixels) - 1e-9));
  return f >= 2 && pixels / (f * f) < MIN_WORKING_SHARE * workingPixels ? f - 1 : f;
}

/**
 * The least share of `workingPixels` a shrunk image keeps: 0.45 × 640 × 512 ≈ 0.15 MP, the
 * benchmark's smaller photos (shrunk by 2, they lose 0.022 mean IoU).
 */
export const MIN_WORKING_SHARE = 0.45;

/**
 * The preview's shrink factor: the integer that brings `pixels` nearest
 * `workingPixels` (on a log scale); below 2 the image is cut whole.
 */
export function coarseFactor(pixels: number, workingPixels: number): number {
  return Math.round(Math.sqrt(pixels / workingPixels));
}

/** The blocks of side `factor` covering a width × height image. */
export function blockGrid(width: number, height: number, factor: number): BlockGrid {
  return { factor, columns: Math.ceil(width / factor), rows: Math.ceil(height / factor) };
}

/**
 * The strokes on the shrunk image, as the coarse cuts see them: a block holding strokes of one
 * kind only is a stroke of that kind.
 */
export function shrinkSeeds(seeds: SeedLabels, grid: BlockGrid): SeedLabels {
  return blockSeeds(strokeKindsPerBlock(seeds, grid), grid);
}

/**
 * The strokes at the working resolution: a block is a stroke of a kind when more than half of its
 * pixels are strokes of that kind and none of the other — the strokes keep about their area
 * (a block merely touched by a stroke would widen it by up to a block each side, and give the
 * colour models the mean colour of pixels mostly outside it). A class left with no such block
 * (strokes thinner than half a block) has every block its strokes touch, as {@link shrinkSeeds}.
 */
export function workingSeeds(seeds: SeedLabels, grid: BlockGrid): SeedLabels {
  const { width, height } = seeds;
  const { factor, columns, rows } = grid;
  const foreground = new Int32Array(columns * rows);
  const background = new Int32Array(columns * rows);
  forEachStroke(seeds.labels, (p, seed) => {
    const y = (p / width) | 0;
    const block = ((y / factor) | 0) * columns + (((p - y * width) / factor) | 0);
    if (seed === SEED.FOREGROUND) foreground[block]++;
    else background[block]++;
  });
  const labels = new Uint8Array(columns * rows);
  const found = [0, 0, 0];
  for (let by = 0, b = 0; by < rows; by++) {
    const blockHeight = Math.min(height, (by + 1) * factor) - by * factor;
    for (let bx = 0; bx < columns; bx++, b++) {
      const half = ((Math.min(width, (bx + 1) * factor) - bx * factor) * blockHeight) / 2;
      if (foreground[b] > half && background[b] === 0) labels[b] = SEED.FOREGROUND;
      else if (background[b] > half && foreground[b] === 0) labels[b] = SEED.BACKGROUND;
      found[labels[b]]++;
    }
  }
  for (const [kind, counts, other] of [
    [SEED.FOREGROUND, foreground, background],
    [SEED.BACKGROUND, background, foreground],
  ] as const) {
    if (found[kind] > 0) continue;
    for (let b = 0; b < labels.length; b++) if (counts[b] > 0 && other[b] === 0) labels[b] = kind;
  }
  return { width: columns, height: rows, labels };
}

function blockSeeds(strokeKinds: Uint8Array, grid: BlockGrid): SeedLabels {
  return {
    width: grid.columns,
    height: grid.rows,
    labels: strokeKinds.map((kinds) =>
      kinds === FOREGROUND_BIT ? SEED.FOREGROUND : kinds === BACKGROUND_BIT ? SEED.BACKGROUND : SEED.NONE,
    ),
  };
}

export interface BlockGrid {
  /** Block side in pixels (blocks on the right and bottom edges may be narrower). */
  factor: number;
  columns: number;
  rows: number;
}

/** The image shrunk by box averaging: one pixel per block, the rounded mean of its pixels. */
export function shrinkImage(image: RgbImage, grid: BlockGrid): RgbImage {
  const { width, height, data } = image;
  const { factor, columns, rows } = grid;
  const out = new Uint8Array(columns * rows * 3);
  const sums = new Uint32Array(columns * 3);
  for (let by = 0; by < rows; by++) {
    sums.fill(0);
    const y1 = Math.min(height, (by + 1) * factor);
    for (let y = by * factor; y < y1; y++) {
      for (let bx = 0, i = y * width * 3; bx < columns; bx++) {
        const stop = Math.min(width, (bx + 1) * factor) * 3 + y * width * 3;
        let r = 0;
        let g = 0;
        let b = 0;
        for (; i < stop; i += 3) {
          r += data[i];
          g += data[i + 1];
          b += data[i + 2];
        }
        sums[bx * 3] += r;
        sums[bx * 3 + 1] += g;
        sums[bx * 3 + 2] += b;
      }
    }
    const blockHeight = y1 - by * factor;
    for (let bx = 0; bx < columns; bx++) {
      const count = (Math.min(width, (bx + 1) * factor) - bx * factor) * blockHeight;
      const o = (by * columns + bx) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(sums[bx * 3 + c] / count);
    }
  }
  return { width: columns, height: rows, data: out };
}

const FOREGROUND_BIT = 1;
const BACKGROUND_BIT = 2;

/** Per block, which kinds of stroke it holds: FOREGROUND_BIT | BACKGROUND_BIT. */
function strokeKindsPerBlock(seeds: SeedLabels, grid: BlockGrid): Uint8Array {
  const { width } = seeds;
  const { factor, columns } = grid;
  const kinds = new Uint8Array(columns * grid.rows);
  forEachStroke(seeds.labels, (p, seed) => {
    const y = (p / width) | 0;
    const block = ((y / factor) | 0) * columns + (((p - y * width) / factor) | 0);
    kinds[block] |= seed === SEED.FOREGROUND ? FOREGROUND_BIT : BACKGROUND_BIT;
  });
  return kinds;
}

/**
 * Calls `visit(p, label)` for each stroke pixel p, in order. Strokes cover a few per cent of a
 * photo: the labels are read four at a time (as 32-bit words) and unmarked words skipped.
 */
function forEachStroke(labels: Uint8Array, visit: (p: number, seed: number) => void): void {
  const n = labels.length;
  let p = 0;
  if (labels.byteOffset % 4 === 0) {
    const words = new Uint32Array(labels.buffer, labels.byteOffset, n >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let q = w * 4; q < w * 4 + 4; q++) if (labels[q] !== SEED.NONE) visit(q, labels[q]);
    }
    p = words.length * 4;
  }
  for (; p < n; p++) if (labels[p] !== SEED.NONE) visit(p, labels[p]);
}

/** Full-resolution labels from the blocks' labels: each pixel its block's. */
function upsampleBlocks<T extends Uint8Array | Float32Array = Uint8Array>(
  blocks: T,
  grid: BlockGrid,
  width: number,
  height: number,
  mask: T = new Uint8Array(width * height) as T,
): T {
  const { factor, columns, rows } = grid;
  for (let by = 0; by < rows; by++) {
    // The block row's first pixel row, then copies of it (a fill per block and row would be a
    // call per `factor` pixels).
    const y0 = by * factor;
    const first = y0 * width;
    for (let bx = 0; bx < columns; bx++) {
      const x0 = first + bx * factor;
      const label = blocks[by * columns + bx];
      const x1 = Math.min(x0 + factor, first + width);
      for (let p = x0; p < x1; p++) mask[p] = label;
    }
    const y1 = Math.min(height, y0 + factor);
    for (let y = y0 + 1; y < y1; y++) mask.copyWithin(y * width, first, first + width);
  }
  return mask;
}

/**
 * Blocks in doubt — an 8-neighbour block has the other label, or the block holds a stroke of the
 * other label — widened by `radius` blocks (Chebyshev distance). 1 = in the band.
 */
function bandBlocks(
  coarse: Uint8Array,
  strokeKinds: Uint8Array,
  grid: BlockGrid,
  radius: number,
): Uint8Array {
  const { columns, rows } = grid;
  const doubt = new Uint8Array(columns * rows);
  // Each 8-neighbour pair once, from its upper-left end (to E, SE, S, SW): a pair of different
  // labels puts both blocks in doubt.
  for (let by = 0; by < rows; by++) {
    const below = by + 1 < rows;
    for (let bx = 0, b = by * columns; bx < columns; bx++, b++) {
      const fg = coarse[b] !== MASK.BACKGROUND;
      if ((strokeKinds[b] & (fg ? BACKGROUND_BIT : FOREGROUND_BIT)) !== 0) doubt[b] = 1;
      if (bx + 1 < columns && (coarse[b + 1] !== MASK.BACKGROUND) !== fg) {
        doubt[b] = 1;
        doubt[b + 1] = 1;
      }
      if (!below) continue;
      const s = b + columns;
      if ((coarse[s] !== MASK.BACKGROUND) !== fg) {
        doubt[b] = 1;
        doubt[s] = 1;
      }
      if (bx + 1 < columns && (coarse[s + 1] !== MASK.BACKGROUND) !== fg) {
        doubt[b] = 1;
        doubt[s + 1] = 1;
      }
      if (bx > 0 && (coarse[s - 1] !== MASK.BACKGROUND) !== fg) {
        doubt[b] = 1;
        doubt[s - 1] = 1;
      }
    }
  }
  // Dilation by a (2·radius + 1)² square, as a row pass then a column pass of running counts.
  const rowsDone = new Uint8Array(columns * rows);
  for (let by = 0; by < rows; by++) {
    const o = by * columns;
    let count = 0;
    for (let bx = -radius; bx < columns + radius; bx++) {
      if (bx + radius < columns) count += doubt[o + bx + radius];
      if (bx - radius - 1 >= 0) count -= doubt[o + bx - radius - 1];
      if (bx >= 0 && bx < columns) rowsDone[o + bx] = count > 0 ? 1 : 0;
    }
  }
  const band = new Uint8Array(columns * rows);
  for (let bx = 0; bx < columns; bx++) {
    let count = 0;
    for (let by = -radius; by < rows + radius; by++) {
      if (by + radius < rows) count += rowsDone[(by + radius) * columns + bx];
      if (by - radius - 1 >= 0) count -= rowsDone[(by - radius - 1) * columns + bx];
      if (by >= 0 && by < rows) band[by * columns + bx] = count > 0 ? 1 : 0;
    }
  }
  return band;
}

/**
 * The band's pixels as network nodes, numbered block by block (a block's pixels row by row), which
 * keeps most neighbours close in memory (measured: the band's max-flow ran ~15% faster than with
 * nodes in raster order); `of(x, y)` is the node of a pixel, −1 outside the band.
 */
function bandNodes(band: Uint8Array, grid: BlockGrid, width: number, height: number) {
  const { factor, columns, rows } = grid;
  const first = new Int32Array(columns * rows).fill(-1);
  let count = 0;
  for (let by = 0; by < rows; by++) {
    const blockHeight = Math.min(height, (by + 1) * factor) - by * factor;
    for (let bx = 0; bx < columns; bx++) {
      const b = by * columns + bx;
      if (band[b] === 0) continue;
      first[b] = count;
      count += (Math.min(width, (bx + 1) * factor) - bx * factor) * blockHeight;
    }
  }
  const pixels = new Int32Array(count);
  for (let by = 0; by < rows; by++) {
    const y1 = Math.min(height, (by + 1) * factor);
    for (let bx = 0; bx < columns; bx++) {
      let s = first[by * columns + bx];
      if (s < 0) continue;
      const x1 = Math.min(width, (bx + 1) * factor);
      for (let y = by * factor; y < y1; y++) {
        for (let x = bx * factor; x < x1; x++) pixels[s++] = y * width + x;
      }
    }
  }
  return { pixels, first };
}

/**
 * The band network's neighbour slots: the node of each band pixel's neighbour in each direction, −1
 * where the neighbour is outside the image or the band (a fixed pixel, whose edge
 * {@link fillSubsetEdges} folds into the terminal capacity).
 */
function bandNeighbors(
  nodes: { pixels: Int32Array; first: Int32Array },
  grid: BlockGrid,
  width: number,
  height: number,
): Int32Array {
  const { factor, columns, rows } = grid;
  const { pixels, first } = nodes;
  const neighbors = new Int32Array(pixels.length * 8).fill(-1);
  // The node of pixel (x, y) outside the current block, −1 outside the band.
  const nodeOf = (x: number, y: number): number => {
    const bx = (x / factor) | 0;
    const by = (y / factor) | 0;
    const start = first[by * columns + bx];
    if (start < 0) return -1;
    const blockWidth = Math.min(width, (bx + 1) * factor) - bx * factor;
    return start + (y - by * factor) * blockWidth + (x - bx * factor);
  };
  for (let by = 0; by < rows; by++) {
    const y0 = by * factor;
    const y1 = Math.min(height, y0 + factor);
    for (let bx = 0; bx < columns; bx++) {
      let s = first[by * columns + bx];
      if (s < 0) continue;
      const x0 = bx * factor;
      const x1 = Math.min(width, x0 + factor);
      const blockWidth = x1 - x0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++, s++) {
          for (let d = 0; d < 8; d++) {
            const dx = DIRECTION_DX[d];
            const dy = DIRECTION_DY[d];
            const qx = x + dx;
            const qy = y + dy;
            if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
            // Most neighbours are in the same block: their node is a fixed offset away.
            neighbors[s * 8 + d] =
              qx >= x0 && qx < x1 && qy >= y0 && qy < y1 ? s + dy * blockWidth + dx : nodeOf(qx, qy);
          }
        }
      }
    }
  }
  return neighbors;
}
