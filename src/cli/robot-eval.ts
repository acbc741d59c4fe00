/**
 * `strokecut eval --robot`: the effort benchmark of interactive segmentation (the robot user of Xu
 * et al. 2016, as RITM and f-BRS evaluate): per image, clicks until the mask is right or 20 clicks
 * are spent, reporting NoC@85 / NoC@90 and the mean IoU after each click. The protocol's pure parts
 * are in src/core/robot/; this file reads the files, drives `segment` and prints.
 */
import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { StrokecutError } from '../core/errors.js';
import { paintGrownClick } from '../core/robot/clicks.js';
import type { RobotSummary } from '../core/robot/noc.js';
import { nocOf, summariseRobot } from '../core/robot/noc.js';
import { iouPerClickSvg } from '../core/robot/plot.js';
import type { RobotOptions, RobotRunResult } from '../core/robot/run.js';
import { ROBOT_DEFAULTS, resolveRobotOptions, runRobot } from '../core/robot/run.js';
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import type { SegmentOptions } from '../core/segment.js';
import { segment } from '../core/segment.js';
import { readRgbImage, readStrokeImage } from '../io/read-image.js';
import { readTruthMask } from '../io/read-truth.js';
import { assertWritableTarget, writeFileAtomic } from '../io/write-image.js';
import { parseIntegerOption, parseNumberOption } from './args.js';
import { findCases } from './eval-command.js';
import type { CliIo } from './output.js';
import { roundMs } from './output.js';
import { createProgress } from './progress.js';
import { parseSegmentOptions } from './segment-options.js';

export const ROBOT_OPTION_SPECS = {
  robot: { type: 'boolean' },
  clicks: { type: 'string' },
  'click-radius': { type: 'string' },
  plot: { type: 'string' },
  'stop-at': { type: 'string' },
  'carry-mask': { type: 'boolean' },
  'grow-clicks': { type: 'string' },
} as const;

export const ROBOT_USAGE = `
Robot user (--robot): instead of one cut per image, the standard click robot of interactive
segmentation (Xu et al. 2016; RITM, f-BRS): after each cut it takes the larger of the missed and the
false areas (truth 128 left out), that area's largest connected component, and clicks at the
component's point farthest from its boundary — a filled disk, red on a missed region, blue on a
false one. Starts from the --strokes files, or without --strokes from scratch: one click on the
object's deepest point, the image's frame (1% of the shorter side) as background where the truth
is background. Reports NoC@85 / NoC@90 (clicks to reach IoU 0.85 / 0.90; the maximum if never) and
the mean IoU after 1, 2, 3, 5, 10 and 20 clicks.
  --robot              run the robot user
  --clicks N           most clicks per image (default ${ROBOT_DEFAULTS.maxClicks})
  --click-radius R     radius of a click's disk in pixels (default ${ROBOT_DEFAULTS.radius})
  --plot FILE.svg      write the mean IoU per click as an SVG chart
  --grow-clicks R,T    turn each click into its disk grown (4-neighbours, within R px of the
                       click) over colours within T of the disk's mean (default: the disk)
  --carry-mask         give each cut the previous mask as a prior (--prior)
  --stop-at IOU        stop clicking on an image once its IoU reaches this (NoC up to it stays
                       exact, for far fewer cuts; the IoU after later clicks is then unknown)
`;

export interface RobotCase {
  name: string;
  image: string;
  truth: string;
  /** Absent: start from scratch. */
  strokes?: string;
}

export interface RobotImageReport extends RobotRunResult {
  width: number;
  height: number;
  noc85: number;
  noc90: number;
}

const baseName = (file: string) => file.slice(0, file.length - extname(file).length);

async function listFiles(dir: string, what: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    throw new StrokecutError('UNREADABLE_FILE', `Cannot list the ${what} directory "${dir}".`);
  }
}

/** Images paired with truth (and strokes, when a stroke directory is given) by base name. */
export async function findRobotCases(
  imagesDir: string,
  truthDir: string,
  strokesDir?: string,
): Promise<{ cases: RobotCase[]; skipped: string[] }> {
  if (strokesDir !== undefined) return findCases(imagesDir, strokesDir, truthDir);
  const [images, truths] = await Promise.all([listFiles(imagesDir, 'images'), listFiles(truthDir, 'truth')]);
  const truthByBase = new Map(truths.map((file) => [baseName(file), file]));
  const cases: RobotCase[] = [];
  const skipped: string[] = [];
  for (const file of images) {
    const truth = truthByBase.get(baseName(file));
    if (truth)
      cases.push({ name: baseName(file), image: join(imagesDir, file), truth: join(truthDir, truth) });
    else skipped.push(baseName(file));
  }
  if (cases.length === 0) {
    throw new StrokecutError(
      'USAGE',
      `No image in "${imagesDir}" has a truth file in "${truthDir}" with the same base name (${images.length} images, ${truths.length} truth files).`,
    );
  }
  return { cases, skipped };
}

