/**
 * Issue #13: the page served by `strokecut serve` works under the server's Content-Security-Policy
 * in real headless Chromium — no violation while it opens, segments and exports — and the policy
 * is really enforced (an injected inline script is refused and reported).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserTestBed, menuClick, paint, waitImage, waitSettled } from './harness.js';

const bed = browserTestBed('web-csp');

declare global {
  interface Window {
    cspViolations: string[];
  }
}

test('the page segments under the strict CSP with no violation; the CSP refuses inline script', async () => {
  const context = await bed.browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Recorded from the first script on, in the page and (through the console) in its worker.
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const response = await context.request.get(bed.url);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers()['x-frame-options'], 'DENY');

  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.goto(bed.url);
  await waitImage(page);
  await waitSettled(page);
  await paint(page, 'f', [
    [140, 90],
    [310, 95],
  ]);
  await paint(page, 'b', [
    [10, 10],
    [10, 290],
  ]);
  await paint(page, 'b', [
    [440, 10],
    [440, 290],
  ]);
  await waitSettled(page);
  const summary = await page.evaluate(() => window.strokecut.maskSummary());
  assert.ok(summary && summary.foreground > 0 && summary.foreground < summary.pixels, 'a mask is shown');
  const download = page.waitForEvent('download');
  await menuClick(page, '#export-mask');
  assert.equal((await download).suggestedFilename().endsWith('.png'), true);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(
    errors.filter((e) => /Content Security Policy|Refused to/i.test(e)),
    [],
  );
  assert.deepEqual(errors, []);

  // Control: the policy is enforced, and the listener would have seen a violation.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true;';
    document.body.append(script);
    await new Promise((done) => setTimeout(done, 100));
    return (window as unknown as { inlineRan?: boolean }).inlineRan === true;
  });
  assert.equal(ran, false, 'an inline script ran despite the CSP');
  assert.ok((await page.evaluate(() => window.cspViolations)).some((v) => v.startsWith('script-src')));
  await context.close();
});
