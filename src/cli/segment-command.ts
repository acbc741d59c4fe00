import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StrokecutError } from '../core/errors.js';
import { assertImageOutputPath, assertWritableTarget, removeStaleTemporaryFiles } from '../io/write-image.js';
import { parseMatteOptions } from './matte-options.js';
import type { CliIo } from './output.js';
import { roundMs } from './output.js';
import { assertOutputsApart } from './output-paths.js';
import type { PairOutputPaths } from './process-pair.js';
import { processPair } from './process-pair.js';
import { priorOption } from './prompt-options.js';
import {
  maskOption,
  OUTPUT_OPTION_SPECS,
  parseMaskFormat,
  parseMaxPixels,
  parseSegmentOptions,
  SEGMENT_OPTION_SPECS,
  SEGMENT_OPTIONS_HELP,
} from './segment-options.js';

export const SEGMENT_USAGE = `Usage: strokecut IMAGE STROKES [options]

Cuts the foreground out of IMAGE from STROKES, a copy of the image painted red over the
foreground and blue over the background (black elsewhere), and writes a binary mask PNG:
white (255) foreground on black (0), the image's exact size.

Options:
${SEGMENT_OPTIONS_HELP}
Outputs (the mask is written when asked for, or when no other output is):
  -o, --mask FILE      the mask (default: <k>/<stroke file name>.png); --output is the same
      --format coco    write the mask as a COCO JSON (compressed RLE) instead of an image
                       (default file: <k>/<stroke file name>.json)
      --cutout FILE    the image as RGBA with the background transparent, soft edges (see
                       --hard-edges)
      --matte FILE     the alpha matte of the soft edges, 8-bit grey, the image's size
      --overlay FILE   the image with the foreground tinted and the strokes drawn, for a look
      --soft FILE      8-bit foreground probability map (≥ 128 where the mask is foreground)
  Image outputs are lossless: .png, .webp or .tif by the file's extension.

      --json           print one JSON object with the run's figures on stdout
  -q, --quiet          print nothing but errors
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 success, 2 bad usage or bad input (nothing is written), 1 unexpected error.
`;

/**
 * Default mask path: `<k>/<stroke file's name>` with the extension of the output format
 * (.png for a mask image, .json for COCO).
 */
export function defaultOutputPath(strokesPath: string, k: number, extension = '.png'): string {
  const name = basename(strokesPath);
  return join(String(k), `${name.slice(0, name.length - extname(name).length)}${extension}`);
}

export async function runSegment(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...SEGMENT_OPTION_SPECS,
      ...OUTPUT_OPTION_SPECS,
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
  const maxPixels = parseMaxPixels(values);
  const format = parseMaskFormat(values);

  // Which outputs, where (as given, relative to the working directory).
  const given: { [K in keyof PairOutputPaths]: string | undefined } = {
    cutout: values.cutout,
    overlay: values.overlay,
    soft: values.soft,
    matte: values.matte,
  };
  const matteOptions = parseMatteOptions(values);
  let mask = maskOption(values);
  const othersAsked =
    given.cutout !== undefined ||
    given.overlay !== undefined ||
    given.soft !== undefined ||
    given.matte !== undefined;
  if (mask === undefined && (!othersAsked || values.format !== undefined)) {
    mask = defaultOutputPath(strokesPath, options.k ?? 0, format === 'coco' ? '.json' : '.png');
  }
  if (mask !== undefined) {
    if (format === 'coco') given.cocoJson = mask;
    else given.mask = mask;
  }
  if (given.cocoJson !== undefined && extname(given.cocoJson).toLowerCase() !== '.json') {
    throw new StrokecutError(
      'USAGE',
      `With --format coco the mask is JSON, so its file must end in .json; found "${given.cocoJson}".`,
    );
  }
  if (given.mask !== undefined) assertImageOutputPath(given.mask, 'mask file');
  if (given.cutout !== undefined) assertImageOutputPath(given.cutout, 'cut-out file');
  if (given.overlay !== undefined) assertImageOutputPath(given.overlay, 'overlay file');
  if (given.soft !== undefined) assertImageOutputPath(given.soft, 'soft map file');
  if (given.matte !== undefined) assertImageOutputPath(given.matte, 'matte file');

  const outputs: PairOutputPaths = {};
  for (const key of ['mask', 'cocoJson', 'cutout', 'overlay', 'soft', 'matte'] as const) {
    const path = given[key];
    if (path !== undefined) outputs[key] = resolve(io.cwd, path);
  }
  const inputs = [imagePath, strokesPath].map((path) => ({ path, absolute: resolve(io.cwd, path) }));
  await assertOutputsApart(inputs, outputs, given);
  for (const key of Object.keys(outputs) as (keyof PairOutputPaths)[]) {
    await assertWritableTarget(outputs[key] as string, given[key]);
  }
  // Temporaries left by a killed run in these folders (only those of processes that are gone).
  for (const dir of new Set(Object.values(outputs).map((path) => dirname(path)))) {
    await removeStaleTemporaryFiles(dir);
  }

  const prior = priorOption(values);
  const result = await processPair({
    image: resolve(io.cwd, imagePath),
    strokes: resolve(io.cwd, strokesPath),
    options,
    prior: prior === undefined ? undefined : resolve(io.cwd, prior),
    outputs,
    matte: matteOptions,
    maxPixels,
    // Messages name files as the user typed them.
    shownAs: Object.fromEntries(
      [imagePath, strokesPath, prior, ...Object.values(given)]
        .filter((path): path is string => path !== undefined)
        .map((path) => [resolve(io.cwd, path), path]),
    ),
  });

  const { stats, timings } = result;
  const written = (['mask', 'cocoJson', 'cutout', 'overlay', 'soft', 'matte'] as const).filter(
    (key) => given[key] !== undefined,
  );
  if (values.json) {
    const report = {
      output: given.mask ?? given.cocoJson ?? null,
      outputs: Object.fromEntries(written.map((key) => [key === 'cocoJson' ? 'coco' : key, given[key]])),
      width: stats.width,
      height: stats.height,
      k: stats.k,
      seeds: stats.seeds,
      distinctColors: stats.distinctColors,
      iterations: stats.iterations,
      foregroundFraction: stats.foregroundFraction,
      cuts: stats.cuts,
      refineFactor: stats.refineFactor,
      bandPixels: stats.bandPixels,
      timings: {
        decode: roundMs(timings.decode),
        seeds: roundMs(stats.timings.seeds),
        kmeans: roundMs(stats.timings.kmeans),
        classify: roundMs(stats.timings.classify),
        refine: roundMs(stats.timings.refine),
        matte: roundMs(timings.matte),
        encode: roundMs(timings.outputs),
        total: roundMs(timings.total),
      },
      warnings: stats.warnings,
    };
    io.stdout(`${JSON.stringify(report)}\n`);
  } else if (!values.quiet) {
    for (const warning of stats.warnings) io.stderr(`strokecut: note: ${warning}\n`);
    io.stdout(
      `Wrote ${written.map((key) => given[key]).join(', ')} (${stats.width}×${stats.height}, ${(stats.foregroundFraction * 100).toFixed(1)}% foreground) in ${Math.round(timings.total)} ms\n`,
    );
  }
  return 0;
}
