/**
 * The effort figures of the robot protocol: NoC@t (number of clicks to reach IoU t, the maximum when
 * never reached) and the mean IoU after a given number of clicks.
 */

/**
 * Clicks needed to reach `threshold`: the smallest c with `ious[c] ≥ threshold`, where `ious[c]` is
 * the IoU after c clicks (`ious[0]` the start before any click: a start from strokes that is
 * already good enough needs 0; a start from scratch has no entry 0 and passes NaN there). `maxClicks`
 * when never reached.
 */
export function clicksToReach(ious: readonly number[], threshold: number, maxClicks: number): number {
  for (let c = 0; c < ious.length && c <= maxClicks; c++) {
    if (ious[c] >= threshold) return c;
  }
  return maxClicks;
}

export interface RobotImageRun {
  name: string;
  /** IoU after c clicks, c = 0 … maxClicks (entry 0: the start; NaN when starting from scratch). */
  ious: number[];
  /** Milliseconds of each cut (entry c: the cut after c clicks; NaN where none was made). */
  ms: number[];
}

export interface RobotSummary {
  images: number;
  maxClicks: number;
  noc85: number;
  noc90: number;
  /** Images that never reach IoU 0.90 within maxClicks. */
  neverReach90: string[];
  /** Mean IoU over the images after c clicks, c = 0 … maxClicks (NaN for c = 0 from scratch). */
  meanIou: number[];
  /** Mean milliseconds of a cut after a click (the start's cut from strokes left out). */
  msPerClick: number;
}

export const NOC_THRESHOLDS = [0.85, 0.9] as const;

/** Per-run NoC figures. */
export function nocOf(run: RobotImageRun, maxClicks: number): { noc85: number; noc90: number } {
  return {
    noc85: clicksToReach(run.ious, 0.85, maxClicks),
    noc90: clicksToReach(run.ious, 0.9, maxClicks),
  };
}

/** Averages over images; every run must have maxClicks + 1 IoU entries. */
export function summariseRobot(runs: readonly RobotImageRun[], maxClicks: number): RobotSummary {
  const meanIou: number[] = [];
  for (let c = 0; c <= maxClicks; c++) {
    meanIou.push(runs.reduce((s, run) => s + run.ious[c], 0) / runs.length);
  }
  let clickMs = 0;
  let clickCuts = 0;
  for (const run of runs) {
    for (let c = 1; c < run.ms.length; c++) {
      if (Number.isFinite(run.ms[c])) {
        clickMs += run.ms[c];
        clickCuts++;
      }
    }
  }
  const nocs = runs.map((run) => nocOf(run, maxClicks));
  return {
    images: runs.length,
    maxClicks,
    noc85: nocs.reduce((s, x) => s + x.noc85, 0) / runs.length,
    noc90: nocs.reduce((s, x) => s + x.noc90, 0) / runs.length,
    neverReach90: runs.filter((run) => !run.ious.some((iou) => iou >= 0.9)).map((run) => run.name),
    meanIou,
    msPerClick: clickCuts === 0 ? Number.NaN : clickMs / clickCuts,
  };
}
