/**
 * The cut-out's soft edges (issue #12): the toggle and radius in the cut-out view's Edges drop-down,
 * and the mattes (src/core/matte/) asked of the worker. A matte is asked for only once its mask is
 * on screen and only while the cut-out is shown or exported, so it never delays a mask; one computed
 * for a mask or radius since replaced is dropped (latest-wins, as masks are). The mask itself never
 * changes with these settings.
 */
import { defaultEdgeRadius } from '../core/matte/matte.js';
import type { App } from './app.js';
import { PageError } from './files.js';
import type { MatteAnswer } from './protocol.js';
import { MAX_EDGE_RADIUS, type SoftEdges } from './settings.js';
import type { MatteRequest } from './worker-client.js';

/** The soft edges computed for one mask (the very array on screen) and radius, or why they failed. */
type MatteState = { mask: Uint8Array; edgeRadius: number | undefined } & (
  | { alpha: Uint8Array; foreground: Uint8Array; error?: undefined }
  | { error: string }
);

export class SoftEdgeController {
  /** The radius chosen; null = the library's default for the image's size. */
  private radiusSetting: number | null = null;
  /** The soft edges of the mask on screen, once computed. */
  private matte: MatteState | null = null;
  /** Exports waiting for soft edges (they are wanted even when the cut-out is not on screen). */
  private exportsWaiting = 0;
  /** Mattes the worker answered, and the worker's milliseconds for the last (probes for tests and benches). */
  computed = 0;
  lastMs = 0;

  constructor(private readonly app: App) {}

  // -- Settings ----------------------------------------------------------------------------------

  /** The settings as the drop-down has them. */
  settings(): SoftEdges {
    return { soft: this.app.ui.softEdges.checked, edgeRadius: this.radiusSetting };
  }

  /** Puts `settings` in the drop-down (the radius slider shows the current image's default for null). */
  apply(settings: SoftEdges): void {
    this.app.ui.softEdges.checked = settings.soft;
    this.radiusSetting = settings.edgeRadius;
    this.showRadius();
    this.app.renderResult();
  }

  /** The radius slider: the chosen radius, or the image's default; its range reaches 4× the default. */
  showRadius(): void {
    const { ui, session } = this.app;
    const image = session.image;
    const fallback = image ? defaultEdgeRadius(image.width, image.height) : Number(ui.edgeRadius.value);
    const value = this.radiusSetting ?? fallback;
    ui.edgeRadius.max = String(Math.min(MAX_EDGE_RADIUS, Math.max(40, fallback * 4, value)));
    ui.edgeRadius.value = String(value);
    ui.edgeRadiusValue.textContent = String(value);
  }

  /** The radius slider moved to `value` (`done`: let go, so compute): the image's default means "default". */
  setRadius(value: number, done: boolean): void {
    const image = this.app.session.image;
    this.radiusSetting = image && value === defaultEdgeRadius(image.width, image.height) ? null : value;
    this.app.ui.edgeRadiusValue.textContent = String(value);
    if (done) this.app.softEdgesChanged();
  }

  // -- Mattes ------------------------------------------------------------------------------------

  /** The radius to ask `matte()` for: undefined gives the library's default, as the CLI without --edge-radius. */
  private get radius(): number | undefined {
    return this.radiusSetting ?? undefined;
  }

  /** Soft edges are wanted for the mask on screen: they are on, and the cut-out is shown or exported. */
  private get wanted(): boolean {
    const { session, ui, view } = this.app;
    return (
      session.result !== null &&
      ui.softEdges.checked &&
      (view.resultView === 'cutout' || this.exportsWaiting > 0)
    );
  }

  /** The soft edges (or their error) of the mask on screen with the current radius, if computed. */
  private current(): MatteState | null {
    const { matte } = this;
    const mask = this.app.session.result?.mask;
    return matte && mask && matte.mask === mask && matte.edgeRadius === this.radius ? matte : null;
  }

  /** What the cut-out view should draw with: the current soft edges when on and computed, else null (binary). */
  shown(): { alpha: Uint8Array; foreground: Uint8Array } | null {
    const matte = this.app.ui.softEdges.checked ? this.current() : null;
    return matte && matte.error === undefined ? matte : null;
  }

  /** Soft edges are wanted for the mask on screen and not computed yet. */
  get pending(): boolean {
    return this.wanted && this.current() === null;
  }

  /** Asks the worker for the soft edges when they are wanted and missing (never mid-stroke). */
  update(): void {
    const { session, client, painting } = this.app;
    const { image, result } = session;
    if (!this.wanted || !image || !result || this.current()) {
      client.cancelMatte();
      return;
    }
    if (painting) return;
    client.requestMatte({ imageId: image.id, mask: result.mask, edgeRadius: this.radius });
  }

  receive(request: MatteRequest, answer: MatteAnswer): void {
    const { mask, edgeRadius } = request;
    this.computed++;
    if (answer.type === 'matte') this.lastMs = answer.workerMs;
    this.matte =
      answer.type === 'matte'
        ? {
            mask,
            edgeRadius,
            alpha: new Uint8Array(answer.alpha),
            foreground: new Uint8Array(answer.foreground),
          }
        : { mask, edgeRadius, error: answer.message };
    if (!this.current()) {
      this.update();
      return;
    }
    if (answer.type === 'matte-error') this.app.status.say(`Soft edges failed: ${answer.message}`, 'error');
    this.app.renderResult();
  }

  /**
   * The mask of the current strokes and its soft edges, once both are computed (for the cut-out
   * export); null when there is no mask. Throws when the soft edges failed.
   */
  async forExport(): Promise<{ mask: Uint8Array; alpha: Uint8Array; foreground: Uint8Array } | null> {
    const { client, session } = this.app;
    this.exportsWaiting++;
    try {
      for (;;) {
        await client.whenSettled();
        const mask = session.result?.mask;
        const { failure } = client.state;
        if (failure !== null) throw new PageError(failure);
        if (!mask) return null;
        this.update();
        const matte = this.current();
        if (matte?.error !== undefined) throw new PageError(`Soft edges failed: ${matte.error}`);
        if (matte) return { mask, alpha: matte.alpha, foreground: matte.foreground };
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    } finally {
      this.exportsWaiting--;
      this.update();
    }
  }
}
