/**
 * The view: the stage's layers and how they sit on screen. Layers, all at image resolution and
 * scaled together by one CSS transform (so strokes stay on the image pixels they were painted on at
 * every zoom): the image, the result (see result-views.ts) and the strokes; over them, in viewport
 * coordinates, the brush ring.
 */
import type { Elements } from './dom.js';
import { changedRects, labelsToRgba, overlayWithOutlineToRgbaIn } from './pixels.js';
import { RESULT_VIEWS, type ResultInput, type ResultViewName } from './result-views.js';
import type { Rect, StrokeLayer } from './strokes.js';
import { type Point, ViewTransform } from './transform.js';

export class View {
  readonly transform = new ViewTransform();
  resultView: ResultViewName = 'overlay';
  /** Opacity of the overlay view's dimming, 0–1. */
  overlayOpacity = 0.75;
  /** Called when a zoom changed how the result should be drawn (the outline's width). */
  onLookChange: () => void = () => {};
  private imageCanvas: HTMLCanvasElement;
  private readonly resultContext: CanvasRenderingContext2D;
  private readonly strokeContext: CanvasRenderingContext2D;
  private resultPixels: ImageData | null = null;
  /**
   * What the result layer shows when it is the overlay (its mask, a copy, and its look), so that a
   * new mask redraws only the rectangle where it differs (12 MP: a whole redraw costs ~0.25 s).
   */
  private drawnOverlay: { mask: Uint8Array; opacity: number; radius: number } | null = null;
  private size: { width: number; height: number } | null = null;
  private drawnRadius = 0;
  private lookTimer: ReturnType<typeof setTimeout> | undefined;

  /** The image was fitted and not zoomed or panned since: a resized viewport fits it again. */
  private fitted = false;
  /** A pointer is down: resizes wait until it is up, so the image does not move under it. */
  private held = false;
  private resizedWhileHeld = false;

  constructor(private readonly ui: Elements) {
    this.imageCanvas = ui.imageCanvas;
    this.resultContext = ui.resultCanvas.getContext('2d')!;
    this.strokeContext = ui.strokeCanvas.getContext('2d')!;
    // The viewport changes size with the window, a phone turned, or a status message taking a
    // second line; a fitted image stays fitted (a zoomed one stays where the user put it).
    new ResizeObserver(() => {
      if (this.held) this.resizedWhileHeld = true;
      else if (this.fitted) this.fit();
    }).observe(ui.viewport);
  }

  get currentCanvas(): HTMLCanvasElement {
    return this.imageCanvas;
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
    this.drawnOverlay = null;
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
    // Redraw the outline for the new zoom once the zooming pauses (a redraw costs a pass over the image).
    if (this.drawnRadius !== 0 && this.outlineRadius() !== this.drawnRadius) {
      clearTimeout(this.lookTimer);
      this.lookTimer = setTimeout(() => this.onLookChange(), 120);
    }
  }

  /** The outline's width in image pixels: about one screen pixel, at least one image pixel. */
  outlineRadius(): number {
    return Math.max(1, Math.min(16, Math.ceil(1 / this.transform.scale - 1e-9)));
  }

  /** Holds the view still while a pointer is down; on release, a fitted image is fitted again if the viewport changed meanwhile. */
  hold(held: boolean): void {
    this.held = held;
    if (held || !this.resizedWhileHeld) return;
    this.resizedWhileHeld = false;
    if (this.fitted) this.fit();
  }

  fit(): void {
    if (!this.size) return;
    this.transform.fit(this.ui.viewport.getBoundingClientRect(), this.size.width, this.size.height);
    this.fitted = true;
    this.applyTransform();
  }

  /** Zooms by `factor` keeping the image point under viewport point `at` in place. */
  zoomAt(factor: number, at: Point): void {
    this.transform.zoomAt(factor, at);
    this.fitted = false;
    this.applyTransform();
  }

