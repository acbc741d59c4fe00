/**
 * The page's prompts in real headless Chromium — the box tool, "Load mask…" and the border offer —
 * each checked against the real CLI given the same prompts: the same mask, pixel for pixel.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { buildWeb, REPO_ROOT } from '../../scripts/build-web.js';
import { CLI_MAIN, launchChromium, openPage, paint, startServeCommand, waitSettled } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'chelsea.png');

let browser: Browser;
let server: { url: string; stop: () => Promise<void> };
let work: string;

before(async () => {
  await buildWeb();
  work = await mkdtemp(join(tmpdir(), 'strokecut-web-prompts-'));
  server = await startServeCommand();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function download(page: Page, selector: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(work, name);
  await file.saveAs(path);
  return path;
}

async function maskBytes(path: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  for (let p = 0; p < mask.length; p++) mask[p] = data[p * info.channels];
  return mask;
}

function differing(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) n++;
  return n;
}

/** The page's mask and the CLI's for the page's exported strokes, settings and `flags`. */
async function pageAndCli(
  page: Page,
  name: string,
  flags: string[],
  blankStrokes = false,
): Promise<{ page: Uint8Array; cli: Uint8Array }> {
  await waitSettled(page);
  // With no stroke the page has no stroke image to export: the CLI gets an all-black one.
  const strokes = blankStrokes
    ? join(work, 'black.png')
    : await download(page, '#export-strokes', `${name}-strokes.png`);
  if (blankStrokes) {
    await sharp({ create: { width: 451, height: 300, channels: 3, background: '#000' } })
      .png()
      .toFile(strokes);
  }
  const pageMask = await maskBytes(await download(page, '#export-mask', `${name}-mask.png`));
  const options = await page.evaluate(() => window.strokecut.options());
  const output = join(work, `${name}-cli.png`);
  await run(process.execPath, [
    CLI_MAIN,
    EXAMPLE,
    strokes,
    '-o',
    output,
    '-q',
    '-k',
    String(options.k),
    '--smooth',
    String(options.smooth),
    ...flags,
  ]);
  return { page: pageMask, cli: await maskBytes(output) };
}

/** The page with the example open and its strokes cleared (it opens with them). */
async function openBlank(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser, server.url);
  await opened.page.click('#clear');
  await waitSettled(opened.page);
  return opened;
}

const foregroundShare = (mask: Uint8Array) => mask.reduce((s, v) => s + (v ? 1 : 0), 0) / mask.length;

test('the box tool: a dragged rectangle alone cuts the cat, as the CLI does with --box', async () => {
  const { page, errors } = await openBlank();
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /drag a box around it \(R\)/);
  await page.keyboard.press('r');
  const [from, to] = await page.evaluate(() => [
    window.strokecut.imageToClient(60.5, 8.5),
    window.strokecut.imageToClient(400.5, 290.5),
  ]);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  await page.mouse.up();
  await waitSettled(page);
  const prompts = await page.evaluate(() => window.strokecut.prompts());
  assert.deepEqual(prompts.box, { x: 60, y: 8, width: 341, height: 283 });
  assert.equal(await page.isVisible('#box-outline'), true);
  const box = prompts.box!;
  const masks = await pageAndCli(
    page,
    'box',
    ['--box', `${box.x},${box.y},${box.width},${box.height}`],
    true,
  );
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  const share = foregroundShare(masks.page);
  assert.ok(share > 0.2 && share < 0.8, `foreground share ${share}`);
  // Nothing outside the box is foreground.
  for (let y = 0; y < 300; y++) assert.equal(masks.page[y * 451 + 20], 0);
  // "Remove box/mask" takes it away again: no prompt, no strokes, no mask.
  await page.click('#clear-prompts');
  await waitSettled(page);
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  assert.equal(await page.isVisible('#box-outline'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Load mask…": a prior mask, corrected by a stroke, gives the CLI’s --prior mask', async () => {
  const { page, errors } = await openBlank();
  // A rough prior: an ellipse around the cat's head and body plus a false blob in the top-left corner.
  const prior = join(work, 'prior.png');
  const data = Buffer.alloc(451 * 300);
  for (let y = 0; y < 300; y++) {
    for (let x = 0; x < 451; x++) {
      const ellipse = ((x - 230) / 130) ** 2 + ((y - 170) / 125) ** 2 <= 1;
      const blob = (x - 30) ** 2 + (y - 30) ** 2 <= 400;
      data[y * 451 + x] = ellipse || blob ? 255 : 0;
    }
  }
  await sharp(data, { raw: { width: 451, height: 300, channels: 1 } })
    .png()
    .toFile(prior);
  await page.setInputFiles('#prior-file', prior);
  await page.waitForFunction(() => window.strokecut.prompts().prior);
  await waitSettled(page);
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /Loaded the mask "prior\.png"/);
  const before = await page.evaluate(() => window.strokecut.maskSummary());
  assert.ok(before, 'the prior alone gives a mask');
  // A blue stroke on the false blob drops it as a whole.
  await paint(page, 'b', [
    [25, 30],
    [35, 30],
  ]);
  const masks = await pageAndCli(page, 'prior', ['--prior', prior]);
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  assert.equal(masks.page[30 * 451 + 30], 0);
  assert.equal(masks.page[170 * 451 + 230], 255);
  assert.deepEqual(errors, []);
  await page.close();
});

test('red strokes only: the page offers the border as background, as --background border', async () => {
  const { page, errors } = await openBlank();
  assert.equal(await page.isVisible('#border-offer'), false);
  await paint(page, 'f', [
    [140, 90],
    [310, 95],
  ]);
  await paint(page, 'f', [
    [225, 120],
    [230, 250],
  ]);
  await waitSettled(page);
  assert.match(
    (await page.evaluate(() => window.strokecut.message())).text,
    /Add a background stroke .* or tick "Use the border as background"/,
  );
  assert.equal(await page.isVisible('#border-offer'), true);
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  await page.check('#border-background');
  const masks = await pageAndCli(page, 'border', ['--background', 'border']);
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  const share = foregroundShare(masks.page);
  assert.ok(share > 0.1 && share < 0.9, `foreground share ${share}`);
  assert.deepEqual(errors, []);
  await page.close();
});
