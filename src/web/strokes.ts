/**
 * The page's stroke layer: one seed label per image pixel (the core's SEED values), painted with a
 * hard-edged round brush, with undo and redo by whole stroke.
 *
 * Pure data (typed arrays, no DOM) so it runs and is tested in Node. The layer lives at image
 * resolution, never at screen resolution: that is what keeps strokes aligned with image pixels at
 * every zoom, and what lets the exported stroke image replay with the CLI to the same mask.
 */
import { SEED } from '../core/types.js';

/** A pixel rectangle: x0 ≤ x < x1, y0 ≤ y < y1. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}

/** A growable typed array of pixel indices or label values. */
class Growable<T extends Uint32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** One undoable change: the pixels it touched, with their labels before and after. */
interface Change {
  indices: Uint32Array;
  before: Uint8Array;
  after: Uint8Array;
  rect: Rect;
  /** A change to something besides the labels (the page's prompts), which its owner undoes. */
  note?: unknown;
}

const NO_PIXELS = { indices: new Uint32Array(0), before: new Uint8Array(0), after: new Uint8Array(0) };

export interface SeedCounts {
  foreground: number;
  background: number;
}

/**
 * Seed labels plus the history of changes to them. Every change goes through `begin` … `set` …
 * `end`, which records only the pixels whose label really changed, so history costs memory in
 * proportion to what was painted, not to the image size.
 */
export class StrokeLayer {
  readonly labels: Uint8Array;
  readonly counts: SeedCounts = { foreground: 0, background: 0 };
  private readonly touched: Uint8Array;
  private readonly undoStack: Change[] = [];
  private redoStack: Change[] = [];
  private open: { indices: Growable<Uint32Array>; before: Growable<Uint8Array> } | null = null;
  /** The note of the change the last undo or redo stepped over (undefined: a change of labels). */
  lastNote: unknown;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.labels = new Uint8Array(width * height);
    this.touched = new Uint8Array(width * height);
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
  get painting(): boolean {
    return this.open !== null;
  }

  /** Starts a change (a stroke, an import, a clear). */
  begin(): void {
    if (this.open) this.end();
    this.open = {
      indices: new Growable(new Uint32Array(1024), (n) => new Uint32Array(n)),
      before: new Growable(new Uint8Array(1024), (n) => new Uint8Array(n)),
    };
  }

  /** Sets pixel p's label within the open change. */
  set(p: number, value: number): void {
    const old = this.labels[p];
    if (old === value) return;
    const open = this.open;
    if (!open) throw new Error('StrokeLayer.set outside begin/end');
    if (this.touched[p] === 0) {
      this.touched[p] = 1;
      open.indices.push(p);
      open.before.push(old);
    }
    this.labels[p] = value;
    this.count(old, -1);
    this.count(value, +1);
  }

