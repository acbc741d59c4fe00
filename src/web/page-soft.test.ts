/**
 * The page's soft edges in real headless Chromium: the cut-out view and the cut-out export with the
 * matte's alpha and estimated colours, checked against the real CLI's --matte and --cutout for the
 * page's exported strokes and settings; soft edges off gives the binary cut-out.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { REPO_ROOT } from '../../scripts/build-web.js';
import { browserTestBed, CLI_MAIN, menuClick, openPage, paint, waitSettled } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'chelsea.png');

const bed = browserTestBed('web-soft');

async function download(page: Page, selector: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), menuClick(page, selector)]);
  const path = join(bed.work, name);
  await file.saveAs(path);
  return path;
}

async function raw(path: string): Promise<{ data: Buffer; channels: number; pixels: number }> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data, channels: info.channels, pixels: info.width * info.height };
}

/** Channel `c` of every pixel. */
function channel(image: { data: Buffer; channels: number; pixels: number }, c: number): Uint8Array {
  const out = new Uint8Array(image.pixels);
  for (let p = 0; p < out.length; p++) out[p] = image.data[p * image.channels + c];
  return out;
}

function differing(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) n++;
  return n;
}

/** The CLI's mask, matte and cut-out for the page's exported strokes, settings and `flags`. */
async function cli(page: Page, strokes: string, name: string, flags: string[]) {
  const options = await page.evaluate(() => window.strokecut.options());
  const out = (kind: string) => join(bed.work, `${name}-cli-${kind}.png`);
  await run(process.execPath, [
    CLI_MAIN,
    EXAMPLE,
    strokes,
    '-q',
    '-k',
    String(options.k),
    '--smooth',
    String(options.smooth),
    '-o',
    out('mask'),
    '--matte',
    out('matte'),
    '--cutout',
    out('cutout'),
    ...flags,
  ]);
  return {
    mask: channel(await raw(out('mask')), 0),
    matte: channel(await raw(out('matte')), 0),
    cutout: await raw(out('cutout')),
  };
}

/** Opens the cut-out view's Edges drop-down (if closed), as a person would. */
async function openEdges(page: Page): Promise<void> {
  if (!(await page.evaluate(() => (document.getElementById('edge-controls') as HTMLDetailsElement).open))) {
    await page.click('#edge-controls summary');
  }
}

/** The result layer's alpha as drawn on screen. */
const shownAlpha = (page: Page) =>
  page.evaluate(() => {
    const canvas = document.getElementById('result-canvas') as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const alpha: number[] = [];
    for (let i = 3; i < data.length; i += 4) alpha.push(data[i]);
    return alpha;
  });

/** Pixels of an exported cut-out whose colour differs from the CLI's, where both are visible. */
function colourDifferences(page: { data: Buffer }, cliCutout: { data: Buffer }, alpha: Uint8Array): number {
  let n = 0;
  for (let p = 0; p < alpha.length; p++) {
    if (alpha[p] === 0) continue;
    for (let c = 0; c < 3; c++) if (page.data[p * 4 + c] !== cliCutout.data[p * 4 + c]) n++;
  }
  return n;
}

