/**
 * Takes the README's screenshot of the web page (docs/screenshot.png): the bundled example as it
 * opens, with its strokes and their cut, in the overlay view, in headless Chromium. Re-run after changes that show:
 *
 *   npm run build:web && node dist/scripts/screenshot-web.js [OUT.png]
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { launchChromium, openPage, paint, startServeCommand, waitSettled } from '../src/web/harness.js';
import { REPO_ROOT } from './build-web.js';

const out = resolve(process.argv[2] ?? join(REPO_ROOT, 'docs', 'screenshot.png'));
await mkdir(dirname(out), { recursive: true });
const server = await startServeCommand();
const browser = await launchChromium();
try {
  const { page, errors } = await openPage(browser, server.url);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click('#zoom-fit');
  // One more stroke painted with the pointer, so the brush ring shows where the next one would go.
  await paint(page, 'f', [
    [150, 230],
    [190, 265],
  ]);
  await waitSettled(page);
  const ring = await page.evaluate(() => window.strokecut.imageToClient(215, 268));
  await page.mouse.move(ring.x, ring.y);
  if (errors.length > 0) throw new Error(errors.join('; '));
  await page.screenshot({ path: out });
  process.stdout.write(`Wrote ${out}\n`);
} finally {
  await browser.close();
  await server.stop();
}
