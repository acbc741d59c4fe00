/**
 * One image through the robot user: start (from strokes, or from scratch with one click and the
 * image's frame as background), then up to `maxClicks` clicks, each followed by a new cut. The cut
 * itself is a callback so the same loop drives strokecut's `segment` and tests' simple cuts.
 */
import { StrokecutError } from '../errors.js';
import { UNLABELLED } from '../metrics/metrics.js';
import { defaultBorderWidth } from '../prompts/prompts.js';
import type { SeedLabels } from '../types.js';
import type { RobotClick } from './clicks.js';
import { nextRobotClick, paintClick, scratchStart } from './clicks.js';
import type { RobotImageRun } from './noc.js';

export interface RobotOptions {
  /** Most clicks. Default 20 (the protocol's). */
  maxClicks?: number;
  /** Radius of a click's disk in pixels. Default 5. */
  radius?: number;
  /** Width of the background frame of a start from scratch. Default {@link defaultBorderWidth}. */
  borderWidth?: number;
  /**
   * Stop clicking once the IoU reaches this (RITM's evaluation stops at its target IoU): NoC up to
   * this threshold stays exact and costs far fewer cuts, but the IoU after later click counts is
   * unknown (NaN). Default: never stop (all clicks, for the IoU-per-click curve).
   */
  stopAt?: number;
  /** How a click becomes seeds (default: its disk, {@link paintClick}). */
  paint?: (labels: Uint8Array, click: RobotClick, radius: number) => void;
}

export const ROBOT_DEFAULTS = { maxClicks: 20, radius: 5 } as const;

/**
 * A cut: seed labels in (0 unmarked, 1 foreground, 2 background), mask out (0 / non-zero); also
 * given the previous cut's mask (undefined for the first), which a method may build on.
 */
export type RobotCut = (seeds: SeedLabels, previous: Uint8Array | undefined) => Uint8Array;

export interface RobotRunResult extends RobotImageRun {
  clicks: RobotClick[];
  /** The last mask. */
  mask: Uint8Array;
}

/** IoU of the foreground over labelled truth pixels (truth 128 left out); 1 when both are empty. */
export function maskIou(mask: Uint8Array, truth: Uint8Array): number {
  let intersection = 0;
  let union = 0;
  for (let p = 0; p < mask.length; p++) {
    const t = truth[p];
    if (t === UNLABELLED) continue;
    const predicted = mask[p] !== 0;
    const actual = t !== 0;
    if (predicted && actual) intersection++;
    if (predicted || actual) union++;
  }
  return union === 0 ? 1 : intersection / union;
}

export function resolveRobotOptions(options: RobotOptions): {
  maxClicks: number;
  radius: number;
  borderWidth?: number;
  stopAt: number;
} {
  const maxClicks = options.maxClicks ?? ROBOT_DEFAULTS.maxClicks;
  const radius = options.radius ?? ROBOT_DEFAULTS.radius;
  if (!Number.isInteger(maxClicks) || maxClicks < 1) {
    throw new StrokecutError('INVALID_OPTION', `maxClicks must be a positive integer; found ${maxClicks}.`);
  }
  if (!Number.isFinite(radius) || radius < 0) {
    throw new StrokecutError('INVALID_OPTION', `radius must be a number ≥ 0; found ${radius}.`);
  }
  if (
    options.borderWidth !== undefined &&
    (!Number.isInteger(options.borderWidth) || options.borderWidth < 1)
  ) {
    throw new StrokecutError(
      'INVALID_OPTION',
      `borderWidth must be a positive integer; found ${options.borderWidth}.`,
    );
  }
  const stopAt = options.stopAt ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(stopAt)) throw new StrokecutError('INVALID_OPTION', 'stopAt must be a number; found NaN.');
  return { maxClicks, radius, borderWidth: options.borderWidth, stopAt };
}

/**
 * Runs the robot on one image. `start`: seed labels of the given strokes, or undefined for a start
 * from scratch. Returns the IoU after every click count (entry 0: the start's cut from strokes, NaN
 * from scratch, whose first cut already has one click) and each cut's time. Once a mask has no error
 * left the robot stops clicking and later entries repeat its IoU (1).
 */
export function runRobot(
  name: string,
  truth: Uint8Array,
  width: number,
  height: number,
  start: Uint8Array | undefined,
  cut: RobotCut,
  options: RobotOptions = {},
): RobotRunResult {
  const { maxClicks, radius, borderWidth, stopAt } = resolveRobotOptions(options);
  if (truth.length !== width * height || (start && start.length !== width * height)) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The robot needs ${width * height} truth and seed entries for ${width}×${height}; found ${truth.length} and ${start?.length ?? 'none'}.`,
    );
  }
  const ious: number[] = [];
  const ms: number[] = [];
  const clicks: RobotClick[] = [];
  let labels: Uint8Array;
  let clicksSoFar: number;
  if (start) {
    labels = start.slice();
    clicksSoFar = 0;
  } else {
    const first = scratchStart(
      truth,
      width,
      height,
      radius,
      borderWidth ?? defaultBorderWidth(width, height),
      options.paint,
    );
    labels = first.labels;
    clicks.push(first.click);
    ious.push(Number.NaN);
    ms.push(Number.NaN);
    clicksSoFar = 1;
  }
  let mask: Uint8Array | undefined;
  for (;;) {
    const t0 = performance.now();
    mask = cut({ width, height, labels }, mask);
    ms.push(performance.now() - t0);
    const iou = maskIou(mask, truth);
    ious.push(iou);
    if (clicksSoFar === maxClicks) break;
    if (iou >= stopAt) {
      while (ious.length <= maxClicks) {
        ious.push(Number.NaN);
        ms.push(Number.NaN);
      }
      break;
    }
    const click = nextRobotClick(mask, truth, width, height);
    if (!click) {
      while (ious.length <= maxClicks) {
        ious.push(iou);
        ms.push(Number.NaN);
      }
      break;
    }
    if (options.paint) options.paint(labels, click, radius);
    else paintClick(labels, width, height, click, radius);
    clicks.push(click);
    clicksSoFar++;
  }
  return { name, ious, ms, clicks, mask };
}
