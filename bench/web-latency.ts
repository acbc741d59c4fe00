/**
 * Latency of the web page: time from the end of a stroke (pointerup) to the new mask on screen, in
 * real headless Chromium, for a 1-megapixel and a 12-megapixel image. Also the time from an undo
 * (Ctrl+Z) to its mask, the worker's share of it, and the time to open the image.
 *
 * The images are the bundled example upscaled at bench time (Lanczos; strokes nearest-neighbour),
 * with the example's strokes imported, then one short stroke painted and undone per round.
 *
 *   npm run bench:web              (builds the page first)
 *   node dist/bench/web-latency.js [--rounds N] [--sizes 1,12]
 *
 * Target: under 100 ms for 1 megapixel without refinement (smoothing 0).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { REPO_ROOT } from '../scripts/build-web.js';
import { launchChromium, openPage, paint, startServeCommand, waitSettled } from '../src/web/harness.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    sizes: { type: 'string', default: '1,12' },
    // The target is for the plain mode; pass --smooth 3 to time the page's default (refined) mode.
    smooth: { type: 'string', default: '0' },
  },
});
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
    await page.fill('#smooth', values.smooth);
    await page.dispatchEvent('#smooth', 'change');
    await waitSettled(page, 120_000);
    const options = await page.evaluate(() => window.strokecut.options());
    if (options.smooth !== Number(values.smooth))
      throw new Error(`could not set smoothing to ${values.smooth}`);

    const stroke: number[] = [];
    const undo: number[] = [];
    const worker: number[] = [];
    const render: number[] = [];
    const kmeans: number[] = [];
    const classify: number[] = [];
    // A short foreground stroke on the cat's forehead, in image coordinates scaled from the example's.
    const s = files.width / 451;
    const path: [number, number][] = [
      [200 * s, 60 * s],
      [250 * s, 65 * s],
    ];
    const newest = () =>
      page.evaluate(() => window.strokecut.latencies[window.strokecut.latencies.length - 1]);
    for (let round = 0; round < rounds; round++) {
      await paint(page, 'f', path, 4);
      await waitSettled(page, 120_000);
      const afterStroke = await newest();
      stroke.push(afterStroke.ms);
      worker.push(afterStroke.workerMs);
      render.push(afterStroke.renderMs);
      kmeans.push(afterStroke.timings.kmeans);
      classify.push(afterStroke.timings.classify);
      await page.keyboard.press('Control+z');
      await waitSettled(page, 120_000);
      undo.push((await newest()).ms);
    }
    if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    const row = {
      megapixels: (files.width * files.height) / 1e6,
      width: files.width,
      height: files.height,
      options,
      rounds,
      openMs,
      strokeToMaskMs: median(stroke),
      undoToMaskMs: median(undo),
      workerMs: median(worker),
      kmeansMs: median(kmeans),
      classifyMs: median(classify),
      renderMs: median(render),
      /** Everything but the worker: posting the strokes, drawing the result, the frame. */
      pageOverheadMs: median(stroke.map((ms, i) => ms - worker[i])),
      strokeToMaskAllMs: stroke.map(Math.round),
    };
    results.push(row);
    process.stdout.write(
      `${row.width}×${row.height} (${row.megapixels.toFixed(2)} MP, k ${options.k}, smoothing ${options.smooth}): ` +
        `stroke → mask on screen ${row.strokeToMaskMs.toFixed(0)} ms median (worker ${row.workerMs.toFixed(0)} ms: ` +
        `k-means ${row.kmeansMs.toFixed(0)}, classify ${row.classifyMs.toFixed(0)}; page ${row.pageOverheadMs.toFixed(0)} ms, ` +
        `of which drawing ${row.renderMs.toFixed(0)}), ` +
        `undo → mask ${row.undoToMaskMs.toFixed(0)} ms, open ${openMs} ms; all stroke runs: ${row.strokeToMaskAllMs.join(', ')}\n`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
await writeFile(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Wrote ${join('bench-out', 'web-latency', 'results.json')}\n`);
