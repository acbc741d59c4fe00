import { StrokecutError } from '../errors.js';

/**
 * Accuracy of a mask against a ground truth. Masks: 0 background, anything else foreground.
 * Truth: 0 background, 255 foreground, {@link UNLABELLED} (128) = not labelled — the uncertain band
 * along object borders in the GrabCut benchmark — which every score leaves out.
 */
export const UNLABELLED = 128;

export interface MaskScores {
  /** Jaccard index of the foreground, |P ∩ T| / |P ∪ T| over labelled pixels; 1 when both are empty. */
  iou: number;
  /** Share of labelled pixels whose label is wrong. */
  errorRate: number;
  /** Boundary F-measure (see {@link boundaryF}). */
  boundaryF: number;
  /** Labelled pixels scored. */
  labelled: number;
}

function assertSameSize(mask: Uint8Array, truth: Uint8Array, width: number, height: number): void {
  const n = width * height;
  if (mask.length !== n || truth.length !== n) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `A ${width}×${height} score needs ${n} mask and truth pixels; found ${mask.length} and ${truth.length}.`,
    );
  }
}

/** IoU and error rate over the labelled pixels, plus the boundary F score. */
export function scoreMask(mask: Uint8Array, truth: Uint8Array, width: number, height: number): MaskScores {
  assertSameSize(mask, truth, width, height);
  let intersection = 0;
  let union = 0;
  let errors = 0;
  let labelled = 0;
  for (let p = 0; p < mask.length; p++) {
    const t = truth[p];
    if (t === UNLABELLED) continue;
    labelled++;
    const predicted = mask[p] !== 0;
    const actual = t !== 0;
    if (predicted && actual) intersection++;
    if (predicted || actual) union++;
    if (predicted !== actual) errors++;
  }
  return {
    iou: union === 0 ? 1 : intersection / union,
    errorRate: labelled === 0 ? 0 : errors / labelled,
    boundaryF: boundaryF(mask, truth, width, height),
    labelled,
  };
}

/** Boundary tolerance of the Berkeley benchmark: 0.75 % of the image diagonal, at least 1 pixel. */
export function defaultBoundaryTolerance(width: number, height: number): number {
  return Math.max(1, Math.round(0.0075 * Math.hypot(width, height)));
}

/**
 * Boundary pixels of a mask: foreground pixels with a 4-neighbour that is not foreground (pixels
 * outside the image do not count, so the frame of a full mask is no boundary). For the truth,
 * "foreground" is 255 and both 0 and the unlabelled band count as "not foreground".
 */
export function boundaryPixels(
  isForeground: (p: number) => boolean,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!isForeground(p)) continue;
      if (
        (x > 0 && !isForeground(p - 1)) ||
        (x < width - 1 && !isForeground(p + 1)) ||
        (y > 0 && !isForeground(p - width)) ||
        (y < height - 1 && !isForeground(p + width))
      ) {
        out[p] = 1;
      }
    }
  }
  return out;
}

/**
 * Chessboard distance from every pixel to the nearest set pixel of `marks`, capped at `cap`
 * (pixels farther than that get cap + 1). A breadth-first search over 8-neighbours: O(pixels).
 */
export function chessboardDistance(
  marks: Uint8Array,
  width: number,
  height: number,
  cap: number,
): Uint16Array {
  const n = width * height;
  const far = Math.min(cap + 1, 65535);
  const distance = new Uint16Array(n).fill(far);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let p = 0; p < n; p++) {
    if (marks[p]) {
      distance[p] = 0;
      queue[tail++] = p;
    }
  }
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const next = distance[p] + 1;
    if (next > cap) continue;
    const x = p % width;
    const y = (p - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const qy = y + dy;
      if (qy < 0 || qy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const qx = x + dx;
        if (qx < 0 || qx >= width) continue;
        const q = qy * width + qx;
        if (distance[q] > next) {
          distance[q] = next;
          queue[tail++] = q;
        }
      }
    }
  }
  return distance;
}

/**
 * Boundary F-measure: precision = share of the mask's boundary pixels within `tolerance` pixels
 * (chessboard distance) of the truth's boundary, recall = share of the truth's boundary pixels within
 * `tolerance` of the mask's; F = 2PR / (P + R). Mask boundary pixels inside the unlabelled band count
 * as correct, since the true border lies somewhere in the band. Both boundaries empty gives 1;
 * exactly one empty gives 0.
 */
export function boundaryF(
  mask: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  tolerance = defaultBoundaryTolerance(width, height),
): number {
  assertSameSize(mask, truth, width, height);
  const predicted = boundaryPixels((p) => mask[p] !== 0, width, height);
  const actual = boundaryPixels((p) => truth[p] === 255, width, height);
  const toActual = chessboardDistance(actual, width, height, tolerance);
  const toPredicted = chessboardDistance(predicted, width, height, tolerance);
  let predictedCount = 0;
  let predictedHits = 0;
  let actualCount = 0;
  let actualHits = 0;
  for (let p = 0; p < mask.length; p++) {
    if (predicted[p]) {
      predictedCount++;
      if (truth[p] === UNLABELLED || toActual[p] <= tolerance) predictedHits++;
    }
    if (actual[p]) {
      actualCount++;
      if (toPredicted[p] <= tolerance) actualHits++;
    }
  }
  if (predictedCount === 0 && actualCount === 0) return 1;
  if (predictedCount === 0 || actualCount === 0) return 0;
  const precision = predictedHits / predictedCount;
  const recall = actualHits / actualCount;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
