/**
 * Speed benchmark: `npm run bench [-- options]`.
 *
 * Times each stage (decode, seeds, k-means, classify, encode) in-process and the whole CLI as a
 * child process, in the plain per-pixel mode (--smooth 0) and in the default refined mode (graph
 * cuts, coarse to fine on images from 0.59 megapixels up), on the bundled example and on ~1 and ~12 megapixel photographs made at bench
 * time (the example upscaled, with a little seeded noise so the colours stay varied; written to
 * bench-out/, not committed). Runs the plain reference classifier (below, written simply) and
 * the plain Lloyd k-means on the same inputs in the same process, prints the speed-ups, and
 * checks the results are identical: the process exits 1 if any mask or clustering differs.
 *
 * Options:
 *   --runs N     timed runs per input (default 5)
 *   --quick      2 runs, example and 1 MP only
 *   --sizes LIST which inputs: example,1mp,12mp (default all)
 *   --write      also write the table into docs/performance.md between the bench:speed markers
 *   --out DIR    where generated inputs and masks go (default bench-out)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { ColorModel } from '../src/core/model/color-model.js';
import { isForegroundColor } from '../src/core/model/color-model.js';
import { createRandom } from '../src/core/random.js';
import { seedColors } from '../src/core/seeds/distinct-colors.js';
import { SEGMENT_DEFAULTS, segment } from '../src/core/segment.js';
import type { RgbImage, SeedLabels } from '../src/core/types.js';
import { SEED } from '../src/core/types.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';
import { encodeColorPng, encodeGreyPng, writeFileAtomic } from '../src/io/write-image.js';
import { kmeansPlain } from '../src/testing/kmeans-plain.js';
import { writeDocTable } from './doc-tables.js';

const K = 70;
const EXAMPLE = { image: 'examples/chelsea.png', strokes: 'examples/chelsea-stroke.png' };
const MARK_START = '<!-- bench:speed:start -->';
const MARK_END = '<!-- bench:speed:end -->';

interface Input {
  name: string;
  image: string;
  strokes: string;
  width: number;
  height: number;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean' },
    sizes: { type: 'string' },
    write: { type: 'boolean' },
    out: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const runs = values.runs ? Number(values.runs) : quick ? 2 : 5;
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer; found ${values.runs}`);
const sizes = (values.sizes ?? (quick ? 'example,1mp' : 'example,1mp,12mp')).split(',');
const outDir = resolve(values.out ?? 'bench-out');
mkdirSync(outDir, { recursive: true });

// ---------------------------------------------------------------------------------------------
// Inputs

/** The example upscaled to about `megapixels`, with uniform noise of ±2 per channel (seeded). */
async function makePhoto(megapixels: number): Promise<Input> {
  const base = await readRgbImage(EXAMPLE.image);
  const scale = Math.sqrt((megapixels * 1e6) / (base.width * base.height));
  const width = Math.round(base.width * scale);
  const height = Math.round(base.height * scale);
  const name = `${megapixels} MP`;
  const image = join(outDir, `photo-${width}x${height}-v1.png`);
  const strokes = join(outDir, `photo-${width}x${height}-v1-stroke.png`);
  if (!existsSync(image) || !existsSync(strokes)) {
    const up = await sharp(base.data, { raw: { width: base.width, height: base.height, channels: 3 } })
      .resize(width, height, { kernel: 'cubic' })
      .raw()
      .toBuffer();
    const random = createRandom(2024);
    for (let i = 0; i < up.length; i++) {
      const v = up[i] + Math.floor(random() * 5) - 2;
      up[i] = Math.max(0, Math.min(255, v));
    }
    await writeFileAtomic(image, await encodeColorPng(up, width, height, 3));
    const stroke = await readStrokeImage(EXAMPLE.strokes);
    const channels = stroke.data.length / (stroke.width * stroke.height);
    const upStrokes = await sharp(stroke.data, {
      raw: { width: stroke.width, height: stroke.height, channels: channels as 3 | 4 },
    })
      .resize(width, height, { kernel: 'nearest' })
      .raw()
      .toBuffer();
    await writeFileAtomic(strokes, await encodeColorPng(upStrokes, width, height, channels as 3 | 4));
  }
  return { name, image, strokes, width, height };
}

