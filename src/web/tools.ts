/**
 * Tools: what a press, drag and release on the image do to the strokes. A tool starts a gesture at
 * the press; the gesture follows the pointer and says, at the release, whether the strokes changed
 * (then the mask is recomputed). Pure (no DOM), tested in Node. A new tool is one more entry in
 * TOOLS, a button with data-tool in index.html and, if it wants one, a shortcut. The box tool
 * changes a prompt, not the strokes: the page does that through `ToolContext.dragBox`.
 */
import { SEED } from '../core/types.js';
import { type Rect, type StrokeLayer, unionRect } from './strokes.js';
import type { Point } from './transform.js';

export interface Gesture {
  /** The pointer moved to image point p (coalesced moves arrive one by one). */
  move(p: Point): void;
  /**
   * The pointer was released at p, or the gesture was cancelled (null). Returns true when the
   * strokes changed, as one undoable change.
   */
  end(p: Point | null): boolean;
  /** The stroke-layer area changed since the last call (to redraw), or null. */
  takeDirty(): Rect | null;
  /** Abandons the gesture, leaving the strokes as they were before it (a pinch began). */
  cancel(): void;
}

export interface ToolContext {
  layer: StrokeLayer;
  /** Brush diameter in image pixels. */
  size: number;
  /**
   * The box tool's rectangle from `from` to `to` while dragged (done = false: show it) and at the
   * release (done = true: make it the box prompt; returns whether the prompts changed). Absent: the
   * box tool does nothing.
   */
  dragBox?: (from: Point, to: Point, done: boolean) => boolean;
}

export interface Tool {
  /** How the ring under the pointer looks; null shows none. */
  ring: 'solid' | 'dashed' | null;
  start(context: ToolContext, p: Point): Gesture;
}

/** A round brush that paints `label` along the pointer's path: one stroke per gesture. */
class BrushGesture implements Gesture {
  private dirty: Rect | null = null;
  /** All the gesture touched, to redraw when it is cancelled. */
  private painted: Rect | null = null;
  private x: number;
  private y: number;

  constructor(
    private readonly context: ToolContext,
    private readonly label: number,
    p: Point,
  ) {
    context.layer.begin();
    this.x = p.x;
    this.y = p.y;
    this.move(p);
  }

  move(p: Point): void {
    const { layer, size } = this.context;
    const rect = layer.paintSegment(this.x, this.y, p.x, p.y, size, this.label);
    this.x = p.x;
    this.y = p.y;
    this.dirty = unionRect(this.dirty, rect);
    this.painted = unionRect(this.painted, rect);
  }

  end(p: Point | null): boolean {
    if (p) this.move(p);
    return this.context.layer.end();
  }

  takeDirty(): Rect | null {
    const dirty = this.dirty;
    this.dirty = null;
    return dirty;
  }

  cancel(): void {
    this.context.layer.cancel();
    this.dirty = unionRect(this.dirty, this.painted);
  }
}

/** Drags a rectangle: everything outside it is background (the box prompt, not a stroke). */
class BoxGesture implements Gesture {
  constructor(
    private readonly context: ToolContext,
    private readonly from: Point,
  ) {}

  move(p: Point): void {
    this.context.dragBox?.(this.from, p, false);
  }

  end(p: Point | null): boolean {
    if (!p) {
      this.cancel();
      return false;
    }
    return this.context.dragBox?.(this.from, p, true) ?? false;
  }

  takeDirty(): Rect | null {
    return null;
  }

  /** Shows the box as it was before the drag (a zero-size drag shows no new box). */
  cancel(): void {
    this.context.dragBox?.(this.from, this.from, false);
  }
}

function brush(label: number, ring: 'solid' | 'dashed'): Tool {
  return { ring, start: (context, p) => new BrushGesture(context, label, p) };
}

export const TOOLS = {
  foreground: brush(SEED.FOREGROUND, 'solid'),
  background: brush(SEED.BACKGROUND, 'solid'),
  eraser: brush(SEED.NONE, 'dashed'),
  box: { ring: null, start: (context: ToolContext, p: Point): Gesture => new BoxGesture(context, p) },
} satisfies Record<string, Tool>;

export type ToolName = keyof typeof TOOLS;

export function isToolName(name: string | undefined): name is ToolName {
  return name !== undefined && Object.hasOwn(TOOLS, name);
}

/**
 * Brush sizes that [ and ] step through: about 20 % apart, so a step is noticeable at every size,
 * and a step down undoes a step up exactly.
 */
export const BRUSH_SIZES = (() => {
  const sizes = [1];
  while (sizes[sizes.length - 1] < 200) {
    const last = sizes[sizes.length - 1];
    sizes.push(Math.min(200, Math.max(last + 1, Math.round(last * 1.2))));
  }
  return sizes;
})();

/** The next brush size up (direction +1) or down (-1) from `size`, which need not be on the ladder. */
export function stepBrushSize(size: number, direction: 1 | -1): number {
  if (direction > 0) return BRUSH_SIZES.find((each) => each > size) ?? BRUSH_SIZES[BRUSH_SIZES.length - 1];
  for (let i = BRUSH_SIZES.length - 1; i >= 0; i--) if (BRUSH_SIZES[i] < size) return BRUSH_SIZES[i];
  return BRUSH_SIZES[0];
}
