/**
 * Browser tests (real headless Chromium) of touch, pen and small screens: real touch points through
 * the DevTools protocol (Input.dispatchTouchEvent) in a touch-enabled context, pen events with
 * pressure (Input.dispatchMouseEvent, pointerType pen), and the layout at phone and desktop widths.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { browserTestBed, waitImage, waitSettled } from './harness.js';

const bed = browserTestBed('web-page-touch');

async function open(
  width: number,
  height: number,
  touch: boolean,
): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
  const context = await bed.browser.newContext({
    viewport: { width, height },
    hasTouch: touch,
    isMobile: touch,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(bed.url);
  await waitImage(page);
  await waitSettled(page, 90_000);
  return { page, cdp: await context.newCDPSession(page), errors };
}

type Touch = { x: number; y: number; id: number };

async function touches(cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', points: Touch[]) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
}

const view = (page: Page) =>
  page.evaluate(() => ({
    scale: window.strokecut.scale(),
    origin: window.strokecut.imageToClient(0, 0),
    counts: window.strokecut.counts(),
  }));

test('one finger paints; a second finger turns it into a pinch that zooms and paints nothing', async () => {
  const { page, cdp, errors } = await open(390, 844, true);
  const start = await view(page);
  const centre = await page.evaluate(() => window.strokecut.imageToClient(225, 150));

  // One finger: a stroke.
  await touches(cdp, 'touchStart', [{ x: centre.x - 40, y: centre.y, id: 1 }]);
  for (let i = 1; i <= 5; i++)
    await touches(cdp, 'touchMove', [{ x: centre.x - 40 + i * 8, y: centre.y, id: 1 }]);
  await touches(cdp, 'touchEnd', []);
  await waitSettled(page);
  const painted = await view(page);
  assert.ok(painted.counts!.foreground > start.counts!.foreground, 'a one-finger stroke paints');

  // Two fingers: the first one moves a little (painting), then the second lands and they spread.
  const a = { x: centre.x - 30, y: centre.y + 20, id: 1 };
  await touches(cdp, 'touchStart', [a]);
  await touches(cdp, 'touchMove', [{ ...a, x: a.x + 6 }]);
  const b = { x: centre.x + 30, y: centre.y + 20, id: 2 };
  await touches(cdp, 'touchStart', [{ ...a, x: a.x + 6 }, b]);
  for (let i = 1; i <= 6; i++) {
    await touches(cdp, 'touchMove', [
      { ...a, x: a.x + 6 - i * 10 },
      { ...b, x: b.x + i * 10 },
    ]);
  }
  await touches(cdp, 'touchEnd', [{ ...b, x: b.x + 60 }]);
  await touches(cdp, 'touchEnd', []);
  await waitSettled(page);
  const pinched = await view(page);
  // The fingers went from 48 to 180 px apart: about ×3.75.
  const ratio = pinched.scale / painted.scale;
  assert.ok(ratio > 3 && ratio < 4.5, `zoomed ×${ratio}`);
  assert.deepEqual(
    pinched.counts,
    painted.counts,
    'the pinch painted nothing, and took back the first finger’s start',
  );
  // Undo takes back the one-finger stroke: the pinch left no change in the history.
  await page.click('#undo');
  await waitSettled(page);
  assert.deepEqual((await view(page)).counts, start.counts);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('two fingers moving together pan the image', async () => {
  const { page, cdp, errors } = await open(390, 844, true);
  const before = await view(page);
  const p = await page.evaluate(() => window.strokecut.imageToClient(225, 150));
  const a = { x: p.x - 40, y: p.y, id: 1 };
  const b = { x: p.x + 40, y: p.y, id: 2 };
  await touches(cdp, 'touchStart', [a]);
  await touches(cdp, 'touchStart', [a, b]);
  for (let i = 1; i <= 5; i++) {
    await touches(cdp, 'touchMove', [
      { ...a, x: a.x + i * 10, y: a.y + i * 6 },
      { ...b, x: b.x + i * 10, y: b.y + i * 6 },
    ]);
  }
  await touches(cdp, 'touchEnd', []);
  const after = await view(page);
  assert.ok(Math.abs(after.scale / before.scale - 1) < 0.01, 'no zoom');
  assert.ok(
    Math.abs(after.origin.x - before.origin.x - 50) < 2,
    `panned x by ${after.origin.x - before.origin.x}`,
  );
  assert.ok(
    Math.abs(after.origin.y - before.origin.y - 30) < 2,
    `panned y by ${after.origin.y - before.origin.y}`,
  );
  assert.deepEqual(after.counts, before.counts);
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Paints one straight pen stroke at `force` (0–1); returns how many pixels it made foreground. */
async function penStroke(page: Page, cdp: CDPSession, y: number, force: number): Promise<number> {
  const before = (await page.evaluate(() => window.strokecut.counts()))!.foreground;
  const from = await page.evaluate((yy) => window.strokecut.imageToClient(150, yy), y);
  const to = await page.evaluate((yy) => window.strokecut.imageToClient(300, yy), y);
  const event = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, buttons: number) =>
    cdp.send('Input.dispatchMouseEvent', {
      type,
      x,
      y: from.y,
      button: 'left',
      buttons,
      clickCount: 1,
      pointerType: 'pen',
      force,
    });
  await event('mousePressed', from.x, 1);
  for (let i = 1; i <= 10; i++) await event('mouseMoved', from.x + ((to.x - from.x) * i) / 10, 1);
  await event('mouseReleased', to.x, 0);
  await waitSettled(page);
  return (await page.evaluate(() => window.strokecut.counts()))!.foreground - before;
}

