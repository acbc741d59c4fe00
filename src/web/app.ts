/**
 * The page's controller: owns the session, the view, the status bar and the worker client, and
 * keeps them in step. Every change to the strokes or settings ends in `requestMask`; every answer
 * from the worker arrives in `showAnswer`. Input (input.ts), the toolbar (controls.ts) and file
 * handling (file-actions.ts) call in here.
 */
import type { Elements } from './dom.js';
import type { BrowserStore } from './persist.js';
import { boxBetween, offersBorder, type PagePrompts, readPrompts, savePrompts } from './prompts.js';
import type { PageSegmentOptions, WorkerAnswer } from './protocol.js';
import type { ResultViewName } from './result-views.js';
import { Session } from './session.js';
import { encodeLabels } from './session-file.js';
import { DEFAULT_SETTINGS, type Settings, settingsProblem } from './settings.js';
import { keysText, SHORTCUTS } from './shortcuts.js';
import { SoftEdgeController } from './soft-edges.js';
import { errorText, StatusBar, statsText } from './status.js';
import type { Rect } from './strokes.js';
import { TOOLS, type ToolName } from './tools.js';
import type { Point } from './transform.js';
import { View } from './view.js';
import { type MaskBlocks, MaskClient, maskBlocks } from './worker-client.js';

/** The browser's copy is written this long after the last change (so a stroke burst writes once). */
const STORE_DELAY_MS = 250;

/** A change of the prompts, as the stroke history keeps it (see StrokeLayer.note). */
interface PromptNote {
  before: PagePrompts;
  beforeName: string | null;
  after: PagePrompts;
  afterName: string | null;
}

export class App {
  readonly session = new Session<HTMLCanvasElement>();
  /** The browser's copy of the session; null when the browser has no IndexedDB. */
  store: BrowserStore | null = null;
  /** Changes to the strokes, settings or image so far; and how many the store and a file hold. */
  private changes = 0;
  private storedChanges = 0;
  private savedChanges = 0;
  private storedImageToken = '';
  private storeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly view: View;
  readonly status: StatusBar;
  readonly client: MaskClient;
  /** The cut-out's soft edges: their settings, and the mattes asked of the worker. */
  readonly edges: SoftEdgeController;
  tool: ToolName = 'foreground';
  /** Brush diameter in image pixels. */
  size = 12;
  /** A gesture (a stroke) is in progress: masks shown now are previews. */
  painting = false;
  /** Masks shown while a stroke was still being painted. */
  previewsShown = 0;
  /** First looks drawn while a committed mask was computed (a quick look, a large image's coarse labels). */
  partialsShown = 0;
  /** Called when what the brush ring shows (tool, size) changed; input.ts sets it. */
  onBrushChange: () => void = () => {};

  constructor(readonly ui: Elements) {
    this.view = new View(ui);
    this.view.onLookChange = () => this.renderResult();
    this.status = new StatusBar(ui.message, ui.stats);
    this.client = new MaskClient({
      answer: (message, changedAt) => this.showAnswer(message, changedAt),
      partial: (mask, blocks) => this.showPartial(mask, blocks),
      busy: (busy) => {
        ui.busy.hidden = !busy;
        document.body.dataset.busy = String(busy);
      },
      failure: (text) => this.status.say(text, 'error'),
      matte: (request, answer) => this.edges.receive(request, answer),
    });
    this.edges = new SoftEdgeController(this);
  }

  // -- Settings ----------------------------------------------------------------------------------

  /** The settings as the toolbar has them (k as typed: check it with settingsProblem). */
  settings(): Settings {
    return { k: Number(this.ui.k.value), smooth: Number(this.ui.smooth.value) };
  }

