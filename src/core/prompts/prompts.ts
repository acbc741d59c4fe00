/**
 * Prompts that need fewer strokes, turned into what the cut works from: hard seed labels (the
 * strokes plus what the prompts fix) and the labels the first colour models are fitted on.
 *
 * - A box (GrabCut's rectangle): every pixel outside it is background. Without a foreground stroke,
 *   the colours inside it seed the foreground model softly — as GrabCut's T_U, not as constraints —
 *   and the iterated cuts and re-fits separate the object from the rest of the box.
 * - `background: 'border'`: when the user painted no background, the image's frame is background.
 * - A prior mask (255 / 0 per pixel, e.g. another tool's or an automatic model's cut): each of its
 *   connected regions, shrunk by a couple of pixels (its outline is where it is least sure), becomes
 *   seeds of its class, unless a stroke of the other class touches the region: then the region is
 *   dropped as a whole — the user said it is wrong — and the cut decides those pixels afresh.
 *
 * The user's strokes always win over what a prompt says about a pixel.
 */
import { StrokecutError } from '../errors.js';
import { labelComponents } from '../robot/components.js';
import { squaredDistanceToOutside } from '../robot/distance.js';
import type { SeedLabels } from '../types.js';
import { SEED } from '../types.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type BackgroundSource = 'strokes' | 'border';

export interface PromptOptions {
  /** Everything outside this rectangle (pixels, integers) is background. */
  box?: Box;
  /** 'border': the image's frame is background when no background stroke was painted. Default 'strokes'. */
  background?: BackgroundSource;
  /** A prior mask, one byte per pixel: 255 foreground, 0 background. */
  prior?: Uint8Array;
}

export interface PromptPlan {
  /** Hard constraints: the strokes and what the prompts fix. */
  seeds: SeedLabels;
  /** The labels the first colour models are fitted on (the seeds, plus a box's inside as foreground when no foreground is fixed). */
  modelSeeds: SeedLabels;
  /** True when no pixel is fixed foreground (a box without foreground strokes): nothing for keep-connected to keep to. */
  softForeground: boolean;
  /** Prior regions dropped because a stroke of the other class touches them. */
  droppedPriorRegions: number;
  /** Frame pixels made background by `background: 'border'` (0 when not used). */
  borderPixels: number;
}

/** Width of the background frame: 1 % of the shorter side, at least 2 pixels. */
export function defaultBorderWidth(width: number, height: number): number {
  return Math.max(2, Math.round(0.01 * Math.min(width, height)));
}

/** How far a prior's regions are shrunk: 0.5 % of the shorter side, at least 2 pixels. */
export function priorErosion(width: number, height: number): number {
  return Math.max(2, Math.round(0.005 * Math.min(width, height)));
}

export function hasPrompts(options: PromptOptions): boolean {
  return options.box !== undefined || options.prior !== undefined || options.background === 'border';
}

/** Checks the prompt options against the image size; throws INVALID_OPTION saying what is wrong. */
export function assertPromptOptions(options: PromptOptions, width: number, height: number): void {
  const { box, background, prior } = options;
  if (background !== undefined && background !== 'strokes' && background !== 'border') {
    throw new StrokecutError(
      'INVALID_OPTION',
      `background must be 'strokes' or 'border'; found ${JSON.stringify(background)}.`,
    );
  }
  if (box !== undefined) {
    const fields = [box.x, box.y, box.width, box.height];
    if (
      !fields.every((v) => Number.isInteger(v)) ||
      box.x < 0 ||
      box.y < 0 ||
      box.width < 1 ||
      box.height < 1
    ) {
      throw new StrokecutError(
        'INVALID_OPTION',
        `box must have integer x, y ≥ 0 and width, height ≥ 1; found ${fields.join(',')}.`,
      );
    }
    if (box.x + box.width > width || box.y + box.height > height) {
      throw new StrokecutError(
        'INVALID_OPTION',
        `box ${fields.join(',')} reaches past the ${width}×${height} image (x + width = ${box.x + box.width}, y + height = ${box.y + box.height}).`,
      );
    }
  }
  if (prior !== undefined) {
    if (!(prior instanceof Uint8Array) || prior.length !== width * height) {
      throw new StrokecutError(
        'INVALID_OPTION',
        `prior must be a Uint8Array of ${width * height} bytes (one per pixel of the ${width}×${height} image); found ${prior instanceof Uint8Array ? `${prior.length} bytes` : typeof prior}.`,
      );
    }
    for (let p = 0; p < prior.length; p++) {
      if (prior[p] !== 0 && prior[p] !== 255) {
        throw new StrokecutError(
          'INVALID_OPTION',
          `prior must hold only 0 (background) and 255 (foreground); found ${prior[p]} at (${p % width}, ${Math.floor(p / width)}).`,
        );
      }
    }
  }
}

