/**
 * Browser test (real headless Chromium) of the progressive answers: on a large image a mask is
 * preceded by first looks — a quick preview, then the coarse labels — drawn but not kept (what
 * settles is the exact mask: the replay tests in page.test.ts compare it with the CLI's).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { exampleImagePath, exampleStrokesPath } from '../testing/fixtures.js';
import { browserTestBed, openPage, waitSettled } from './harness.js';

const bed = browserTestBed('web-progressive');

test('on a 1 MP image the first mask comes after a quick look and the coarse labels before its exact mask', async () => {
  // The example at 1226 × 816 (1.0 MP): refined coarse to fine, and past the quick-look size.
  const [width, height] = [1226, 816];
  const image = join(bed.work, 'large.png');
  const strokes = join(bed.work, 'large-stroke.png');
  await sharp(exampleImagePath).resize(width, height, { kernel: 'lanczos3' }).png().toFile(image);
  await sharp(exampleStrokesPath).resize(width, height, { kernel: 'nearest' }).png().toFile(strokes);

  const { page, errors } = await openPage(bed.browser, bed.url);
  await page.setInputFiles('#open-file', image);
  await page.waitForFunction((w) => window.strokecut.image()?.width === w, width, { timeout: 60_000 });
  await waitSettled(page, 60_000);
  const before = await page.evaluate(() => window.strokecut.partialsShown());
  // The image's first mask: a quick look is shown for any image of 1 MP or more (later ones only
  // while previews cost under a third of the exact mask, which depends on the machine).
  await page.setInputFiles('#import-file', strokes);
  await page.waitForFunction(() => window.strokecut.counts()?.background, undefined, { timeout: 60_000 });
  await waitSettled(page, 120_000);
  const shown = (await page.evaluate(() => window.strokecut.partialsShown())) - before;
  assert.equal(shown, 2, 'a quick look, then the coarse labels');
  const latest = await page.evaluate(() => window.strokecut.latencies.at(-1));
  assert.ok(latest && latest.firstMs < latest.ms, JSON.stringify(latest));
  assert.ok(await page.evaluate(() => window.strokecut.maskSummary()), 'the exact mask is kept');
  // The first looks were drawn on the shrunk image (blocks); the exact mask replaced them.
  assert.ok(await page.locator('#partial-canvas').isHidden(), 'the first look is gone');
  assert.ok(await page.locator('#result-canvas').isVisible(), 'the exact mask is drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a stroke whose preview is on screen when the pointer lifts shows that preview at once, and no quick look is computed', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  await page.keyboard.press('f');
  const [from, to] = await page.evaluate(() => [
    window.strokecut.imageToClient(200, 60),
    window.strokecut.imageToClient(250, 65),
  ]);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 6 });
  // Hold still until a preview of the stroke as it now stands is on screen: the page follows the
  // stroke (a preview answered while the stroke grew is followed by one of its new state). The
  // pointer moves on the spot (painting nothing) so that the page may try a preview again if the
  // last was over budget, as the first in a cold worker can be.
  for (let tries = 0; tries < 200; tries++) {
    if (await page.evaluate(() => window.strokecut.showsCurrentPreview())) break;
    await page.waitForTimeout(150);
    await page.mouse.move(to.x, to.y);
  }
  assert.ok(
    await page.evaluate(() => window.strokecut.showsCurrentPreview()),
    'a preview of the stroke is on screen',
  );
  const partialsBefore = await page.evaluate(() => window.strokecut.partialsShown());
  await page.mouse.up();
  await waitSettled(page, 60_000);
  const latest = await page.evaluate(() => window.strokecut.latencies.at(-1));
  assert.ok(latest, 'the stroke was measured');
  assert.equal(latest.firstMs, 0, `the preview on screen was its first look: ${JSON.stringify(latest)}`);
  assert.equal(await page.evaluate(() => window.strokecut.partialsShown()), partialsBefore, 'no quick look');
  assert.deepEqual(errors, []);
  await page.close();
});
