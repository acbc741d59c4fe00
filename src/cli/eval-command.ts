import { readdir } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isStrokecutError, StrokecutError } from '../core/errors.js';
import type { MaskScores } from '../core/metrics/metrics.js';
import { scoreMask } from '../core/metrics/metrics.js';
import type { SegmentOptions } from '../core/segment.js';
import { SEGMENT_DEFAULTS, segment } from '../core/segment.js';
import { assertFewMarked, readImagePair } from '../io/read-pair.js';
import { readPriorMask } from '../io/read-prior.js';
import { readTruthMask } from '../io/read-truth.js';
import { errorLine } from './error-line.js';
import type { AlphaEvalOptions, AlphaScores } from './eval-alpha.js';
import { formatAlphaTable, scoreAlphaCase } from './eval-alpha.js';
import { parseMatteOptions } from './matte-options.js';
import type { CliIo } from './output.js';
import { roundMs } from './output.js';
import { createProgress } from './progress.js';
import { priorOption, priorPathFor } from './prompt-options.js';
import { ROBOT_OPTION_SPECS, ROBOT_USAGE, runRobotEval } from './robot-eval.js';
import { registerSubcommand } from './run.js';
import { parseSegmentOptions, SEGMENT_OPTION_SPECS } from './segment-options.js';

export const EVAL_USAGE = `Usage: strokecut eval --images DIR --strokes DIR --truth DIR [options]

Segments every image of DIR with the stroke image of the same base name and scores the mask against
the truth mask of the same base name (0 background, 255 foreground, 128 unlabelled: left out).
Prints, per image and on average: IoU (Jaccard index) of the foreground, error rate over the
labelled pixels, boundary F score (tolerance 0.75% of the diagonal) and segmentation time.

Options:
  --images DIR         photographs
  --strokes DIR        stroke images (red foreground, blue background, black elsewhere)
  --truth DIR          ground-truth masks
  -k, --k N            colour clusters per model (default ${SEGMENT_DEFAULTS.k})
  --seed N             seed of the k-means++ initialisation (default ${SEGMENT_DEFAULTS.seed})
  --smooth λ           graph-cut smoothness; 0 = plain per-pixel mode (default ${SEGMENT_DEFAULTS.smooth})
  --iterations N       most graph cuts with re-fitted colour models (default ${SEGMENT_DEFAULTS.iterations})
  --keep-connected     drop foreground regions touching no foreground stroke (default
                       when --smooth > 0; --no-keep-connected keeps them)
  --fill-holes N       fill background holes smaller than N pixels
  --box X,Y,W,H, --background border, --prior DIR
                       prompts, as for one image (--prior: masks named like the images)
  --fg-color HEX       colour of the foreground strokes (default #ff0000)
  --bg-color HEX       colour of the background strokes (default #0000ff)
  --truth-alpha DIR    also score the matte against true alpha mattes of the same base name:
                       SAD, MSE, gradient error over the unknown band (with --edge-radius N)
  --json               print one JSON object instead of the table
  -q, --quiet          no progress bar
  -h, --help           show this help
`;

export interface EvalCase {
  name: string;
  image: string;
  strokes: string;
  truth: string;
  /** A prior mask file (--prior DIR: the image's base name, .png). */
  prior?: string;
}

export interface EvalRow extends MaskScores {
  name: string;
  width: number;
  height: number;
  /** Milliseconds in `segment` (decoding excluded). */
  ms: number;
  /** Milliseconds of the graph-cut refinement alone. */
  refineMs: number;
  /** With --truth-alpha: the matte's scores (see eval-alpha.ts). */
  alpha?: AlphaScores;
}

export interface EvalReport {
  images: EvalRow[];
  mean: { iou: number; errorRate: number; boundaryF: number; ms: number };
  /** Images present in --images but lacking a stroke or truth file. */
  skipped: string[];
  /** Images that could not be scored (a bad truth mask, strokes of another size, …), and why. */
  failed: EvalFailure[];
}

export interface EvalFailure {
  name: string;
  code: string;
  message: string;
}

const baseName = (file: string) => file.slice(0, file.length - extname(file).length);

async function listFiles(dir: string, what: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StrokecutError(
      'UNREADABLE_FILE',
      `Cannot list the ${what} directory "${dir}": ${code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : (error as Error).message}.`,
    );
  }
}

