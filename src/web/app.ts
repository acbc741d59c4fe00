/**
 * The page's controller: owns the session, the view, the status bar and the worker client, and
 * keeps them in step. Every change to the strokes or settings ends in `requestMask`; every answer
 * from the worker arrives in `showAnswer`. Input (input.ts), the toolbar (controls.ts) and file
 * handling (file-actions.ts) call in here.
 */
import type { Elements } from './dom.js';
import { boxBetween, offersBorder } from './prompts.js';
import type { PageSegmentOptions, WorkerAnswer } from './protocol.js';
import type { ResultViewName } from './result-views.js';
import { Session } from './session.js';
import { DEFAULT_SETTINGS, type Settings, settingsProblem } from './settings.js';
import { keysText, SHORTCUTS } from './shortcuts.js';
import { StatusBar, statsText } from './status.js';
import type { Rect } from './strokes.js';
import { TOOLS, type ToolName } from './tools.js';
import type { Point } from './transform.js';
import { View } from './view.js';
import { MaskClient } from './worker-client.js';

export class App {
  readonly session = new Session();
  readonly view: View;
  readonly status: StatusBar;
  readonly client: MaskClient;
  tool: ToolName = 'foreground';
  /** Brush diameter in image pixels. */
  size = 12;
  /** A gesture (a stroke) is in progress: masks shown now are previews. */
  painting = false;
  /** Masks shown while a stroke was still being painted. */
  previewsShown = 0;
  /** Called when what the brush ring shows (tool, size) changed; input.ts sets it. */
  onBrushChange: () => void = () => {};

  constructor(readonly ui: Elements) {
    this.view = new View(ui);
    this.view.onLookChange = () => this.renderResult();
    this.status = new StatusBar(ui.message, ui.stats);
    this.client = new MaskClient({
      answer: (message, changedAt) => this.showAnswer(message, changedAt),
      partial: (mask) => this.showPartial(mask),
      busy: (busy) => {
        ui.busy.hidden = !busy;
        document.body.dataset.busy = String(busy);
      },
      failure: (text) => this.status.say(text, 'error'),
    });
  }

  // -- Settings ----------------------------------------------------------------------------------

  /** The settings as the toolbar has them (k as typed: check it with settingsProblem). */
  settings(): Settings {
    return { k: Number(this.ui.k.value), smooth: Number(this.ui.smooth.value) };
  }

  /** The settings and the prompts (box, prior mask, border) for segment(). */
  segmentOptions(): PageSegmentOptions {
    const options: PageSegmentOptions = this.settings();
    const { box, prior, borderBackground } = this.session.prompts;
    if (box) options.box = box;
    if (prior) options.prior = prior;
    if (borderBackground) options.background = 'border';
    return options;
  }

  /** Puts `settings` in the toolbar (the smoothing slider widens to fit). */
  applySettings(settings: Settings): void {
    const { ui } = this;
    ui.smooth.max = String(Math.max(Number(ui.smooth.max), DEFAULT_SETTINGS.smooth * 4, settings.smooth));
    ui.smooth.value = String(settings.smooth);
    ui.smoothValue.textContent = ui.smooth.value;
    ui.k.value = String(settings.k);
  }

  // -- Masks -------------------------------------------------------------------------------------

  /**
   * Asks for the mask of the current strokes and settings (after a stroke, an undo, a settings
   * change…). With strokes of only one kind there is nothing to compute: say what is missing.
   */
  requestMask(changedAt = performance.now()): void {
    const { image, layer } = this.session;
    if (!image || !layer) return;
    this.updateHistoryButtons();
    this.showPrompts();
    const hint = this.session.hint();
    if (hint) {
      this.client.reset();
      this.session.result = null;
      this.renderResult();
      this.showStats();
      this.status.say(hint, 'hint');
      return;
    }
    // Quote k as typed (the field may hold anything), not as the number it reads as.
    if (settingsProblem(this.settings())) {
      this.status.say(`k must be a whole number from 1 to 500; found "${this.ui.k.value}".`, 'error');
      return;
    }
    this.client.commit(
      { imageId: image.id, labels: layer.labels.slice(), options: this.segmentOptions() },
      changedAt,
    );
  }

  /** While painting: a preview of the mask, when previews are quick and the worker is idle. */
  maybePreview(): void {
    const { image, layer } = this.session;
    if (!image || !layer || !this.client.canPreview) return;
    if (this.session.hint()) return;
    this.client.preview({ imageId: image.id, labels: layer.labels.slice(), options: this.segmentOptions() });
  }

  /** A first look at the mask being computed: drawn, not kept as the result (nor exported). */
  private showPartial(mask: Uint8Array): void {
    const { image } = this.session;
    if (image) this.view.renderResult({ width: image.width, height: image.height, rgb: image.rgb, mask });
  }

