import { StrokecutError } from '../core/errors.js';
import { parseHexColor } from '../core/seeds/stroke-colors.js';
import type { SegmentOptions } from '../core/segment.js';
import { SEGMENT_DEFAULTS } from '../core/segment.js';
import { DEFAULT_MAX_PIXELS } from '../io/read-image.js';
import { parseIntegerOption, parseNumberOption } from './args.js';
import { MATTE_OPTION_SPECS, MATTE_OPTIONS_HELP } from './matte-options.js';
import { PROMPT_OPTIONS_HELP, parsePromptOptions } from './prompt-options.js';

/**
 * Command-line options that shape the segmentation, shared by the default command and `batch` so
 * the two accept the same flags and build the same SegmentOptions. New segmentation flags belong
 * here (spec, parser and help line), and then both commands have them.
 */
export const SEGMENT_OPTION_SPECS = {
  k: { type: 'string', short: 'k' },
  seed: { type: 'string' },
  smooth: { type: 'string' },
  iterations: { type: 'string' },
  'keep-connected': { type: 'boolean' },
  'no-keep-connected': { type: 'boolean' },
  'fill-holes': { type: 'string' },
  'full-resolution': { type: 'boolean' },
  'fg-color': { type: 'string' },
  'bg-color': { type: 'string' },
  'max-megapixels': { type: 'string' },
  ...MATTE_OPTION_SPECS,
  box: { type: 'string' },
  background: { type: 'string' },
  prior: { type: 'string' },
} as const;

export const SEGMENT_OPTIONS_HELP = `  -k, --k N            colour clusters per model (default ${SEGMENT_DEFAULTS.k})
      --seed N         seed of the k-means++ initialisation (default ${SEGMENT_DEFAULTS.seed})
      --smooth λ       weight of the graph cut's smoothness term, which keeps the mask in one
                       piece along image edges (default ${SEGMENT_DEFAULTS.smooth}; 0 = plain per-pixel colour
                       classification, no graph cut)
      --iterations N   most graph cuts, re-fitting the colour models on the current mask between
                       them (default ${SEGMENT_DEFAULTS.iterations})
      --keep-connected drop foreground regions that touch no foreground stroke (default
                       with --smooth > 0; --no-keep-connected keeps them)
      --fill-holes N   fill background holes smaller than N pixels inside the foreground
      --full-resolution  make every graph cut at full resolution (the exact minimum; seconds
                       per megapixel). By default images of ${((4 * 0.45 * SEGMENT_DEFAULTS.workingPixels) / 1e6).toFixed(2)} MP and more are cut coarse
                       to fine: the cuts on the image shrunk to at most ${(SEGMENT_DEFAULTS.workingPixels / 1e6).toFixed(2)} MP, then one full-resolution
                       cut of a band around the outline
      --fg-color HEX   colour of the foreground strokes (default #ff0000)
      --bg-color HEX   colour of the background strokes (default #0000ff)
      --max-megapixels N  refuse larger images before decoding them (default ${DEFAULT_MAX_PIXELS / 1e6}; about 20 bytes per pixel)
${MATTE_OPTIONS_HELP}${PROMPT_OPTIONS_HELP}`;

type StringValues = { [name: string]: string | boolean | undefined };

function text(values: StringValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** SegmentOptions from parsed flags; unset flags leave the library defaults. */
export function parseSegmentOptions(values: StringValues): SegmentOptions & { k: number } {
  const k = text(values, 'k');
  const seed = text(values, 'seed');
  const fg = text(values, 'fg-color');
  const bg = text(values, 'bg-color');
  const smooth = text(values, 'smooth');
  const iterations = text(values, 'iterations');
  const holes = text(values, 'fill-holes');
  if (values['keep-connected'] && values['no-keep-connected']) {
    throw new StrokecutError('USAGE', 'Give --keep-connected or --no-keep-connected, not both.');
  }
  return {
    k: k === undefined ? SEGMENT_DEFAULTS.k : parseIntegerOption('-k', k, 1),
    seed: seed === undefined ? SEGMENT_DEFAULTS.seed : parseIntegerOption('--seed', seed, 0, 0xffffffff),
    smooth: smooth === undefined ? undefined : parseNumberOption('--smooth', smooth),
    iterations: iterations === undefined ? undefined : parseIntegerOption('--iterations', iterations, 1),
    keepConnected: values['keep-connected'] ? true : values['no-keep-connected'] ? false : undefined,
    fillHoles: holes === undefined ? undefined : parseIntegerOption('--fill-holes', holes, 0),
    workingPixels: values['full-resolution'] ? Number.POSITIVE_INFINITY : undefined,
    foregroundColor: fg === undefined ? undefined : parseHexColor(fg),
    backgroundColor: bg === undefined ? undefined : parseHexColor(bg),
    ...parsePromptOptions(values),
  };
}

/** The pixel limit from `--max-megapixels` (a positive number), or the default. */
export function parseMaxPixels(values: StringValues): number {
  const value = text(values, 'max-megapixels');
  if (value === undefined) return DEFAULT_MAX_PIXELS;
  const megapixels = parseNumberOption('--max-megapixels', value);
  if (megapixels <= 0) {
    throw new StrokecutError('USAGE', `--max-megapixels must be a number > 0; found "${value}".`);
  }
  return Math.floor(megapixels * 1e6);
}

/** Output flags shared by both commands: FILE for a single run, DIR for a batch. */
export const OUTPUT_OPTION_SPECS = {
  mask: { type: 'string' },
  output: { type: 'string', short: 'o' },
  cutout: { type: 'string' },
  overlay: { type: 'string' },
  soft: { type: 'string' },
  matte: { type: 'string' },
  format: { type: 'string' },
} as const;

export type MaskFormat = 'png' | 'coco';

/** `--format png|coco` (default png). */
export function parseMaskFormat(values: StringValues): MaskFormat {
  const format = text(values, 'format');
  if (format === undefined || format === 'png') return 'png';
  if (format === 'coco') return 'coco';
  throw new StrokecutError(
    'USAGE',
    `--format must be "png" (mask images) or "coco" (COCO RLE JSON); found "${format}".`,
  );
}

/** `--mask` and its alias `-o/--output`; giving both with different values is a usage error. */
export function maskOption(values: StringValues): string | undefined {
  const mask = text(values, 'mask');
  const output = text(values, 'output');
  if (mask !== undefined && output !== undefined && mask !== output) {
    throw new StrokecutError(
      'USAGE',
      `-o/--output is another name for --mask; give one of them, not both ("${output}", "${mask}").`,
    );
  }
  return mask ?? output;
}
