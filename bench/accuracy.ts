/**
 * `npm run bench:accuracy`: scores strokecut on the shared GrabCut benchmark with real human
 * scribbles and writes the results into docs/accuracy.md (between the markers).
 *
 * Runs `strokecut eval`'s code with the default settings and with --smooth 0 (the plain per-pixel
 * mode), and, where Debian's python3-opencv is installed, bench/opencv-grabcut.py (OpenCV grabCut
 * initialised from the same strokes) as a reference point.
 *
 * With `--scales` (default 1,3,6; `--scales 1` leaves it out) it also scores the default mode on
 * the photos upscaled (see bench/scales.ts) and adds a table per scale.
 *
 * Usage: node dist/bench/accuracy.js [DATASET_DIR] [--no-write] [--scales 1,3,6]
 *        [robot flags: see bench/robot.ts]
 * DATASET_DIR defaults to ../shared/datasets/grabcut relative to the repository root.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvalRow } from '../src/cli/eval-command.js';
import { evaluateCases, findCases } from '../src/cli/eval-command.js';
import { SEGMENT_DEFAULTS } from '../src/core/segment.js';
import { writeDocTable } from './doc-tables.js';
import { ROBOT_VALUE_FLAGS, runRobotBench } from './robot.js';
import { evaluateScales, formatScaleTable, parseScales } from './scales.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const write = !args.includes('--no-write');
const valued = new Set(['--scales', ...ROBOT_VALUE_FLAGS]);
const dataset = resolve(
  args.find((a, i) => !a.startsWith('--') && !valued.has(args[i - 1])) ??
    join(root, '..', 'shared', 'datasets', 'grabcut'),
);
const scalesArg = args.includes('--scales') ? (args[args.indexOf('--scales') + 1] ?? '') : '1,3,6';
const scales = parseScales(scalesArg);
if (typeof scales === 'string') {
  console.error(`bench:accuracy: ${scales}`);
  process.exit(2);
}
const START = '<!-- accuracy:start (written by npm run bench:accuracy) -->';
const END = '<!-- accuracy:end -->';

if (!existsSync(join(dataset, 'images'))) {
  console.error(
    `bench:accuracy: no dataset at ${dataset} (expected images/, strokes/ and truth/ there: the shared GrabCut set, ../shared/datasets/grabcut from the repository root).`,
  );
  process.exit(2);
}

const { cases, skipped } = await findCases(
  join(dataset, 'images'),
  join(dataset, 'strokes'),
  join(dataset, 'truth'),
);
const progress = (label: string) => {
  let done = 0;
  return () => {
    done++;
    if (process.stderr.isTTY) process.stderr.write(`\r${label} ${done}/${cases.length}`);
  };
};
const loadAtStart = os.loadavg()[0];
const refined = await evaluateCases(cases, {}, progress('default'));
const plain = await evaluateCases(cases, { smooth: 0 }, progress('plain'));
const perScale = scales.length > 1 ? await evaluateScales(cases, scales, {}, progress('scales')) : undefined;
if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');

interface GrabcutReport {
  opencv: string;
  images: { name: string; iou: number; errorRate: number; ms: number }[];
  meanIou: number;
  meanErrorRate: number;
}
let grabcut: GrabcutReport | undefined;
let grabcutNote = '';
try {
  const output = execFileSync(
    '/usr/bin/python3',
    [join(root, 'bench', 'opencv-grabcut.py'), dataset, '--json'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 << 20,
    },
  );
  grabcut = JSON.parse(output) as GrabcutReport;
} catch (error) {
  grabcutNote = `OpenCV grabCut not measured on this run (${String((error as Error).message).split('\n')[0]}).`;
}
const grabcutByName = new Map(grabcut?.images.map((row) => [row.name, row]));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const refineMsPerMegapixel = median(refined.images.map((r) => r.refineMs / ((r.width * r.height) / 1e6)));
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const f3 = (x: number) => x.toFixed(3);

const extraScales = perScale ? scales.filter((s) => s !== 1) : [];
const lines: string[] = [];
lines.push(
  `${cases.length} images of the GrabCut benchmark with human scribbles (\`../shared/datasets/grabcut\`), scored against`,
  'the ground truth with its unlabelled band left out. Default settings: ' +
    `k = ${SEGMENT_DEFAULTS.k}, --smooth ${SEGMENT_DEFAULTS.smooth}, --iterations ${SEGMENT_DEFAULTS.iterations}. ` +
    'Produced by `npm run bench:accuracy`; the same figures for any folder come from',
  '`strokecut eval --images DIR --strokes DIR --truth DIR`.',
  '',
  '| mode | mean IoU | mean error | mean boundary F | mean time per image |',
  '| --- | ---: | ---: | ---: | ---: |',
  `| strokecut, default (graph cut) | **${f3(refined.mean.iou)}** | ${pct(refined.mean.errorRate)} | ${f3(refined.mean.boundaryF)} | ${Math.round(refined.mean.ms)} ms |`,
  `| strokecut --smooth 0 (plain per-pixel) | ${f3(plain.mean.iou)} | ${pct(plain.mean.errorRate)} | ${f3(plain.mean.boundaryF)} | ${Math.round(plain.mean.ms)} ms |`,
);
if (grabcut) {
  const ms = grabcut.images.reduce((s, r) => s + r.ms, 0) / grabcut.images.length;
  lines.push(
    `| OpenCV ${grabcut.opencv} grabCut, 5 iterations (\`bench/opencv-grabcut.py\`) | ${f3(grabcut.meanIou)} | ${pct(grabcut.meanErrorRate)} | – | ${Math.round(ms)} ms |`,
  );
}
lines.push(
  '',
  `Median refinement time: ${Math.round(refineMsPerMegapixel)} ms per megapixel (one core; load average ${loadAtStart.toFixed(2)} at the start of the run, so treat times as rough).`,
);
if (grabcutNote) lines.push('', grabcutNote);
if (perScale) {
  lines.push(
    '',
    'The same photos and strokes at other sizes (default mode; `--scales`, bench/scales.ts):',
    '',
    formatScaleTable(perScale.summaries),
  );
}
if (skipped.length) lines.push('', `Skipped (no strokes or truth): ${skipped.join(', ')}.`);
lines.push(
  '',
  '<details><summary>Per image (sorted by default-mode IoU, worst first)</summary>',
  '',
  `| image | size | IoU | IoU plain | IoU grabCut | error | boundary F | time (ms) |${extraScales.map((s) => ` IoU ×${s} |`).join('')}`,
  `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${extraScales.map(() => ' ---: |').join('')}`,
);
const plainByName = new Map(plain.images.map((row) => [row.name, row]));
const scaledIou = (name: string, scale: number) =>
  perScale?.rows.find((r) => r.name === name && r.scale === scale)?.iou;
const rows: EvalRow[] = [...refined.images].sort((a, b) => a.iou - b.iou);
for (const row of rows) {
  const g = grabcutByName.get(row.name);
  lines.push(
    `| ${row.name} | ${row.width}×${row.height} | ${f3(row.iou)} | ${f3(plainByName.get(row.name)!.iou)} | ${g ? f3(g.iou) : '–'} | ${pct(row.errorRate)} | ${f3(row.boundaryF)} | ${Math.round(row.ms)} |${extraScales.map((s) => ` ${f3(scaledIou(row.name, s) ?? Number.NaN)} |`).join('')}`,
  );
}
lines.push('', '</details>');
const section = lines.join('\n');

console.log(section);
if (write) {
  if (!writeDocTable('accuracy.md', START, END, section)) process.exit(2);
}

await runRobotBench(root, dataset, args, write);
