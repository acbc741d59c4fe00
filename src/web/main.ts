/**
 * The web page: open a photo, paint red (foreground) and blue (background) strokes on it, and watch
 * the cut-out follow. The mask is computed by the same pure core as the CLI, in a Web Worker
 * (worker.ts); this module is the UI around it.
 *
 * Layers, all at image resolution and scaled together by one CSS transform (so strokes stay on the
 * image pixels they were painted on at every zoom): the image, the result (overlay, mask or
 * cut-out) and the strokes.
 */
import { extractSeeds } from '../core/seeds/extract-seeds.js';
import { SEGMENT_DEFAULTS, type SegmentStats } from '../core/segment.js';
import { SEED } from '../core/types.js';
import { LIMITS, readDimensions, sizeProblem } from './image-limits.js';
import { LatestWins } from './latest-wins.js';
import { cutoutToRgba, labelsToRgba, maskToRgba, overlayToRgba, rgbaToRgb } from './pixels.js';
import type { FromWorker, PageSegmentOptions, ToWorker } from './protocol.js';
import { type Rect, StrokeLayer, unionRect } from './strokes.js';

type Tool = 'foreground' | 'background' | 'eraser';
type View = 'overlay' | 'mask' | 'cutout';

/** The bundled example, copied next to the page by the build. */
const EXAMPLE = { image: 'chelsea.png', strokes: 'chelsea-stroke.png' };
/** Masks are previewed while painting only when one takes less than this many milliseconds. */
const PREVIEW_MAX_MS = 150;
const MIN_SCALE = 1 / 64;
const MAX_SCALE = 32;
const TOOL_LABEL: Record<Tool, number> = {
  foreground: SEED.FOREGROUND,
  background: SEED.BACKGROUND,
  eraser: SEED.NONE,
};
/** The refinement's default smoothing (λ of the graph cut); 0 = plain per-pixel classification. */
const DEFAULT_SMOOTH = SEGMENT_DEFAULTS.smooth;

/** A problem the user can act on: shown as is, never as a stack trace. */
class PageError extends Error {}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const ui = {
  viewport: byId<HTMLElement>('viewport'),
  stage: byId<HTMLElement>('stage'),
  resultCanvas: byId<HTMLCanvasElement>('result-canvas'),
  strokeCanvas: byId<HTMLCanvasElement>('stroke-canvas'),
  cursor: byId<HTMLElement>('cursor'),
  dropHint: byId<HTMLElement>('drop-hint'),
  busy: byId<HTMLElement>('busy'),
  message: byId<HTMLElement>('message'),
  stats: byId<HTMLElement>('stats'),
  openFile: byId<HTMLInputElement>('open-file'),
  importFile: byId<HTMLInputElement>('import-file'),
  exampleStrokes: byId<HTMLButtonElement>('example-strokes'),
  size: byId<HTMLInputElement>('size'),
  sizeValue: byId<HTMLOutputElement>('size-value'),
  undo: byId<HTMLButtonElement>('undo'),
  redo: byId<HTMLButtonElement>('redo'),
  opacity: byId<HTMLInputElement>('opacity'),
  showStrokes: byId<HTMLInputElement>('show-strokes'),
  k: byId<HTMLInputElement>('k'),
  smooth: byId<HTMLInputElement>('smooth'),
  smoothValue: byId<HTMLOutputElement>('smooth-value'),
  zoomValue: byId<HTMLOutputElement>('zoom-value'),
};
let imageCanvas = byId<HTMLCanvasElement>('image-canvas');
const resultContext = ui.resultCanvas.getContext('2d')!;
const strokeContext = ui.strokeCanvas.getContext('2d')!;

interface LoadedImage {
  id: number;
  name: string;
  width: number;
  height: number;
  rgb: Uint8Array;
  isExample: boolean;
}

