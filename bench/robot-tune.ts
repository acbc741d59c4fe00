/**
 * The robot user from scratch (src/core/robot/) with each options object given as JSON, on the
 * shared GrabCut set: NoC@85 and NoC@90 per configuration. Clicking stops on an image once it
 * reaches 90% (both NoC figures stay exact), so a configuration costs far fewer cuts than the full
 * 20-click protocol of `npm run bench:accuracy`.
 *
 * Usage: node dist/bench/robot-tune.js '[{},{"smooth":3}]' [DATASET_DIR] [--limit N]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRobotCases, robotEvaluate } from '../src/cli/robot-eval.js';
import type { SegmentOptions } from '../src/core/segment.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const args = process.argv.slice(2);
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Number.POSITIVE_INFINITY;
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--limit');
const configs = JSON.parse(positional[0] ?? '[{}]') as SegmentOptions[];
const dir = resolve(positional[1] ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
const { cases } = await findRobotCases(join(dir, 'images'), join(dir, 'truth'));
const chosen = cases.slice(0, limit);
for (const config of configs) {
  const t0 = performance.now();
  const report = await robotEvaluate(chosen, config, { stopAt: 0.9 });
  const s = report.summary;
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify(config),
    `NoC@85 ${s.noc85.toFixed(2)} NoC@90 ${s.noc90.toFixed(2)} never 90%: ${s.neverReach90.length} (${chosen.length} images, ${seconds.toFixed(0)} s)`,
  );
}
