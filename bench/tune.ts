/**
 * Parameter sweeps behind docs/algorithm.md's "choices measured" table: runs `segment` with each options
 * object given as JSON on the shared GrabCut set and prints mean IoU, error, boundary F and the
 * refinement time. Any of segment's options may be given, the cut's fine-tuning among them (data
 * term, re-fit bits, stroke weight…: see RefineTuning in src/core/refine/options.ts).
 *
 * Usage: node dist/bench/tune.js '[{"smooth":3},{"smooth":100,"dataTerm":"likelihood"}]' [DATASET_DIR]
 * With PER=1 in the environment it also prints each image's IoU; with BASE=FILE.json it compares
 * each configuration with the per-image IoUs saved there (by OUT=FILE.json, the first
 * configuration's): the mean change and the images more than 0.05 worse.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { scoreMask } from '../src/core/metrics/metrics.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import { datasetDir, loadGrabcutSet } from './grabcut-set.js';

const dir = datasetDir(process.argv[3]);
const configs = JSON.parse(process.argv[2] ?? '[{}]') as SegmentOptions[];
const data = await loadGrabcutSet(dir);
for (const config of configs) {
  let iou = 0;
  let errorRate = 0;
  let boundaryF = 0;
  const perMegapixel: number[] = [];
  const perImage: string[] = [];
  const ious: Record<string, number> = {};
  for (const d of data) {
    const result = segment(d.image, d.strokes, config);
    const scores = scoreMask(result.mask, d.truth, d.image.width, d.image.height);
    iou += scores.iou;
    errorRate += scores.errorRate;
    boundaryF += scores.boundaryF;
    perMegapixel.push(result.stats.timings.refine / ((d.image.width * d.image.height) / 1e6));
    perImage.push(`${d.name}:${scores.iou.toFixed(3)}`);
    ious[d.name] = scores.iou;
  }
  perMegapixel.sort((a, b) => a - b);
  const n = data.length;
  console.log(
    JSON.stringify(config),
    `IoU ${(iou / n).toFixed(4)} error ${((errorRate / n) * 100).toFixed(2)}% BF ${(boundaryF / n).toFixed(3)} refine median ${perMegapixel[n >> 1].toFixed(0)} ms/MP`,
  );
  if (process.env.PER) console.log(perImage.join(' '));
  if (process.env.OUT && config === configs[0]) writeFileSync(process.env.OUT, JSON.stringify(ious));
  if (process.env.BASE) {
    const base = JSON.parse(readFileSync(process.env.BASE, 'utf8')) as Record<string, number>;
    const worse = Object.keys(ious)
      .filter((name) => ious[name] < base[name] - 0.05)
      .map((name) => `${name} ${base[name].toFixed(3)}→${ious[name].toFixed(3)}`);
    const better = Object.keys(ious).filter((name) => ious[name] > base[name] + 0.05).length;
    console.log(`  vs base: ${better} images > 0.05 better; ${worse.length} worse: ${worse.join(', ')}`);
  }
}
