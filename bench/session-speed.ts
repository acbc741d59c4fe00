/**
 * The page worker's machinery in Node, side by side in one process: for one photo, the time of
 * `segment()` from nothing, of `Segmenter.segment()` (the same result, checked bit for bit, reusing
 * the previous runs' work) after a new short stroke (`segmenterMs`) and after its undo (`undoMs`,
 * a result the segmenter kept), and of `Segmenter.preview()`.
 *
 *   node dist/bench/session-speed.js IMAGE STROKES [ROUNDS] [--against DIST]
 *   (the bench inputs: bench-out/photo-1226x816-v1.png bench-out/photo-1226x816-v1-stroke.png,
 *   made by npm run bench)
 *
 * --against DIST: also runs the Segmenter of another build (`DIST` is its dist/ folder, e.g. a
 * worktree of main's), alternating with this one's in each round on the same strokes (its painting
 * previews, the stroke, its undo), masks checked equal, and prints both's medians in CPU ms
 * (`process.cpuUsage`, steadier than wall time on a loaded machine): `against` and `this`.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractSeeds } from '../src/core/seeds/extract-seeds.js';
import { segment } from '../src/core/segment.js';
import { Segmenter } from '../src/core/session/segmenter.js';
import type { SeedLabels } from '../src/core/types.js';
import { SEED } from '../src/core/types.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';

const { values, positionals } = parseArgs({
  options: { against: { type: 'string' } },
  allowPositionals: true,
});
const [imagePath, strokesPath, roundsArg = '3'] = positionals;
if (!imagePath || !strokesPath) throw new Error('usage: session-speed IMAGE STROKES [ROUNDS]');
const image = await readRgbImage(imagePath);
const seeds = extractSeeds(await readStrokeImage(strokesPath));
const width = image.width;
const scale = width / 451;

/** The bench:web stroke: on the cat's forehead, radius 6, `dy` lower (in the example's pixels). */
function forehead(base: SeedLabels, dy: number, length = 1): SeedLabels {
  const labels = base.labels.slice();
  const [x0, y0, r] = [200 * scale, (60 + dy) * scale, 6 * scale];
  const [x1, y1] = [(200 + 50 * length) * scale, (60 + 5 * length + dy) * scale];
  const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
  for (let k = 0; k <= steps; k++) {
    const cx = x0 + ((x1 - x0) * k) / steps;
    const cy = y0 + ((y1 - y0) * k) / steps;
    for (let y = Math.floor(cy - r); y <= cy + r; y++) {
      for (let x = Math.floor(cx - r); x <= cx + r; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) labels[y * width + x] = SEED.FOREGROUND;
      }
    }
  }
  return { ...base, labels };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const segmenter = new Segmenter(image);
let start = performance.now();
segmenter.segment(seeds);
const firstMs = performance.now() - start;
const cold: number[] = [];
const warm: number[] = [];
const previews: number[] = [];
const undone: number[] = [];
for (let round = 0; round < Number(roundsArg); round++) {
  // A new stroke each round (as bench:web paints), then its undo: strokes the segmenter has seen.
  for (const [strokes, times] of [
    [forehead(seeds, 2 * round), warm],
    [seeds, undone],
  ] as const) {
    start = performance.now();
    const expected = segment(image, strokes);
    cold.push(performance.now() - start);
    start = performance.now();
    const actual = segmenter.segment(strokes);
    times.push(performance.now() - start);
    if (!Buffer.from(actual.mask).equals(Buffer.from(expected.mask))) {
      throw new Error('the Segmenter’s mask differs from segment()’s');
    }
    start = performance.now();
    segmenter.preview(strokes);
    previews.push(performance.now() - start);
  }
}
const row = {
  width,
  height: image.height,
  firstSegmenterMs: firstMs,
  segmentMs: median(cold),
  segmenterMs: median(warm),
  undoMs: median(undone),
  previewMs: median(previews),
  speedUp: median(cold) / median(warm),
  fits: segmenter.fitStats,
};
process.stdout.write(`${JSON.stringify(row)}\n`);

if (values.against) {
  const other: { Segmenter: typeof Segmenter } = await import(
    join(resolve(values.against), 'src', 'core', 'session', 'segmenter.js')
  );
  const runners = { against: new other.Segmenter(image), this: new Segmenter(image) };
  const times = {
    against: { stroke: [] as number[], undo: [] as number[], preview: [] as number[] },
    this: { stroke: [] as number[], undo: [] as number[], preview: [] as number[] },
  };
  const cpuMs = <T>(run: () => T): [T, number] => {
    const before = process.cpuUsage();
    const result = run();
    const used = process.cpuUsage(before);
    return [result, (used.user + used.system) / 1000];
  };
  for (const runner of Object.values(runners)) runner.segment(seeds);
  const load = [loadavg()[0]];
  for (let round = 0; round < Number(roundsArg); round++) {
    const masks: Uint8Array[] = [];
    const order = round % 2 === 0 ? (['against', 'this'] as const) : (['this', 'against'] as const);
    for (const name of order) {
      const runner = runners[name];
      // As the page asks: previews of the stroke as it grows, its exact mask, then its undo.
      for (const length of [0.25, 0.5, 0.75, 1]) {
        times[name].preview.push(cpuMs(() => runner.preview(forehead(seeds, 2 * round, length)))[1]);
      }
      const [result, strokeMs] = cpuMs(() => runner.segment(forehead(seeds, 2 * round)));
      times[name].stroke.push(strokeMs);
      masks.push(result.mask);
      times[name].undo.push(cpuMs(() => runner.segment(seeds))[1]);
    }
    if (!Buffer.from(masks[0]).equals(Buffer.from(masks[1]))) throw new Error('the two builds’ masks differ');
    load.push(loadavg()[0]);
  }
  const medians = (t: { stroke: number[]; undo: number[]; preview: number[] }) => ({
    strokeCpuMs: median(t.stroke),
    undoCpuMs: median(t.undo),
    previewCpuMs: median(t.preview),
    strokeCpuMsAll: t.stroke.map(Math.round),
  });
  process.stdout.write(
    `${JSON.stringify({ width, height: image.height, load: [Math.min(...load), Math.max(...load)], against: medians(times.against), this: medians(times.this) })}\n`,
  );
}
