/**
 * Latency of the web page: time from the end of a stroke (pointerup) to the new mask on screen, in
 * real headless Chromium, for a 1-megapixel and a 12-megapixel image; how many masks it previews
 * per second while a long stroke is being painted; the time from an undo (Ctrl+Z) to its mask, the
 * worker's share, and the time to open the image.
 *
 * The images are the bundled example upscaled at bench time (Lanczos; strokes nearest-neighbour),
 * with the example's strokes imported, then one short stroke painted and undone per round, and
 * one long stroke (about two seconds of pointer moves over the cat) painted and undone per size.
 *
 *   npm run bench:web              (builds the page first)
 *   node dist/bench/web-latency.js [--rounds N] [--sizes 1,12] [--smooth 3[,0]] [--json] [--write]
 *
 * Each round's stroke (and flick) is new: two image pixels (example pixels) lower than the last
 * round's. --same-stroke paints the same one in every round, as the bench did before the worker
 * kept recent results (then every round after the first is an undo's redo, answered at once).
 *
 * --write also rewrites the table in docs/performance.md between the bench:web markers.
 *
 * --smooth takes a list: each size is timed at each smoothing (default 4, the page's default,
 * refined mode; 0 the plain per-pixel mode). --json prints one JSON object per (size, smoothing)
 * on its own line instead of the sentence, with at least `megapixels`, `smooth`, `medianMs`
 * (pointer up → the exact mask on screen, the median over the rounds), `firstMaskMs` (pointer up →
 * the first look at the stroke's mask: 0 when the preview of exactly its strokes was already on
 * screen), `flickFirstMaskMs` (the same for a one-move flick, whose first look is the worker's quick
 * look) and `previewsPerSecond`.
 *
 * Targets (issue 11): default mode, k = 70: 1 MP under 150 ms, 12 MP under 500 ms, and at 1 MP at
 * least 5 previews per second while painting.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { REPO_ROOT } from '../scripts/build-web.js';
import { SEGMENT_DEFAULTS } from '../src/core/resolve-options.js';
import { launchChromium, openPage, paint, startServeCommand, waitSettled } from '../src/web/harness.js';
import { writeDocTable } from './doc-tables.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    sizes: { type: 'string', default: '1,12' },
    smooth: { type: 'string', default: String(SEGMENT_DEFAULTS.smooth) },
    json: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    'preview-seconds': { type: 'string', default: '2' },
    'same-stroke': { type: 'boolean', default: false },
  },
});
const smoothings = values.smooth.split(',').map(Number);
const previewSeconds = Number(values['preview-seconds']);
const log = (text: string) => (values.json ? process.stderr : process.stdout).write(text);
const rounds = Number(values.rounds);
const megapixelSizes = values.sizes.split(',').map(Number);
const OUT = join(REPO_ROOT, 'bench-out', 'web-latency');
const EXAMPLE = {
  image: join(REPO_ROOT, 'examples', 'chelsea.png'),
  strokes: join(REPO_ROOT, 'examples', 'chelsea-stroke.png'),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The example upscaled to about `megapixels`, keeping its 451:300 aspect; strokes alike. */
