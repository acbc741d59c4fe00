// Scratch tuner (not committed in final form): runs segment with options over the dataset.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { scoreMask } from '../src/core/metrics/metrics.js';
import { REFINE_DEFAULTS } from '../src/core/refine/refine.js';
import { segment } from '../src/core/segment.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';

const dir = '/work/shared/datasets/grabcut';
const configs = JSON.parse(process.argv[2]) as Record<string, unknown>[];
const names = readdirSync(join(dir, 'images')).sort();
const data = await Promise.all(
  names.map(async (name) => {
    const image = await readRgbImage(join(dir, 'images', name));
    const strokes = await readStrokeImage(join(dir, 'strokes', name));
    const t = await readRgbImage(join(dir, 'truth', name));
    const truth = new Uint8Array(t.width * t.height);
    for (let p = 0; p < truth.length; p++) truth[p] = t.data[p * 3];
    return { name, image, strokes, truth };
  }),
);
const base = { ...REFINE_DEFAULTS };
for (const config of configs) {
  Object.assign(REFINE_DEFAULTS, base, (config as { refine?: object }).refine ?? {});
  let iou = 0,
    err = 0,
    bf = 0,
    ms = 0;
  const per: string[] = [];
  const times: number[] = [];
  for (const d of data) {
    const r = segment(d.image, d.strokes, config);
    const s = scoreMask(r.mask, d.truth, d.image.width, d.image.height);
    iou += s.iou;
    err += s.errorRate;
    bf += s.boundaryF;
    ms += r.stats.timings.refine;
    times.push(r.stats.timings.refine / ((d.image.width * d.image.height) / 1e6));
    per.push(`${d.name.replace('.png', '')}:${s.iou.toFixed(2)}`);
  }
  times.sort((a, b) => a - b);
  const n = data.length;
  console.log(
    JSON.stringify(config),
    `IoU ${(iou / n).toFixed(4)} err ${((err / n) * 100).toFixed(2)}% BF ${(bf / n).toFixed(3)} refine ${(ms / n).toFixed(0)}ms median ${times[n >> 1].toFixed(0)}ms/MP`,
  );
  if (process.env.PER) console.log(per.join(' '));
}