const state = {
  image: null as LoadedImage | null,
  layer: null as StrokeLayer | null,
  mask: null as Uint8Array | null,
  stats: null as SegmentStats | null,
  /** Milliseconds the worker took for the last mask: decides whether to preview while painting. */
  lastComputeMs: Number.POSITIVE_INFINITY,
  /** Sequence number of the state whose outcome (mask, error or hint) is on screen. */
  displayedSeq: 0,
  tool: 'foreground' as Tool,
  size: 12,
  view: 'overlay' as View,
  scale: 1,
  tx: 0,
  ty: 0,
};
let nextImageId = 1;
/** Masks shown while a stroke was still being painted. */
let previewsShown = 0;
let resultPixels: ImageData | null = null;

// ---------------------------------------------------------------------------------------------
// Messages

function say(text: string, kind: 'info' | 'hint' | 'error' = 'info'): void {
  ui.message.textContent = text;
  ui.message.className = kind;
}

function strokeHint(): string | null {
  const counts = state.layer?.counts;
  if (!counts) return null;
  if (counts.foreground === 0 && counts.background === 0) {
    return 'Paint red over the object (F) and blue over what to cut away (B).';
  }
  if (counts.background === 0)
    return 'Add a background stroke (blue, B): the cut needs both kinds of stroke.';
  if (counts.foreground === 0) return 'Add a foreground stroke (red, F): the cut needs both kinds of stroke.';
  return null;
}

