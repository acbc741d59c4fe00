import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StrokecutError } from '../core/errors.js';
import { parseHexColor } from '../core/seeds/stroke-colors.js';
import type { SegmentOptions } from '../core/segment.js';
import { SEGMENT_DEFAULTS, segment } from '../core/segment.js';
import { readRgbImage, readStrokeImage } from '../io/read-image.js';
import { assertWritableTarget, encodeGreyPng, writeFileAtomic } from '../io/write-image.js';
import { parseIntegerOption, parseNumberOption } from './args.js';
import type { CliIo } from './output.js';
import { roundMs } from './output.js';

export const SEGMENT_USAGE = `Usage: strokecut IMAGE STROKES [options]

Cuts the foreground out of IMAGE from STROKES, a copy of the image painted red over the
foreground and blue over the background (black elsewhere), and writes a binary mask PNG:
white (255) foreground on black (0), the image's exact size.

Options:
  -k, --k N            colour clusters per model (default ${SEGMENT_DEFAULTS.k})
  -o, --output FILE    where to write the mask (default: <k>/<stroke file name>, as PNG)
      --seed N         seed of the k-means++ initialisation (default ${SEGMENT_DEFAULTS.seed})
      --smooth λ       weight of the graph cut's smoothness term, which keeps the mask in one
                       piece along image edges (default ${SEGMENT_DEFAULTS.smooth}; 0 = plain per-pixel colour
                       classification, no graph cut)
      --iterations N   most graph cuts, re-fitting the colour models on the current mask between
                       them (default ${SEGMENT_DEFAULTS.iterations})
      --keep-connected drop foreground regions that touch no foreground stroke (default
                       with --smooth > 0; --no-keep-connected keeps them)
      --fill-holes N   fill background holes smaller than N pixels inside the foreground
      --fg-color HEX   colour of the foreground strokes (default #ff0000)
      --bg-color HEX   colour of the background strokes (default #0000ff)
      --json           print one JSON object with the run's figures on stdout
  -q, --quiet          print nothing but errors
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 success, 2 bad usage or bad input (nothing is written), 1 unexpected error.
`;

/** Default output path: `<k>/<stroke file's name>`, with a .png extension (the mask is always PNG). */
export function defaultOutputPath(strokesPath: string, k: number): string {
  const name = basename(strokesPath);
  const extension = extname(name);
  const png =
    extension.toLowerCase() === '.png' ? name : `${name.slice(0, name.length - extension.length)}.png`;
  return join(String(k), png);
}

/** parseArgs specs of the options that shape the segmentation (shared with `strokecut eval`). */
export const SEGMENT_OPTION_SPECS = {
  k: { type: 'string', short: 'k' },
  seed: { type: 'string' },
  smooth: { type: 'string' },
  iterations: { type: 'string' },
  'keep-connected': { type: 'boolean' },
  'no-keep-connected': { type: 'boolean' },
  'fill-holes': { type: 'string' },
  'fg-color': { type: 'string' },
  'bg-color': { type: 'string' },
} as const;

/** Segment options from parsed command-line values (see SEGMENT_OPTION_SPECS). */
export function parseSegmentOptions(values: {
  k?: string;
  seed?: string;
  smooth?: string;
  iterations?: string;
  'keep-connected'?: boolean;
  'no-keep-connected'?: boolean;
  'fill-holes'?: string;
  'fg-color'?: string;
  'bg-color'?: string;
}): SegmentOptions & { k: number } {
  return {
    k: values.k === undefined ? SEGMENT_DEFAULTS.k : parseIntegerOption('k', values.k, 1),
    seed:
      values.seed === undefined
        ? SEGMENT_DEFAULTS.seed
        : parseIntegerOption('--seed', values.seed, 0, 0xffffffff),
    smooth: values.smooth === undefined ? undefined : parseNumberOption('--smooth', values.smooth),
    iterations:
      values.iterations === undefined ? undefined : parseIntegerOption('--iterations', values.iterations, 1),
    keepConnected: keepConnectedOption(values['keep-connected'], values['no-keep-connected']),
    fillHoles:
      values['fill-holes'] === undefined
        ? undefined
        : parseIntegerOption('--fill-holes', values['fill-holes'], 0),
    foregroundColor: values['fg-color'] === undefined ? undefined : parseHexColor(values['fg-color']),
    backgroundColor: values['bg-color'] === undefined ? undefined : parseHexColor(values['bg-color']),
  };
}

function keepConnectedOption(on: boolean | undefined, off: boolean | undefined): boolean | undefined {
  if (on && off) {
    throw new StrokecutError('USAGE', 'Give --keep-connected or --no-keep-connected, not both.');
  }
  return on ? true : off ? false : undefined;
}

export async function runSegment(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...SEGMENT_OPTION_SPECS,
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (positionals.length !== 2) {
    throw new StrokecutError(
      'USAGE',
      `Expected two files, IMAGE and STROKES; found ${positionals.length}${positionals.length ? ` (${positionals.join(', ')})` : ''}. See strokecut --help.`,
    );
  }
  const [imagePath, strokesPath] = positionals;
  const options = parseSegmentOptions(values);
  const k = options.k;
  const output = values.output ?? defaultOutputPath(strokesPath, k);
  const outputAbsolute = resolve(io.cwd, output);
  for (const input of [imagePath, strokesPath]) {
    if (resolve(io.cwd, input) === outputAbsolute) {
      throw new StrokecutError(
        'USAGE',
        `The output "${output}" is one of the inputs; refusing to overwrite it.`,
      );
    }
  }
  await assertWritableTarget(outputAbsolute, output);

  const t0 = performance.now();
  const [image, strokes] = await Promise.all([
    readRgbImage(resolve(io.cwd, imagePath), imagePath),
    readStrokeImage(resolve(io.cwd, strokesPath), strokesPath),
  ]);
  const t1 = performance.now();
  const result = segment(image, strokes, options);
  const t2 = performance.now();
  await writeFileAtomic(outputAbsolute, await encodeGreyPng(result.mask, image.width, image.height), output);
  const t3 = performance.now();

  const { stats } = result;
  if (values.json) {
    const report = {
      output,
      width: stats.width,
      height: stats.height,
      k: stats.k,
      seeds: stats.seeds,
      distinctColors: stats.distinctColors,
      iterations: stats.iterations,
      foregroundFraction: stats.foregroundFraction,
      cuts: stats.cuts,
      timings: {
        decode: roundMs(t1 - t0),
        seeds: roundMs(stats.timings.seeds),
        kmeans: roundMs(stats.timings.kmeans),
        classify: roundMs(stats.timings.classify),
        refine: roundMs(stats.timings.refine),
        encode: roundMs(t3 - t2),
        total: roundMs(t3 - t0),
      },
      warnings: stats.warnings,
    };
    io.stdout(`${JSON.stringify(report)}\n`);
  } else if (!values.quiet) {
    for (const warning of stats.warnings) io.stderr(`strokecut: note: ${warning}\n`);
    io.stdout(
      `Wrote ${output} (${stats.width}×${stats.height}, ${(stats.foregroundFraction * 100).toFixed(1)}% foreground) in ${Math.round(t3 - t0)} ms\n`,
    );
  }
  return 0;
}
