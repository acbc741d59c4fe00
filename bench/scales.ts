/**
 * The same cut at any resolution? `npm run bench:accuracy -- --scales 1,3,6` scores every photo of
 * the set at each scale: the photo upscaled (bicubic) with a little seeded Gaussian noise (a camera
 * photo is not a smooth interpolation), its strokes and truth upscaled nearest-neighbour, so at
 * every scale the user drew the same strokes over the same object. Scale 1 is the photo as it is.
 *
 * Also usable alone: node dist/bench/scales.js [DATASET_DIR] [--scales 1,3,6]
 * [--limit N] [--seed N] [--upscale bicubic|consistent] [--full-resolution] [--options JSON] [--json] (JSON: segment options, e.g.
 * '{"smooth":4}'; --seed N is the k-means seed, the same as '{"seed":N}')
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { EvalCase } from '../src/cli/eval-command.js';
import { findCases } from '../src/cli/eval-command.js';
import { scoreMask } from '../src/core/metrics/metrics.js';
import { createRandom } from '../src/core/random.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import type { RgbImage } from '../src/core/types.js';

/** Standard deviation, in 8-bit levels per channel, of the noise added to upscaled photos. */
export const SCALE_NOISE = 2;

export interface ScaledCase {
  name: string;
  scale: number;
  image: RgbImage;
  strokes: RgbImage;
  /** One byte per pixel: 0 background, 255 foreground, 128 unlabelled. */
  truth: Uint8Array;
}

async function resized(path: string, scale: number, kernel: 'cubic' | 'nearest', channels: 1 | 3) {
  const input = sharp(path).removeAlpha();
  const meta = await sharp(path).metadata();
  const width = Math.round(meta.width! * scale);
  const height = Math.round(meta.height! * scale);
  let pipeline = scale === 1 ? input : input.resize(width, height, { kernel, fit: 'fill' });
  if (channels === 1) pipeline = pipeline.extractChannel(0);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** 32-bit FNV-1a of a name, to seed each image's noise by what it is rather than its position. */
function nameHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Adds rounded Gaussian noise of standard deviation `sigma` (Box–Muller), clamped to 0–255. */
export function addNoise(image: RgbImage, sigma: number, seed: number): void {
  const random = createRandom(seed);
  const data = image.data;
  for (let i = 0; i < data.length; i += 2) {
    const radius = sigma * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    data[i] = Math.min(255, Math.max(0, Math.round(data[i] + radius * Math.cos(angle))));
    if (i + 1 < data.length) {
      data[i + 1] = Math.min(255, Math.max(0, Math.round(data[i + 1] + radius * Math.sin(angle))));
    }
  }
}

/**
 * How photos are upscaled: `bicubic` (the default), or `consistent` — bicubic, then each
 * scale × scale block shifted by the original pixel minus the block's mean (back-projection), so
 * that averaging the blocks gives the original photo back, as a sensor with pixels `scale` times
 * larger would have recorded it (integer scales only). Bicubic alone blurs: its blocks' means
 * differ from the original by 1–3.5 levels on average.
 */
export type Upscale = 'bicubic' | 'consistent';

/** Shifts each scale × scale block of `big` so that its mean is the `small` pixel it came from. */
export function backProject(big: RgbImage, small: RgbImage, scale: number): void {
  const { width, data } = big;
  for (let y = 0; y < small.height; y++) {
    for (let x = 0; x < small.width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) sum += data[((y * scale + dy) * width + x * scale + dx) * 3 + c];
        }
        const shift = small.data[(y * small.width + x) * 3 + c] - sum / (scale * scale);
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const i = ((y * scale + dy) * width + x * scale + dx) * 3 + c;
            data[i] = Math.min(255, Math.max(0, Math.round(data[i] + shift)));
          }
        }
      }
    }
  }
}

/** One case of the set at `scale` (1: unchanged, no noise). */
export async function scaledCase(
  entry: EvalCase,
  scale: number,
  noise = SCALE_NOISE,
  upscale: Upscale = 'bicubic',
): Promise<ScaledCase> {
  const [image, strokes, truth] = await Promise.all([
    resized(entry.image, scale, 'cubic', 3),
    resized(entry.strokes, scale, 'nearest', 3),
    resized(entry.truth, scale, 'nearest', 1),
  ]);
  if (upscale === 'consistent' && scale !== 1) {
    if (!Number.isInteger(scale))
      throw new Error(`--upscale consistent needs integer scales; found ${scale}.`);
    backProject(image, await resized(entry.image, 1, 'cubic', 3), scale);
  }
  if (scale !== 1 && noise > 0) addNoise(image, noise, nameHash(`${entry.name}×${scale}`));
  return { name: entry.name, scale, image, strokes, truth: truth.data };
}

export interface ScaleRow {
  name: string;
  scale: number;
  width: number;
  height: number;
  iou: number;
  refineMs: number;
  refineFactor: number;
}