function showStats(): void {
  const { image, stats } = state;
  if (!image) {
    ui.stats.textContent = '';
    return;
  }
  const parts = [`${image.name} · ${image.width}×${image.height}`];
  if (stats && state.mask) {
    const t = stats.timings;
    parts.push(
      `${(stats.foregroundFraction * 100).toFixed(1)}% foreground`,
      `mask in ${Math.round(state.lastComputeMs)} ms (seeds ${Math.round(t.seeds)}, k-means ${Math.round(t.kmeans)}, ${t.refine > 0 ? `graph cuts ${Math.round(t.refine)}` : `classify ${Math.round(t.classify)}`})`,
    );
  }
  ui.stats.textContent = parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// The worker and latest-wins scheduling

interface Request {
  imageId: number;
  labels: Uint8Array;
  options: PageSegmentOptions;
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const scheduler = new LatestWins<Request>((request) => {
  const { imageId, labels, options } = request.payload;
  const message: ToWorker = {
    type: 'segment',
    imageId,
    seq: request.seq,
    labels: labels.buffer as ArrayBuffer,
    options,
  };
  worker.postMessage(message, [labels.buffer]);
  updateBusy();
});
/** When each committed request's change was made (pointer up, undo…), to measure latency. */
const changeTimes = new Map<number, number>();
/** Change-to-mask-on-screen latencies, for the benchmark and tests. */
const latencies: {
  seq: number;
  /** From the change (pointer up, undo…) to the frame showing its mask. */
  ms: number;
  /** Of which in the worker, and drawing the result layer. */
  workerMs: number;
  renderMs: number;
  timings: SegmentStats['timings'];
  pixels: number;
}[] = [];

function updateBusy(): void {
  ui.busy.hidden = !scheduler.busy;
  document.body.dataset.busy = String(scheduler.busy);
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  const current = scheduler.receive(message.seq) && message.imageId === state.image?.id;
  updateBusy();
  if (message.type === 'result') state.lastComputeMs = message.workerMs;
  const changedAt = changeTimes.get(message.seq);
  changeTimes.delete(message.seq);
  if (!current) return; // stale: the strokes or settings changed since it was asked for
  state.displayedSeq = message.seq;
  if (stroke) previewsShown++;
  if (message.type === 'error') {
    state.mask = null;
    state.stats = null;
    renderResult();
    showStats();
    say(
      message.code === 'UNEXPECTED'
        ? `Unexpected error (please report it): ${message.message}`
        : message.message,
      'error',
    );
    return;
  }
  state.mask = new Uint8Array(message.mask);
  state.stats = message.stats;
  const renderStart = performance.now();
  renderResult();
  const renderMs = performance.now() - renderStart;
  showStats();
  // A mask makes hints ("add a background stroke") and earlier errors moot; information
  // ("imported…", "saved…") stays.
  const warning = message.stats.warnings[0];
  if (warning) say(`Note: ${warning}`);
  else if (ui.message.className !== 'info') say('');
  if (changedAt !== undefined) {
    const { workerMs } = message;
    const pixels = message.stats.width * message.stats.height;
    // The next frame shows the new mask: its rendering runs right after the animation-frame
    // callbacks, in the same task, so a task queued from one runs once the frame is painted.
    requestAnimationFrame(() =>
      setTimeout(() =>
        latencies.push({
          seq: message.seq,
          ms: performance.now() - changedAt,
          workerMs,
          renderMs,
          timings: message.stats.timings,
          pixels,
        }),
      ),
    );
  }
};

worker.onerror = (event) => {
  say(`The page's worker failed: ${event.message || 'it could not be loaded'}. Reload the page.`, 'error');
};

function segmentOptions(): PageSegmentOptions {
  return { k: Number(ui.k.value), smooth: Number(ui.smooth.value) };
}

/**
 * Asks for the mask of the current strokes and settings (after a stroke, an undo, a settings
 * change…). With strokes of only one kind there is nothing to compute: say what is missing.
 */
function requestMask(changedAt = performance.now()): void {
  const { image, layer } = state;
  if (!image || !layer) return;
  updateHistoryButtons();
  const hint = strokeHint();
  if (hint) {
    state.displayedSeq = scheduler.reset();
    state.mask = null;
    state.stats = null;
    renderResult();
    showStats();
    say(hint, 'hint');
    return;
  }
  const k = Number(ui.k.value);
  if (!Number.isInteger(k) || k < 1 || k > 500) {
    say(`k must be a whole number from 1 to 500; found "${ui.k.value}".`, 'error');
    return;
  }
  const seq = scheduler.commit({
    imageId: image.id,
    labels: layer.labels.slice(),
    options: segmentOptions(),
  });
  changeTimes.set(seq, changedAt);
  updateBusy();
}

/** While painting: a preview of the mask, when masks are quick and the worker is idle. */
function maybePreview(): void {
  const { image, layer } = state;
  if (!image || !layer || state.lastComputeMs > PREVIEW_MAX_MS || scheduler.busy || strokeHint()) return;
  scheduler.preview({ imageId: image.id, labels: layer.labels.slice(), options: segmentOptions() });
  updateBusy();
}

function isSettled(): boolean {
  return !scheduler.busy && state.displayedSeq >= scheduler.latestCommitted;
}

async function whenSettled(): Promise<void> {
  while (!isSettled()) await new Promise((resolve) => setTimeout(resolve, 15));
}

// ---------------------------------------------------------------------------------------------
// Drawing

function drawStrokes(rect: Rect | null): void {
  const { layer } = state;
  if (!layer || !rect) return;
  const width = rect.x1 - rect.x0;
  const height = rect.y1 - rect.y0;
  if (width <= 0 || height <= 0) return;
  const pixels = strokeContext.createImageData(width, height);
  labelsToRgba(layer.labels, layer.width, rect, pixels.data, false);
  strokeContext.putImageData(pixels, rect.x0, rect.y0);
}

function drawAllStrokes(): void {
  const { layer } = state;
  if (layer) drawStrokes({ x0: 0, y0: 0, x1: layer.width, y1: layer.height });
}

/** Redraws the result layer for the current view. */
function renderResult(): void {
  const { mask, image, view } = state;
  const hasMask = mask !== null && image !== null;
  ui.stage.classList.toggle('checkerboard', hasMask && view === 'cutout');
  imageCanvas.hidden = hasMask && view !== 'overlay';
  ui.resultCanvas.hidden = !hasMask;
  ui.resultCanvas.style.opacity = view === 'overlay' ? String(Number(ui.opacity.value) / 100) : '1';
  if (!hasMask || !resultPixels) return;
  if (view === 'overlay') overlayToRgba(mask, resultPixels.data);
  else if (view === 'mask') maskToRgba(mask, resultPixels.data);
  else cutoutToRgba(image.rgb, mask, resultPixels.data);
  resultContext.putImageData(resultPixels, 0, 0);
}

function applyTransform(): void {
  ui.stage.style.transform = `translate(${state.tx}px, ${state.ty}px) scale(${state.scale})`;
  ui.stage.classList.toggle('pixelated', state.scale >= 2);
  ui.zoomValue.textContent = `${state.scale >= 0.1 ? Math.round(state.scale * 100) : (state.scale * 100).toFixed(1)}%`;
}

function fitToView(): void {
  const { image } = state;
  if (!image) return;
  const box = ui.viewport.getBoundingClientRect();
  const margin = 16;
  const scale = Math.min((box.width - margin) / image.width, (box.height - margin) / image.height);
  state.scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale));
  state.tx = Math.round((box.width - image.width * state.scale) / 2);
  state.ty = Math.round((box.height - image.height * state.scale) / 2);
  applyTransform();
}

