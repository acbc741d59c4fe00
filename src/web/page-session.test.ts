/**
 * Browser tests (real headless Chromium) of keeping the work: the session survives a reload
 * (IndexedDB), opening another image asks first and stays undoable, leaving with work at risk
 * warns, and session files save and reopen.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/build-web.js';
import { browserTestBed, menuClick, paint, waitImage, waitSettled } from './harness.js';

const COFFEE = join(REPO_ROOT, 'examples', 'coffee.png');
const bed = browserTestBed('web-session');

/** A page in its own context (its own IndexedDB), loaded and settled. */
async function freshPage(init?: () => void): Promise<{ page: Page; errors: string[] }> {
  const context = await bed.browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.goto(bed.url);
  await loaded(page);
  return { page, errors };
}

async function loaded(page: Page): Promise<void> {
  await waitImage(page);
  await waitSettled(page, 90_000);
}

async function openCoffee(page: Page): Promise<void> {
  await page.setInputFiles('#open-file', COFFEE);
  await page.waitForFunction(() => window.strokecut.image()?.name === 'coffee.png');
  await waitSettled(page);
}

/** Strokes on coffee.png (600×400): red on the cup, blue down the left side. */
async function paintCup(page: Page): Promise<void> {
  await paint(page, 'f', [
    [180, 180],
    [260, 220],
  ]);
  await paint(page, 'b', [
    [10, 10],
    [10, 300],
  ]);
  await waitSettled(page);
}

const snapshot = (page: Page) =>
  page.evaluate(() => ({
    image: window.strokecut.image(),
    counts: window.strokecut.counts(),
    settings: window.strokecut.settings(),
    mask: window.strokecut.maskSummary(),
  }));

test('the image, its strokes and the settings survive a reload', async () => {
  const { page, errors } = await freshPage();
  await openCoffee(page);
  await paintCup(page);
  await page.fill('#k', '40');
  await page.dispatchEvent('#k', 'change');
  await waitSettled(page);
  await page.waitForFunction(() => window.strokecut.stored());
  const before = await snapshot(page);
  assert.ok(before.mask, 'a mask before the reload');
  assert.equal(await page.evaluate(() => window.strokecut.workAtRisk()), false, 'stored: nothing at risk');
  await page.reload();
  await loaded(page);
  assert.deepEqual(await snapshot(page), before);
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /^Restored "coffee\.png"/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('opening another image over strokes asks first, and Undo goes back to them', async () => {
  const { page, errors } = await freshPage();
  // The example's own strokes are not the user's work: no question.
  await openCoffee(page);
  await paintCup(page);
  const coffee = await snapshot(page);
  const dialogs: string[] = [];
  page.once('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.setInputFiles('#open-file', join(REPO_ROOT, 'examples', 'chelsea.png'));
  await page.waitForFunction(() => /^Kept "coffee\.png" open/.test(window.strokecut.message().text));
  assert.match(dialogs[0], /^Open "chelsea\.png"\? Your strokes on "coffee\.png" stay in this tab/);
  assert.deepEqual(await snapshot(page), coffee, 'declined: nothing changed');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.setInputFiles('#open-file', join(REPO_ROOT, 'examples', 'chelsea.png'));
  await page.waitForFunction(() => window.strokecut.image()?.name === 'chelsea.png');
  await waitSettled(page);
  assert.deepEqual(await page.evaluate(() => window.strokecut.counts()), { foreground: 0, background: 0 });
  assert.equal(await page.isEnabled('#undo'), true);
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => window.strokecut.image()?.name === 'coffee.png');
  await waitSettled(page);
  assert.deepEqual(await snapshot(page), coffee, 'back with its strokes, settings and mask');
  // Undo keeps working within the image, then Redo returns to the other one.
  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.equal((await page.evaluate(() => window.strokecut.counts()))?.background, 0);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  await page.waitForFunction(() => window.strokecut.image()?.name === 'chelsea.png');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('leaving with strokes that nothing holds warns; once saved to a file it does not', async () => {
  // No IndexedDB (as in some private modes): only a file keeps the work.
  const { page, errors } = await freshPage(() => {
    Object.defineProperty(window, 'indexedDB', { value: undefined });
  });
  await paintCup(page);
  assert.equal(await page.evaluate(() => window.strokecut.workAtRisk()), true);
  const dialog = new Promise<string>((resolve) =>
    page.once('dialog', (each) => {
      resolve(each.type());
      void each.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  assert.equal(await dialog, 'beforeunload');
  assert.equal(page.isClosed(), false, 'dismissed: the page stays');

  await Promise.all([page.waitForEvent('download'), menuClick(page, '#export-strokes')]);
  assert.equal(await page.evaluate(() => window.strokecut.workAtRisk()), false);
  let asked = false;
  page.once('dialog', (each) => {
    asked = true;
    void each.accept();
  });
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent('close');
  assert.equal(asked, false);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a session file saves the image, strokes and settings, and reopens them elsewhere', async () => {
  const first = await freshPage();
  await openCoffee(first.page);
  await paintCup(first.page);
  await first.page.fill('#smooth', '5');
  await first.page.dispatchEvent('#smooth', 'change');
  await waitSettled(first.page);
  const saved = await snapshot(first.page);
  const [file] = await Promise.all([
    first.page.waitForEvent('download'),
    menuClick(first.page, '#save-session'),
  ]);
  assert.equal(file.suggestedFilename(), 'coffee.strokecut.json');
  const path = join(bed.work, 'coffee.strokecut.json');
  await file.saveAs(path);
  const json = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(json.format, 'strokecut-session');
  assert.deepEqual(json.settings, { k: 70, smooth: 5 });
  assert.equal(
    Buffer.from(json.image.data, 'base64').equals(await readFile(COFFEE)),
    true,
    'the file embedded',
  );
  await first.page.context().close();

  const second = await freshPage();
  await second.page.setInputFiles('#session-file', path);
  await second.page.waitForFunction(() => window.strokecut.image()?.name === 'coffee.png');
  await waitSettled(second.page);
  assert.deepEqual(await snapshot(second.page), saved);
  assert.match((await second.page.evaluate(() => window.strokecut.message())).text, /^Opened the session/);
  assert.deepEqual([...first.errors, ...second.errors], []);
  await second.page.context().close();
});