/** One image through the robot: decoded once, then one `segment` per click. */
export async function robotCase(
  entry: RobotCase,
  options: SegmentOptions,
  robot: RobotCliOptions,
): Promise<RobotImageReport> {
  const [image, truth, strokes] = await Promise.all([
    readRgbImage(entry.image),
    readTruthMask(entry.truth),
    entry.strokes === undefined ? undefined : readStrokeImage(entry.strokes),
  ]);
  if (truth.width !== image.width || truth.height !== image.height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The image "${entry.image}" is ${image.width}×${image.height} but its truth "${entry.truth}" is ${truth.width}×${truth.height}.`,
    );
  }
  if (strokes && (strokes.width !== image.width || strokes.height !== image.height)) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The image "${entry.image}" is ${image.width}×${image.height} but its strokes "${entry.strokes}" are ${strokes.width}×${strokes.height}.`,
    );
  }
  const start = strokes ? extractSeeds(strokes, options).labels : undefined;
  const grow = robot.growClicks;
  const paint: RobotOptions['paint'] = grow
    ? (labels, click, radius) =>
        paintGrownClick(
          labels,
          image.data,
          image.width,
          image.height,
          click,
          radius,
          grow.reach,
          grow.tolerance,
        )
    : undefined;
  const run = runRobot(
    entry.name,
    truth.data,
    image.width,
    image.height,
    start,
    (seeds, previous) =>
      segment(image, seeds, previous && robot.carryMask ? { ...options, prior: previous } : options).mask,
    { ...robot, paint },
  );
  const maxClicks = resolveRobotOptions(robot).maxClicks;
  return { ...run, width: image.width, height: image.height, ...nocOf(run, maxClicks) };
}

export interface RobotReport {
  images: RobotImageReport[];
  summary: RobotSummary;
  fromScratch: boolean;
}

export async function robotEvaluate(
  cases: RobotCase[],
  options: SegmentOptions,
  robot: RobotCliOptions,
  onDone: (row: RobotImageReport) => void = () => {},
): Promise<RobotReport> {
  const maxClicks = resolveRobotOptions(robot).maxClicks;
  const images: RobotImageReport[] = [];
  for (const entry of cases) {
    const row = await robotCase(entry, options, robot);
    images.push(row);
    onDone(row);
  }
  return { images, summary: summariseRobot(images, maxClicks), fromScratch: cases[0]?.strokes === undefined };
}

