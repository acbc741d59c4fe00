import { classifyPixels, countForeground } from './classify/classify.js';
import { StrokecutError } from './errors.js';
import { kmeans } from './kmeans/kmeans.js';
import type { ColorModel } from './model/color-model.js';
import { createColorModel } from './model/color-model.js';
import type { PromptOptions } from './prompts/prompts.js';
import { applyPrompts, hasPrompts } from './prompts/prompts.js';
import { fillHoles, keepConnected } from './refine/cleanup.js';
import { blockGrid, shrinkImage, workingFactor, workingSeeds } from './refine/coarse-to-fine.js';
import type { RefineHooks } from './refine/hooks.js';
import type { RefineTuning } from './refine/options.js';
import { refineChecked } from './refine/refine.js';
import { resolveSegmentOptions } from './resolve-options.js';
import type { WeightedColors } from './seeds/distinct-colors.js';
import { countLabels, seedColorsByLabel } from './seeds/distinct-colors.js';
import type { StrokeColorOptions } from './seeds/extract-seeds.js';
import {
  channelsOf,
  dominantStrokeColors,
  extractSeedsAndCount,
  faintStrokePixels,
} from './seeds/extract-seeds.js';
import {
  DEFAULT_BACKGROUND_COLOR,
  DEFAULT_FOREGROUND_COLOR,
  formatHex,
  STROKE_COLOR_RULES,
} from './seeds/stroke-colors.js';
import type { RgbaImage, RgbImage, SeedLabels } from './types.js';
import { SEED } from './types.js';

export { SEGMENT_DEFAULTS } from './resolve-options.js';

/**
 * Defaults: SEGMENT_DEFAULTS (./resolve-options.ts); the fine-tuning of the cut: RefineOptions
 * (./refine/options.ts); the box, border and prior prompts: PromptOptions (./prompts/prompts.ts).
 */
export interface SegmentOptions extends StrokeColorOptions, RefineTuning, PromptOptions {
  /** Clusters per colour model. Default 70. */
  k?: number;
  /** Seed of the k-means++ initialisation. Default 0. */
  seed?: number;
  /** Most Lloyd iterations per k-means run. Default 100. */
  maxIterations?: number;
  /**
   * k-means stops once an iteration moves no cluster centre farther than this, in RGB units.
   * Default 0.5 (half a colour level). Measured against 0.1: the same mean IoU on the 50 GrabCut
   * photographs (plain 0.6294 both; refined 0.8423 against 0.8420), and on the noisy 12-megapixel
   * bench photo 25/9 Lloyd iterations instead of 69/38 (k-means 136 against 238 ms) with 0.45% of
   * the pixels changed — a third of what changing the k-means++ seed changes (1.3–1.5%). 0
   * iterates to a fixed point (or maxIterations).
   */
  tolerance?: number;
  /**
   * λ, the weight of the graph cut's smoothness term (see src/core/refine/), for a photo of 800
   * pixels' diagonal and scaled with the image's diagonal, so that a photo is cut the same way at
   * any resolution. 0 = the plain per-pixel classification, exactly as without refinement.
   * Default SEGMENT_DEFAULTS.smooth.
   */
  smooth?: number;
  /** Most graph cuts, with the colour models re-fitted between them. Default SEGMENT_DEFAULTS.iterations. */
  iterations?: number;
  /**
   * Drop foreground regions touching no foreground stroke. Default: true when refining (smooth > 0:
   * it raised the benchmark's mean IoU by 0.05), false in the plain mode, which stays the per-pixel result.
   */
  keepConnected?: boolean;
  /** Fill background holes smaller than this many pixels enclosed by foreground. Default 0 (off). */
  fillHoles?: number;
  /**
   * The most pixels graph cuts work on: larger images are refined coarse to fine, the cuts on the
   * image shrunk by the smallest integer factor that brings it within this many pixels, then one
   * full-resolution cut of a band around the outline (see src/core/refine/coarse-to-fine.ts,
   * `workingFactor`: an image is cut whole when shrinking it would leave fewer than 0.45 × this
   * many). Default SEGMENT_DEFAULTS.workingPixels (640 × 512: coarse to fine from 0.59 MP up);
   * `Infinity` cuts every image whole at full resolution (slow on large photos).
   */
  workingPixels?: number;
}

export interface ClassCounts {
  foreground: number;
  background: number;
}

export interface SegmentStats {
  width: number;
  height: number;
  /** Seed (stroke) pixels per class. */
  seeds: ClassCounts;
  /** Distinct colours under each class's strokes. */
  distinctColors: ClassCounts;
  /** Clusters actually used per class: min(k, distinct colours). */
  k: ClassCounts;
  /** Lloyd iterations per class. */
  iterations: ClassCounts;
  /** Share of the image's pixels labelled foreground. */
  foregroundFraction: number;
  /** Graph cuts made (0 in the plain mode, smooth = 0). */
  cuts: number;
  /**
   * 1 when the refinement cut the image at full resolution (or did not refine); otherwise the
   * factor it was shrunk by for the coarse-to-fine cuts.
   */
  refineFactor: number;
  /** Pixels the last full-resolution cut could label: all when refined at full resolution, the band's when coarse to fine, 0 in the plain mode. */
  bandPixels: number;
  /** Milliseconds per stage. */
  timings: { seeds: number; kmeans: number; classify: number; refine: number };
  /** Things the user should know that did not stop the run. */
  warnings: string[];
}