async function inputs(): Promise<Input[]> {
  const list: Input[] = [];
  for (const size of sizes) {
    if (size === 'example') {
      const meta = await sharp(EXAMPLE.image).metadata();
      list.push({ name: 'example', ...EXAMPLE, width: meta.width ?? 0, height: meta.height ?? 0 });
    } else if (size === '1mp') list.push(await makePhoto(1));
    else if (size === '12mp') list.push(await makePhoto(12));
    else throw new Error(`unknown size "${size}"; expected example, 1mp or 12mp`);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// The plain reference classifier, written as simply as possible: the decision rule at every
// pixel (remembered per colour, which changes nothing but the time).

function plainClassify(image: RgbImage, fg: ColorModel, bg: ColorModel, seeds: SeedLabels): Uint8Array {
  const mask = new Uint8Array(image.width * image.height);
  const memo = new Map<number, boolean>();
  for (let p = 0; p < mask.length; p++) {
    if (seeds.labels[p] !== SEED.NONE) {
      mask[p] = seeds.labels[p] === SEED.FOREGROUND ? 255 : 0;
      continue;
    }
    const r = image.data[p * 3];
    const g = image.data[p * 3 + 1];
    const b = image.data[p * 3 + 2];
    const key = (r << 16) | (g << 8) | b;
    let foreground = memo.get(key);
    if (foreground === undefined) {
      foreground = isForegroundColor(fg, bg, r, g, b);
      memo.set(key, foreground);
    }
    mask[p] = foreground ? 255 : 0;
  }
  return mask;
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface Row {
  input: Input;
  decode: number[];
  seeds: number[];
  kmeans: number[];
  classify: number[];
  encode: number[];
  core: number[];
  cli: number[];
  plainClassify: number[];
  plainKmeans: number;
  identicalMasks: boolean;
  identicalClusters: boolean;
  peakRss: number;
  iterations: string;
  /** The default (refined) mode: segment() in-process, its refine stage, and the whole CLI. */
  refinedCore: number[];
  refine: number[];
  refinedCli: number[];
  refinedPeakRss: number;
  cuts: number;
  refineFactor: number;
  bandPixels: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** "median (min–max)" in ms. */
function spread(xs: number[]): string {
  if (xs.length === 1) return fmt(xs[0]);
  return `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

function runCli(input: Input, output: string, mode: 'plain' | 'default'): number {
  const t0 = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      'dist/src/cli/main.js',
      input.image,
      input.strokes,
      '-o',
      output,
      '--json',
      ...(mode === 'plain' ? ['--smooth', '0'] : []),
    ],
    { encoding: 'utf8' },
  );
  const elapsed = performance.now() - t0;
  if (child.status !== 0) throw new Error(`CLI failed on ${input.name}: ${child.stderr}`);
  return elapsed;
}

/** Peak RSS of the CLI in a child process: the median of three probes (one varies by ±25% now and then). */
function probeRss(args: string[]): number {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const child = spawnSync(process.execPath, ['dist/bench/rss-probe.js', ...args], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`rss probe failed: ${child.stderr}`);
    samples.push(
      (JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { maxRssBytes: number }).maxRssBytes,
    );
  }
  return median(samples);
}

async function measure(input: Input): Promise<Row> {
  const row: Row = {
    input,
    decode: [],
    seeds: [],
    kmeans: [],
    classify: [],
    encode: [],
    core: [],
    cli: [],
    plainClassify: [],
    plainKmeans: 0,
    identicalMasks: true,
    identicalClusters: true,
    peakRss: 0,
    iterations: '',
    refinedCore: [],
    refine: [],
    refinedCli: [],
    refinedPeakRss: 0,
    cuts: 0,
    refineFactor: 1,
    bandPixels: 0,
  };
  const maskPath = join(outDir, `mask-${input.width}x${input.height}.png`);
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const [image, strokes] = await Promise.all([readRgbImage(input.image), readStrokeImage(input.strokes)]);
    const t1 = performance.now();
    const result = segment(image, strokes, { k: K, smooth: 0 });
    const t2 = performance.now();
    await encodeGreyPng(result.mask, image.width, image.height);
    const t3 = performance.now();
    const { timings } = result.stats;
    row.decode.push(t1 - t0);
    row.seeds.push(timings.seeds);
    row.kmeans.push(timings.kmeans);
    row.classify.push(timings.classify);
    row.core.push(t2 - t1);
    row.encode.push(t3 - t2);
    row.iterations = `${result.stats.iterations.foreground}/${result.stats.iterations.background}`;

    // The plain reference on the same decoded image and models, side by side. On the big
    // input once (it takes seconds), on the others every run.
    if (run === 0 || input.width * input.height < 4e6) {
      const p0 = performance.now();
      const plain = plainClassify(image, result.models.foreground, result.models.background, result.seeds);
      row.plainClassify.push(performance.now() - p0);
      for (let p = 0; p < plain.length; p++) {
        if (plain[p] !== result.mask[p]) {
          row.identicalMasks = false;
          process.stderr.write(
            `MISMATCH on ${input.name} at pixel ${p}: fast ${result.mask[p]}, plain ${plain[p]}\n`,
          );
          break;
        }
      }
    }
    if (run === 0) {
      // Plain Lloyd k-means on the same seed colours: time, and the same clusters?
      let plainTime = 0;
      for (const [label, model] of [
        [SEED.FOREGROUND, result.models.foreground],
        [SEED.BACKGROUND, result.models.background],
      ] as const) {
        const colors = seedColors(image, result.seeds, label);
        const k0 = performance.now();
        const plain = kmeansPlain(colors, K, {
          seed: SEGMENT_DEFAULTS.seed,
          maxIterations: SEGMENT_DEFAULTS.maxIterations,
          tolerance: SEGMENT_DEFAULTS.tolerance,
        });
        plainTime += performance.now() - k0;
        const same = plain.k === model.k && plain.centroids.every((v, i) => Object.is(v, model.centroids[i]));
        if (!same) {
          row.identicalClusters = false;
          process.stderr.write(`MISMATCH on ${input.name}: k-means centres differ from plain Lloyd\n`);
        }
      }
      row.plainKmeans = plainTime;
    }
  }
  for (let run = 0; run < runs; run++) row.cli.push(runCli(input, maskPath, 'plain'));
  row.peakRss = probeRss(['--', input.image, input.strokes, '-o', maskPath, '--quiet', '--smooth', '0']);

  // The default mode: the same stages plus the graph-cut refinement.
  const [image, strokes] = await Promise.all([readRgbImage(input.image), readStrokeImage(input.strokes)]);
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    const result = segment(image, strokes, { k: K });
    row.refinedCore.push(performance.now() - t0);
    row.refine.push(result.stats.timings.refine);
    row.cuts = result.stats.cuts;
    row.refineFactor = result.stats.refineFactor;
    row.bandPixels = result.stats.bandPixels;
  }
  for (let run = 0; run < runs; run++) row.refinedCli.push(runCli(input, maskPath, 'default'));
  row.refinedPeakRss = probeRss(['--', input.image, input.strokes, '-o', maskPath, '--quiet']);
  return row;
}

// ---------------------------------------------------------------------------------------------

const list = await inputs();
const baselineRss = probeRss(['--baseline']);
const load = os.loadavg()[0];
const rows: Row[] = [];
for (const input of list) {
  process.stderr.write(`bench: ${input.name} (${input.width}×${input.height}), ${runs} runs…\n`);
  rows.push(await measure(input));
}

const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${os.platform()} ${os.arch()}; load average ${load.toFixed(2)} at start`;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const lines = [
  `Machine: ${machine}. k = ${K}, ${runs} runs per input; times in ms, median (min–max).`,
  '',
  '| input | pixels | decode | seeds | k-means (iterations fg/bg) | classify | classify ms/MP | encode | core: seeds + k-means + classify | core ms/MP | whole CLI process |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const mp = (r.input.width * r.input.height) / 1e6;
    return `| ${r.input.name} | ${r.input.width}×${r.input.height} | ${spread(r.decode)} | ${spread(r.seeds)} | ${spread(r.kmeans)} (${r.iterations}) | ${spread(r.classify)} | ${fmt(median(r.classify) / mp)} | ${spread(r.encode)} | ${spread(r.core)} | ${fmt(median(r.core) / mp)} | ${spread(r.cli)} |`;
  }),
  '',
  '| input | plain classifier | fast classifier | speed-up | plain Lloyd k-means (both classes) | fast k-means | speed-up | masks and clusters identical | peak RSS of the CLI | over baseline, × raw RGB |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const raw = r.input.width * r.input.height * 3;
    return `| ${r.input.name} | ${spread(r.plainClassify)} | ${fmt(median(r.classify))} | ${(median(r.plainClassify) / median(r.classify)).toFixed(1)}× | ${fmt(r.plainKmeans)} | ${fmt(median(r.kmeans))} | ${(r.plainKmeans / median(r.kmeans)).toFixed(1)}× | ${r.identicalMasks && r.identicalClusters ? 'yes' : '**NO**'} | ${mb(r.peakRss)} MiB | ${((r.peakRss - baselineRss) / raw).toFixed(2)}× |`;
  }),
  '',
  'Default mode (graph-cut refinement, `--smooth 3`; images from 0.59 MP up are cut coarse to fine):',
  '',
  '| input | segment (all stages) | refine | refine ms/MP | cuts | shrink factor | band (share of pixels) | whole CLI process | peak RSS of the CLI |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const n = r.input.width * r.input.height;
    return `| ${r.input.name} | ${spread(r.refinedCore)} | ${spread(r.refine)} | ${fmt(median(r.refine) / (n / 1e6))} | ${r.cuts} | ${r.refineFactor === 1 ? 'none (full resolution)' : r.refineFactor} | ${((100 * r.bandPixels) / n).toFixed(1)}% | ${spread(r.refinedCli)} | ${mb(r.refinedPeakRss)} MiB |`;
  }),
  '',
  `Runtime baseline (Node + sharp + strokecut loaded, nothing run): ${mb(baselineRss)} MiB peak RSS. "k-means" includes collecting each class's distinct seed colours; "whole CLI process" is \`node dist/src/cli/main.js IMAGE STROKES -o … --json\` (with \`--smooth 0\` in the plain tables) timed from spawn to exit (process start, decode, segment, PNG encode, write). "refine" includes the keep-connected clean-up.`,
];
const table = lines.join('\n');
process.stdout.write(`${table}\n`);

if (values.write) writeDocTable('performance.md', MARK_START, MARK_END, table);

if (!rows.every((r) => r.identicalMasks && r.identicalClusters)) {
  process.stderr.write('bench: the fast path and the plain reference DIFFER (see above)\n');
  process.exitCode = 1;
}