  /** The settings and the prompts (box, prior mask, border) for segment(). */
  segmentOptions(): PageSegmentOptions {
    const options: PageSegmentOptions = this.settings();
    const prompts = this.session.prompts;
    if (prompts?.box) options.box = prompts.box;
    if (prompts?.prior) options.prior = prompts.prior;
    if (prompts?.borderBackground) options.background = 'border';
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

  /** The soft-edge toggle or radius changed: the cut-out follows, and the browser's copy keeps it. */
  softEdgesChanged(): void {
    this.changes++;
    this.scheduleStore();
    this.renderResult();
  }

  /** The stroke in progress ended (or was abandoned): soft edges may be asked for again. */
  stopPainting(): void {
    this.painting = false;
    this.edges.update();
  }

  /**
   * True when what is on screen is for the latest change: the mask, and the soft edges when wanted
   * (a failed worker settles too: nothing more will come).
   */
  get settled(): boolean {
    if (this.client.state.failure !== null) return true;
    return this.client.settled && (this.painting || !this.edges.pending);
  }

  // -- Masks -------------------------------------------------------------------------------------

  /**
   * Asks for the mask of the current strokes and settings (after a stroke, an undo, a settings
   * change…). With strokes of only one kind there is nothing to compute: say what is missing.
   */
  requestMask(changedAt = performance.now()): void {
    const { image, layer } = this.session;
    if (!image || !layer) return;
    this.changes++;
    this.scheduleStore();
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
  private showPartial(mask: Uint8Array, blocks?: MaskBlocks): void {
    const { image } = this.session;
    if (!image) return;
    this.partialsShown++;
    if (blocks)
      this.view.renderBlocks(
        { width: blocks.width, height: blocks.height, rgb: blocks.rgb, mask },
        blocks.factor,
      );
    else this.view.renderResult({ width: image.width, height: image.height, rgb: image.rgb, mask });
  }

  private showAnswer(message: WorkerAnswer, changedAt: number | undefined): void {
    if (this.painting) this.previewsShown++;
    if (message.type === 'error') {
      this.session.result = null;
      this.renderResult();
      this.showStats();
      this.status.say(errorText(message.code, message.message), 'error');
      return;
    }
    const blocks = maskBlocks(message.blocks);
    if (blocks) {
      // A large image's preview, on the shrunk image it was cut on: drawn, not kept.
      this.view.renderBlocks({ ...blocks, mask: new Uint8Array(message.mask) }, blocks.factor);
      if (this.painting) this.maybePreview();
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
    // The stroke may have grown while this preview was computed: follow it now rather than at the
    // next pointer move (a stroke that paused asks nothing: the client skips an unchanged state).
    if (this.painting && message.preview) this.maybePreview();
  }

  /** Redraws the result layer; the cut-out with soft edges once they are computed (the binary one until then). */
  renderResult(): void {
    const { image, result } = this.session;
    const matte = this.edges.shown();
    this.view.renderResult(
      image && result
        ? {
            width: image.width,
            height: image.height,
            rgb: image.rgb,
            mask: result.mask,
            matte,
          }
        : null,
    );
    this.edges.update();
  }

  showStats(): void {
    const { image, result } = this.session;
    this.status.showStats(
      statsText(image, result ? { stats: result.stats, computeMs: this.client.lastComputeMs } : null),
    );
  }

  // -- Strokes and history -----------------------------------------------------------------------

  updateHistoryButtons(): void {
    this.ui.undo.disabled = !this.session.layer?.canUndo && !this.session.canGoBack;
    this.ui.redo.disabled = !this.session.layer?.canRedo && !this.session.canGoForward;
  }

  /** Puts the current image's session on screen (a new one, or one gone back or forward to). */
  showCurrent(): void {
    const current = this.session.current;
    if (!current) return;
    const { image, layer, display } = current;
    if (this.view.currentCanvas !== display) this.view.setImage(display);
    this.view.drawAllStrokes(layer);
    this.client.setImage(image.id, image.width, image.height, image.rgb);
    this.ui.exampleStrokes.hidden = !image.isExample;
    this.edges.showRadius();
    this.renderResult();
    this.showStats();
    this.view.fit();
    this.requestMask();
  }

  /** After the strokes changed inside `rect` (null: not at all): redraw them and recompute. */
  private strokesChanged(rect: Rect | null): void {
    const { layer } = this.session;
    if (!rect || !layer) return;
    this.view.drawStrokes(layer, rect);
    this.requestMask();
  }

  /** Undoes the last stroke (or prompt change); past the image's first one, goes back to the image open before. */
  undo(): void {
    const { layer } = this.session;
    if (layer?.canUndo) {
      const rect = layer.undo();
      this.applyNote(layer.lastNote, 'before');
      this.strokesChanged(rect);
    } else if (this.session.back()) {
      this.showCurrent();
      this.status.say(`Back to "${this.session.image?.name}" (Redo returns to the other image).`);
    }
  }

  redo(): void {
    const { layer } = this.session;
    if (layer?.canRedo) {
      const rect = layer.redo();
      this.applyNote(layer.lastNote, 'after');
      this.strokesChanged(rect);
    } else if (this.session.forward()) {
      this.showCurrent();
      this.status.say(`Forward to "${this.session.image?.name}".`);
    }
  }

  // -- Keeping the work --------------------------------------------------------------------------

  /** True when leaving now would lose work: strokes changed since the browser's copy and any file. */
  get workAtRisk(): boolean {
    return this.session.hasWork && this.changes > Math.max(this.storedChanges, this.savedChanges);
  }

  /** The work as it is now is in a file (exported strokes, a saved session). */
  markSaved(): void {
    this.savedChanges = this.changes;
  }

  /** True when the browser's copy holds every change so far. */
  get stored(): boolean {
    return this.store !== null && this.storedChanges === this.changes;
  }

  private scheduleStore(): void {
    if (!this.store) return;
    clearTimeout(this.storeTimer);
    this.storeTimer = setTimeout(() => void this.storeNow(), STORE_DELAY_MS);
  }

  private async storeNow(): Promise<void> {
    const { store } = this;
    const current = this.session.current;
    if (!store || !current) return;
    // Not while a mask is being computed: encoding the strokes is a pass over the image, which
    // would delay showing the mask.
    if (!this.client.settled || this.painting) {
      this.scheduleStore();
      return;
    }
    const changes = this.changes;
    const { image, layer, token } = current;
    const imageRecord =
      token === this.storedImageToken
        ? undefined
        : { token, file: current.file, name: image.name, isExample: image.isExample };
    try {
      await store.save(
        {
          token,
          width: image.width,
          height: image.height,
          strokes: encodeLabels(layer.labels),
          settings: this.settings(),
          softEdges: this.edges.settings(),
          prompts: savePrompts(current.prompts, current.priorName),
          edited: this.session.hasWork,
        },
        imageRecord,
      );
      this.storedImageToken = token;
      this.storedChanges = Math.max(this.storedChanges, changes);
    } catch (error) {
      // Full or refused storage: the work is still here, and leaving warns (workAtRisk).
      console.warn('strokecut: could not keep the session in the browser', error);
    }
  }

  clearStrokes(): void {
    const { layer } = this.session;
    if (layer) this.strokesChanged(layer.replaceAll(new Uint8Array(layer.labels.length)));
  }

  // -- Prompts: box, prior mask, border -----------------------------------------------------------

  /** Shows the box (or `dragged`, the one being dragged), and offers the border and the removal of prompts where they apply. */
  showPrompts(dragged?: PagePrompts['box']): void {
    const { layer, prompts } = this.session;
    this.view.showBox(dragged !== undefined ? dragged : (prompts?.box ?? null));
    const { ui } = this;
    ui.borderOffer.hidden = !layer || !prompts || !offersBorder(layer.counts, prompts);
    ui.borderOffer.setAttribute('aria-pressed', String(prompts?.borderBackground ?? false));
    ui.clearPrompts.hidden = !prompts?.box && !prompts?.prior;
    ui.clearPrompts.textContent =
      prompts?.box && prompts.prior ? 'Remove box and mask' : prompts?.box ? 'Remove box' : 'Remove mask';
  }

  /**
   * Replaces the prompts as one undoable change (in the stroke history); returns whether they
   * changed. The caller asks for the mask (the box tool's gesture does, through input.ts).
   */
  private recordPrompts(next: PagePrompts, priorName?: string | null): boolean {
    const current = this.session.current;
    if (!current) return false;
    const before = current.prompts;
    if (
      JSON.stringify(before.box) === JSON.stringify(next.box) &&
      before.prior === next.prior &&
      before.borderBackground === next.borderBackground
    ) {
      return false;
    }
    const note: PromptNote = {
      before,
      beforeName: current.priorName,
      after: next,
      afterName: priorName === undefined ? current.priorName : priorName,
    };
    current.prompts = next;
    current.priorName = note.afterName;
    current.layer.note(note);
    return true;
  }

  private changePrompts(next: PagePrompts, priorName?: string | null): void {
    if (this.recordPrompts(next, priorName)) this.requestMask();
  }

  /** Undo or redo stepped over a prompt change: put back its prompts from before or after. */
  private applyNote(note: unknown, side: 'before' | 'after'): void {
    const current = this.session.current;
    if (!current || typeof note !== 'object' || note === null) return;
    const prompts = note as PromptNote;
    current.prompts = side === 'before' ? prompts.before : prompts.after;
    current.priorName = side === 'before' ? prompts.beforeName : prompts.afterName;
  }

  /** The box tool: shows the rectangle while dragged; at the release it becomes the box prompt (a click removes it). */
  dragBox(from: Point, to: Point, done: boolean): boolean {
    const { image, prompts } = this.session;
    if (!image || !prompts) return false;
    const box = boxBetween(from, to, image.width, image.height);
    if (!done) {
      this.showPrompts(box ?? prompts.box);
      return false;
    }
    const changed = this.recordPrompts({ ...prompts, box });
    this.showPrompts();
    return changed;
  }

  setBorderBackground(on: boolean): void {
    const { prompts } = this.session;
    if (prompts) this.changePrompts({ ...prompts, borderBackground: on });
  }

  /** A loaded mask becomes the prior (`name`: its file, for the replay hint). */
  setPrior(prior: Uint8Array | null, name: string | null): void {
    const { prompts } = this.session;
    if (prompts) this.changePrompts({ ...prompts, prior }, name);
  }

  /** Prompts from a session file, on the open image (undoably); throws when they do not fit it. */
  restorePrompts(saved: unknown): void {
    const { image } = this.session;
    if (!image) return;
    const { prompts, priorName } = readPrompts(saved, image.width, image.height);
    this.recordPrompts(prompts, priorName);
    this.showPrompts();
  }

  /** Removes the box and the prior mask (undoably). */
  clearPrompts(): void {
    const { prompts } = this.session;
    if (prompts) this.changePrompts({ ...prompts, box: null, prior: null }, null);
  }

  // -- Tools and views ---------------------------------------------------------------------------

  setTool(tool: ToolName): void {
    this.tool = tool;
    for (const button of document.querySelectorAll<HTMLButtonElement>('.tool')) {
      button.setAttribute('aria-pressed', String(button.dataset.tool === tool));
    }
    // The box tool has no brush ring: a crosshair instead.
    this.ui.viewport.classList.toggle('box-tool', tool === 'box');
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
    // The opacity is the overlay's; the cut-out has its soft-edge controls in the same place.
    this.ui.opacity.hidden = view !== 'overlay';
    this.ui.edgeControls.hidden = view !== 'cutout';
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
