/**
 * How good the page's previews are, on the shared GrabCut set: for each photo, a fresh `Segmenter`'s
 * `preview()` (what is shown while painting and as the first look after a stroke) and the exact
 * `segment()`, scored against the truth and against each other (IoU; coarse previews are spread to
 * the image's pixels block by block), with the mean time of each.
 *
 * Usage: node dist/bench/preview-quality.js ['{segment options as JSON}'] [DATASET_DIR]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCases } from '../src/cli/eval-command.js';
import { scoreMask } from '../src/core/metrics/metrics.js';
import { extractSeeds } from '../src/core/seeds/extract-seeds.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import { type PreviewResult, Segmenter } from '../src/core/session/segmenter.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const options = JSON.parse(process.argv[2] ?? '{}') as SegmentOptions;
const dir = resolve(process.argv[3] ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
const { cases } = await findCases(join(dir, 'images'), join(dir, 'strokes'), join(dir, 'truth'));

/** The preview's labels at the image's size. */
function fullSize(preview: PreviewResult, width: number, height: number): Uint8Array {
  if (preview.mask) return preview.mask;
  const coarse = preview.coarse;
  if (!coarse) throw new Error('a preview without a mask or coarse labels');
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = ((y / coarse.factor) | 0) * coarse.image.width;
    for (let x = 0; x < width; x++) mask[y * width + x] = coarse.mask[row + ((x / coarse.factor) | 0)];
  }
  return mask;
}

let previewIou = 0;
let exactIou = 0;
let agreement = 0;
let previewMs = 0;
let exactMs = 0;
for (const entry of cases) {
  const image = await readRgbImage(entry.image);
  const seeds = extractSeeds(await readStrokeImage(entry.strokes));
  const t = await readRgbImage(entry.truth);
  const truth = new Uint8Array(t.width * t.height);
  for (let p = 0; p < truth.length; p++) truth[p] = t.data[p * 3];
  const { width, height } = image;
  let start = performance.now();
  const preview = fullSize(new Segmenter(image).preview(seeds, options), width, height);
  previewMs += performance.now() - start;
  start = performance.now();
  const exact = segment(image, seeds, options).mask;
  exactMs += performance.now() - start;
  previewIou += scoreMask(preview, truth, width, height).iou;
  exactIou += scoreMask(exact, truth, width, height).iou;
  agreement += scoreMask(preview, exact, width, height).iou;
}
const n = cases.length;
console.log(
  JSON.stringify({
    images: n,
    options,
    previewIoU: Number((previewIou / n).toFixed(4)),
    exactIoU: Number((exactIou / n).toFixed(4)),
    previewAgainstExactIoU: Number((agreement / n).toFixed(4)),
    previewMs: Number((previewMs / n).toFixed(1)),
    exactMs: Number((exactMs / n).toFixed(1)),
  }),
);
