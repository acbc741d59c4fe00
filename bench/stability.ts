/**
 * How steady is the cut under invisible noise? Per image of the set: the IoU on the photo as it is,
 * and with Gaussian noise of σ 0.5 and 1 grey level at two noise seeds (four noisy copies); per
 * configuration, the mean IoU clean and noisy, the images whose IoU moves by more than 0.05 on some
 * noisy copy, and the mean of each image's largest move.
 *
 *   node dist/bench/stability.js ['[{...segment options}, ...]'] [DATASET_DIR] [KMEANS_SEED]
 *
 * The first configuration is always the default ({}); the JSON list adds others.
 */
import { scoreMask } from '../src/core/metrics/metrics.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import { datasetDir, loadGrabcutSet } from './grabcut-set.js';
import { addNoise } from './scales.js';

const SIGMAS = [0.5, 1];
const NOISE_SEEDS = [1, 2];
const MOVED = 0.05;

const configs = [{}, ...(JSON.parse(process.argv[2] ?? '[]') as SegmentOptions[])];
const dir = datasetDir(process.argv[3]);
const seed = Number(process.argv[4] ?? 0);
const data = await loadGrabcutSet(dir);
// The noisy copies, made once (seeded by image position, noise seed and σ).
const noisy = data.map((d, i) =>
  SIGMAS.flatMap((sigma) =>
    NOISE_SEEDS.map((noiseSeed) => {
      const image = { ...d.image, data: d.image.data.slice() };
      addNoise(image, sigma, (i * 1000 + noiseSeed * 10 + sigma * 2) >>> 0);
      return image;
    }),
  ),
);
for (const config of configs) {
  const t0 = performance.now();
  let clean = 0;
  let noisyTotal = 0;
  let maxMoves = 0;
  const moved: string[] = [];
  data.forEach((d, i) => {
    const iou = (image: typeof d.image) =>
      scoreMask(segment(image, d.strokes, { ...config, seed }).mask, d.truth, d.image.width, d.image.height)
        .iou;
    const base = iou(d.image);
    const others = noisy[i].map(iou);
    clean += base;
    for (const o of others) noisyTotal += o;
    const most = Math.max(...others.map((o) => Math.abs(o - base)));
    maxMoves += most;
    if (most > MOVED) moved.push(`${d.name} ${base.toFixed(3)}→${others.map((o) => o.toFixed(2)).join('/')}`);
  });
  const n = data.length;
  console.log(
    `${JSON.stringify(config)} seed ${seed}: clean ${(clean / n).toFixed(4)} noisy ${(noisyTotal / n / noisy[0].length).toFixed(4)} ` +
      `mean max move ${(maxMoves / n).toFixed(4)} moved>${MOVED}: ${moved.length} (${((performance.now() - t0) / 1000).toFixed(0)} s) | ${moved.join(', ')}`,
  );
}