/** Zooms by `factor` keeping the image point under viewport position (cx, cy) in place. */
function zoomAt(factor: number, cx: number, cy: number): void {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, state.scale * factor));
  state.tx = cx - ((cx - state.tx) * scale) / state.scale;
  state.ty = cy - ((cy - state.ty) * scale) / state.scale;
  state.scale = scale;
  applyTransform();
}

function zoomAtCentre(factor: number): void {
  const box = ui.viewport.getBoundingClientRect();
  zoomAt(factor, box.width / 2, box.height / 2);
}

// ---------------------------------------------------------------------------------------------
// Opening images and stroke images

interface Decoded {
  width: number;
  height: number;
  canvas: HTMLCanvasElement;
  rgba: Uint8ClampedArray;
}

function tooLarge(name: string, width?: number, height?: number): PageError {
  const size = width && height ? ` (${width}×${height})` : '';
  return new PageError(
    `"${name}"${size} does not fit in the browser's memory. The page opens images up to ${LIMITS.maxPixels / 1e6} megapixels; ` +
      'downscale it, or cut it with the command line (strokecut IMAGE STROKES).',
  );
}

/**
 * Decodes an image file to RGBA exactly as the CLI's decoder (sharp) does for the same file: no
 * colour-space conversion and no premultiplication, so the page's pixels, and so its masks, are
 * the CLI's.
 */
async function decode(blob: Blob, name: string): Promise<Decoded> {
  // Refuse an oversized image from its header, before the browser spends the memory decoding it.
  const dimensions = readDimensions(new Uint8Array(await blob.slice(0, 1 << 18).arrayBuffer()));
  const early = dimensions && sizeProblem(name, dimensions);
  if (early) throw new PageError(early);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    if (blob.size === 0) throw new PageError(`Cannot open "${name}": the file is empty.`);
    throw new PageError(
      `Cannot open "${name}": the browser cannot decode it as an image. The page opens PNG, JPEG, WebP, GIF, AVIF and BMP files.`,
    );
  }
  const { width, height } = bitmap;
  try {
    const late = sizeProblem(name, bitmap);
    if (late) throw new PageError(late);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw tooLarge(name, width, height);
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;
    return { width, height, canvas, rgba };
  } catch (error) {
    if (error instanceof PageError) throw error;
    throw tooLarge(name, width, height);
  } finally {
    bitmap.close();
  }
}

async function openImage(blob: Blob, name: string, isExample = false): Promise<void> {
  say(`Opening "${name}"…`);
  let decoded: Decoded;
  let rgb: Uint8Array;
  try {
    decoded = await decode(blob, name);
    rgb = rgbaToRgb(decoded.rgba);
  } catch (error) {
    reportFailure(error, name);
    return;
  }
  const { width, height } = decoded;
  const image: LoadedImage = { id: nextImageId++, name, width, height, rgb, isExample };
  try {
    state.layer = new StrokeLayer(width, height);
    ui.strokeCanvas.width = width;
    ui.strokeCanvas.height = height;
    ui.resultCanvas.width = width;
    ui.resultCanvas.height = height;
    resultPixels = resultContext.createImageData(width, height);
  } catch {
    reportFailure(tooLarge(name, width, height), name);
    return;
  }
  // The stage has the image's size so that the cut-out view's checkerboard covers the image.
  ui.stage.style.width = `${width}px`;
  ui.stage.style.height = `${height}px`;
  decoded.canvas.id = 'image-canvas';
  imageCanvas.replaceWith(decoded.canvas);
  imageCanvas = decoded.canvas;
  state.image = image;
  state.mask = null;
  state.stats = null;
  state.displayedSeq = scheduler.reset();
  const message: ToWorker = { type: 'image', imageId: image.id, width, height, rgb: rgb.slice().buffer };
  worker.postMessage(message, [message.rgb]);
  ui.exampleStrokes.hidden = !isExample;
  updateHistoryButtons();
  renderResult();
  showStats();
  fitToView();
  say(strokeHint() ?? '', 'hint');
}

