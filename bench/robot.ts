/**
 * The robot table of `npm run bench:accuracy`: the click robot of `strokecut eval --robot`
 * (src/core/robot/) on the shared set, from scratch and from the set-1 strokes, for strokecut and —
 * side by side, in a child process running at the same time — OpenCV grabCut driven by the same robot
 * (bench/opencv-grabcut-robot.py). Prints the tables, writes them into docs/accuracy.md between the robot
 * markers and the mean-IoU-per-click chart to docs/robot-iou-per-click.svg (unless --no-write).
 *
 * Flags (given to bench:accuracy): --no-robot (skip), --robot-clicks N (default 20), --robot-limit N
 * (first N images), --robot-start scratch|strokes|both (default both), --no-robot-grabcut.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RobotReport } from '../src/cli/robot-eval.js';
import { findRobotCases, reportedClicks, robotEvaluate } from '../src/cli/robot-eval.js';
import type { RobotImageRun, RobotSummary } from '../src/core/robot/noc.js';
import { nocOf, summariseRobot } from '../src/core/robot/noc.js';
import { iouPerClickSvg } from '../src/core/robot/plot.js';
import { ROBOT_DEFAULTS } from '../src/core/robot/run.js';
import { writeDocTable } from './doc-tables.js';

/** bench:accuracy flags of this module that take a value (so the value is no dataset path). */
export const ROBOT_VALUE_FLAGS = ['--robot-clicks', '--robot-limit', '--robot-start'];

const START = '<!-- robot:start (written by npm run bench:accuracy) -->';
const END = '<!-- robot:end -->';

interface GrabcutRobot {
  opencv: string;
  images: { name: string; ious: (number | null)[]; ms: (number | null)[] }[];
}

