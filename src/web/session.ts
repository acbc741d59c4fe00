/**
 * The session: the open image, its strokes (with their history) and the mask on screen. Plain data,
 * no DOM, so it runs in Node; the page's controller (app.ts) keeps the screen in step with it.
 */
import type { SegmentStats } from '../core/segment.js';
import { noPrompts, type PagePrompts, promptHint } from './prompts.js';
import type { StrokeLayer } from './strokes.js';

export interface LoadedImage {
  /** Tells the worker's answers for this image from those for an earlier one. */
  id: number;
  name: string;
  width: number;
  height: number;
  rgb: Uint8Array;
  isExample: boolean;
}

export interface SessionResult {
  mask: Uint8Array;
  stats: SegmentStats;
}

export class Session {
  image: LoadedImage | null = null;
  layer: StrokeLayer | null = null;
  result: SessionResult | null = null;
  /** The box, prior mask and border choice for this image. */
  prompts: PagePrompts = noPrompts();

  /** Starts over on `image`, with `layer` (its size, usually empty) as its strokes. */
  open(image: LoadedImage, layer: StrokeLayer): void {
    if (layer.width !== image.width || layer.height !== image.height) {
      throw new Error(
        `Session.open: the stroke layer is ${layer.width}×${layer.height}, the image ${image.width}×${image.height}`,
      );
    }
    this.image = image;
    this.layer = layer;
    this.result = null;
    this.prompts = noPrompts();
  }

  /** What the strokes and prompts still lack for a cut (null when they can give one, or there is no image). */
  hint(): string | null {
    return this.layer ? promptHint(this.layer.counts, this.prompts) : null;
  }
}
