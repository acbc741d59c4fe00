/**
 * End-to-end tests of the web page in real headless Chromium: real pointer events, the real worker,
 * real downloads, and the real CLI to check the page's masks against.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { REPO_ROOT } from '../../scripts/build-web.js';
import { SEGMENT_USAGE } from '../cli/segment-command.js';
import { SEED } from '../core/types.js';
import { decodeRgb } from '../io/read-image.js';
import { browserTestBed, CLI_MAIN, fnv1a, menuClick, openPage, paint, waitSettled } from './harness.js';

const run = promisify(execFile);
const EXAMPLE = join(REPO_ROOT, 'examples', 'chelsea.png');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

const bed = browserTestBed('web');

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
});

/**
 * The page with the bundled example open and its strokes cleared (it opens with them): a blank
 * start for tests that paint their own.
 */
async function openBlank(): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(bed.browser, bed.url);
  await opened.page.click('#clear');
  await waitSettled(opened.page);
  return opened;
}

/** Strokes on the bundled example: red over the cat's face, blue down both sides of the photo. */
async function paintCatStrokes(page: Page): Promise<void> {
  await paint(page, 'f', [
    [140, 90],
    [310, 95],
  ]);
  await paint(page, 'f', [
    [225, 120],
    [230, 250],
  ]);
  await paint(page, 'b', [
    [12, 15],
    [15, 285],
  ]);
  await paint(page, 'b', [
    [438, 15],
    [432, 285],
  ]);
}

async function download(page: Page, selector: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), menuClick(page, selector)]);
  assert.equal(file.suggestedFilename(), name);
  const path = join(bed.work, name);
  await file.saveAs(path);
  return path;
}

async function raw(path: string): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** One byte per pixel from a mask PNG, whatever channels it was saved with (all must agree). */
async function maskBytes(path: string): Promise<Uint8Array> {
  const { data, width, height, channels } = await raw(path);
  const mask = new Uint8Array(width * height);
  for (let p = 0; p < mask.length; p++) {
    mask[p] = data[p * channels];
    for (let c = 1; c < Math.min(channels, 3); c++) {
      assert.equal(data[p * channels + c], mask[p], `mask pixel ${p} is not grey`);
    }
  }
  return mask;
}

function differingPixels(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== b[p]) n++;
  return n;
}

/** The CLI's arguments for the page's current settings (smoothing only once the CLI has it). */
async function cliOptions(page: Page): Promise<string[]> {
  const options = await page.evaluate(() => window.strokecut.options());
  const args = ['-k', String(options.k)];
  if (SEGMENT_USAGE.includes('--smooth')) args.push('--smooth', String(options.smooth));
  return args;
}

async function cliMask(page: Page, image: string, strokes: string, name: string): Promise<Uint8Array> {
  const output = join(bed.work, name);
  await run(process.execPath, [CLI_MAIN, image, strokes, '-o', output, '-q', ...(await cliOptions(page))]);
  return maskBytes(output);
}

