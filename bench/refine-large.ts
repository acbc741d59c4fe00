/**
 * `npm run bench:refine`: time and peak memory of the graph-cut refinement on a large image.
 *
 * Takes the repository's fixture photo (fixtures/grabcut/, a GrabCut benchmark image with human
 * scribbles), scales it (bicubic) and its strokes (nearest neighbour) to the requested size, and runs
 * `segment` once in the plain mode and once with the default refinement (coarse to fine above
 * 0.59 MP; `--full-resolution` cuts the whole image at full resolution instead). Prints the
 * stage timings, the refinement's time per megapixel and the process's peak resident memory.
 *
 * Usage: node dist/bench/refine-large.js [MEGAPIXELS=12] [--smooth λ] [--iterations N] [--full-resolution]
 */
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { SEGMENT_DEFAULTS, segment } from '../src/core/segment.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : undefined;
};
const takesValue = new Set(['--smooth', '--iterations']);
const megapixels = Number(args.find((a, i) => !a.startsWith('--') && !takesValue.has(args[i - 1])) ?? 12);
const fixture = (sub: string) =>
  fileURLToPath(new URL(`../../fixtures/grabcut/${sub}/106024.png`, import.meta.url));

const meta = await sharp(fixture('images')).metadata();
const scale = Math.sqrt((megapixels * 1e6) / (meta.width! * meta.height!));
const width = Math.round(meta.width! * scale);
const height = Math.round(meta.height! * scale);
const load = async (sub: string, kernel: 'cubic' | 'nearest') => {
  const { data } = await sharp(fixture(sub))
    .removeAlpha()
    .resize(width, height, { kernel, fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
};
const image = await load('images', 'cubic');
const strokes = await load('strokes', 'nearest');
const rssBefore = process.memoryUsage().rss;

const smooth = option('--smooth') ?? SEGMENT_DEFAULTS.smooth;
const iterations = option('--iterations') ?? SEGMENT_DEFAULTS.iterations;
const plain = segment(image, strokes, { smooth: 0 });
const t0 = performance.now();
const fullResolution = args.includes('--full-resolution');
const refined = segment(image, strokes, {
  smooth,
  iterations,
  ...(fullResolution ? { workingPixels: Number.POSITIVE_INFINITY } : {}),
});
const total = performance.now() - t0;
const mp = (width * height) / 1e6;
const round = (ms: number) => Math.round(ms);
console.log(
  JSON.stringify(
    {
      width,
      height,
      megapixels: Number(mp.toFixed(2)),
      smooth,
      iterations,
      cuts: refined.stats.cuts,
      refineFactor: refined.stats.refineFactor,
      bandPixels: refined.stats.bandPixels,
      plainTimings: Object.fromEntries(Object.entries(plain.stats.timings).map(([k, v]) => [k, round(v)])),
      refinedTimings: Object.fromEntries(
        Object.entries(refined.stats.timings).map(([k, v]) => [k, round(v)]),
      ),
      segmentMs: round(total),
      refineMsPerMegapixel: round(refined.stats.timings.refine / mp),
      foregroundFraction: Number(refined.stats.foregroundFraction.toFixed(4)),
      rssAfterDecodeMiB: Math.round(rssBefore / 2 ** 20),
      peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    },
    null,
    2,
  ),
);