async function importStrokes(blob: Blob, name: string): Promise<void> {
  const { image, layer } = state;
  if (!image || !layer) {
    say('Open an image first, then import its stroke image.', 'hint');
    return;
  }
  try {
    const decoded = await decode(blob, name);
    if (decoded.width !== image.width || decoded.height !== image.height) {
      throw new PageError(
        `The stroke image "${name}" is ${decoded.width}×${decoded.height} but the image is ${image.width}×${image.height}; a stroke image must be the image's size.`,
      );
    }
    const seeds = extractSeeds({
      width: decoded.width,
      height: decoded.height,
      data: new Uint8Array(decoded.rgba.buffer),
    });
    const rect = layer.replaceAll(seeds.labels);
    drawAllStrokes();
    const { foreground, background } = layer.counts;
    if (foreground + background === 0) {
      say(
        `"${name}" has no strokes: a stroke image is red (foreground) and blue (background) on black.`,
        'error',
      );
    } else {
      say(`Imported "${name}": ${foreground} foreground and ${background} background stroke pixels.`);
    }
    if (rect) requestMask();
  } catch (error) {
    reportFailure(error, name);
  }
}

function reportFailure(error: unknown, name: string): void {
  if (error instanceof PageError) say(error.message, 'error');
  else if (error instanceof RangeError) say(tooLarge(name).message, 'error');
  else say(`Cannot open "${name}": ${error instanceof Error ? error.message : String(error)}`, 'error');
}

async function fetchExample(file: string): Promise<Blob> {
  const response = await fetch(file);
  if (!response.ok)
    throw new PageError(`The example "${file}" is missing from this build (HTTP ${response.status}).`);
  return response.blob();
}

// ---------------------------------------------------------------------------------------------
// Exports

function baseName(): string {
  const name = state.image?.name ?? 'image';
  return name.replace(/\.[^.]+$/, '') || 'image';
}

function download(canvas: HTMLCanvasElement, fileName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new PageError(`Could not encode ${fileName}: the browser ran out of memory.`));
        return;
      }
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      resolve();
    }, 'image/png');
  });
}

function canvasOf(width: number, height: number, fill: (data: Uint8ClampedArray) => void): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(width, height);
  fill(pixels.data);
  context.putImageData(pixels, 0, 0);
  return canvas;
}

async function exportFile(kind: 'mask' | 'cutout' | 'strokes'): Promise<void> {
  const { image, layer } = state;
  if (!image || !layer) {
    say('Open an image first.', 'hint');
    return;
  }
  try {
    const { width, height } = image;
    if (kind === 'strokes') {
      const all = { x0: 0, y0: 0, x1: width, y1: height };
      await download(
        canvasOf(width, height, (data) => labelsToRgba(layer.labels, width, all, data, true)),
        `${baseName()}-strokes.png`,
      );
      say(
        `Saved ${baseName()}-strokes.png: replay it with strokecut ${image.name} ${baseName()}-strokes.png`,
      );
      return;
    }
    // Export what the current strokes give, not a result still being computed.
    await whenSettled();
    const mask = state.mask;
    if (!mask) {
      say(`There is no mask to export yet. ${strokeHint() ?? ''}`, 'hint');
      return;
    }
    const fill =
      kind === 'mask'
        ? (data: Uint8ClampedArray) => maskToRgba(mask, data)
        : (data: Uint8ClampedArray) => cutoutToRgba(image.rgb, mask, data);
    const fileName = `${baseName()}-${kind}.png`;
    await download(canvasOf(width, height, fill), fileName);
    say(`Saved ${fileName}.`);
  } catch (error) {
    reportFailure(error, kind);
  }
}

