/**
 * The standard robot user of interactive segmentation (Xu et al., "Deep Interactive Object
 * Selection", CVPR 2016; the protocol of RITM and f-BRS): after each result it looks at the larger
 * of the false-negative and false-positive areas, takes that area's largest connected component and
 * clicks at the component's interior point farthest from its boundary — a foreground click for a
 * missed region, a background click for a false one. Truth pixels marked unlabelled (128) belong to
 * neither area.
 */
import { StrokecutError } from '../errors.js';
import { UNLABELLED } from '../metrics/metrics.js';
import { defaultBorderWidth } from '../prompts/prompts.js';
import { SEED } from '../types.js';
import { largestComponent } from './components.js';
import { farthestInteriorPoint } from './distance.js';

export interface RobotClick {
  x: number;
  y: number;
  /** True: a foreground (red) click on a missed region; false: a background (blue) click on a false one. */
  foreground: boolean;
  /** Pixels of the error area chosen (false negatives or false positives, whichever is larger). */
  errorArea: number;
  /** Pixels of its largest connected component. */
  componentArea: number;
  /** Distance from the click to the component's boundary. */
  depth: number;
}

function assertSizes(mask: Uint8Array, truth: Uint8Array, width: number, height: number): void {
  if (mask.length !== width * height || truth.length !== width * height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The robot needs a ${width}×${height} mask and truth (${width * height} bytes each); found ${mask.length} and ${truth.length}.`,
    );
  }
}

/**
 * Where the robot clicks next, given the current mask (0 background, anything else foreground) and
 * the truth (0 background, 255 foreground, 128 unlabelled). Undefined when the mask has no error.
 * Equal areas: the missed region (a foreground click) goes first.
 */
export function nextRobotClick(
  mask: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
): RobotClick | undefined {
  assertSizes(mask, truth, width, height);
  const n = width * height;
  const missed = new Uint8Array(n);
  const extra = new Uint8Array(n);
  let missedArea = 0;
  let extraArea = 0;
  for (let p = 0; p < n; p++) {
    const t = truth[p];
    if (t === UNLABELLED) continue;
    const predicted = mask[p] !== 0;
    if (t !== 0 && !predicted) {
      missed[p] = 1;
      missedArea++;
    } else if (t === 0 && predicted) {
      extra[p] = 1;
      extraArea++;
    }
  }
  if (missedArea === 0 && extraArea === 0) return undefined;
  const foreground = missedArea >= extraArea;
  const component = largestComponent(foreground ? missed : extra, width, height)!;
  const point = farthestInteriorPoint(component.mask, width, height)!;
  return {
    x: point.x,
    y: point.y,
    foreground,
    errorArea: foreground ? missedArea : extraArea,
    componentArea: component.area,
    depth: point.distance,
  };
}

/** The first click from scratch: the truth foreground's interior point farthest from its boundary. */
export function firstRobotClick(truth: Uint8Array, width: number, height: number): RobotClick {
  const object = new Uint8Array(width * height);
  let area = 0;
  for (let p = 0; p < object.length; p++) {
    if (truth[p] !== 0 && truth[p] !== UNLABELLED) {
      object[p] = 1;
      area++;
    }
  }
  if (area === 0) {
    throw new StrokecutError('INVALID_IMAGE', 'The truth mask has no foreground (255) pixel to click on.');
  }
  const component = largestComponent(object, width, height)!;
  const point = farthestInteriorPoint(component.mask, width, height)!;
  return {
    x: point.x,
    y: point.y,
    foreground: true,
    errorArea: area,
    componentArea: component.area,
    depth: point.distance,
  };
}

/**
 * Paints a click into seed labels as a filled disk of `radius` pixels (the pixels whose centres lie
 * within `radius` of the click's), overwriting earlier labels: a later click is a later correction.
 */
export function paintClick(
  labels: Uint8Array,
  width: number,
  height: number,
  click: { x: number; y: number; foreground: boolean },
  radius: number,
): void {
  const value = click.foreground ? SEED.FOREGROUND : SEED.BACKGROUND;
  const r = Math.floor(radius);
  for (let dy = -r; dy <= r; dy++) {
    const y = click.y + dy;
    if (y < 0 || y >= height) continue;
    for (let dx = -r; dx <= r; dx++) {
      const x = click.x + dx;
      if (x < 0 || x >= width || dx * dx + dy * dy > radius * radius) continue;
      labels[y * width + x] = value;
    }
  }
}

/**
 * Seed labels of a start from scratch: the first click (see {@link firstRobotClick}) and, as
 * background, the image's frame of `borderWidth` pixels wherever the truth there is background
 * (an object running off the image keeps its edge unmarked).
 */
export function scratchStart(
  truth: Uint8Array,
  width: number,
  height: number,
  radius: number,
  borderWidth = defaultBorderWidth(width, height),
  paint: (labels: Uint8Array, click: RobotClick, radius: number) => void = (l, c, r) =>
    paintClick(l, width, height, c, r),
): { labels: Uint8Array; click: RobotClick } {
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inFrame =
        x < borderWidth || y < borderWidth || x >= width - borderWidth || y >= height - borderWidth;
      const p = y * width + x;
      if (inFrame && truth[p] === 0) labels[p] = SEED.BACKGROUND;
    }
  }
  const click = firstRobotClick(truth, width, height);
  paint(labels, click, radius);
  return { labels, click };
}

/**
 * A click's disk grown along similar colours: from the disk, a flood (4-neighbours) over pixels within
 * `reach` of the click whose colour lies within `tolerance` (RGB distance) of the disk's mean colour,
 * not entering pixels already labelled the other class. Paints the disk first (as {@link paintClick}).
 * Uses the photo only, never the truth: a way to turn a click into more seeds where the image says
 * the clicked region goes on.
 */
export function paintGrownClick(
  labels: Uint8Array,
  rgb: Uint8Array,
  width: number,
  height: number,
  click: { x: number; y: number; foreground: boolean },
  radius: number,
  reach: number,
  tolerance: number,
): void {
  paintClick(labels, width, height, click, radius);
  const value = click.foreground ? SEED.FOREGROUND : SEED.BACKGROUND;
  const r = Math.floor(radius);
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  const queue: number[] = [];
  const seen = new Set<number>();
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const x = click.x + dx;
      const y = click.y + dy;
      if (x < 0 || y < 0 || x >= width || y >= height || dx * dx + dy * dy > radius * radius) continue;
      const p = y * width + x;
      sr += rgb[p * 3];
      sg += rgb[p * 3 + 1];
      sb += rgb[p * 3 + 2];
      n++;
      queue.push(p);
      seen.add(p);
    }
  }
  if (n === 0) return;
  const mr = sr / n;
  const mg = sg / n;
  const mb = sb / n;
  const tol2 = tolerance * tolerance;
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head];
    const x = p % width;
    const y = (p - x) / width;
    for (const [qx, qy] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ]) {
      if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
      if ((qx - click.x) ** 2 + (qy - click.y) ** 2 > reach * reach) continue;
      const q = qy * width + qx;
      if (seen.has(q)) continue;
      seen.add(q);
      if (labels[q] !== SEED.NONE && labels[q] !== value) continue;
      const d2 = (rgb[q * 3] - mr) ** 2 + (rgb[q * 3 + 1] - mg) ** 2 + (rgb[q * 3 + 2] - mb) ** 2;
      if (d2 > tol2) continue;
      labels[q] = value;
      queue.push(q);
    }
  }
}
