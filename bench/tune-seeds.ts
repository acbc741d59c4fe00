import { scoreMask } from '../src/core/metrics/metrics.js';
import type { SegmentOptions } from '../src/core/segment.js';
import { segment } from '../src/core/segment.js';
import { datasetDir, loadGrabcutSet } from './grabcut-set.js';

const dir = datasetDir(process.argv[3]);
const configs = [{}, ...(JSON.parse(process.argv[2] ?? '[]') as SegmentOptions[])];
const seeds = (process.argv[4] ?? '0,1,2').split(',').map(Number);
const data = await loadGrabcutSet(dir);
/** ious[config][seed][image] */
const ious: number[][][] = [];
for (const config of configs) {
  const perSeed: number[][] = [];
  const means: string[] = [];
  let ms = 0;
  for (const seed of seeds) {
    const t0 = performance.now();
    const row = data.map((d) => {
      const result = segment(d.image, d.strokes, { ...config, seed });
      return scoreMask(result.mask, d.truth, d.image.width, d.image.height).iou;
    });
    ms += performance.now() - t0;
    perSeed.push(row);
    means.push((row.reduce((a, b) => a + b, 0) / row.length).toFixed(4));
  }
  ious.push(perSeed);
  let note = '';
  if (ious.length > 1) {
    const base = ious[0];
    const worse: string[] = [];
    let worseAny = 0;
    data.forEach((d, i) => {
      const count = seeds.filter((_, s) => perSeed[s][i] < base[s][i] - 0.05).length;
      if (count > 0) worseAny++;
      if (count * 2 > seeds.length) {
        const b = seeds.map((_, s) => base[s][i].toFixed(3)).join('/');
        const a = seeds.map((_, s) => perSeed[s][i].toFixed(3)).join('/');
        worse.push(`${d.name} ${b}→${a}`);
      }
    });
    note = ` | worse at most seeds: ${worse.length} ${worse.join(', ')} | worse at some seed: ${worseAny}`;
  }
  const mean = means.map(Number).reduce((a, b) => a + b, 0) / means.length;
  console.log(
    `${JSON.stringify(config)} seeds ${seeds.join('/')}: ${means.join(' / ')} (mean ${mean.toFixed(4)}) ${(ms / 1000).toFixed(1)} s${note}`,
  );
}
