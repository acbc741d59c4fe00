/**
 * Speed of segment option sets measured side by side: for each photo of the shared GrabCut set,
 * every configuration in turn, `ROUNDS` times (default 3), so that load changes hit all of them
 * alike. Prints per configuration the median time per image and the median per-image ratio to the
 * first configuration.
 *
 * Usage: node dist/bench/side-by-side.js '[{},{"geodesicRefit":1}]' [DATASET_DIR]
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCases } from '../src/cli/eval-command.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const configs = JSON.parse(process.argv[2] ?? '[{}]') as SegmentOptions[];
const dir = resolve(process.argv[3] ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
const rounds = Number(process.env.ROUNDS ?? 3);
const { cases } = await findCases(join(dir, 'images'), join(dir, 'strokes'), join(dir, 'truth'));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const load = os.loadavg()[0];
const perImage = configs.map(() => [] as number[]);
for (const entry of cases) {
  const image = await readRgbImage(entry.image);
  const strokes = await readStrokeImage(entry.strokes);
  const times = configs.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    configs.forEach((config, c) => {
      const t0 = performance.now();
      segment(image, strokes, config);
      times[c].push(performance.now() - t0);
    });
  }
  times.forEach((t, c) => {
    perImage[c].push(median(t));
  });
}
configs.forEach((config, c) => {
  const ratios = perImage[c].map((t, i) => t / perImage[0][i]);
  console.log(
    JSON.stringify(config),
    `median ${median(perImage[c]).toFixed(0)} ms per image, ×${median(ratios).toFixed(2)} of the first (median per-image ratio)`,
  );
});
console.log(
  `${cases.length} images, ${rounds} rounds; load average ${load.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end`,
);
