/**
 * Browser tests (real headless Chromium) of the page's details: the example's first look, the
 * files it writes (settings in the stroke image, the CLI's mask format), the outline, the brush
 * size steps, the shortcut list, the fit button and the light theme.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { browserTestBed, menuClick, openPage, paint, waitImage, waitSettled } from './harness.js';
import { readPngTexts } from './png.js';

const bed = browserTestBed('web-details');

async function download(page: Page, selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), menuClick(page, selector)]);
  const path = join(bed.work, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

const message = (page: Page) => page.evaluate(() => window.strokecut.message());

async function setSettings(page: Page, k: number, smooth: number): Promise<void> {
  await page.fill('#k', String(k));
  await page.dispatchEvent('#k', 'change');
  await page.fill('#smooth', String(smooth));
  await page.dispatchEvent('#smooth', 'change');
  await waitSettled(page);
}

test('the example opens with its strokes and their cut, the whole cat kept', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  const counts = await page.evaluate(() => window.strokecut.counts());
  assert.ok(counts && counts.foreground > 5000 && counts.background > 3000, JSON.stringify(counts));
  const summary = await page.evaluate(() => window.strokecut.maskSummary());
  assert.ok(summary, 'the cut is on screen');
  assert.match((await message(page)).text, /^The example: red strokes on the cat/);
  // The lower right cheek (whiskers over a pale blurred background, no stroke on these pixels) is
  // kept; the background beside it is not.
  assert.deepEqual(
    await page.evaluate(() => [
      window.strokecut.labelAt(306, 292),
      window.strokecut.maskAt(306, 292),
      window.strokecut.maskAt(300, 295),
      window.strokecut.maskAt(380, 260),
    ]),
    [0, 255, 255, 0],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('the stroke image carries its settings: in the replay hint, in a PNG text chunk, back on import', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  await setSettings(page, 40, 6);
  const strokes = await download(page, '#export-strokes');
  assert.equal(
    (await message(page)).text,
    'Saved chelsea-strokes.png: replay it with strokecut chelsea.png chelsea-strokes.png -k 40 --smooth 6',
  );
  const metadata = await sharp(strokes).metadata();
  assert.deepEqual(
    metadata.comments?.map(({ keyword, text }) => [keyword, JSON.parse(text)]),
    [['strokecut', { k: 40, smooth: 6 }]],
  );
  assert.equal(metadata.channels, 3);
  assert.deepEqual(readPngTexts(await readFile(strokes)).strokecut, '{"k":40,"smooth":6}');
  await page.close();

  // A fresh page has the defaults; importing the stroke image brings its settings back.
  const fresh = await openPage(bed.browser, bed.url);
  const defaults = await fresh.page.evaluate(() => window.strokecut.settings());
  assert.notDeepEqual(defaults, { k: 40, smooth: 6 });
  await fresh.page.click('#clear');
  await waitSettled(fresh.page);
  await fresh.page.setInputFiles('#import-file', strokes);
  await fresh.page.waitForFunction(() => /Imported/.test(window.strokecut.message().text));
  await waitSettled(fresh.page);
  assert.deepEqual(await fresh.page.evaluate(() => window.strokecut.settings()), { k: 40, smooth: 6 });
  assert.match((await message(fresh.page)).text, /with its settings \(k 40, smoothing 6\)\.$/);
  assert.equal(await fresh.page.inputValue('#k'), '40');
  assert.equal(await fresh.page.inputValue('#smooth'), '6');
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.page.close();
});

test('with no strokes there is nothing to export, and no file', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  await page.click('#clear');
  await waitSettled(page);
  let downloads = 0;
  page.on('download', () => downloads++);
  await menuClick(page, '#export-strokes');
  assert.deepEqual(await message(page), {
    text: 'There are no strokes to export yet: paint some first.',
    kind: 'hint',
  });
  await menuClick(page, '#export-mask');
  assert.match((await message(page)).text, /^There is no mask to export yet/);
  await page.waitForTimeout(300);
  assert.equal(downloads, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a dark photo the outline shows the boundary', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  // 240×160, near black, with a slightly lighter disc: the dimmed background and the disc are
  // both dark on screen, so only an outline can show where the cut runs.
  const width = 240;
  const height = 160;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - 120) ** 2 + (y - 80) ** 2 < 50 ** 2;
      rgb.fill(inside ? 42 : 12, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  const dark = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  await page.setInputFiles('#open-file', { name: 'dark.png', mimeType: 'image/png', buffer: dark });
  await page.waitForFunction(() => window.strokecut.image()?.name === 'dark.png');
  await paint(page, 'f', [
    [110, 80],
    [130, 80],
  ]);
  await paint(page, 'b', [
    [10, 10],
    [10, 150],
  ]);
  await waitSettled(page);
  assert.ok(await page.evaluate(() => window.strokecut.maskSummary()));
  await page.mouse.move(2, 2); // the brush ring out of the way
  const box = await page.evaluate(() => {
    const a = window.strokecut.imageToClient(0, 0);
    const b = window.strokecut.imageToClient(240, 160);
    return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
  });
  const shot = await page.screenshot({ clip: box });
  const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
  // Bright pixels (the outline's white dashes) lie on a ring around the disc's edge, and only there.
  let bright = 0;
  let offRing = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      if (Math.min(data[i], data[i + 1], data[i + 2]) < 200) continue;
      bright++;
      const r = Math.hypot(((x + 0.5) * width) / info.width - 120, ((y + 0.5) * height) / info.height - 80);
      if (Math.abs(r - 50) > 4) offRing++;
    }
  }
  const scale = info.width / width;
  assert.ok(bright > 2 * Math.PI * 50 * scale * 0.3, `bright outline pixels: ${bright}`);
  assert.ok(offRing < bright * 0.02, `${offRing} of ${bright} bright pixels away from the edge`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('[ and ] step the brush size back and forth symmetrically', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  const size = () => page.evaluate(() => Number((document.getElementById('size') as HTMLInputElement).value));
  await page.locator('#size').fill('20');
  await page.locator('#viewport').click({ position: { x: 2, y: 2 }, button: 'middle' });
  const seen = [await size()];
  for (const key of [']', ']', '[', '[', '[']) {
    await page.keyboard.press(key);
    seen.push(await size());
  }
  assert.deepEqual(seen, [20, 24, 29, 24, 20, 17]);
  assert.equal(await page.textContent('#size-value'), '17');
  assert.deepEqual(errors, []);
  await page.close();
});

test('? lists the shortcuts; the fit button reads as a button', async () => {
  const { page, errors } = await openPage(bed.browser, bed.url);
  assert.equal(await page.isVisible('#shortcuts'), false);
  await page.keyboard.press('Shift+?');
  await page.waitForSelector('#shortcuts', { state: 'visible' });
  const rows = await page.$$eval('#shortcut-list tr', (list) => list.map((row) => row.textContent ?? ''));
  assert.ok(rows.length >= 12, rows.join(' | '));
  assert.ok(
    rows.some((row) => row.startsWith('Ctrl+ZUndo')),
    rows.join(' | '),
  );
  assert.ok(
    rows.some((row) => row.startsWith('[Smaller brush')),
    rows.join(' | '),
  );
  // While the list is open, keys do not reach the page: F does not change the tool.
  await page.keyboard.press('b');
  assert.equal(await page.getAttribute('[data-tool="foreground"]', 'aria-pressed'), 'true');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#shortcuts', { state: 'hidden' });
  await page.click('#help');
  await page.waitForSelector('#shortcuts', { state: 'visible' });
  await page.click('#shortcuts-close');
  await page.waitForSelector('#shortcuts', { state: 'hidden' });

  const look = await page.evaluate(() => {
    const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
    return {
      text: document.getElementById('zoom-fit')!.textContent?.trim(),
      figure: style('#zoom-value').color,
      button: style('#zoom-fit').color,
      other: style('#undo').color,
      opacity: style('#zoom-fit').opacity,
    };
  });
  assert.match(look.text ?? '', /^Fit \d+%$/);
  assert.equal(look.figure, look.button, 'the zoom figure has the button’s colour');
  assert.equal(look.opacity, '1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page follows the system’s light or dark setting', async () => {
  const colours: Record<string, { page: string; text: string; toolbar: string }> = {};
  for (const scheme of ['light', 'dark'] as const) {
    const context = await bed.browser.newContext({
      colorScheme: scheme,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(bed.url);
    await waitImage(page);
    colours[scheme] = await page.evaluate(() => ({
      page: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.body).color,
      toolbar: getComputedStyle(document.querySelector('.toolbar')!).backgroundColor,
    }));
    await context.close();
  }
  const luminance = (colour: string) => {
    const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  assert.ok(luminance(colours.light.page) > 200, JSON.stringify(colours.light));
  assert.ok(luminance(colours.light.text) < 80, JSON.stringify(colours.light));
  assert.ok(luminance(colours.dark.page) < 60, JSON.stringify(colours.dark));
  assert.ok(luminance(colours.dark.text) > 200, JSON.stringify(colours.dark));
});