test('the cut-out view and export have the CLI’s soft edges; the radius slider and the toggle follow', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  // The example opens with its strokes and their cut: exported, they are what the CLI replays.
  const strokes = await download(page, '#export-strokes', 'soft-strokes.png');
  assert.equal(await page.isVisible('#edge-controls'), false, 'the soft-edge controls belong to the cut-out');
  await page.selectOption('#view', 'cutout');
  assert.equal(await page.isVisible('#edge-controls'), true);
  assert.equal(await page.isVisible('#opacity'), false, 'the overlay opacity makes room for them');
  assert.deepEqual(await page.evaluate(() => window.strokecut.softEdges()), { soft: true, edgeRadius: null });
  // The slider shows the library's default for 451×300: 0.5 % of the diagonal.
  assert.equal(await page.inputValue('#edge-radius'), String(Math.round(0.005 * Math.hypot(451, 300))));
  await waitSettled(page);

  const reference = await cli(page, strokes, 'default', []);
  const cutout = await raw(await download(page, '#export-cutout', 'chelsea-cutout.png'));
  assert.equal(cutout.channels, 4);
  const alpha = channel(cutout, 3);
  assert.equal(
    differing(alpha, reference.matte),
    0,
    'alpha pixels where the page and the CLI’s --matte disagree',
  );
  assert.equal(colourDifferences(cutout, reference.cutout, alpha), 0, 'colours unlike the CLI’s --cutout');
  const fractional = alpha.filter((a) => a > 0 && a < 255).length;
  assert.ok(fractional > 200, `${fractional} soft edge pixels`);
  // The page's mask stays the binary mask: exactly the CLI's.
  const mask = channel(await raw(await download(page, '#export-mask', 'chelsea-mask.png')), 0);
  assert.equal(differing(mask, reference.mask), 0);
  assert.deepEqual(new Set(mask), new Set([0, 255]));
  // On screen: the same alpha.
  assert.equal(
    differing(Uint8Array.from(await shownAlpha(page)), reference.matte),
    0,
    'the view shows the matte',
  );

  // A wider band: the CLI's --edge-radius 9.
  await openEdges(page);
  await page.locator('#edge-radius').fill('9');
  await waitSettled(page);
  assert.deepEqual(await page.evaluate(() => window.strokecut.softEdges()), { soft: true, edgeRadius: 9 });
  const wide = await cli(page, strokes, 'wide', ['--edge-radius', '9']);
  assert.notEqual(differing(wide.matte, reference.matte), 0, 'the radius changes the matte');
  const wideCutout = await raw(await download(page, '#export-cutout', 'chelsea-cutout.png'));
  assert.equal(differing(channel(wideCutout, 3), wide.matte), 0);
  assert.equal(differing(Uint8Array.from(await shownAlpha(page)), wide.matte), 0);

  // Soft edges off: the binary cut-out, alpha = the mask, the photo's own colours.
  await openEdges(page);
  await page.uncheck('#soft-edges');
  await waitSettled(page);
  const hard = await raw(await download(page, '#export-cutout', 'chelsea-cutout.png'));
  assert.equal(differing(channel(hard, 3), mask), 0, 'alpha is the binary mask');
  const image = await raw(EXAMPLE);
  let unlike = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    for (let c = 0; c < 3; c++) if (hard.data[p * 4 + c] !== image.data[p * image.channels + c]) unlike++;
  }
  assert.equal(unlike, 0, 'the photo’s colours');
  assert.equal(
    differing(Uint8Array.from(await shownAlpha(page)), mask),
    0,
    'the view shows the binary cut-out',
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('soft edges are computed after the mask, only when the cut-out needs them', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  // In the overlay view no matte is asked for: the page settles on the mask alone.
  const mattes = () => page.evaluate(() => window.strokecut.mattesComputed());
  assert.equal(await mattes(), 0);
  await page.selectOption('#view', 'cutout');
  await waitSettled(page);
  assert.equal(await mattes(), 1);
  // A new stroke: its mask is shown first (binary), then its soft edges.
  await page.click('#clear');
  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.equal(await mattes(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the soft-edge settings are kept with the session and in the browser', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  // A stroke of the user's own: the session is restored on reload (an untouched example is not).
  await paint(page, 'b', [
    [380, 250],
    [440, 290],
  ]);
  await page.selectOption('#view', 'cutout');
  await openEdges(page);
  await page.locator('#edge-radius').fill('6');
  await page.uncheck('#soft-edges');
  await waitSettled(page);
  const saved = await download(page, '#save-session', 'chelsea.strokecut.json');
  assert.deepEqual(JSON.parse(await readFile(saved, 'utf8')).softEdge, { soft: false, edgeRadius: 6 });
  await page.waitForFunction(() => window.strokecut.stored());
  await page.reload();
  await page.waitForFunction(() => window.strokecut?.image() !== null);
  await waitSettled(page, 90_000);
  assert.deepEqual(await page.evaluate(() => window.strokecut.softEdges()), { soft: false, edgeRadius: 6 });
  assert.equal(await page.inputValue('#edge-radius'), '6');
  assert.deepEqual(errors, []);
  await page.close();
});
