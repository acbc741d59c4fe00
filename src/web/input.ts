/**
 * Input on the image: the pointer (painting with the current tool, panning with the middle or right
 * button or with Space held, the wheel to zoom), the brush ring, and the keyboard shortcuts.
 */
import type { App } from './app.js';
import { type Action, actionFor } from './shortcuts.js';
import { type Gesture, stepBrushSize, TOOLS, type ToolContext } from './tools.js';
import type { Point } from './transform.js';

export class Input {
  private gesture: { pointerId: number; gesture: Gesture } | null = null;
  private pan: { pointerId: number; x: number; y: number } | null = null;
  private spaceHeld = false;
  private pointerInside: Point | null = null;
  private drawScheduled = false;
  /** Fingers on the viewport (client coordinates), and the pinch two of them make. */
  private readonly touches = new Map<number, Point>();
  private pinch: { distance: number; centre: Point } | null = null;
  /** The pen's pressure (0–1) at the latest event; 1 for mice, fingers, or with pressure off. */
  private pressure = 1;

  constructor(private readonly app: App) {
    app.onBrushChange = () => this.updateRing();
    const viewport = app.ui.viewport;
    // While a pointer is down the view keeps still: a status line appearing mid-stroke must not
    // re-fit the image under the finger (see View.hold).
    const pressed = new Set<number>();
    const release = (event: PointerEvent) => {
      pressed.delete(event.pointerId);
      if (pressed.size === 0) app.view.hold(false);
    };
    viewport.addEventListener('pointerdown', (event) => {
      pressed.add(event.pointerId);
      app.view.hold(true);
      this.down(event);
    });
    viewport.addEventListener('pointermove', (event) => this.move(event));
    viewport.addEventListener('pointerup', (event) => {
      this.up(event);
      release(event);
    });
    viewport.addEventListener('pointercancel', (event) => {
      this.up(event);
      release(event);
    });
    viewport.addEventListener('pointerleave', () => {
      this.pointerInside = null;
      this.updateRing();
    });
    viewport.addEventListener('contextmenu', (event) => event.preventDefault());
    viewport.addEventListener('wheel', (event) => this.wheel(event), { passive: false });
    window.addEventListener('keydown', (event) => this.keydown(event));
    window.addEventListener('keyup', (event) => {
      if (event.key === ' ') {
        this.spaceHeld = false;
        this.updateRing();
      }
    });
  }

  /** The ring under the pointer: the brush's size on screen, where the next stroke would go. */
  updateRing(): void {
    const { app } = this;
    const at = this.pointerInside;
    const ring = app.toolRing;
    const show = at !== null && ring !== null && app.session.image !== null && !this.pan && !this.spaceHeld;
    app.view.showRing(show ? at : null, app.size * app.view.transform.scale, ring === 'dashed');
  }

  private down(event: PointerEvent): void {
    const { app } = this;
    const layer = app.session.layer;
    if (!app.session.image || !layer) return;
    app.ui.viewport.focus({ preventScroll: true });
    if (event.pointerType === 'touch') {
      this.touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (this.touches.size === 2) {
        // A second finger: this is a pinch, not a stroke. Take back what the first finger painted.
        this.cancelGesture();
        this.pinch = this.pinchNow();
        return;
      }
      if (this.touches.size > 2 || this.pinch) return;
    }
    if (event.button === 1 || event.button === 2 || (event.button === 0 && this.spaceHeld)) {
      event.preventDefault();
      this.pan = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
      app.ui.viewport.setPointerCapture(event.pointerId);
      app.view.panning = true;
      this.updateRing();
      return;
    }
    if (event.button !== 0 || this.gesture) return;
    app.ui.viewport.setPointerCapture(event.pointerId);
    // The size is read at every move: the keyboard may change it mid-stroke, a pen's pressure does.
    const input = this;
    const context: ToolContext = {
      layer,
      get size() {
        return app.size * input.pressure;
      },
      dragBox: (from, to, done) => app.dragBox(from, to, done),
    };
    this.readPressure(event);
    const gesture = TOOLS[app.tool].start(context, app.view.imagePoint(event));
    this.gesture = { pointerId: event.pointerId, gesture };
    app.painting = true;
    this.scheduleDraw();
  }

  private move(event: PointerEvent): void {
    if (event.pointerType === 'touch' && this.touches.has(event.pointerId)) {
      this.touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (this.pinch) {
        this.pinchMove();
        return;
      }
    }
    this.pointerInside = event.pointerType === 'touch' ? null : this.app.view.viewportPoint(event);
    const { pan, gesture } = this;
    if (pan && event.pointerId === pan.pointerId) {
      this.app.view.panBy(event.clientX - pan.x, event.clientY - pan.y);
      pan.x = event.clientX;
      pan.y = event.clientY;
    } else if (gesture && event.pointerId === gesture.pointerId) {
      const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      for (const each of events.length > 0 ? events : [event]) {
        this.readPressure(each);
        gesture.gesture.move(this.app.view.imagePoint(each));
      }
      this.scheduleDraw();
    }
    this.updateRing();
  }