export interface ScaleSummary {
  scale: number;
  images: number;
  medianMegapixels: number;
  meanIou: number;
  /** Mean IoU minus the first scale's. */
  meanChange: number;
  /** The image whose IoU fell most against the first scale, and by how much (≥ 0 when any fell). */
  worst: { name: string; drop: number };
  /** Images more than 0.05 worse than at the first scale. */
  over5: number;
  medianRefineMsPerMegapixel: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Segments every case at every scale (the first scale is the reference for the changes). Images
 * are made one at a time and dropped after use: at ×6 a photo is about 11 megapixels.
 */
export async function evaluateScales(
  cases: EvalCase[],
  scales: number[],
  options: SegmentOptions = {},
  onDone: (row: ScaleRow) => void = () => {},
  upscale: Upscale = 'bicubic',
): Promise<{ rows: ScaleRow[]; summaries: ScaleSummary[] }> {
  const rows: ScaleRow[] = [];
  for (const scale of scales) {
    for (const entry of cases) {
      const c = await scaledCase(entry, scale, SCALE_NOISE, upscale);
      const result = segment(c.image, c.strokes, options);
      const row: ScaleRow = {
        name: c.name,
        scale,
        width: c.image.width,
        height: c.image.height,
        iou: scoreMask(result.mask, c.truth, c.image.width, c.image.height).iou,
        refineMs: result.stats.timings.refine,
        refineFactor: result.stats.refineFactor,
      };
      rows.push(row);
      onDone(row);
    }
  }
  const reference = new Map(rows.filter((r) => r.scale === scales[0]).map((r) => [r.name, r.iou]));
  const summaries = scales.map((scale): ScaleSummary => {
    const at = rows.filter((r) => r.scale === scale);
    const meanIou = at.reduce((s, r) => s + r.iou, 0) / at.length;
    let worst = { name: '–', drop: Number.NEGATIVE_INFINITY };
    let over5 = 0;
    for (const r of at) {
      const drop = reference.get(r.name)! - r.iou;
      if (drop > worst.drop) worst = { name: r.name, drop };
      if (drop > 0.05) over5++;
    }
    return {
      scale,
      images: at.length,
      medianMegapixels: median(at.map((r) => (r.width * r.height) / 1e6)),
      meanIou,
      meanChange: meanIou - at.reduce((s, r) => s + reference.get(r.name)!, 0) / at.length,
      worst,
      over5,
      medianRefineMsPerMegapixel: median(at.map((r) => r.refineMs / ((r.width * r.height) / 1e6))),
    };
  });
  return { rows, summaries };
}

/** The per-scale table in Markdown. */
export function formatScaleTable(
  summaries: ScaleSummary[],
  noise = SCALE_NOISE,
  upscale: Upscale = 'bicubic',
): string {
  const first = summaries[0].scale;
  const lines = [
    `| scale | median size | mean IoU | change vs ×${first} | worst image (drop) | images > 0.05 worse | median refine ms/MP |`,
    '| --- | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  for (const s of summaries) {
    const sign = (x: number) => (x >= 0 ? `+${x.toFixed(3)}` : x.toFixed(3));
    lines.push(
      `| ×${s.scale} | ${s.medianMegapixels.toFixed(2)} MP | ${s.meanIou.toFixed(3)} | ${s.scale === first ? '–' : sign(s.meanChange)} | ${s.scale === first ? '–' : `${s.worst.name} (${s.worst.drop.toFixed(3)})`} | ${s.scale === first ? '–' : s.over5} | ${Math.round(s.medianRefineMsPerMegapixel)} |`,
    );
  }
  lines.push(
    '',
    `Upscaled photos: ${upscale === 'consistent' ? 'bicubic, each block shifted to the original pixel’s mean (back-projection: averaging the blocks gives the photo back)' : 'bicubic'}, plus Gaussian noise of σ = ${noise} levels per channel (seeded by image and scale); strokes and truth nearest-neighbour.`,
  );
  return lines.join('\n');
}

/** `--scales 1,3,6` → [1, 3, 6], or an error message naming the flag. */
export function parseScales(text: string): number[] | string {
  const scales = text.split(',').map(Number);
  if (scales.length === 0 || scales.some((s) => !(s > 0) || !Number.isFinite(s) || s > 16)) {
    return `--scales: expected comma-separated scale factors between 0 and 16, such as 1,3,6; found "${text}".`;
  }
  return scales;
}

// Run alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const dataset = resolve(positional[0] ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
  const scales = parseScales(value('--scales') ?? '1,3,6');
  if (typeof scales === 'string') {
    console.error(scales);
    process.exit(2);
  }
  const limit = Number(value('--limit') ?? Number.POSITIVE_INFINITY);
  const { cases } = await findCases(
    join(dataset, 'images'),
    join(dataset, 'strokes'),
    join(dataset, 'truth'),
  );
  const options: SegmentOptions = {
    ...(JSON.parse(value('--options') ?? '{}') as SegmentOptions),
    ...(value('--seed') !== undefined ? { seed: Number(value('--seed')) } : {}),
    ...(args.includes('--full-resolution') ? { workingPixels: Number.POSITIVE_INFINITY } : {}),
  };
  const upscale = (value('--upscale') ?? 'bicubic') as Upscale;
  if (upscale !== 'bicubic' && upscale !== 'consistent') {
    console.error(`--upscale: expected bicubic or consistent; found "${upscale}".`);
    process.exit(2);
  }
  const { rows, summaries } = await evaluateScales(
    cases.slice(0, limit),
    scales,
    options,
    (row) => {
      if (process.stderr.isTTY) process.stderr.write(`\r×${row.scale} ${row.name}        `);
    },
    upscale,
  );
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  console.log(formatScaleTable(summaries, SCALE_NOISE, upscale));
  if (args.includes('--json')) console.log(JSON.stringify({ summaries, rows }, null, 2));
}
