/**
 * The session: the open image, its strokes (with their history) and the mask on screen. Plain data,
 * no DOM, so it runs in Node; the page's controller (app.ts) keeps the screen in step with it.
 */
import type { SegmentStats } from '../core/segment.js';
import { type PagePrompts, promptHint } from './prompts.js';
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

/** One image's work: the image, its strokes with their history, and what the view shows it with. */
export interface ImageSession<Display = unknown> {
  image: LoadedImage;
  layer: StrokeLayer;
  /** The file the image came from (kept to store the session and to embed in session files). */
  file: Blob;
  /** The view's decoded copy (a canvas in the page). */
  display: Display;
  /** Names this image's records in the browser's store. */
  token: string;
  /** The strokes were the user's work when restored (a restored layer has no history to show it). */
  edited: boolean;
  /**
   * The prompts besides strokes: a box, a loaded prior mask, the border as background. Replaced
   * whole on each change (never mutated), so the stroke history can keep the ones before.
   */
  prompts: PagePrompts;
  /** The prior mask's file name (for the CLI's --prior in the replay hint). */
  priorName: string | null;
}

/**
 * The current image's session, and the one opened before it (or after it, once undone back to):
 * opening another image is undoable as a whole, once. One neighbour each way bounds the memory
 * (an image's session costs ~7 bytes per pixel).
 */
export class Session<Display = unknown> {
  current: ImageSession<Display> | null = null;
  result: SessionResult | null = null;
  private before: ImageSession<Display> | null = null;
  private after: ImageSession<Display> | null = null;

  get image(): LoadedImage | null {
    return this.current?.image ?? null;
  }

  get layer(): StrokeLayer | null {
    return this.current?.layer ?? null;
  }

  /** Starts on a new image; the session it replaces can be gone back to (`back`). */
  open(next: ImageSession<Display>): void {
    const { image, layer } = next;
    if (layer.width !== image.width || layer.height !== image.height) {
      throw new Error(
        `Session.open: the stroke layer is ${layer.width}×${layer.height}, the image ${image.width}×${image.height}`,
      );
    }
    this.before = this.current;
    this.after = null;
    this.current = next;
    this.result = null;
  }

  /** True when the current image has strokes (so replacing it should ask first). */
  get hasStrokes(): boolean {
    const counts = this.layer?.counts;
    return counts !== undefined && counts.foreground + counts.background > 0;
  }

  /** True when the strokes are the user's work (not none, not the example's own untouched). */
  get hasWork(): boolean {
    const { current } = this;
    return current !== null && this.hasStrokes && (current.edited || current.layer.canUndo);
  }

  get canGoBack(): boolean {
    return this.before !== null;
  }

  get canGoForward(): boolean {
    return this.after !== null;
  }

  /** Back to the image open before this one (an undo past this image's first change). */
  back(): ImageSession<Display> | null {
    if (!this.before || !this.current) return null;
    this.after = this.current;
    this.current = this.before;
    this.before = null;
    this.result = null;
    return this.current;
  }

  /** Forward again to the image gone back from (a redo past this image's last change). */
  forward(): ImageSession<Display> | null {
    if (!this.after || !this.current) return null;
    this.before = this.current;
    this.current = this.after;
    this.after = null;
    this.result = null;
    return this.current;
  }

  get prompts(): PagePrompts | null {
    return this.current?.prompts ?? null;
  }

  /** What the strokes and prompts still lack for a cut (null when they can give one, or there is no image). */
  hint(): string | null {
    const { current } = this;
    return current ? promptHint(current.layer.counts, current.prompts) : null;
  }
}