  private up(event: PointerEvent): void {
    if (event.pointerType === 'touch') {
      this.touches.delete(event.pointerId);
      if (this.pinch) {
        // The pinch ends with its first finger up; the other paints nothing until it lifts too.
        this.pinch = null;
        return;
      }
    }
    const { app, pan, gesture } = this;
    if (pan && event.pointerId === pan.pointerId) {
      this.pan = null;
      app.view.panning = false;
      this.updateRing();
      return;
    }
    if (!gesture || event.pointerId !== gesture.pointerId || !app.session.layer) return;
    const changedAt = performance.now();
    const changed = gesture.gesture.end(event.type === 'pointerup' ? app.view.imagePoint(event) : null);
    this.flushDrawing();
    this.gesture = null;
    // The new mask is asked for first: soft edges for the old one must not get in its way.
    if (changed) app.requestMask(changedAt);
    else app.showPrompts();
    app.stopPainting();
  }

  private readPressure(event: PointerEvent): void {
    // Pressure is a pen's: its option is offered once a pen is used (the toolbar has no room to spare).
    if (event.pointerType === 'pen') this.app.ui.penOption.hidden = false;
    this.pressure =
      event.pointerType === 'pen' && this.app.ui.pressure.checked
        ? Math.max(0.1, Math.min(1, event.pressure || 0.5))
        : 1;
  }

  /** Abandons the stroke in progress (a pinch began): the strokes are as they were before it. */
  private cancelGesture(): void {
    const { app, gesture } = this;
    if (!gesture) return;
    gesture.gesture.cancel();
    const layer = app.session.layer;
    const dirty = gesture.gesture.takeDirty();
    if (layer && dirty) app.view.drawStrokes(layer, dirty);
    this.gesture = null;
    app.stopPainting();
  }

  /** The two fingers' distance and midpoint (viewport coordinates). */
  private pinchNow(): { distance: number; centre: Point } {
    const [a, b] = [...this.touches.values()];
    const centre = this.app.view.viewportPoint({ clientX: (a.x + b.x) / 2, clientY: (a.y + b.y) / 2 });
    return { distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), centre };
  }

  /** Zooms by the change in the fingers' distance about their midpoint, and pans with the midpoint. */
  private pinchMove(): void {
    const last = this.pinch;
    if (!last || this.touches.size < 2) return;
    const now = this.pinchNow();
    const { view } = this.app;
    view.panBy(now.centre.x - last.centre.x, now.centre.y - last.centre.y);
    view.zoomAt(now.distance / last.distance, now.centre);
    this.pinch = now;
  }

  /** Draws the gesture's changes once per frame, and asks for a preview while it goes on. */
  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      this.flushDrawing();
      if (this.gesture) this.app.maybePreview();
    });
  }

  private flushDrawing(): void {
    const layer = this.app.session.layer;
    const dirty = this.gesture?.gesture.takeDirty();
    if (layer && dirty) this.app.view.drawStrokes(layer, dirty);
  }

  private wheel(event: WheelEvent): void {
    if (!this.app.session.image) return;
    event.preventDefault();
    // Pixel-mode wheels report ~100 per notch; one notch zooms by about 1.2×.
    const delta = event.deltaMode === 1 ? event.deltaY * 33 : event.deltaY;
    this.app.view.zoomAt(Math.exp(-delta * 0.0018), this.app.view.viewportPoint(event));
    this.updateRing();
  }

  private keydown(event: KeyboardEvent): void {
    if (isTyping(event.target)) return;
    // With the shortcut list open, keys are for the list (Escape closes it, as does ?).
    if (this.app.ui.shortcuts.open && event.key !== '?') return;
    const action = actionFor(event);
    if (!action) return;
    event.preventDefault();
    this.perform(action);
  }

  perform(action: Action): void {
    const { app } = this;
    switch (action) {
      case 'tool:foreground':
      case 'tool:background':
      case 'tool:eraser':
      case 'tool:box':
        app.setTool(action.slice('tool:'.length) as 'foreground' | 'background' | 'eraser' | 'box');
        break;
      case 'size-down':
        app.setSize(stepBrushSize(app.size, -1));
        break;
      case 'size-up':
        app.setSize(stepBrushSize(app.size, 1));
        break;
      case 'fit':
        app.view.fit();
        break;
      case 'zoom-in':
        app.view.zoomAtCentre(1.25);
        break;
      case 'zoom-out':
        app.view.zoomAtCentre(0.8);
        break;
      case 'toggle-strokes':
        app.setStrokesShown(!app.ui.showStrokes.checked);
        break;
      case 'pan-hold':
        this.spaceHeld = true;
        this.updateRing();
        break;
      case 'undo':
        app.undo();
        break;
      case 'redo':
        app.redo();
        break;
      case 'help':
        app.toggleShortcuts();
        break;
    }
  }
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement && (target.type === 'number' || target.type === 'text');
}