// ---------------------------------------------------------------------------------------------
// Tools, history, settings

function setTool(tool: Tool): void {
  state.tool = tool;
  for (const button of document.querySelectorAll<HTMLButtonElement>('.tool')) {
    button.setAttribute('aria-pressed', String(button.dataset.tool === tool));
  }
  ui.cursor.classList.toggle('eraser', tool === 'eraser');
}

function setSize(size: number): void {
  state.size = Math.max(Number(ui.size.min), Math.min(Number(ui.size.max), Math.round(size)));
  ui.size.value = String(state.size);
  ui.sizeValue.textContent = String(state.size);
  updateCursor();
}

function updateHistoryButtons(): void {
  ui.undo.disabled = !state.layer?.canUndo;
  ui.redo.disabled = !state.layer?.canRedo;
}

function undo(): void {
  const rect = state.layer?.undo();
  if (!rect) return;
  drawStrokes(rect);
  requestMask();
}

function redo(): void {
  const rect = state.layer?.redo();
  if (!rect) return;
  drawStrokes(rect);
  requestMask();
}

function clearStrokes(): void {
  const { layer } = state;
  if (!layer) return;
  const rect = layer.replaceAll(new Uint8Array(layer.labels.length));
  if (!rect) return;
  drawStrokes(rect);
  requestMask();
}

function setView(view: View): void {
  state.view = view;
  renderResult();
}

// ---------------------------------------------------------------------------------------------
// Pointer: painting, panning, the brush ring

let stroke: { pointerId: number; x: number; y: number; dirty: Rect | null } | null = null;
let pan: { pointerId: number; x: number; y: number } | null = null;
let spaceHeld = false;
let pointerInside: { x: number; y: number } | null = null;
let drawScheduled = false;

function viewportPoint(event: { clientX: number; clientY: number }): { x: number; y: number } {
  const box = ui.viewport.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}

function imagePoint(event: { clientX: number; clientY: number }): { x: number; y: number } {
  const p = viewportPoint(event);
  return { x: (p.x - state.tx) / state.scale, y: (p.y - state.ty) / state.scale };
}

function updateCursor(): void {
  const inside = pointerInside;
  const show = inside !== null && state.image !== null && pan === null && !spaceHeld;
  ui.cursor.hidden = !show;
  if (!show) return;
  const diameter = Math.max(3, state.size * state.scale);
  ui.cursor.style.width = `${diameter}px`;
  ui.cursor.style.height = `${diameter}px`;
  ui.cursor.style.left = `${inside.x - diameter / 2}px`;
  ui.cursor.style.top = `${inside.y - diameter / 2}px`;
}

function paintTo(event: PointerEvent): void {
  const { layer } = state;
  if (!stroke || !layer) return;
  const p = imagePoint(event);
  const rect = layer.paintSegment(stroke.x, stroke.y, p.x, p.y, state.size, TOOL_LABEL[state.tool]);
  stroke.x = p.x;
  stroke.y = p.y;
  stroke.dirty = unionRect(stroke.dirty, rect);
  if (!drawScheduled) {
    drawScheduled = true;
    requestAnimationFrame(() => {
      drawScheduled = false;
      flushStrokeDrawing();
      if (stroke) maybePreview();
    });
  }
}

function flushStrokeDrawing(): void {
  if (!stroke?.dirty) return;
  drawStrokes(stroke.dirty);
  stroke.dirty = null;
}

ui.viewport.addEventListener('pointerdown', (event) => {
  if (!state.image || !state.layer) return;
  ui.viewport.focus({ preventScroll: true });
  if (event.button === 1 || event.button === 2 || (event.button === 0 && spaceHeld)) {
    event.preventDefault();
    pan = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
    ui.viewport.setPointerCapture(event.pointerId);
    ui.viewport.classList.add('panning');
    updateCursor();
    return;
  }
  if (event.button !== 0 || stroke) return;
  ui.viewport.setPointerCapture(event.pointerId);
  const p = imagePoint(event);
  state.layer.begin();
  stroke = { pointerId: event.pointerId, x: p.x, y: p.y, dirty: null };
  paintTo(event);
});