/**
 * Seeds from the prior's regions that survive the vetoes: each region shrunk by `erosion` pixels
 * (Euclidean; the image's edge does not shrink a region), labelled with its class. Returns the
 * number of regions dropped.
 */
function priorSeeds(
  prior: Uint8Array,
  strokes: Uint8Array,
  width: number,
  height: number,
  out: Uint8Array,
): number {
  const n = width * height;
  const erosion = priorErosion(width, height);
  let dropped = 0;
  for (const foreground of [true, false]) {
    const own = foreground ? SEED.FOREGROUND : SEED.BACKGROUND;
    const other = foreground ? SEED.BACKGROUND : SEED.FOREGROUND;
    const area = new Uint8Array(n);
    for (let p = 0; p < n; p++) area[p] = (prior[p] === 255) === foreground ? 1 : 0;
    // Regions vetoed by a stroke of the other class are removed from the area before shrinking, so
    // the surviving regions shrink only from their own outlines.
    const { labels, count } = labelComponents(area, width, height);
    const vetoed = new Uint8Array(count + 1);
    for (let p = 0; p < n; p++) if (labels[p] && strokes[p] === other) vetoed[labels[p]] = 1;
    for (let p = 0; p < n; p++) if (vetoed[labels[p]]) area[p] = 0;
    dropped += vetoed.reduce((s, v) => s + v, 0);
    const depth = squaredDistanceToOutside(area, width, height, false);
    for (let p = 0; p < n; p++) if (depth[p] > erosion * erosion) out[p] = own;
  }
  return dropped;
}

/**
 * The plan for a cut from `strokes` (seed labels) and the prompts. Throws INVALID_OPTION on bad
 * prompt options (see {@link assertPromptOptions}).
 */
export function applyPrompts(strokes: SeedLabels, options: PromptOptions): PromptPlan {
  const { width, height } = strokes;
  assertPromptOptions(options, width, height);
  const n = width * height;
  const labels = new Uint8Array(n);
  let droppedPriorRegions = 0;
  if (options.prior) droppedPriorRegions = priorSeeds(options.prior, strokes.labels, width, height, labels);
  const box = options.box;
  if (box) {
    for (let y = 0; y < height; y++) {
      const insideRow = y >= box.y && y < box.y + box.height;
      for (let x = 0; x < width; x++) {
        if (!insideRow || x < box.x || x >= box.x + box.width) labels[y * width + x] = SEED.BACKGROUND;
      }
    }
  }
  let foreground = 0;
  let background = 0;
  for (let p = 0; p < n; p++) {
    const s = strokes.labels[p];
    if (s !== SEED.NONE) labels[p] = s;
    if (labels[p] === SEED.FOREGROUND) foreground++;
    else if (labels[p] === SEED.BACKGROUND) background++;
  }
  let borderPixels = 0;
  if (options.background === 'border' && background === 0) {
    const b = defaultBorderWidth(width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (labels[p] !== SEED.NONE) continue;
        if (x < b || y < b || x >= width - b || y >= height - b) {
          labels[p] = SEED.BACKGROUND;
          borderPixels++;
        }
      }
    }
  }
  const seeds = { width, height, labels };
  let modelSeeds = seeds;
  const softForeground = foreground === 0 && box !== undefined;
  if (softForeground && box) {
    const modelLabels = labels.slice();
    const { x: left, y: top } = box;
    for (let y = top; y < top + box.height; y++) {
      for (let x = left; x < left + box.width; x++) {
        const p = y * width + x;
        if (modelLabels[p] === SEED.NONE) modelLabels[p] = SEED.FOREGROUND;
      }
    }
    modelSeeds = { width, height, labels: modelLabels };
  }
  return { seeds, modelSeeds, softForeground, droppedPriorRegions, borderPixels };
}