/** Pairs every image with the stroke and truth files of the same base name. */
export async function findCases(
  imagesDir: string,
  strokesDir: string,
  truthDir: string,
): Promise<{ cases: EvalCase[]; skipped: string[]; failed: EvalFailure[] }> {
  const [images, strokes, truths] = await Promise.all([
    listFiles(imagesDir, 'images'),
    listFiles(strokesDir, 'strokes'),
    listFiles(truthDir, 'truth'),
  ]);
  const byBase = (files: string[]) => {
    const map = new Map<string, string[]>();
    for (const file of files) map.set(baseName(file), [...(map.get(baseName(file)) ?? []), file]);
    return map;
  };
  const strokeFiles = byBase(strokes);
  const truthFiles = byBase(truths);
  const cases: EvalCase[] = [];
  const skipped: string[] = [];
  const failed: EvalFailure[] = [];
  for (const file of images) {
    const name = baseName(file);
    const stroke = strokeFiles.get(name)?.[0];
    const truth = truthFiles.get(name)?.[0];
    if (!stroke || !truth) {
      skipped.push(name);
      continue;
    }
    const twins = [
      ['stroke', strokesDir, strokeFiles.get(name) ?? []],
      ['truth', truthDir, truthFiles.get(name) ?? []],
    ] as const;
    const ambiguous = twins.find(([, , files]) => files.length > 1);
    if (ambiguous) {
      const [what, dir, files] = ambiguous;
      failed.push({
        name,
        code: 'AMBIGUOUS_PAIR',
        message: `The image "${file}" has ${files.length} ${what} files of its base name in "${dir}" (${files.join(', ')}); keep one.`,
      });
      continue;
    }
    cases.push({
      name,
      image: join(imagesDir, file),
      strokes: join(strokesDir, stroke),
      truth: join(truthDir, truth),
    });
  }
  if (cases.length === 0 && failed.length === 0) {
    throw new StrokecutError(
      'USAGE',
      `No image in "${imagesDir}" has both a stroke file in "${strokesDir}" and a truth file in "${truthDir}" with the same base name (${images.length} images, ${strokes.length} stroke files, ${truths.length} truth files).`,
    );
  }
  return { cases, skipped, failed };
}