ui.viewport.addEventListener('pointermove', (event) => {
  pointerInside = viewportPoint(event);
  if (pan && event.pointerId === pan.pointerId) {
    state.tx += event.clientX - pan.x;
    state.ty += event.clientY - pan.y;
    pan.x = event.clientX;
    pan.y = event.clientY;
    applyTransform();
  } else if (stroke && event.pointerId === stroke.pointerId) {
    const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const each of events.length > 0 ? events : [event]) paintTo(each);
  }
  updateCursor();
});

function endPointer(event: PointerEvent): void {
  if (pan && event.pointerId === pan.pointerId) {
    pan = null;
    ui.viewport.classList.remove('panning');
    updateCursor();
    return;
  }
  if (!stroke || event.pointerId !== stroke.pointerId || !state.layer) return;
  const changedAt = performance.now();
  if (event.type === 'pointerup') paintTo(event);
  flushStrokeDrawing();
  stroke = null;
  if (state.layer.end()) requestMask(changedAt);
}

ui.viewport.addEventListener('pointerup', endPointer);
ui.viewport.addEventListener('pointercancel', endPointer);
ui.viewport.addEventListener('pointerleave', () => {
  pointerInside = null;
  updateCursor();
});
ui.viewport.addEventListener('contextmenu', (event) => event.preventDefault());
ui.viewport.addEventListener(
  'wheel',
  (event) => {
    if (!state.image) return;
    event.preventDefault();
    const p = viewportPoint(event);
    // Pixel-mode wheels report ~100 per notch; one notch zooms by about 1.2×.
    const delta = event.deltaMode === 1 ? event.deltaY * 33 : event.deltaY;
    zoomAt(Math.exp(-delta * 0.0018), p.x, p.y);
    updateCursor();
  },
  { passive: false },
);

// ---------------------------------------------------------------------------------------------
// Keyboard, buttons, files

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && (target.type === 'number' || target.type === 'text');
}

window.addEventListener('keydown', (event) => {
  if (isTyping(event.target)) return;
  const key = event.key.toLowerCase();
  if (event.ctrlKey || event.metaKey) {
    if (key === 'z') {
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
    } else if (key === 'y') {
      event.preventDefault();
      redo();
    }
    return;
  }
  if (event.altKey) return;
  const step = Math.max(1, Math.round(state.size * 0.2));
  const actions: Record<string, () => void> = {
    f: () => setTool('foreground'),
    b: () => setTool('background'),
    e: () => setTool('eraser'),
    '[': () => setSize(state.size - step),
    ']': () => setSize(state.size + step),
    '0': fitToView,
    '+': () => zoomAtCentre(1.25),
    '=': () => zoomAtCentre(1.25),
    '-': () => zoomAtCentre(0.8),
    s: () => {
      ui.showStrokes.checked = !ui.showStrokes.checked;
      ui.strokeCanvas.hidden = !ui.showStrokes.checked;
    },
    ' ': () => {
      spaceHeld = true;
      updateCursor();
    },
  };
  const action = actions[key];
  if (!action) return;
  event.preventDefault();
  action();
});

window.addEventListener('keyup', (event) => {
  if (event.key === ' ') {
    spaceHeld = false;
    updateCursor();
  }
});

for (const button of document.querySelectorAll<HTMLButtonElement>('.tool')) {
  button.addEventListener('click', () => setTool(button.dataset.tool as Tool));
}
ui.size.addEventListener('input', () => setSize(Number(ui.size.value)));
byId('undo').addEventListener('click', undo);
byId('redo').addEventListener('click', redo);
byId('clear').addEventListener('click', clearStrokes);
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="view"]')) {
  radio.addEventListener('change', () => radio.checked && setView(radio.value as View));
}
ui.opacity.addEventListener('input', renderResult);
ui.showStrokes.addEventListener('change', () => {
  ui.strokeCanvas.hidden = !ui.showStrokes.checked;
});
ui.k.addEventListener('change', () => requestMask());
ui.smooth.addEventListener('input', () => {
  ui.smoothValue.textContent = ui.smooth.value;
});
ui.smooth.addEventListener('change', () => requestMask());
byId('zoom-in').addEventListener('click', () => zoomAtCentre(1.25));
byId('zoom-out').addEventListener('click', () => zoomAtCentre(0.8));
byId('zoom-fit').addEventListener('click', fitToView);

