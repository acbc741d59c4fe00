/**
 * Drives the web page in a real headless Chromium, for the browser tests and the latency benchmark
 * (not part of the page). Uses Debian's chromium through playwright-core: no browser download.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web.js';

export const CHROMIUM_PATH = process.env.STROKECUT_CHROMIUM ?? '/usr/bin/chromium';
/** The CLI entry point, dist/src/cli/main.js. */
export const CLI_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Launches headless Chromium with a fresh profile (playwright makes a temporary user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium), or point STROKECUT_CHROMIUM at a Chromium binary.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** What a browser test file works with: Chromium, the served page's address, a scratch folder. */
export interface BrowserTestBed {
  browser: Browser;
  url: string;
  work: string;
}

/**
 * Sets a browser test file up: its `before` hook serves a fresh build of the page ({@link servePage}),
 * launches Chromium and makes a scratch folder (`strokecut-NAME-…`), and its `after` hook removes
 * them all. The object returned is filled in by `before`.
 */
export function browserTestBed(name: string): BrowserTestBed {
  const bed = {} as BrowserTestBed;
  let stopServer: (() => Promise<void>) | undefined;
  before(async () => {
    bed.work = await mkdtemp(join(tmpdir(), `strokecut-${name}-`));
    const server = await servePage();
    stopServer = server.stop;
    bed.url = server.url;
    bed.browser = await launchChromium();
  });
  after(async () => {
    await bed.browser?.close();
    await stopServer?.();
    if (bed.work) await rm(bed.work, { recursive: true, force: true });
  });
  return bed;
}

/**
 * Builds the page into a temporary folder of its own and serves it with the real `strokecut serve
 * --dir`. Test files run side by side: a shared build folder would be emptied and rewritten by one
 * while another's browser loads from it (a page without its script, waiting forever).
 */
export async function servePage(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'strokecut-web-build-'));
  await buildWeb({ outDir: dir });
  const server = await startServeCommand(['--dir', dir]);
  return {
    url: server.url,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `strokecut serve --port 0` (the real CLI) and resolves with its address once it listens. */
export async function startServeCommand(
  extraArgs: string[] = [],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, 'serve', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /serving the web page at (http:\/\/\S+) /.exec(output);
      if (match) done(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', (code) => fail(new Error(`strokecut serve exited (${code}): ${output}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** The page's read-only probes (see `probes` in main.ts). */
export interface Probes {
  settled(): boolean;
  scheduling(): {
    busy: boolean;
    latestCommitted: number;
    displayedSeq: number;
    failure: string | null;
    painting: boolean;
    image: number | null;
    mattePending: boolean;
  };
  imageToClient(x: number, y: number): { x: number; y: number };
  image(): { name: string; width: number; height: number } | null;
  labelAt(x: number, y: number): number | null;
  counts(): { foreground: number; background: number } | null;
  maskSummary(): { foreground: number; pixels: number; hash: number } | null;
  maskAt(x: number, y: number): number | null;
  settings(): { k: number; smooth: number };
  softEdges(): { soft: boolean; edgeRadius: number | null };
  mattesComputed(): number;
  lastMatteMs(): number;
  imageHash(): number | null;
  options(): {
    k?: number;
    smooth?: number;
    box?: { x: number; y: number; width: number; height: number };
    background?: string;
    prior?: string;
  };
  prompts(): {
    box: { x: number; y: number; width: number; height: number } | null;
    prior: boolean;
    borderBackground: boolean;
    borderOffered: boolean;
  };
  message(): { text: string; kind: string };
  latencies: {
    seq: number;
    ms: number;
    firstMs: number;
    workerMs: number;
    renderMs: number;
    timings: { seeds: number; kmeans: number; classify: number; refine?: number };
    pixels: number;
  }[];
  previewsShown(): number;
  partialsShown(): number;
  showsCurrentPreview(): boolean;
  previewMs(): number;
  scale(): number;
  stored(): boolean;
  workAtRisk(): boolean;
}

declare global {
  interface Window {
    strokecut: Probes;
  }
}

/** FNV-1a, as the page's imageHash probe computes it. */
export function fnv1a(bytes: Uint8Array): number {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  return hash;
}

/** Waits until no mask is being computed and the one on screen is for the current strokes. */
export async function waitSettled(page: Page, timeout = 30_000): Promise<void> {
  await waitForPage(page, () => window.strokecut?.settled() === true, timeout);
}

/**
 * Waits for `condition` in the page; on a timeout, says where the page stood (its probes, status
 * line, scheduling and loaded files), so a loaded machine can be told from a stuck page.
 */
async function waitForPage(page: Page, condition: () => boolean, timeout: number): Promise<void> {
  try {
    await page.waitForFunction(condition, undefined, { timeout, polling: 10 });
  } catch (error) {
    const where = await page
      .evaluate(() => ({
        probes: window.strokecut !== undefined,
        message: window.strokecut?.message(),
        scheduling: window.strokecut?.scheduling(),
        loaded: performance.getEntriesByType('resource').map((entry) => entry.name.split('/').pop()),
      }))
      .catch((probeError: unknown) => ({ probeError: String(probeError) }));
    throw new Error(`${(error as Error).message}; the page: ${JSON.stringify(where)}`);
  }
}

/** Waits until the page has an image open (generous: the page may be loading on a busy machine). */
export async function waitImage(page: Page, timeout = 90_000): Promise<void> {
  await waitForPage(page, () => (window.strokecut?.image() ?? null) !== null, timeout);
}

/** Opens the page and waits for an image (the bundled example by default) to be loaded. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  await waitImage(page);
  // The example opens with its strokes, so with a refined cut to wait for: generous on a loaded machine.
  await waitSettled(page, 90_000);
  return { page, errors };
}

/**
 * Paints one stroke with real pointer events along `points` (image coordinates), with the tool
 * chosen by its keyboard shortcut: f foreground, b background, e eraser.
 */
export async function paint(
  page: Page,
  tool: 'f' | 'b' | 'e',
  points: [number, number][],
  steps = 8,
): Promise<void> {
  await page.keyboard.press(tool);
  const client = await page.evaluate(
    (list) => list.map(([x, y]) => window.strokecut.imageToClient(x, y)),
    points,
  );
  await page.mouse.move(client[0].x, client[0].y);
  await page.mouse.down();
  for (const p of client.slice(1)) await page.mouse.move(p.x, p.y, { steps });
  await page.mouse.up();
}

/** Clicks an item of the toolbar's File menu (opening the menu first, as a person would). */
export async function menuClick(page: Page, selector: string): Promise<void> {
  if (!(await page.evaluate(() => (document.getElementById('file-menu') as HTMLDetailsElement).open))) {
    await page.click('#file-menu summary');
  }
  await page.click(selector);
}