/** Click counts the summary table reports the mean IoU at (those within the maximum). */
export function reportedClicks(maxClicks: number): number[] {
  const counts = [1, 2, 3, 5, 10, 20].filter((c) => c <= maxClicks);
  if (!counts.includes(maxClicks)) counts.push(maxClicks);
  return counts;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

/** The report as Markdown tables: per image, then the averages. */
export function formatRobotTable(report: RobotReport): string {
  const { summary } = report;
  const at = reportedClicks(summary.maxClicks);
  const lines = [
    `| image | size | ${report.fromScratch ? '' : 'IoU at start | '}${at.map((c) => `IoU@${c}`).join(' | ')} | NoC@85 | NoC@90 | ms per click |`,
    `| --- | --- | ${report.fromScratch ? '' : '---: | '}${at.map(() => '---:').join(' | ')} | ---: | ---: | ---: |`,
  ];
  for (const row of report.images) {
    const clickMs = row.ms.slice(1).filter(Number.isFinite);
    const ms = clickMs.length ? clickMs.reduce((s, v) => s + v, 0) / clickMs.length : Number.NaN;
    lines.push(
      `| ${row.name} | ${row.width}×${row.height} | ${report.fromScratch ? '' : `${f3(row.ious[0])} | `}${at.map((c) => f3(row.ious[c])).join(' | ')} | ${row.noc85} | ${row.noc90} | ${Number.isFinite(ms) ? Math.round(ms) : '–'} |`,
    );
  }
  lines.push(
    `| **mean of ${summary.images}** | | ${report.fromScratch ? '' : `**${f3(summary.meanIou[0])}** | `}${at.map((c) => `**${f3(summary.meanIou[c])}**`).join(' | ')} | **${summary.noc85.toFixed(2)}** | **${summary.noc90.toFixed(2)}** | **${Math.round(summary.msPerClick)}** |`,
    '',
    `Start: ${report.fromScratch ? 'from scratch (one click, the image frame as background)' : 'from the given strokes'}; at most ${summary.maxClicks} clicks. ` +
      `NoC@85 ${summary.noc85.toFixed(2)}, NoC@90 ${summary.noc90.toFixed(2)}; ` +
      `${summary.neverReach90.length} of ${summary.images} never reach IoU 0.90${summary.neverReach90.length ? ` (${summary.neverReach90.join(', ')})` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

type Values = { [name: string]: string | boolean | undefined };

/** Robot options from the flags. */
/** `--grow-clicks REACH,TOLERANCE`. */
function parseGrow(value: string | boolean | undefined): GrowClicks | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split(',');
  if (parts.length !== 2) {
    throw new StrokecutError(
      'USAGE',
      `--grow-clicks must be REACH,TOLERANCE (pixels, RGB units; e.g. 15,20); found "${value}".`,
    );
  }
  return {
    reach: parseNumberOption('--grow-clicks reach', parts[0]),
    tolerance: parseNumberOption('--grow-clicks tolerance', parts[1]),
  };
}

/** Grow each click's disk along similar colours (see paintGrownClick). */
export interface GrowClicks {
  reach: number;
  tolerance: number;
}

export type RobotCliOptions = RobotOptions & { carryMask?: boolean; growClicks?: GrowClicks };

export function parseRobotOptions(values: Values): RobotCliOptions {
  const clicks = values.clicks;
  const radius = values['click-radius'];
  const stopAt = values['stop-at'];
  return {
    maxClicks: typeof clicks === 'string' ? parseIntegerOption('--clicks', clicks, 1, 1000) : undefined,
    radius: typeof radius === 'string' ? parseNumberOption('--click-radius', radius) : undefined,
    stopAt: typeof stopAt === 'string' ? parseNumberOption('--stop-at', stopAt) : undefined,
    carryMask: values['carry-mask'] === true,
    growClicks: parseGrow(values['grow-clicks']),
  };
}

/** `strokecut eval --robot …` (called by eval-command once it sees --robot). */
export async function runRobotEval(values: Values, io: CliIo): Promise<number> {
  for (const name of ['images', 'truth'] as const) {
    if (typeof values[name] !== 'string') {
      throw new StrokecutError(
        'USAGE',
        `strokecut eval --robot needs --${name} DIR. See strokecut eval --help.`,
      );
    }
  }
  const options = parseSegmentOptions(values);
  const robot = parseRobotOptions(values);
  const plot = typeof values.plot === 'string' ? resolve(io.cwd, values.plot) : undefined;
  if (plot !== undefined) {
    if (!plot.toLowerCase().endsWith('.svg')) {
      throw new StrokecutError('USAGE', `--plot must name an .svg file; found "${values.plot}".`);
    }
    await assertWritableTarget(plot, values.plot as string);
  }
  const { cases, skipped } = await findRobotCases(
    resolve(io.cwd, values.images as string),
    resolve(io.cwd, values.truth as string),
    typeof values.strokes === 'string' ? resolve(io.cwd, values.strokes) : undefined,
  );
  const progress = createProgress({
    total: cases.length,
    write: io.stderr,
    enabled: Boolean(io.isTTY) && !values.quiet && !values.json,
    title: 'robot',
  });
  const report = await robotEvaluate(cases, options, robot, () => progress.tick());
  progress.done();
  if (plot !== undefined) {
    const svg = iouPerClickSvg(
      [{ label: 'strokecut', values: report.summary.meanIou }],
      `Mean IoU per click, ${report.summary.images} images, ${report.fromScratch ? 'from scratch' : 'from strokes'}`,
    );
    await writeFileAtomic(plot, new TextEncoder().encode(svg), values.plot as string);
  }
  if (values.json) {
    const images = report.images.map((row) => ({
      name: row.name,
      width: row.width,
      height: row.height,
      noc85: row.noc85,
      noc90: row.noc90,
      ious: row.ious.map((v) => (Number.isFinite(v) ? v : null)),
      ms: row.ms.map((v) => (Number.isFinite(v) ? roundMs(v) : null)),
      clicks: row.clicks.map(({ x, y, foreground }) => ({ x, y, foreground })),
    }));
    const summary = {
      ...report.summary,
      meanIou: report.summary.meanIou.map((v) => (Number.isFinite(v) ? v : null)),
      msPerClick: roundMs(report.summary.msPerClick),
    };
    io.stdout(
      `${JSON.stringify({ options, robot: { ...robot, fromScratch: report.fromScratch }, images, summary, skipped })}\n`,
    );
    return 0;
  }
  if (skipped.length > 0) {
    io.stderr(
      `strokecut: note: skipped ${skipped.length} image(s) without truth or strokes: ${skipped.join(', ')}\n`,
    );
  }
  io.stdout(formatRobotTable(report));
  return 0;
}