byId('open').addEventListener('click', () => ui.openFile.click());
ui.openFile.addEventListener('change', () => {
  const file = ui.openFile.files?.[0];
  ui.openFile.value = '';
  if (file) void openImage(file, file.name);
});
byId('import-strokes').addEventListener('click', () => ui.importFile.click());
ui.importFile.addEventListener('change', () => {
  const file = ui.importFile.files?.[0];
  ui.importFile.value = '';
  if (file) void importStrokes(file, file.name);
});
ui.exampleStrokes.addEventListener('click', async () => {
  try {
    await importStrokes(await fetchExample(EXAMPLE.strokes), EXAMPLE.strokes);
  } catch (error) {
    reportFailure(error, EXAMPLE.strokes);
  }
});
byId('export-mask').addEventListener('click', () => void exportFile('mask'));
byId('export-cutout').addEventListener('click', () => void exportFile('cutout'));
byId('export-strokes').addEventListener('click', () => void exportFile('strokes'));

window.addEventListener('paste', (event) => {
  const file = [...(event.clipboardData?.files ?? [])].find((each) => each.type.startsWith('image/'));
  if (!file) return;
  event.preventDefault();
  void openImage(file, file.name && file.name !== 'image.png' ? file.name : 'pasted image.png');
});

let dragDepth = 0;
window.addEventListener('dragenter', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  dragDepth++;
  ui.dropHint.hidden = false;
});
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.dropHint.hidden = true;
});
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  ui.dropHint.hidden = true;
  const file = event.dataTransfer?.files[0];
  if (file) void openImage(file, file.name);
});

// ---------------------------------------------------------------------------------------------
// Start: the bundled example, and hooks for the tests and the latency benchmark

ui.smooth.max = String(Math.max(Number(ui.smooth.max), DEFAULT_SMOOTH * 4));
ui.smooth.value = String(DEFAULT_SMOOTH);
ui.smoothValue.textContent = ui.smooth.value;
ui.k.value = String(SEGMENT_DEFAULTS.k);
setSize(state.size);
setTool('foreground');

export function fnv1a(bytes: Uint8Array): number {
  let hash = 2166136261;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 16777619) >>> 0;
  return hash;
}

/** Read-only probes for the browser tests and bench/web-latency.ts. */
const probes = {
  settled: isSettled,
  /** Viewport-independent page coordinates of image point (x, y). */
  imageToClient(x: number, y: number): { x: number; y: number } {
    const box = ui.viewport.getBoundingClientRect();
    return { x: box.left + state.tx + x * state.scale, y: box.top + state.ty + y * state.scale };
  },
  image: () =>
    state.image ? { name: state.image.name, width: state.image.width, height: state.image.height } : null,
  labelAt: (x: number, y: number) => state.layer?.labels[y * state.layer.width + x] ?? null,
  counts: () => (state.layer ? { ...state.layer.counts } : null),
  maskSummary(): { foreground: number; pixels: number; hash: number } | null {
    const mask = state.mask;
    if (!mask) return null;
    let foreground = 0;
    for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) foreground++;
    return { foreground, pixels: mask.length, hash: fnv1a(mask) };
  },
  /** FNV-1a of the decoded RGB bytes, to compare with the CLI's decoder. */
  imageHash: () => (state.image ? fnv1a(state.image.rgb) : null),
  options: segmentOptions,
  message: () => ({ text: ui.message.textContent ?? '', kind: ui.message.className }),
  latencies,
  previewsShown: () => previewsShown,
  scale: () => state.scale,
};
(window as unknown as { strokecut: typeof probes }).strokecut = probes;

fetchExample(EXAMPLE.image)
  .then((blob) => openImage(blob, EXAMPLE.image, true))
  .catch(() => say('Open an image to start: the button above, drag and drop, or paste.', 'hint'));