/** Segments and scores one case. */
export async function evaluateCase(
  entry: EvalCase,
  options: SegmentOptions,
  alpha?: AlphaEvalOptions,
): Promise<EvalRow> {
  const [{ image, strokes }, truth] = await Promise.all([
    readImagePair(entry.image, entry.strokes, {}),
    readTruthMask(entry.truth),
  ]);
  if (truth.width !== image.width || truth.height !== image.height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The image "${entry.image}" is ${image.width}×${image.height} but its truth "${entry.truth}" is ${truth.width}×${truth.height}.`,
    );
  }
  const prior = entry.prior ? await readPriorMask(entry.prior, image.width, image.height) : undefined;
  const t0 = performance.now();
  const result = segment(image, strokes, prior ? { ...options, prior } : options);
  const ms = performance.now() - t0;
  assertFewMarked(result.stats.seeds, image.width * image.height, entry.strokes);
  return {
    name: entry.name,
    width: image.width,
    height: image.height,
    ...scoreMask(result.mask, truth.data, image.width, image.height),
    ms,
    refineMs: result.stats.timings.refine,
    alpha: alpha ? await scoreAlphaCase(image, result.mask, entry.name, alpha) : undefined,
  };
}

/**
 * Runs every case in order (one at a time: timings stay comparable) and averages the scores. A
 * case with bad input (a StrokecutError) is recorded in `failed` and the others still run.
 */
export async function evaluateCases(
  cases: EvalCase[],
  options: SegmentOptions,
  onDone: (row: EvalRow | EvalFailure) => void = () => {},
  alpha?: AlphaEvalOptions,
): Promise<Omit<EvalReport, 'skipped'>> {
  const images: EvalRow[] = [];
  const failed: EvalFailure[] = [];
  for (const entry of cases) {
    try {
      const row = await evaluateCase(entry, options, alpha);
      images.push(row);
      onDone(row);
    } catch (error) {
      if (!isStrokecutError(error)) throw error;
      const failure = { name: entry.name, code: error.code, message: errorLine(error) };
      failed.push(failure);
      onDone(failure);
    }
  }
  const mean = (pick: (row: EvalRow) => number) =>
    images.reduce((s, row) => s + pick(row), 0) / images.length;
  return {
    images,
    failed,
    mean: {
      iou: mean((r) => r.iou),
      errorRate: mean((r) => r.errorRate),
      boundaryF: mean((r) => r.boundaryF),
      ms: mean((r) => r.ms),
    },
  };
}

/** The report as a Markdown table (also readable as plain text). */
export function formatEvalTable(report: Omit<EvalReport, 'skipped'>): string {
  const lines = [
    '| image | size | IoU | error | boundary F | time (ms) |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const row of report.images) {
    lines.push(
      `| ${row.name} | ${row.width}×${row.height} | ${row.iou.toFixed(3)} | ${(row.errorRate * 100).toFixed(2)}% | ${row.boundaryF.toFixed(3)} | ${Math.round(row.ms)} |`,
    );
  }
  const { mean } = report;
  if (report.images.length > 0)
    lines.push(
      `| **mean of ${report.images.length}** | | **${mean.iou.toFixed(3)}** | **${(mean.errorRate * 100).toFixed(2)}%** | **${mean.boundaryF.toFixed(3)}** | **${Math.round(mean.ms)}** |`,
    );
  return `${lines.join('\n')}\n`;
}

export async function runEval(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...SEGMENT_OPTION_SPECS,
      ...ROBOT_OPTION_SPECS,
      images: { type: 'string' },
      strokes: { type: 'string' },
      truth: { type: 'string' },
      'truth-alpha': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(EVAL_USAGE + ROBOT_USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    throw new StrokecutError(
      'USAGE',
      `strokecut eval takes no file arguments; found ${positionals.join(', ')}. See strokecut eval --help.`,
    );
  }
  if (values.robot) return runRobotEval(values, io);
  for (const name of ['images', 'strokes', 'truth'] as const) {
    if (values[name] === undefined) {
      throw new StrokecutError('USAGE', `strokecut eval needs --${name} DIR. See strokecut eval --help.`);
    }
  }
  const options = parseSegmentOptions(values);
  const {
    cases,
    skipped,
    failed: unpaired,
  } = await findCases(
    resolve(io.cwd, values.images!),
    resolve(io.cwd, values.strokes!),
    resolve(io.cwd, values.truth!),
  );
  const priorDir = priorOption(values);
  if (priorDir !== undefined) {
    for (const entry of cases) entry.prior = priorPathFor(resolve(io.cwd, priorDir), entry.image);
  }
  const progress = createProgress({
    total: cases.length,
    write: io.stderr,
    enabled: Boolean(io.isTTY) && !values.quiet && !values.json,
    title: 'eval',
  });
  const tell = (failure: EvalFailure) => {
    progress.done();
    io.stderr(`strokecut: ${failure.name}: ${failure.code}: ${failure.message}\n`);
  };
  for (const failure of unpaired) tell(failure);
  const truthAlpha = values['truth-alpha'];
  const alpha = truthAlpha
    ? { dir: resolve(io.cwd, truthAlpha), edgeRadius: parseMatteOptions(values).edgeRadius }
    : undefined;
  const report = await evaluateCases(
    cases,
    options,
    (outcome) => {
      if ('code' in outcome) tell(outcome);
      progress.tick();
    },
    alpha,
  );
  progress.done();
  const failed = [...unpaired, ...report.failed];
  const status = failed.length > 0 ? 2 : 0;
  if (values.json) {
    const round = (row: EvalRow) => ({ ...row, ms: roundMs(row.ms), refineMs: roundMs(row.refineMs) });
    io.stdout(
      `${JSON.stringify({ options, images: report.images.map(round), mean: report.mean, skipped, failed })}\n`,
    );
    return status;
  }
  if (skipped.length > 0) {
    io.stderr(
      `strokecut: note: skipped ${skipped.length} image(s) without strokes or truth: ${skipped.join(', ')}\n`,
    );
  }
  io.stdout(formatEvalTable(report));
  if (alpha)
    io.stdout(`\nMattes against --truth-alpha (SAD, gradient /1000):\n${formatAlphaTable(report.images)}`);
  if (failed.length > 0) {
    io.stdout(`Failed (${failed.length}, not in the mean):\n`);
    for (const failure of failed) io.stdout(`  ${failure.name}: ${failure.code}: ${failure.message}\n`);
  }
  return status;
}

registerSubcommand('eval', runEval);