test('pen pressure, when on, makes light strokes thinner', async () => {
  const { page, cdp, errors } = await open(1280, 800, false);
  await page.click('#clear');
  await page.locator('#size').fill('20');
  const hardOff = await penStroke(page, cdp, 60, 1);
  const lightOff = await penStroke(page, cdp, 110, 0.2);
  assert.ok(Math.abs(lightOff - hardOff) < hardOff * 0.1, `pressure off: ${lightOff} vs ${hardOff}`);
  await page.check('#pressure');
  const hard = await penStroke(page, cdp, 160, 1);
  const light = await penStroke(page, cdp, 210, 0.2);
  assert.ok(
    Math.abs(hard - hardOff) < hardOff * 0.1,
    `full pressure is the full size: ${hard} vs ${hardOff}`,
  );
  assert.ok(light < hard * 0.35, `light ${light} against hard ${hard} pixels`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the toolbar: one row at 1280 px; at 390 px a few rows, nothing off the side', async () => {
  const measure = (page: Page) =>
    page.evaluate(() => {
      const toolbar = document.querySelector('.toolbar')!;
      const controls = [...toolbar.querySelectorAll('button, select, input:not([hidden]), summary')].filter(
        (each) => each.checkVisibility(),
      );
      const tops = controls.map((each) => each.getBoundingClientRect().top);
      return {
        height: toolbar.getBoundingClientRect().height,
        /** How far apart the highest and the lowest control start: under a row's height on one row. */
        spread: Math.max(...tops) - Math.min(...tops),
        pageWidth: document.documentElement.scrollWidth,
        rightmost: Math.max(...controls.map((each) => each.getBoundingClientRect().right)),
        viewportHeight: document.getElementById('viewport')!.getBoundingClientRect().height,
      };
    });
  const desktop = await open(1280, 800, false);
  const wide = await measure(desktop.page);
  assert.ok(wide.spread < 16, JSON.stringify(wide));
  assert.ok(wide.height < 45, JSON.stringify(wide));
  assert.ok(wide.rightmost <= 1280 && wide.pageWidth <= 1280, JSON.stringify(wide));
  // The cut-out view's soft-edge controls take the opacity slider's place: still one row.
  await desktop.page.selectOption('#view', 'cutout');
  const cutoutView = await measure(desktop.page);
  assert.ok(cutoutView.spread < 16 && cutoutView.height < 45, JSON.stringify(cutoutView));
  assert.ok(cutoutView.rightmost <= 1280, JSON.stringify(cutoutView));
  // Once a pen has been used the pressure option shows (as input.ts does on a pen's event): still
  // one row, in both views.
  await desktop.page.evaluate(() => {
    document.getElementById('pen-option')!.hidden = false;
  });
  for (const view of ['cutout', 'overlay']) {
    await desktop.page.selectOption('#view', view);
    const withPen = await measure(desktop.page);
    assert.ok(
      withPen.spread < 16 && withPen.height < 45 && withPen.rightmost <= 1280,
      JSON.stringify(withPen),
    );
  }
  await desktop.page.context().close();

  const phone = await open(390, 844, true);
  const narrow = await measure(phone.page);
  assert.ok(narrow.pageWidth <= 390 && narrow.rightmost <= 390, JSON.stringify(narrow));
  assert.ok(narrow.height <= 200, `toolbar ${narrow.height} px tall`);
  assert.ok(narrow.viewportHeight >= 844 * 0.6, JSON.stringify(narrow));
  await phone.page.selectOption('#view', 'cutout');
  const narrowCutout = await measure(phone.page);
  assert.ok(narrowCutout.pageWidth <= 390 && narrowCutout.rightmost <= 390, JSON.stringify(narrowCutout));
  assert.ok(narrowCutout.height <= 200, JSON.stringify(narrowCutout));
  await phone.page.tap('#edge-controls summary');
  const edges = await phone.page.locator('#edge-controls .popover').boundingBox();
  assert.ok(edges && edges.x >= 0 && edges.x + edges.width <= 390, JSON.stringify(edges));
  await phone.page.tap('#edge-controls summary');
  await phone.page.selectOption('#view', 'overlay');
  // The File menu opens within the screen.
  await phone.page.tap('#file-menu summary');
  const menu = await phone.page.locator('.menu-items').boundingBox();
  assert.ok(menu && menu.x >= 0 && menu.x + menu.width <= 390, JSON.stringify(menu));
  // The image is fitted to the phone's viewport, whole.
  const fitted = await phone.page.evaluate(() => {
    const a = window.strokecut.imageToClient(0, 0);
    const b = window.strokecut.imageToClient(451, 300);
    return { left: a.x, right: b.x };
  });
  assert.ok(fitted.left >= 0 && fitted.right <= 390, JSON.stringify(fitted));
  assert.deepEqual([...desktop.errors, ...phone.errors], []);
  await phone.page.context().close();
});