  zoomAtCentre(factor: number): void {
    const box = this.ui.viewport.getBoundingClientRect();
    this.zoomAt(factor, { x: box.width / 2, y: box.height / 2 });
  }

  panBy(dx: number, dy: number): void {
    this.transform.panBy(dx, dy);
    this.fitted = false;
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
    this.showLayer(result ? 'result' : null);
    if (!result || !this.resultPixels) {
      this.drawnRadius = 0;
      return;
    }
    const look = { overlayOpacity: this.overlayOpacity, outlineRadius: this.outlineRadius() };
    this.drawnRadius = view.usesLook ? look.outlineRadius : 0;
    if (this.resultView === 'overlay' && this.redrawOverlay(result, look)) return;
    view.fill(result, look, this.resultPixels.data);
    this.resultContext.putImageData(this.resultPixels, 0, 0);
    this.drawnOverlay =
      this.resultView === 'overlay'
        ? { mask: result.mask.slice(), opacity: look.overlayOpacity, radius: look.outlineRadius }
        : null;
  }

  /**
   * Redraws the overlay where the new mask differs from the one on the layer, tile by tile (each
   * tile's changes widened by the outline's width, which a change moves): the very pixels a whole
   * redraw gives. False when the
   * layer holds something else (another view, another look, nothing yet).
   */
  private redrawOverlay(
    result: ResultInput,
    look: { overlayOpacity: number; outlineRadius: number },
  ): boolean {
    const drawn = this.drawnOverlay;
    const pixels = this.resultPixels;
    const { width, height, mask } = result;
    if (
      !drawn ||
      !pixels ||
      drawn.opacity !== look.overlayOpacity ||
      drawn.radius !== look.outlineRadius ||
      drawn.mask.length !== mask.length ||
      pixels.width !== width ||
      pixels.height !== height
    ) {
      return false;
    }
    const r = look.outlineRadius;
    for (const changed of changedRects(drawn.mask, mask, width, height)) {
      const rect = {
        x0: Math.max(0, changed.x0 - r),
        y0: Math.max(0, changed.y0 - r),
        x1: Math.min(width, changed.x1 + r),
        y1: Math.min(height, changed.y1 + r),
      };
      if (!overlayWithOutlineToRgbaIn(mask, width, height, look.overlayOpacity, r, pixels.data, rect))
        return false;
      this.resultContext.putImageData(pixels, 0, 0, rect.x0, rect.y0, rect.x1 - rect.x0, rect.y1 - rect.y0);
    }
    drawn.mask.set(mask);
    return true;
  }

  /**
   * Draws a first look given on the shrunk image (`result`: its blocks' colours and labels, each
   * block `factor` image pixels wide) over the whole image, in place of the result layer until the
   * next {@link renderResult}. The look is the current view's, at the blocks' resolution.
   */
  renderBlocks(result: ResultInput, factor: number): void {
    const view = RESULT_VIEWS[this.resultView];
    const canvas = this.ui.partialCanvas;
    this.showLayer('blocks');
    if (canvas.width !== result.width || canvas.height !== result.height) {
      canvas.width = result.width;
      canvas.height = result.height;
    }
    const context = canvas.getContext('2d')!;
    const pixels = context.createImageData(result.width, result.height);
    const look = {
      overlayOpacity: this.overlayOpacity,
      outlineRadius: Math.max(1, Math.round(this.outlineRadius() / factor)),
    };
    view.fill({ ...result, matte: null }, look, pixels.data);
    context.putImageData(pixels, 0, 0);
  }

  /** Shows the result layer, the blocks' layer or neither, arranged for the current view. */
  private showLayer(layer: 'result' | 'blocks' | null): void {
    const view = RESULT_VIEWS[this.resultView];
    this.ui.stage.classList.toggle('checkerboard', layer !== null && view.checkerboard);
    this.imageCanvas.hidden = layer !== null && !view.showsImage;
    this.ui.resultCanvas.hidden = layer !== 'result';
    this.ui.partialCanvas.hidden = layer !== 'blocks';
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
