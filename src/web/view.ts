/**
 * The view: the stage's layers and how they sit on screen. Layers, all at image resolution and
 * scaled together by one CSS transform (so strokes stay on the image pixels they were painted on at
 * every zoom): the image, the result (see result-views.ts) and the strokes; over them, in viewport
 * coordinates, the brush ring.
 */
import type { Elements } from './dom.js';
import { labelsToRgba } from './pixels.js';
import { RESULT_VIEWS, type ResultInput, type ResultViewName } from './result-views.js';
import type { Rect, StrokeLayer } from './strokes.js';
import { type Point, ViewTransform } from './transform.js';

export class View {
  readonly transform = new ViewTransform();
  resultView: ResultViewName = 'overlay';
  /** Opacity of the overlay view's result layer, 0–1. */
  overlayOpacity = 0.75;
  private imageCanvas: HTMLCanvasElement;
  private readonly resultContext: CanvasRenderingContext2D;
  private readonly strokeContext: CanvasRenderingContext2D;
  private resultPixels: ImageData | null = null;
  private size: { width: number; height: number } | null = null;

  constructor(private readonly ui: Elements) {
    this.imageCanvas = ui.imageCanvas;
    this.resultContext = ui.resultCanvas.getContext('2d')!;
    this.strokeContext = ui.strokeCanvas.getContext('2d')!;
  }

  /**
   * Shows a new image (its decoded canvas) with empty result and stroke layers. Throws (a
   * RangeError or the browser's own) when the layers do not fit in memory; the old image then stays.
   */
  setImage(canvas: HTMLCanvasElement): void {
    const { width, height } = canvas;
    this.ui.strokeCanvas.width = width;
    this.ui.strokeCanvas.height = height;
    this.ui.resultCanvas.width = width;
    this.ui.resultCanvas.height = height;
    this.resultPixels = this.resultContext.createImageData(width, height);
    // The stage has the image's size so that the cut-out view's checkerboard covers the image.
    this.ui.stage.style.width = `${width}px`;
    this.ui.stage.style.height = `${height}px`;
    canvas.id = 'image-canvas';
    this.imageCanvas.replaceWith(canvas);
    this.imageCanvas = canvas;
    this.size = { width, height };
  }

  // -- Zoom and pan ------------------------------------------------------------------------------

  applyTransform(): void {
    const { scale } = this.transform;
    this.ui.stage.style.transform = this.transform.css();
    this.ui.stage.classList.toggle('pixelated', scale >= 2);
    this.ui.zoomValue.textContent = this.transform.label();
  }

  fit(): void {
    if (!this.size) return;
    this.transform.fit(this.ui.viewport.getBoundingClientRect(), this.size.width, this.size.height);
    this.applyTransform();
  }

  /** Zooms by `factor` keeping the image point under viewport point `at` in place. */
  zoomAt(factor: number, at: Point): void {
    this.transform.zoomAt(factor, at);
    this.applyTransform();
  }

  zoomAtCentre(factor: number): void {
    const box = this.ui.viewport.getBoundingClientRect();
    this.zoomAt(factor, { x: box.width / 2, y: box.height / 2 });
  }

  panBy(dx: number, dy: number): void {
    this.transform.panBy(dx, dy);
    this.applyTransform();
  }

  /** A pointer event's position in the viewport. */
  viewportPoint(event: { clientX: number; clientY: number }): Point {
    const box = this.ui.viewport.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  /** A pointer event's position on the image, in image pixels. */
  imagePoint(event: { clientX: number; clientY: number }): Point {
    return this.transform.toImage(this.viewportPoint(event));
  }

  /** Page (client) coordinates of image point p. */
  imageToClient(p: Point): Point {
    const box = this.ui.viewport.getBoundingClientRect();
    const v = this.transform.toViewport(p);
    return { x: box.left + v.x, y: box.top + v.y };
  }

  // -- Layers ------------------------------------------------------------------------------------

  /** Redraws the strokes inside `rect`. */
  drawStrokes(layer: StrokeLayer, rect: Rect | null): void {
    if (!rect) return;
    const width = rect.x1 - rect.x0;
    const height = rect.y1 - rect.y0;
    if (width <= 0 || height <= 0) return;
    const pixels = this.strokeContext.createImageData(width, height);
    labelsToRgba(layer.labels, layer.width, rect, pixels.data, false);
    this.strokeContext.putImageData(pixels, rect.x0, rect.y0);
  }

  drawAllStrokes(layer: StrokeLayer): void {
    this.drawStrokes(layer, { x0: 0, y0: 0, x1: layer.width, y1: layer.height });
  }

  set strokesShown(shown: boolean) {
    this.ui.strokeCanvas.hidden = !shown;
  }

  /** Redraws the result layer for the current view; no result hides it. */
  renderResult(result: ResultInput | null): void {
    const view = RESULT_VIEWS[this.resultView];
    const hasMask = result !== null;
    this.ui.stage.classList.toggle('checkerboard', hasMask && view.checkerboard);
    this.imageCanvas.hidden = hasMask && !view.showsImage;
    this.ui.resultCanvas.hidden = !hasMask;
    this.ui.resultCanvas.style.opacity = view.usesOpacity ? String(this.overlayOpacity) : '1';
    if (!result || !this.resultPixels) return;
    view.fill(result, this.resultPixels.data);
    this.resultContext.putImageData(this.resultPixels, 0, 0);
  }

  /** Outlines the box prompt (image pixels; the stage's transform scales it), or hides it (null). */
  showBox(box: { x: number; y: number; width: number; height: number } | null): void {
    const outline = this.ui.boxOutline;
    outline.hidden = box === null;
    if (!box) return;
    outline.style.left = `${box.x}px`;
    outline.style.top = `${box.y}px`;
    outline.style.width = `${box.width}px`;
    outline.style.height = `${box.height}px`;
  }

  // -- The brush ring ----------------------------------------------------------------------------

  /** Shows the brush ring of `diameter` CSS pixels centred on viewport point `at`, or hides it (null). */
  showRing(at: Point | null, diameter = 0, dashed = false): void {
    const cursor = this.ui.cursor;
    cursor.hidden = at === null;
    if (!at) return;
    const d = Math.max(3, diameter);
    cursor.classList.toggle('eraser', dashed);
    cursor.style.width = `${d}px`;
    cursor.style.height = `${d}px`;
    cursor.style.left = `${at.x - d / 2}px`;
    cursor.style.top = `${at.y - d / 2}px`;
  }

  set panning(on: boolean) {
    this.ui.viewport.classList.toggle('panning', on);
  }
}
