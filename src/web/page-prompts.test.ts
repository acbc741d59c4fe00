/**
 * The page's prompts in real headless Chromium — the box tool, "Load mask…" and the border offer —
 * each replayed with the real CLI from the page's exported strokes and the flags its replay hint
 * names: the same mask, pixel for pixel.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { REPO_ROOT } from '../../scripts/build-web.js';
import { browserTestBed, CLI_MAIN, menuClick, openPage, paint, waitSettled } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'chelsea.png');

const bed = browserTestBed('web-prompts');

async function download(page: Page, selector: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), menuClick(page, selector)]);
  assert.equal(file.suggestedFilename(), name);
  const path = join(bed.work, name);
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

/**
 * Exports the strokes and the mask, reads the replay command from the page's message, and runs it
 * with the real CLI (`files` maps file names the command names to where they are).
 */
async function pageAndCli(
  page: Page,
  files: Record<string, string> = {},
): Promise<{ page: Uint8Array; cli: Uint8Array; command: string }> {
  await waitSettled(page);
  const strokes = await download(page, '#export-strokes', 'chelsea-strokes.png');
  const { text } = await page.evaluate(() => window.strokecut.message());
  const match = /replay it with strokecut (.*)$/.exec(text);
  assert.ok(match, text);
  const command = match[1];
  const words = command.split(' ');
  assert.deepEqual(words.slice(0, 2), ['chelsea.png', 'chelsea-strokes.png']);
  const args = words.slice(2).map((word) => files[word] ?? word);
  const pageMask = await maskBytes(await download(page, '#export-mask', 'chelsea-mask.png'));
  const output = join(bed.work, 'cli-mask.png');
  await run(process.execPath, [CLI_MAIN, EXAMPLE, strokes, '-o', output, '-q', ...args]);
  return { page: pageMask, cli: await maskBytes(output), command };
}

/** The page with the example open and its strokes cleared (it opens with them). */
async function openBlank(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(bed.browser, bed.url);
  await opened.page.click('#clear');
  await waitSettled(opened.page);
  return opened;
}

const foregroundShare = (mask: Uint8Array) => mask.reduce((s, v) => s + (v ? 1 : 0), 0) / mask.length;

async function dragBox(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.keyboard.press('r');
  const [a, b] = await page.evaluate(
    ([f, t]) => [window.strokecut.imageToClient(f[0], f[1]), window.strokecut.imageToClient(t[0], t[1])],
    [from, to],
  );
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
}