async function makeImages(
  megapixels: number,
): Promise<{ image: string; strokes: string; width: number; height: number }> {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * 451) / 300));
  const height = Math.round((width * 300) / 451);
  const image = join(OUT, `chelsea-${megapixels}mp.png`);
  const strokes = join(OUT, `chelsea-${megapixels}mp-strokes.png`);
  await sharp(EXAMPLE.image)
    .resize(width, height, { kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toFile(image);
  await sharp(EXAMPLE.strokes).resize(width, height, { kernel: 'nearest' }).png().toFile(strokes);
  return { image, strokes, width, height };
}

/**
 * Paints one long foreground stroke over the cat's body (image coordinates scaled from the
 * example's) for about `seconds`, with pointer moves as fast as the browser takes them, and returns
 * how many masks the page showed while it was being painted, per second.
 */
async function previewRate(
  page: Page,
  scale: number,
  seconds: number,
): Promise<{ rate: number; shown: number; movesPerSecond: number; previewMs: number }> {
  await page.keyboard.press('f');
  const corners: [number, number][] = [
    [170, 150],
    [280, 170],
    [190, 200],
    [290, 230],
  ];
  const client = await page.evaluate(
    (list) => list.map(([x, y]) => window.strokecut.imageToClient(x, y)),
    corners.map(([x, y]) => [x * scale, y * scale] as [number, number]),
  );
  const before = await page.evaluate(() => window.strokecut.previewsShown());
  await page.mouse.move(client[0].x, client[0].y);
  await page.mouse.down();
  const start = Date.now();
  let moves = 0;
  for (let leg = 1; Date.now() - start < seconds * 1000; leg++) {
    const from = client[(leg - 1) % client.length];
    const to = client[leg % client.length];
    for (let step = 1; step <= 20 && Date.now() - start < seconds * 1000; step++) {
      await page.mouse.move(from.x + ((to.x - from.x) * step) / 20, from.y + ((to.y - from.y) * step) / 20);
      moves++;
    }
  }
  const elapsed = (Date.now() - start) / 1000;
  const shown = (await page.evaluate(() => window.strokecut.previewsShown())) - before;
  const previewMs = await page.evaluate(() => window.strokecut.previewMs());
  await page.mouse.up();
  await waitSettled(page, 120_000);
  await page.keyboard.press('Control+z');
  await waitSettled(page, 120_000);
  return { rate: shown / elapsed, shown, movesPerSecond: moves / elapsed, previewMs };
}

const loadStart = loadavg()[0];
await mkdir(OUT, { recursive: true });
const server = await startServeCommand();
const browser = await launchChromium();
const results = [];
try {
  for (const megapixels of megapixelSizes) {
    const files = await makeImages(megapixels);
    const { page, errors } = await openPage(browser, server.url);
    const openStart = Date.now();
    await page.setInputFiles('#open-file', files.image);
    await page.waitForFunction((w) => window.strokecut.image()?.width === w, files.width, {
      timeout: 120_000,
    });
    const openMs = Date.now() - openStart;
    await page.setInputFiles('#import-file', files.strokes);
    await page.waitForFunction(() => window.strokecut.counts()?.background, undefined, { timeout: 120_000 });
    await waitSettled(page, 120_000);
    for (const smooth of smoothings) {
      await page.fill('#smooth', String(smooth));
      await page.dispatchEvent('#smooth', 'change');
      await waitSettled(page, 120_000);
      const options = await page.evaluate(() => window.strokecut.options());
      if (options.smooth !== smooth) throw new Error(`could not set smoothing to ${smooth}`);
      const row = await timeRounds(page, files, options);
      const previews = await previewRate(page, files.width / 451, previewSeconds);
      if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
      const full = {
        ...row,
        openMs,
        previewsPerSecond: previews.rate,
        previewsShown: previews.shown,
        previewMs: previews.previewMs,
        pointerMovesPerSecond: previews.movesPerSecond,
      };
      results.push(full);
      if (values.json) process.stdout.write(`${JSON.stringify(full)}\n`);
      log(
        `${row.width}×${row.height} (${row.megapixels.toFixed(2)} MP, k ${options.k}, smoothing ${options.smooth}): ` +
          `stroke → mask on screen ${row.medianMs.toFixed(0)} ms median (first look ${row.firstMaskMs.toFixed(0)} ms, after a flick ${row.flickFirstMaskMs.toFixed(0)} ms; worker ${row.workerMs.toFixed(0)} ms: ` +
          `k-means ${row.kmeansMs.toFixed(0)}, classify ${row.classifyMs.toFixed(0)}, refine ${row.refineMs.toFixed(0)}; page ${row.pageOverheadMs.toFixed(0)} ms, ` +
          `of which drawing ${row.renderMs.toFixed(0)}), ` +
          `undo → mask ${row.undoToMaskMs.toFixed(0)} ms, open ${openMs} ms; ` +
          `previews while painting ${previews.rate.toFixed(1)}/s (${previews.shown} in ${previewSeconds} s, the last in ${previews.previewMs.toFixed(0)} ms in the worker, ${previews.movesPerSecond.toFixed(0)} pointer moves/s); ` +
          `all stroke runs: ${row.strokeToMaskAllMs.join(', ')}\n`,
      );
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
await writeFile(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`Wrote ${join('bench-out', 'web-latency', 'results.json')}\n`);
if (values.write) {
  const rows = results.map(
    (r) =>
      `| ${r.megapixels.toFixed(1)} MP | ${r.smooth} | ${r.firstMaskMs.toFixed(0)} / ${r.flickFirstMaskMs.toFixed(0)} ms | ${r.medianMs.toFixed(0)} ms (worker ${r.workerMs.toFixed(0)}, drawing ${r.renderMs.toFixed(0)}) | ${r.previewsPerSecond.toFixed(1)}/s | ${r.undoToMaskMs.toFixed(0)} ms |`,
  );
  const table = [
    `Headless Chromium, ${rounds} rounds per size, medians; load average ${loadStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (${new Date().toISOString().slice(0, 10)}, \`npm run bench:web -- --write\`).`,
    '',
    '| image | smoothing | first look (stroke / flick) | exact mask on screen | previews while painting | undo → mask |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
  writeDocTable('performance.md', '<!-- bench:web:start -->', '<!-- bench:web:end -->', table);
}

/** `rounds` short strokes, each painted then undone: the latencies' medians. */
async function timeRounds(
  page: Page,
  files: { width: number; height: number },
  options: { k?: number; smooth?: number },
) {
  const stroke: number[] = [];
  const first: number[] = [];
  const flickFirst: number[] = [];
  const undo: number[] = [];
  const worker: number[] = [];
  const render: number[] = [];
  const kmeans: number[] = [];
  const classify: number[] = [];
  const refine: number[] = [];
  // A short foreground stroke on the cat's forehead, in image coordinates scaled from the example's,
  // a little lower in each round and the flick's lower still: each is new to the page's worker,
  // which answers strokes it has seen recently (an undo, a redo) from the result it kept.
  const s = files.width / 451;
  const strokePath = (dy: number): [number, number][] => [
    [200 * s, (60 + dy) * s],
    [250 * s, (65 + dy) * s],
  ];
  const newest = () => page.evaluate(() => window.strokecut.latencies[window.strokecut.latencies.length - 1]);
  for (let round = 0; round < rounds; round++) {
    const path = strokePath(values['same-stroke'] ? 0 : 2 * round);
    await paint(page, 'f', path, 4);
    await waitSettled(page, 120_000);
    const afterStroke = await newest();
    stroke.push(afterStroke.ms);
    first.push(afterStroke.firstMs);
    worker.push(afterStroke.workerMs);
    render.push(afterStroke.renderMs);
    kmeans.push(afterStroke.timings.kmeans);
    classify.push(afterStroke.timings.classify);
    refine.push(afterStroke.timings.refine ?? 0);
    await page.keyboard.press('Control+z');
    await waitSettled(page, 120_000);
    undo.push((await newest()).ms);
    // A flick: pointer down, one move, up — too quick for a preview of its strokes to be on
    // screen when the pointer lifts, so its first look is the worker's quick look.
    await paint(page, 'f', values['same-stroke'] ? path : strokePath(2 * round + 1), 1);
    await waitSettled(page, 120_000);
    flickFirst.push((await newest()).firstMs);
    await page.keyboard.press('Control+z');
    await waitSettled(page, 120_000);
  }
  return {
    megapixels: (files.width * files.height) / 1e6,
    smooth: options.smooth ?? 0,
    width: files.width,
    height: files.height,
    options,
    rounds,
    /** Pointer up → the mask for the new strokes on screen: median over the rounds. */
    medianMs: median(stroke),
    /** Pointer up → the first look at it on screen (large images: the coarse labels first). */
    firstMaskMs: median(first),
    /** The same for a flick (one pointer move): no preview of it can be on screen at pointer up. */
    flickFirstMaskMs: median(flickFirst),
    undoToMaskMs: median(undo),
    workerMs: median(worker),
    kmeansMs: median(kmeans),
    classifyMs: median(classify),
    refineMs: median(refine),
    renderMs: median(render),
    /** Everything but the worker: posting the strokes, drawing the result, the frame. */
    pageOverheadMs: median(stroke.map((ms, i) => ms - worker[i])),
    strokeToMaskAllMs: stroke.map(Math.round),
  };
}
