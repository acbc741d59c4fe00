/**
 * `npm run bench:coarse`: what the coarse-to-fine refinement costs in accuracy and gains in time.
 *
 * The GrabCut benchmark's photos are small (about 0.15 MP), under the size at which strokecut
 * switches to coarse-to-fine cuts. This bench scales each photo up (bicubic), with its strokes and
 * ground truth (nearest neighbour), and segments it twice in the same process: with the default
 * coarse-to-fine refinement and with `workingPixels: Infinity` (every cut at full resolution, the
 * exact minimum). It prints per-image and mean IoU against the truth for both, the share of pixels
 * on which the two masks differ, and the median refinement times and their ratio.
 *
 * Usage: node dist/bench/coarse-to-fine.js [DATASET_DIR] [--scale S=3] [--limit N] [--json]
 *        [--working-pixels P] [--band-radius R]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { findCases } from '../src/cli/eval-command.js';
import { scoreMask } from '../src/core/metrics/metrics.js';
import { REFINE_DEFAULTS } from '../src/core/refine/refine.js';
import { segment } from '../src/core/segment.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const dataset = resolve(positional[0] ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
const scale = option('--scale') ?? 3;
const limit = option('--limit') ?? Number.POSITIVE_INFINITY;
const workingPixels = option('--working-pixels') ?? REFINE_DEFAULTS.workingPixels;
const bandRadius = option('--band-radius') ?? REFINE_DEFAULTS.bandRadius;
if (!existsSync(join(dataset, 'images'))) {
  console.error(`bench:coarse: no dataset at ${dataset} (expected images/, strokes/, truth/).`);
  process.exit(2);
}

const { cases } = await findCases(join(dataset, 'images'), join(dataset, 'strokes'), join(dataset, 'truth'));
const selected = cases.slice(0, limit);

async function load(
  path: string,
  width: number,
  height: number,
  kernel: 'cubic' | 'nearest',
  channels: 1 | 3,
) {
  let pipeline = sharp(path).removeAlpha();
  if (channels === 1) pipeline = pipeline.extractChannel(0);
  const { data } = await pipeline
    .resize(width, height, { kernel, fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

interface Row {
  name: string;
  width: number;
  height: number;
  factor: number;
  bandShare: number;
  iouCoarse: number;
  iouFull: number;
  differing: number;
  msCoarse: number;
  msFull: number;
}
const rows: Row[] = [];
for (const entry of selected) {
  const meta = await sharp(entry.image).metadata();
  const width = Math.round(meta.width! * scale);
  const height = Math.round(meta.height! * scale);
  const image = await load(entry.image, width, height, 'cubic', 3);
  const strokes = await load(entry.strokes, width, height, 'nearest', 3);
  const truth = await load(entry.truth, width, height, 'nearest', 1);
  const coarse = segment(image, strokes, { workingPixels, bandRadius });
  const full = segment(image, strokes, { workingPixels: Number.POSITIVE_INFINITY });
  let differing = 0;
  for (let p = 0; p < full.mask.length; p++) if (full.mask[p] !== coarse.mask[p]) differing++;
  rows.push({
    name: entry.name,
    width,
    height,
    factor: coarse.stats.refineFactor,
    bandShare: coarse.stats.bandPixels / (width * height),
    iouCoarse: scoreMask(coarse.mask, truth.data, width, height).iou,
    iouFull: scoreMask(full.mask, truth.data, width, height).iou,
    differing: differing / full.mask.length,
    msCoarse: coarse.stats.timings.refine,
    msFull: full.stats.timings.refine,
  });
  if (process.stderr.isTTY) process.stderr.write(`\rbench:coarse ${rows.length}/${selected.length}`);
}
if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');

const mean = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
const median = (f: (r: Row) => number) => {
  const v = rows.map(f).sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const summary = {
  images: rows.length,
  scale,
  workingPixels,
  bandRadius,
  meanIouCoarseToFine: Number(mean((r) => r.iouCoarse).toFixed(4)),
  meanIouFullResolution: Number(mean((r) => r.iouFull).toFixed(4)),
  meanDifferingPixels: Number(mean((r) => r.differing).toFixed(5)),
  maxDifferingPixels: Number(Math.max(...rows.map((r) => r.differing)).toFixed(5)),
  meanBandShare: Number(mean((r) => r.bandShare).toFixed(4)),
  medianRefineMsCoarseToFine: Math.round(median((r) => r.msCoarse)),
  medianRefineMsFullResolution: Math.round(median((r) => r.msFull)),
  medianSpeedup: Number(median((r) => r.msFull / r.msCoarse).toFixed(1)),
};
if (args.includes('--json')) {
  console.log(JSON.stringify({ summary, rows }, null, 2));
} else {
  const f3 = (x: number) => x.toFixed(3);
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  console.log(
    '| image | size | factor | band | IoU coarse-to-fine | IoU full resolution | pixels differing | refine ms (c2f / full) |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [...rows].sort((a, b) => b.differing - a.differing)) {
    console.log(
      `| ${r.name} | ${r.width}×${r.height} | ${r.factor} | ${pct(r.bandShare)} | ${f3(r.iouCoarse)} | ${f3(r.iouFull)} | ${pct(r.differing)} | ${Math.round(r.msCoarse)} / ${Math.round(r.msFull)} |`,
    );
  }
  console.log();
  console.log(JSON.stringify(summary, null, 2));
}