test('the box tool: a dragged rectangle alone cuts the cat, as the CLI does with --box; undo takes it back', async () => {
  const { page, errors } = await openBlank();
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /drag a box around it \(R\)/);
  await dragBox(page, [60.5, 8.5], [400.5, 290.5]);
  await waitSettled(page);
  const prompts = await page.evaluate(() => window.strokecut.prompts());
  assert.deepEqual(prompts.box, { x: 60, y: 8, width: 341, height: 283 });
  assert.equal(await page.isVisible('#box-outline'), true);
  // The outline sits on the box's image pixels.
  const outline = await page.locator('#box-outline').boundingBox();
  const corner = await page.evaluate(() => window.strokecut.imageToClient(60, 8));
  assert.ok(outline && Math.abs(outline.x - corner.x) < 1.5 && Math.abs(outline.y - corner.y) < 1.5);
  const masks = await pageAndCli(page);
  assert.match(masks.command, / --box 60,8,341,283$/);
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  const share = foregroundShare(masks.page);
  assert.ok(share > 0.2 && share < 0.8, `foreground share ${share}`);
  for (let y = 0; y < 300; y++) assert.equal(masks.page[y * 451 + 20], 0, 'nothing outside the box');
  // Undo takes the box back (no prompt, no strokes: no mask); redo brings it again.
  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.equal((await page.evaluate(() => window.strokecut.prompts())).box, null);
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  assert.equal(await page.isVisible('#box-outline'), false);
  await page.keyboard.press('Control+Shift+z');
  await waitSettled(page);
  assert.deepEqual((await page.evaluate(() => window.strokecut.prompts())).box, prompts.box);
  assert.ok(await page.evaluate(() => window.strokecut.maskSummary()));
  // "Remove box" in the status bar takes it away again.
  await page.click('#clear-prompts');
  await waitSettled(page);
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  assert.equal(await page.isVisible('#box-outline'), false);
  assert.equal(await page.isVisible('#clear-prompts'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a box with strokes: the strokes and the box together give the CLI’s mask', async () => {
  const { page, errors } = await openBlank();
  await paint(page, 'f', [
    [200, 120],
    [240, 200],
  ]);
  await dragBox(page, [100, 20], [380, 298]);
  await paint(page, 'b', [
    [120, 40],
    [160, 30],
  ]);
  const box = (await page.evaluate(() => window.strokecut.prompts())).box!;
  const masks = await pageAndCli(page);
  assert.ok(masks.command.endsWith(` --box ${box.x},${box.y},${box.width},${box.height}`), masks.command);
  assert.equal(differing(masks.page, masks.cli), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Load mask…": a prior mask, corrected by a stroke, gives the CLI’s --prior mask', async () => {
  const { page, errors } = await openBlank();
  // A rough prior: an ellipse around the cat's head and body plus a false blob in the top-left corner.
  const prior = join(bed.work, 'prior.png');
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
  // "Load mask…" is a File menu item that opens the file chooser.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), menuClick(page, '#load-prior')]);
  await chooser.setFiles(prior);
  await page.waitForFunction(() => window.strokecut.prompts().prior);
  await waitSettled(page);
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /Loaded the mask "prior\.png"/);
  assert.ok(await page.evaluate(() => window.strokecut.maskSummary()), 'the prior alone gives a mask');
  // A blue stroke on the false blob drops it as a whole.
  await paint(page, 'b', [
    [25, 30],
    [35, 30],
  ]);
  const masks = await pageAndCli(page, { 'prior.png': prior });
  assert.match(masks.command, / --prior prior\.png$/);
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  assert.equal(masks.page[30 * 451 + 30], 0);
  assert.equal(masks.page[170 * 451 + 230], 255);
  // Undo (the stroke, then the mask) goes back to no prior.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.equal((await page.evaluate(() => window.strokecut.prompts())).prior, false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('red strokes only: the hint offers the border as background, as --background border', async () => {
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
    /Add a background stroke .* or press "Use the border as background"/,
  );
  assert.equal(await page.isVisible('#border-offer'), true);
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  await page.click('#border-offer');
  const masks = await pageAndCli(page);
  assert.match(masks.command, / --background border$/);
  assert.equal(differing(masks.page, masks.cli), 0, 'pixels where the page and the CLI disagree');
  const share = foregroundShare(masks.page);
  assert.ok(share > 0.1 && share < 0.9, `foreground share ${share}`);
  assert.equal(await page.getAttribute('#border-offer', 'aria-pressed'), 'true');
  // A blue stroke makes the offer moot once it is off again.
  await page.click('#border-offer');
  await paint(page, 'b', [
    [12, 15],
    [15, 285],
  ]);
  await waitSettled(page);
  assert.equal(await page.isVisible('#border-offer'), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the prompts are kept in the browser across a reload, and in a saved session', async () => {
  const { page, errors } = await openBlank();
  await paint(page, 'f', [
    [200, 120],
    [240, 200],
  ]);
  await dragBox(page, [60.5, 8.5], [400.5, 290.5]);
  await page.click('#border-offer');
  await waitSettled(page);
  const prompts = await page.evaluate(() => window.strokecut.prompts());
  const mask = await page.evaluate(() => window.strokecut.maskSummary());
  assert.ok(prompts.box && prompts.borderBackground && mask);
  const saved = await download(page, '#save-session', 'chelsea.strokecut.json');
  await page.waitForFunction(() => window.strokecut.stored());
  await page.reload();
  await page.waitForFunction(() => window.strokecut?.image() !== null);
  await waitSettled(page, 90_000);
  assert.deepEqual(await page.evaluate(() => window.strokecut.prompts()), prompts);
  assert.deepEqual(await page.evaluate(() => window.strokecut.maskSummary()), mask);
  assert.equal(await page.isVisible('#box-outline'), true);
  // Cleared, then the saved session reopened: the same prompts and mask again.
  await page.click('#clear-prompts');
  await page.click('#border-offer');
  await waitSettled(page);
  assert.equal((await page.evaluate(() => window.strokecut.prompts())).box, null);
  // Opening the session's image asks first (the strokes here are work): yes.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.setInputFiles('#session-file', saved);
  await page.waitForFunction(() => window.strokecut.prompts().box !== null);
  await waitSettled(page);
  assert.deepEqual(await page.evaluate(() => window.strokecut.prompts()), prompts);
  assert.deepEqual(await page.evaluate(() => window.strokecut.maskSummary()), mask);
  assert.deepEqual(errors, []);
  await page.close();
});