export interface SegmentResult {
  /** One byte per pixel: 255 foreground, 0 background. */
  mask: Uint8Array;
  seeds: SeedLabels;
  models: { foreground: ColorModel; background: ColorModel };
  stats: SegmentStats;
}

/** True when the value is already seed labels rather than a stroke image. */
function isSeedLabels(strokes: SeedLabels | RgbImage | RgbaImage): strokes is SeedLabels {
  return (strokes as SeedLabels).labels !== undefined;
}

/**
 * Cuts the foreground out of `image` from strokes: a stroke image (red over the foreground, blue
 * over the background, black elsewhere; RGB or RGBA) or seed labels already extracted.
 *
 * 1. seeds: the pixels under each colour of stroke;
 * 2. k-means on each class's seed colours (k clusters, weighted by pixel share);
 * 3. each pixel is foreground where log L_fg(c) > log L_bg(c) (ties: background);
 *    seed pixels keep their own label.
 *
 * `hooks` let a caller that segments one image many times reuse work (src/core/session/); the
 * result is the same with or without them.
 */
export function segment(
  image: RgbImage,
  strokes: SeedLabels | RgbImage | RgbaImage,
  options: SegmentOptions = {},
  hooks: RefineHooks = {},
): SegmentResult {
  const resolved = resolveSegmentOptions(options);
  const { k, seed, maxIterations, tolerance } = resolved;
  const smooth = resolved.refine.smooth;
  if (channelsOf(image, 'image') !== 3) {
    throw new StrokecutError('INVALID_IMAGE', 'The image must be RGB (3 bytes per pixel); found RGBA.');
  }
  const { width, height } = image;
  if (strokes.width !== width || strokes.height !== height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The image is ${width}×${height} but the stroke image is ${strokes.width}×${strokes.height}; they must be the same size.`,
    );
  }

  const t0 = performance.now();
  // Extraction counts the labels on the way; labels given as such are counted below.
  const extracted = isSeedLabels(strokes)
    ? { seeds: strokes, counts: undefined }
    : extractSeedsAndCount(strokes, options);
  const strokeSeeds = extracted.seeds;
  if (strokeSeeds.labels.length !== width * height) {
    throw new StrokecutError(
      'INVALID_IMAGE',
      `Seed labels for ${width}×${height} need ${width * height} entries; found ${strokeSeeds.labels.length}.`,
    );
  }
  const strokeCounts = extracted.counts ?? countLabels(strokeSeeds.labels);
  // The strokes' own counts (stats.seeds); a box, the border or a prior add seeds (src/core/prompts/).
  const seedCounts = { foreground: strokeCounts[SEED.FOREGROUND], background: strokeCounts[SEED.BACKGROUND] };
  const plan = hasPrompts(options) ? applyPrompts(strokeSeeds, options) : undefined;
  const seeds = plan?.seeds ?? strokeSeeds;
  const modelSeeds = plan?.modelSeeds ?? strokeSeeds;
  const labelCounts = plan ? countLabels(modelSeeds.labels) : strokeCounts;
  if (labelCounts[SEED.FOREGROUND] === 0 || labelCounts[SEED.BACKGROUND] === 0) {
    const counts = { foreground: labelCounts[SEED.FOREGROUND], background: labelCounts[SEED.BACKGROUND] };
    throw missingSeedsError(counts, isSeedLabels(strokes) ? undefined : strokes, options);
  }
  const t1 = performance.now();

  const warnings: string[] = [];
  // A large photo refined coarse to fine has its first colour models fitted where its cuts are
  // made: on the shrunk image's stroke blocks, so that the models are a property of the photo and
  // not of its pixel count (see docs/algorithm.md, "The same cut at any resolution").
  const memo = hooks.memo ?? localMemo();
  const working =
    smooth > 0 ? workingStrokes(image, modelSeeds, resolved.refine.workingPixels, memo) : undefined;
  const [foregroundColors, backgroundColors] = working
    ? seedColorsByLabel(working.image, working.seeds, [SEED.FOREGROUND, SEED.BACKGROUND], working.counts)
    : seedColorsByLabel(image, modelSeeds, [SEED.FOREGROUND, SEED.BACKGROUND], labelCounts);
  const fit = (colors: WeightedColors, name: string) => {
    const clusters = (hooks.kmeans ?? kmeans)(colors, k, { seed, maxIterations, tolerance });
    if (clusters.k < k) {
      warnings.push(
        `The ${name} strokes cover only ${colors.count} distinct colour${colors.count === 1 ? '' : 's'}; the ${name} model uses k = ${clusters.k} instead of ${k}.`,
      );
    }
    return { colors, clusters, model: createColorModel(clusters) };
  };
  const fg = fit(foregroundColors, 'foreground');
  const bg = fit(backgroundColors, 'background');
  const t2 = performance.now();

  // Plain mode (smooth = 0): the per-pixel decision. Refined mode: graph cuts from the same models.
  let mask = smooth > 0 ? new Uint8Array(0) : classifyPixels(image, fg.model, bg.model, seeds);
  const t3 = performance.now();
  let models = { foreground: fg.model, background: bg.model };
  let cuts = 0;
  let refineFactor = 1;
  let bandPixels = 0;
  if (smooth > 0) {
    const refined = refineChecked(image, seeds, models, { ...resolved.refine, hooks: { ...hooks, memo } });
    ({ mask, models, cuts, factor: refineFactor, bandPixels } = refined);
  }
  // With a box and no foreground seed there is nothing for keep-connected to keep to.
  if (resolved.keepConnected && !plan?.softForeground) keepConnected(mask, seeds);
  if (resolved.fillHoles > 0) fillHoles(mask, seeds, resolved.fillHoles);
  const t4 = performance.now();

  const foregroundPixels = countForeground(mask);

  return {
    mask,
    seeds,
    models,
    stats: {
      width,
      height,
      seeds: seedCounts,
      distinctColors: { foreground: fg.colors.count, background: bg.colors.count },
      k: { foreground: fg.clusters.k, background: bg.clusters.k },
      iterations: { foreground: fg.clusters.iterations, background: bg.clusters.iterations },
      foregroundFraction: foregroundPixels / mask.length,
      cuts,
      refineFactor,
      bandPixels,
      timings: { seeds: t1 - t0, kmeans: t2 - t1, classify: t3 - t2, refine: t4 - t3 },
      warnings,
    },
  };
}

/**
 * The image and its seeds as the coarse cuts see them (shrunk by `workingFactor`, the strokes by
 * `workingSeeds`), with their label counts; undefined when the image is cut whole, or when a class
 * would have no stroke block left (strokes of both kinds in every block they touch): then the
 * models are fitted at full resolution.
 */
function workingStrokes(
  image: RgbImage,
  seeds: SeedLabels,
  workingPixels: number,
  memo: <T>(key: string, compute: () => T) => T,
): { image: RgbImage; seeds: SeedLabels; counts: Float64Array } | undefined {
  const factor = workingFactor(image.width * image.height, workingPixels);
  if (factor < 2) return undefined;
  const grid = blockGrid(image.width, image.height, factor);
  const small = memo(`shrunk by ${factor}`, () => shrinkImage(image, grid));
  const smallSeeds = workingSeeds(seeds, grid);
  const counts = countLabels(smallSeeds.labels);
  if (counts[SEED.FOREGROUND] === 0 || counts[SEED.BACKGROUND] === 0) return undefined;
  return { image: small, seeds: smallSeeds, counts };
}

/** A memo for one `segment()` call: each value computed once (the session's memo outlives calls). */
function localMemo(): <T>(key: string, compute: () => T) => T {
  const values = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    if (!values.has(key)) values.set(key, compute());
    return values.get(key) as T;
  };
}

function missingSeedsError(
  counts: ClassCounts,
  strokes: RgbImage | RgbaImage | undefined,
  options: StrokeColorOptions,
): StrokecutError {
  const missing = counts.foreground === 0 ? 'foreground' : 'background';
  const code = counts.foreground === 0 ? 'NO_FOREGROUND_SEEDS' : 'NO_BACKGROUND_SEEDS';
  const color =
    missing === 'foreground'
      ? (options.foregroundColor ?? DEFAULT_FOREGROUND_COLOR)
      : (options.backgroundColor ?? DEFAULT_BACKGROUND_COLOR);
  const both = counts.foreground === 0 && counts.background === 0;
  let message = both
    ? `No foreground strokes (${formatHex(options.foregroundColor ?? DEFAULT_FOREGROUND_COLOR)}) and no background strokes (${formatHex(options.backgroundColor ?? DEFAULT_BACKGROUND_COLOR)}) were found.`
    : `No ${missing} strokes (${formatHex(color)}) were found; ${counts.foreground + counts.background} ${missing === 'foreground' ? 'background' : 'foreground'} stroke pixels were.`;
  if (strokes) {
    const found = dominantStrokeColors(strokes);
    const faint = faintStrokePixels(strokes);
    if (faint.pixels > 0) {
      message += ` ${faint.pixels} coloured pixels of the stroke image have an alpha below ${STROKE_COLOR_RULES.minAlpha} (at most ${faint.maxAlpha}), and such pixels count as unmarked: paint the strokes opaque (alpha ≥ ${STROKE_COLOR_RULES.minAlpha}).`;
    }
    message +=
      found.length === 0
        ? faint.pixels > 0
          ? ''
          : ' The stroke image has no coloured pixels at all (only black or near-black).'
        : ` Most common non-black colours in the stroke image: ${found.map((f) => `${f.color} (${f.pixels} px)`).join(', ')}.`;
    return new StrokecutError(code, message, { strokeColors: found });
  }
  return new StrokecutError(code, message);
}
