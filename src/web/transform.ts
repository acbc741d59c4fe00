/**
 * The view's zoom and pan: image point (x, y) shows at viewport point (tx + x·scale, ty + y·scale).
 * Pure arithmetic (no DOM), tested in Node; view.ts applies it to the stage as one CSS transform.
 */

export interface Point {
  x: number;
  y: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 32;
/** Space left around an image fitted into the viewport, in CSS pixels. */
const FIT_MARGIN = 16;

function clampScale(scale: number): number {
  return Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale));
}

export class ViewTransform {
  scale = 1;
  tx = 0;
  ty = 0;

  /** Scales an image of `width`×`height` to fit a viewport of `box` size, centred. */
  fit(box: { width: number; height: number }, width: number, height: number): void {
    const scale = Math.min((box.width - FIT_MARGIN) / width, (box.height - FIT_MARGIN) / height);
    this.scale = clampScale(scale);
    this.tx = Math.round((box.width - width * this.scale) / 2);
    this.ty = Math.round((box.height - height * this.scale) / 2);
  }

  /** Zooms by `factor` keeping the image point under viewport point `at` in place. */
  zoomAt(factor: number, at: Point): void {
    const scale = clampScale(this.scale * factor);
    this.tx = at.x - ((at.x - this.tx) * scale) / this.scale;
    this.ty = at.y - ((at.y - this.ty) * scale) / this.scale;
    this.scale = scale;
  }

  panBy(dx: number, dy: number): void {
    this.tx += dx;
    this.ty += dy;
  }

  toImage(p: Point): Point {
    return { x: (p.x - this.tx) / this.scale, y: (p.y - this.ty) / this.scale };
  }

  toViewport(p: Point): Point {
    return { x: this.tx + p.x * this.scale, y: this.ty + p.y * this.scale };
  }

  /** The CSS transform that puts the stage (image-sized, origin top left) on screen. */
  css(): string {
    return `translate(${this.tx}px, ${this.ty}px) scale(${this.scale})`;
  }

  /** The zoom as the toolbar shows it: whole percent, one decimal below 10 %. */
  label(): string {
    return `${this.scale >= 0.1 ? Math.round(this.scale * 100) : (this.scale * 100).toFixed(1)}%`;
  }
}