  private showAnswer(message: WorkerAnswer, changedAt: number | undefined): void {
    if (this.painting) this.previewsShown++;
    if (message.type === 'error') {
      this.session.result = null;
      this.renderResult();
      this.showStats();
      this.status.say(
        message.code === 'UNEXPECTED'
          ? `Unexpected error (please report it): ${message.message}`
          : message.message,
        'error',
      );
      return;
    }
    this.session.result = { mask: new Uint8Array(message.mask), stats: message.stats };
    const renderStart = performance.now();
    this.renderResult();
    const renderMs = performance.now() - renderStart;
    this.showStats();
    // A mask makes hints ("add a background stroke") and earlier errors moot; information
    // ("imported…", "saved…") stays.
    const warning = message.stats.warnings[0];
    if (warning) this.status.say(`Note: ${warning}`);
    else this.status.clearUnlessInfo();
    if (changedAt !== undefined) {
      this.client.measure(message.seq, changedAt, message.workerMs, renderMs, message.stats);
    }
  }

  renderResult(): void {
    const { image, result } = this.session;
    this.view.renderResult(
      image && result
        ? { width: image.width, height: image.height, rgb: image.rgb, mask: result.mask }
        : null,
    );
  }

  showStats(): void {
    const { image, result } = this.session;
    this.status.showStats(
      statsText(image, result ? { stats: result.stats, computeMs: this.client.lastComputeMs } : null),
    );
  }

  // -- Strokes and history -----------------------------------------------------------------------

  updateHistoryButtons(): void {
    this.ui.undo.disabled = !this.session.layer?.canUndo;
    this.ui.redo.disabled = !this.session.layer?.canRedo;
  }

  /** After the strokes changed inside `rect` (null: not at all): redraw them and recompute. */
  private strokesChanged(rect: Rect | null): void {
    const { layer } = this.session;
    if (!rect || !layer) return;
    this.view.drawStrokes(layer, rect);
    this.requestMask();
  }

  undo(): void {
    this.strokesChanged(this.session.layer?.undo() ?? null);
  }

  redo(): void {
    this.strokesChanged(this.session.layer?.redo() ?? null);
  }

  clearStrokes(): void {
    const { layer } = this.session;
    if (layer) this.strokesChanged(layer.replaceAll(new Uint8Array(layer.labels.length)));
  }

  // -- Prompts: box, prior mask, border ---------------------------------------------------------

  /** Shows the box, and offers the border and the removal of prompts where they apply. */
  showPrompts(dragged?: { x: number; y: number; width: number; height: number } | null): void {
    const { layer, prompts } = this.session;
    this.view.showBox(dragged === undefined ? prompts.box : dragged);
    this.ui.borderOffer.hidden = !layer || !offersBorder(layer.counts, prompts);
    this.ui.borderBackground.checked = prompts.borderBackground;
    this.ui.clearPrompts.hidden = !prompts.box && !prompts.prior;
  }

  /** The box tool: shows the rectangle while dragged; at the release it becomes the box prompt. */
  dragBox(from: Point, to: Point, done: boolean): boolean {
    const { image } = this.session;
    if (!image) return false;
    const box = boxBetween(from, to, image.width, image.height);
    if (!done) {
      this.showPrompts(box ?? this.session.prompts.box);
      return false;
    }
    const before = JSON.stringify(this.session.prompts.box);
    // A click without a drag removes the box.
    this.session.prompts.box = box;
    this.showPrompts();
    return JSON.stringify(box) !== before;
  }

  setBorderBackground(on: boolean): void {
    this.session.prompts.borderBackground = on;
    this.requestMask();
  }

  setPrior(prior: Uint8Array | null): void {
    this.session.prompts.prior = prior;
    this.requestMask();
  }

  clearPrompts(): void {
    this.session.prompts.box = null;
    this.session.prompts.prior = null;
    this.requestMask();
  }

  // -- Tools and views ---------------------------------------------------------------------------

  setTool(tool: ToolName): void {
    this.tool = tool;
    for (const button of document.querySelectorAll<HTMLButtonElement>('.tool')) {
      button.setAttribute('aria-pressed', String(button.dataset.tool === tool));
    }
    this.onBrushChange();
  }

  get toolRing(): 'solid' | 'dashed' | null {
    return TOOLS[this.tool].ring;
  }

  setSize(size: number): void {
    const { ui } = this;
    this.size = Math.max(Number(ui.size.min), Math.min(Number(ui.size.max), Math.round(size)));
    ui.size.value = String(this.size);
    ui.sizeValue.textContent = String(this.size);
    this.onBrushChange();
  }

  setResultView(view: ResultViewName): void {
    this.view.resultView = view;
    this.renderResult();
  }

  setOverlayOpacity(percent: number): void {
    this.view.overlayOpacity = percent / 100;
    this.renderResult();
  }

  /** Opens or closes the list of keyboard shortcuts (built from the table on first use). */
  toggleShortcuts(): void {
    const dialog = this.ui.shortcuts;
    if (dialog.open) {
      dialog.close();
      return;
    }
    const list = this.ui.shortcutList;
    if (list.childElementCount === 0) {
      for (const shortcut of SHORTCUTS) {
        const row = document.createElement('tr');
        const keys = document.createElement('td');
        const kbd = document.createElement('kbd');
        kbd.textContent = keysText(shortcut);
        keys.append(kbd);
        const label = document.createElement('td');
        label.textContent = shortcut.label;
        row.append(keys, label);
        list.append(row);
      }
    }
    dialog.showModal();
  }

  setStrokesShown(shown: boolean): void {
    this.ui.showStrokes.checked = shown;
    this.view.strokesShown = shown;
  }
}