test('painted strokes, exported, replay with the CLI to the page’s mask, pixel for pixel', async () => {
  const { page, errors } = await openBlank();
  assert.deepEqual(await page.evaluate(() => window.strokecut.image()), {
    name: 'chelsea.png',
    width: 451,
    height: 300,
  });
  assert.match((await page.evaluate(() => window.strokecut.message())).text, /Paint red over the object/);
  await paintCatStrokes(page);
  await waitSettled(page);
  const summary = await page.evaluate(() => window.strokecut.maskSummary());
  assert.ok(summary, 'a mask is shown');
  const fraction = summary.foreground / summary.pixels;
  assert.ok(fraction > 0.2 && fraction < 0.98, `foreground share ${fraction}`);
  await page.screenshot({ path: join(ARTIFACTS, 'web-overlay.png') });

  const strokesPath = await download(page, '#export-strokes', 'chelsea-strokes.png');
  const maskPath = await download(page, '#export-mask', 'chelsea-mask.png');
  // The binary cut-out (soft edges are checked against the CLI in page-soft.test.ts).
  await page.selectOption('#view', 'cutout');
  await page.click('#edge-controls summary');
  await page.uncheck('#soft-edges');
  await page.selectOption('#view', 'overlay');
  const cutoutPath = await download(page, '#export-cutout', 'chelsea-cutout.png');

  // The stroke image: the image's size, only exact red, exact blue and black, as many stroke pixels as painted.
  const strokes = await raw(strokesPath);
  assert.deepEqual([strokes.width, strokes.height], [451, 300]);
  const counts = { foreground: 0, background: 0 };
  for (let i = 0; i < strokes.data.length; i += strokes.channels) {
    const rgb = `${strokes.data[i]},${strokes.data[i + 1]},${strokes.data[i + 2]}`;
    if (rgb === '255,0,0') counts.foreground++;
    else if (rgb === '0,0,255') counts.background++;
    else assert.equal(rgb, '0,0,0', `stroke image pixel ${i / strokes.channels}`);
  }
  assert.deepEqual(counts, await page.evaluate(() => window.strokecut.counts()));
  assert.ok(counts.foreground > 500 && counts.background > 500, JSON.stringify(counts));

  // The page's mask is the CLI's for the exported stroke image, in the CLI's file format: 8-bit
  // grey, one channel.
  const pageMask = await maskBytes(maskPath);
  const cli = await cliMask(page, EXAMPLE, strokesPath, 'cli-mask.png');
  const [pageFormat, cliFormat] = await Promise.all(
    [maskPath, join(bed.work, 'cli-mask.png')].map(async (path) => {
      const { format, channels, depth, space, width, height } = await sharp(path).metadata();
      return { format, channels, depth, space, width, height };
    }),
  );
  assert.deepEqual(pageFormat, cliFormat);
  assert.equal(pageFormat.channels, 1);
  assert.equal(differingPixels(pageMask, cli), 0, 'pixels where the page and the CLI disagree');
  let foreground = 0;
  for (const value of pageMask) if (value === 255) foreground++;
  assert.equal(foreground, summary.foreground, 'the exported mask is the one on screen');

  // The hard-edged cut-out: alpha is the mask; colours are the image's own (as the CLI's decoder reads them).
  const cutout = await raw(cutoutPath);
  const image = await raw(EXAMPLE);
  assert.equal(cutout.channels, 4);
  for (let p = 0; p < pageMask.length; p++) {
    assert.equal(cutout.data[p * 4 + 3], pageMask[p], `cut-out alpha at pixel ${p}`);
    if (pageMask[p] === 0) continue;
    for (let c = 0; c < 3; c++) {
      if (cutout.data[p * 4 + c] !== image.data[p * image.channels + c]) {
        assert.fail(`cut-out colour at pixel ${p} differs from the image's`);
      }
    }
  }

  for (const view of ['mask', 'cutout'] as const) {
    await page.selectOption('#view', view);
    await page.screenshot({ path: join(ARTIFACTS, `web-${view}.png`) });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('an imported stroke image continues the session, with the CLI’s mask for it', async () => {
  const { page, errors } = await openBlank();
  const exampleStrokes = join(REPO_ROOT, 'examples', 'chelsea-stroke.png');
  await page.setInputFiles('#import-file', exampleStrokes);
  // The import decodes the file asynchronously: wait for its strokes, then for their mask.
  await page.waitForFunction(() => window.strokecut.counts()?.background);
  await waitSettled(page);
  assert.match(
    (await page.evaluate(() => window.strokecut.message())).text,
    /Imported "chelsea-stroke\.png"/,
  );
  const pageMaskPath = await download(page, '#export-mask', 'chelsea-mask.png');
  assert.equal(
    differingPixels(
      await maskBytes(pageMaskPath),
      await cliMask(page, EXAMPLE, exampleStrokes, 'cli-example.png'),
    ),
    0,
  );
  // Continue: one more stroke, and undo takes back just that stroke, not the import.
  const before = await page.evaluate(() => window.strokecut.counts());
  await paint(page, 'b', [
    [380, 250],
    [440, 290],
  ]);
  await waitSettled(page);
  assert.notDeepEqual(await page.evaluate(() => window.strokecut.counts()), before);
  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.deepEqual(await page.evaluate(() => window.strokecut.counts()), before);
  assert.deepEqual(errors, []);
  await page.close();
});

test('undo and redo step by whole strokes, and bring back the same masks', async () => {
  const { page, errors } = await openBlank();
  const snapshot = () =>
    page.evaluate(() => ({ counts: window.strokecut.counts(), mask: window.strokecut.maskSummary() }));
  await paintCatStrokes(page);
  await waitSettled(page);
  const fourStrokes = await snapshot();
  await paint(page, 'f', [
    [60, 200],
    [120, 280],
    [200, 290],
  ]);
  await waitSettled(page);
  const fiveStrokes = await snapshot();
  assert.notDeepEqual(fiveStrokes.counts, fourStrokes.counts);
  assert.notEqual(fiveStrokes.mask?.hash, fourStrokes.mask?.hash);

  await page.keyboard.press('Control+z');
  await waitSettled(page);
  assert.deepEqual(await snapshot(), fourStrokes);
  assert.equal(await page.isEnabled('#redo'), true);
  await page.keyboard.press('Control+Shift+z');
  await waitSettled(page);
  assert.deepEqual(await snapshot(), fiveStrokes);
  assert.equal(await page.isEnabled('#redo'), false);

  // The eraser is a stroke like the others: undoable.
  await paint(page, 'e', [
    [140, 90],
    [310, 95],
  ]);
  await waitSettled(page);
  assert.ok((await snapshot()).counts!.foreground < fiveStrokes.counts!.foreground);
  await page.click('#undo');
  await waitSettled(page);
  assert.deepEqual(await snapshot(), fiveStrokes);
  assert.deepEqual(errors, []);
  await page.close();
});

test('strokes of one kind only: the page asks for the other kind, and has no mask to export', async () => {
  const { page, errors } = await openBlank();
  await paint(page, 'f', [
    [140, 90],
    [310, 95],
  ]);
  await waitSettled(page);
  assert.deepEqual(await page.evaluate(() => window.strokecut.message()), {
    text: 'Add a background stroke (blue, B): the cut needs both kinds of stroke, or press "Use the border as background".',
    kind: 'hint',
  });
  assert.equal(await page.evaluate(() => window.strokecut.maskSummary()), null);
  await menuClick(page, '#export-mask');
  assert.match(
    (await page.evaluate(() => window.strokecut.message())).text,
    /There is no mask to export yet/,
  );
  await page.screenshot({ path: join(ARTIFACTS, 'web-one-kind.png') });
  // Once a background stroke is there, the mask comes.
  await paint(page, 'b', [
    [12, 15],
    [15, 285],
  ]);
  await waitSettled(page);
  assert.notEqual(await page.evaluate(() => window.strokecut.maskSummary()), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('unreadable files, oversized images and mismatched stroke images get clear messages', async () => {
  const { page } = await openBlank();
  const message = () => page.evaluate(() => window.strokecut.message());

  await page.setInputFiles('#open-file', {
    name: 'notes.png',
    mimeType: 'image/png',
    buffer: Buffer.from('not a PNG'),
  });
  await page.waitForFunction(() => window.strokecut.message().kind === 'error');
  assert.match(
    (await message()).text,
    /^Cannot open "notes\.png": the browser cannot decode it as an image\./,
  );
  assert.equal(
    (await page.evaluate(() => window.strokecut.image()))?.name,
    'chelsea.png',
    'the open image stays',
  );

  const huge = join(bed.work, 'huge.png');
  await sharp({ create: { width: 8000, height: 7000, channels: 3, background: '#000' } })
    .png()
    .toFile(huge);
  await page.setInputFiles('#open-file', huge);
  await page.waitForFunction(() => /too large/.test(window.strokecut.message().text));
  assert.match(
    (await message()).text,
    /^"huge\.png" is 8000×7000 \(56\.0 megapixels\): too large for the browser's memory\. The page opens images up to 50 megapixels/,
  );

  const small = join(bed.work, 'small-strokes.png');
  await sharp({ create: { width: 40, height: 30, channels: 3, background: '#f00' } })
    .png()
    .toFile(small);
  await page.setInputFiles('#import-file', small);
  await page.waitForFunction(
    () => window.strokecut.message().kind === 'error' && /40×30/.test(window.strokecut.message().text),
  );
  assert.equal(
    (await message()).text,
    'The stroke image "small-strokes.png" is 40×30 but the image is 451×300; a stroke image must be the image\'s size.',
  );
  assert.deepEqual(await page.evaluate(() => window.strokecut.counts()), { foreground: 0, background: 0 });
  await page.close();
});

test('zoomed in, a stroke lands on the image pixel under the pointer, on screen and in the strokes', async () => {
  const { page, errors } = await openBlank();
  const at = await page.evaluate(() => window.strokecut.imageToClient(100.5, 60.5));
  await page.mouse.move(at.x, at.y);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -400);
  await page.waitForFunction(() => window.strokecut.scale() >= 8);
  const scale = await page.evaluate(() => window.strokecut.scale());
  await page.locator('#size').fill('1');
  await page.keyboard.press('f');
  // Click near a corner of image pixel (100, 60): still that pixel, and only it.
  const target = await page.evaluate(() => window.strokecut.imageToClient(100.8, 60.15));
  await page.mouse.click(target.x, target.y);
  await waitSettled(page);
  const labels = await page.evaluate(() =>
    [
      [100, 60],
      [99, 60],
      [101, 60],
      [100, 59],
      [100, 61],
    ].map(([x, y]) => window.strokecut.labelAt(x, y)),
  );
  assert.deepEqual(labels, [SEED.FOREGROUND, 0, 0, 0, 0]);

  // On screen, the red square sits exactly over image pixel (100, 60). (The pointer leaves first,
  // taking the brush ring with it.)
  await page.mouse.move(5, 5);
  const centre = await page.evaluate(() => window.strokecut.imageToClient(100.5, 60.5));
  const half = Math.round(scale * 1.5);
  const shot = await page.screenshot({
    clip: {
      x: Math.round(centre.x) - half,
      y: Math.round(centre.y) - half,
      width: 2 * half,
      height: 2 * half,
    },
  });
  await page.screenshot({ path: join(ARTIFACTS, 'web-zoomed.png') });
  const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
  const pixel = (dx: number, dy: number) => {
    const x = Math.round(half + dx * scale);
    const y = Math.round(half + dy * scale);
    const i = (y * info.width + x) * info.channels;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const isRed = ([r, g, b]: number[]) => r > 150 && r > 2 * g && r > 2 * b;
  assert.ok(isRed(pixel(0, 0)), `the painted pixel on screen: ${pixel(0, 0)}`);
  for (const [dx, dy] of [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
  ]) {
    assert.ok(!isRed(pixel(dx, dy)), `its neighbour (${dx}, ${dy}) on screen: ${pixel(dx, dy)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('images open by drag and drop and by paste; [ and ] resize the brush', async () => {
  const { page, errors } = await openBlank();
  // A real File in a real DataTransfer, dropped on the page (the stroke image is a handy second PNG).
  const dropped = await page.evaluateHandle(async () => {
    const blob = await (await fetch('chelsea-stroke.png')).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
    return transfer;
  });
  await page.dispatchEvent('#viewport', 'drop', { dataTransfer: dropped });
  await page.waitForFunction(() => window.strokecut.image()?.name === 'dropped.png');
  assert.deepEqual(await page.evaluate(() => window.strokecut.counts()), { foreground: 0, background: 0 });

  await page.evaluate(async () => {
    const blob = await (await fetch('chelsea.png')).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'photo.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
  });
  await page.waitForFunction(() => window.strokecut.image()?.name === 'photo.png');

  const size = () => page.evaluate(() => Number((document.getElementById('size') as HTMLInputElement).value));
  const initial = await size();
  await page.keyboard.press(']');
  const bigger = await size();
  assert.ok(bigger > initial, `] made the brush ${bigger}, from ${initial}`);
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  assert.ok((await size()) < bigger);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page decodes PNG and JPEG files to the very pixels the CLI decodes', async () => {
  const { page, errors } = await openBlank();
  const source = join(REPO_ROOT, 'examples', 'coffee.png');
  const files: [string, Buffer][] = [
    ['coffee.png', await sharp(source).png().toBuffer()],
    ['coffee-420.jpg', await sharp(source).jpeg({ quality: 90 }).toBuffer()],
    ['coffee-444.jpg', await sharp(source).jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer()],
    ['coffee-progressive.jpg', await sharp(source).jpeg({ quality: 80, progressive: true }).toBuffer()],
  ];
  for (const [name, buffer] of files) {
    await page.setInputFiles('#open-file', {
      name,
      mimeType: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
      buffer,
    });
    await page.waitForFunction((n) => window.strokecut.image()?.name === n, name);
    const cli = await decodeRgb(buffer);
    assert.equal(await page.evaluate(() => window.strokecut.imageHash()), fnv1a(cli.data), name);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