  /** Closes the open change; returns true when it changed any pixel (and so became undoable). */
  end(): boolean {
    const open = this.open;
    if (!open) return false;
    this.open = null;
    const indices = open.indices.trimmed();
    const before = open.before.trimmed();
    const after = new Uint8Array(indices.length);
    let changed = 0;
    let x0 = this.width;
    let y0 = this.height;
    let x1 = 0;
    let y1 = 0;
    for (let i = 0; i < indices.length; i++) {
      const p = indices[i];
      this.touched[p] = 0;
      after[i] = this.labels[p];
      // A pixel painted and then erased within one stroke is unchanged: it does not count.
      if (after[i] !== before[i]) changed++;
      const x = p % this.width;
      const y = (p - x) / this.width;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
    if (changed === 0) return false;
    this.undoStack.push({ indices, before, after, rect: { x0, y0, x1, y1 } });
    this.redoStack = [];
    return true;
  }

  /** Abandons the open change: its pixels get their labels back, and nothing enters the history. */
  cancel(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const indices = open.indices.trimmed();
    const before = open.before.trimmed();
    for (let i = 0; i < indices.length; i++) this.touched[indices[i]] = 0;
    this.apply(indices, before);
  }

  /**
   * Records a change to something besides the labels (`note` says what) in the same history, so
   * undo and redo step over it in turn; they leave its note in `lastNote` for its owner to apply.
   */
  note(note: unknown): void {
    if (this.open) this.end();
    this.undoStack.push({ ...NO_PIXELS, rect: { x0: 0, y0: 0, x1: 0, y1: 0 }, note });
    this.redoStack = [];
  }

  /** Undoes the last whole change; returns the area to redraw, or null when there was nothing to undo. */
  undo(): Rect | null {
    if (this.open) this.end();
    const change = this.undoStack.pop();
    this.lastNote = change?.note;
    if (!change) return null;
    this.apply(change.indices, change.before);
    this.redoStack.push(change);
    return change.rect;
  }

  redo(): Rect | null {
    if (this.open) this.end();
    const change = this.redoStack.pop();
    this.lastNote = change?.note;
    if (!change) return null;
    this.apply(change.indices, change.after);
    this.undoStack.push(change);
    return change.rect;
  }

  /** Sets every label with no history (strokes restored from a saved session). */
  restore(labels: Uint8Array): void {
    if (labels.length !== this.labels.length) {
      throw new Error(`restore: expected ${this.labels.length} labels, found ${labels.length}`);
    }
    this.open = null;
    this.undoStack.length = 0;
    this.redoStack = [];
    this.labels.set(labels);
    this.counts.foreground = 0;
    this.counts.background = 0;
    for (let p = 0; p < labels.length; p++) this.count(labels[p], +1);
  }

  /** Replaces every label (an imported stroke image, or a clear) as one undoable change. */
  replaceAll(labels: Uint8Array): Rect | null {
    if (labels.length !== this.labels.length) {
      throw new Error(`replaceAll: expected ${this.labels.length} labels, found ${labels.length}`);
    }
    this.begin();
    for (let p = 0; p < labels.length; p++) if (labels[p] !== this.labels[p]) this.set(p, labels[p]);
    return this.end() ? this.undoStack[this.undoStack.length - 1].rect : null;
  }

  private apply(indices: Uint32Array, values: Uint8Array): void {
    for (let i = 0; i < indices.length; i++) {
      const p = indices[i];
      this.count(this.labels[p], -1);
      this.labels[p] = values[i];
      this.count(values[i], +1);
    }
  }

  private count(label: number, delta: number): void {
    if (label === SEED.FOREGROUND) this.counts.foreground += delta;
    else if (label === SEED.BACKGROUND) this.counts.background += delta;
  }

  /**
   * Paints a round brush of `diameter` image pixels swept from (ax, ay) to (bx, by) (image
   * coordinates, pixel (x, y) spanning [x, x+1) × [y, y+1)). A pixel is covered when its centre
   * lies within the brush; no anti-aliasing, so labels (and exported colours) are exact.
   * Returns the rectangle that may have changed, or null when the brush is wholly off the image.
   */
  paintSegment(ax: number, ay: number, bx: number, by: number, diameter: number, value: number): Rect | null {
    // Below √½ a brush centred on a pixel corner would cover no pixel centre at all.
    const radius = Math.max(diameter / 2, Math.SQRT1_2);
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
    const x1 = Math.min(this.width, Math.ceil(Math.max(ax, bx) + radius) + 1);
    const y1 = Math.min(this.height, Math.ceil(Math.max(ay, by) + radius) + 1);
    if (x0 >= x1 || y0 >= y1) return null;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    const radiusSquared = radius * radius;
    for (let y = y0; y < y1; y++) {
      const cy = y + 0.5;
      for (let x = x0; x < x1; x++) {
        const cx = x + 0.5;
        const t =
          lengthSquared === 0
            ? 0
            : Math.max(0, Math.min(1, ((cx - ax) * dx + (cy - ay) * dy) / lengthSquared));
        const px = ax + t * dx - cx;
        const py = ay + t * dy - cy;
        if (px * px + py * py <= radiusSquared) this.set(y * this.width + x, value);
      }
    }
    return { x0, y0, x1, y1 };
  }
}