const run = promisify(execFile);

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function grabcutRobot(
  root: string,
  dataset: string,
  scratch: boolean,
  clicks: number,
  limit: number,
): Promise<{ runs: RobotImageRun[]; opencv: string } | string> {
  try {
    const argv = [
      join(root, 'bench', 'opencv-grabcut-robot.py'),
      dataset,
      '--json',
      '--clicks',
      String(clicks),
    ];
    if (scratch) argv.push('--scratch');
    if (Number.isFinite(limit)) argv.push('--limit', String(limit));
    const { stdout } = await run('/usr/bin/python3', argv, { maxBuffer: 64 << 20 });
    const parsed = JSON.parse(stdout) as GrabcutRobot;
    const runs = parsed.images.map((row) => ({
      name: row.name,
      ious: row.ious.map((v) => v ?? Number.NaN),
      ms: row.ms.map((v) => v ?? Number.NaN),
    }));
    return { runs, opencv: parsed.opencv };
  } catch (error) {
    return `OpenCV grabCut robot not measured (${String((error as Error).message).split('\n')[0]}).`;
  }
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

function summaryRows(label: string, s: RobotSummary, clicks: number[]): string {
  return `| ${label} | **${f2(s.noc85)}** | **${f2(s.noc90)}** | ${s.neverReach90.length} | ${clicks.map((c) => f3(s.meanIou[c])).join(' | ')} | ${Math.round(s.msPerClick)} ms |`;
}

/** Runs the robot part of the accuracy bench; returns without doing anything under --no-robot. */
export async function runRobotBench(
  root: string,
  dataset: string,
  args: string[],
  write: boolean,
): Promise<void> {
  if (args.includes('--no-robot')) return;
  const clicks = Number(flag(args, '--robot-clicks') ?? ROBOT_DEFAULTS.maxClicks);
  const limit = Number(flag(args, '--robot-limit') ?? Number.POSITIVE_INFINITY);
  const startFlag = flag(args, '--robot-start') ?? 'both';
  const starts = startFlag === 'both' ? ['scratch', 'strokes'] : [startFlag];
  if (!Number.isInteger(clicks) || clicks < 1 || starts.some((s) => s !== 'scratch' && s !== 'strokes')) {
    console.error(
      'bench:accuracy: --robot-clicks takes a positive integer, --robot-start scratch|strokes|both.',
    );
    process.exit(2);
  }
  const withGrabcut = !args.includes('--no-robot-grabcut');
  const loadAtStart = os.loadavg()[0];
  const lines: string[] = [];
  const series: { label: string; values: number[] }[] = [];
  const at = reportedClicks(clicks);
  const perImage: string[] = [];
  let imageCount = 0;
  for (const start of starts) {
    const scratch = start === 'scratch';
    // grabCut runs in its own process meanwhile (the machine's second core).
    const grabcutPromise = withGrabcut ? grabcutRobot(root, dataset, scratch, clicks, limit) : undefined;
    const { cases } = await findRobotCases(
      join(dataset, 'images'),
      join(dataset, 'truth'),
      scratch ? undefined : join(dataset, 'strokes'),
    );
    const selected = cases.slice(0, limit);
    imageCount = selected.length;
    let done = 0;
    const report: RobotReport = await robotEvaluate(selected, {}, { maxClicks: clicks }, () => {
      done++;
      if (process.stderr.isTTY) process.stderr.write(`\rrobot ${start} ${done}/${selected.length}`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
    const grabcut = grabcutPromise ? await grabcutPromise : undefined;
    const startLabel = scratch ? 'from scratch' : 'from the set-1 strokes';
    lines.push(
      `**${startLabel[0].toUpperCase()}${startLabel.slice(1)}** (${selected.length} images):`,
      '',
      `| method | NoC@85 | NoC@90 | never 90% | ${at.map((c) => `IoU@${c}`).join(' | ')} | time per click |`,
      `| --- | ---: | ---: | ---: | ${at.map(() => '---:').join(' | ')} | ---: |`,
      summaryRows('strokecut', report.summary, at),
    );
    series.push({ label: `strokecut, ${scratch ? 'scratch' : 'strokes'}`, values: report.summary.meanIou });
    const grabcutByName = new Map<string, RobotImageRun>();
    if (typeof grabcut === 'string') lines.push('', grabcut);
    else if (grabcut) {
      const summary = summariseRobot(grabcut.runs, clicks);
      for (const r of grabcut.runs) grabcutByName.set(r.name, r);
      lines.push(summaryRows(`OpenCV ${grabcut.opencv} grabCut`, summary, at));
      series.push({ label: `grabCut, ${scratch ? 'scratch' : 'strokes'}`, values: summary.meanIou });
    }
    lines.push(
      '',
      `Never reaching 90% (strokecut): ${report.summary.neverReach90.join(', ') || 'none'}.`,
      '',
    );
    perImage.push(
      `| image | start | strokecut NoC@90 | grabCut NoC@90 | strokecut IoU@${clicks} | grabCut IoU@${clicks} |`,
      '| --- | --- | ---: | ---: | ---: | ---: |',
    );
    for (const row of report.images) {
      const g = grabcutByName.get(row.name);
      perImage.push(
        `| ${row.name} | ${scratch ? 'scratch' : 'strokes'} | ${row.noc90} | ${g ? nocOf(g, clicks).noc90 : '–'} | ${f3(row.ious[clicks])} | ${g ? f3(g.ious[clicks]) : '–'} |`,
      );
    }
    perImage.push('');
  }
  lines.push(
    `Robot user of \`strokecut eval --robot\` (clicks of radius ${ROBOT_DEFAULTS.radius} px, at most ${clicks}; NoC = clicks to reach the IoU, ${clicks} if never; ` +
      'grabCut: `bench/opencv-grabcut-robot.py`, the same clicks protocol, 5 iterations from a fresh mask per click). ' +
      `Load average ${loadAtStart.toFixed(2)} at the start (${os.cpus().length} cores); times are rough.`,
    '',
    '![Mean IoU per click](docs/robot-iou-per-click.svg)',
    '',
    '<details><summary>Per image</summary>',
    '',
    ...perImage,
    '</details>',
  );
  const section = lines.join('\n');
  console.log(section);
  if (!write) return;
  writeFileSync(
    join(root, 'docs', 'robot-iou-per-click.svg'),
    iouPerClickSvg(series, `Mean IoU per click, GrabCut set (${imageCount} images)`),
  );
  writeDocTable('accuracy.md', START, END, section);
}
