/**
 * The page's side of the worker (worker.ts): sends it the image and mask requests, with latest-wins
 * scheduling (latest-wins.ts), and hands back only the answers that are still current. Also keeps
 * the latency figures the tests and bench/web-latency.ts read.
 */
import type { SegmentStats } from '../core/segment.js';
import { LatestWins } from './latest-wins.js';
import type {
  FromWorker,
  MatteAnswer,
  PageSegmentOptions,
  PartialBlocks,
  ToWorker,
  WorkerAnswer,
  WorkerPartial,
} from './protocol.js';

/**
 * Masks are previewed while painting only while a preview takes less than this many milliseconds:
 * five previews a second, and a stroke's own mask waits at most this long behind one.
 */
const PREVIEW_MAX_MS = 200;
const PREVIEW_RETRY_FACTOR = 5;

export interface MaskRequest {
  imageId: number;
  labels: Uint8Array;
  options: PageSegmentOptions;
  /** Whether the worker sends a quick look first (set by the client, not the caller). */
  quickLook?: boolean;
}

/** The last preview sent: what it was for, to tell whether a later state is the same. */
interface SentPreview {
  seq: number;
  imageId: number;
  labels: Uint8Array;
  options: string;
}

/** A change-to-mask-on-screen latency. */
export interface Latency {
  seq: number;
  /** From the change (pointer up, undo…) to the frame showing its mask. */
  ms: number;
  /**
   * From the change to the frame showing the first look at its mask (a large image's coarse
   * labels, see `WorkerPartial`); the same as `ms` when there was none.
   */
  firstMs: number;
  /** Of which in the worker, and drawing the result layer. */
  workerMs: number;
  renderMs: number;
  timings: SegmentStats['timings'];
  pixels: number;
}

export interface MaskClientEvents {
  /** A current answer (result or error); `changedAt` is when its change was made, if committed. */
  answer(message: WorkerAnswer, changedAt: number | undefined): void;
  /** A first look at the mask of the latest committed state, while its answer is computed. */
  partial(mask: Uint8Array, blocks?: MaskBlocks): void;
  /** The worker got busy or idle. */
  busy(busy: boolean): void;
  /** The worker itself failed (did not load, or crashed). */
  failure(text: string): void;
  /** Soft edges for `request`'s mask (or why they failed); the page decides whether still current. */
  matte(request: MatteRequest, answer: MatteAnswer): void;
}

/** A first look on the shrunk image: its blocks' colours (RGB) and size, each `factor` pixels wide. */
export interface MaskBlocks {
  width: number;
  height: number;
  factor: number;
  rgb: Uint8Array;
}

/** Soft edges wanted for a mask on screen (the mask itself, to tell a stale answer). */
export interface MatteRequest {
  imageId: number;
  mask: Uint8Array;
  edgeRadius: number | undefined;
}

export class MaskClient {
  readonly latencies: Latency[] = [];
  /** Milliseconds the worker took for the last mask. */
  lastComputeMs = Number.POSITIVE_INFINITY;
  /** Milliseconds the worker took for the last preview of this image (0 before any: try one). */
  lastPreviewMs = 0;
  /** Sequence number of the state whose outcome (mask, error or hint) is on screen. */
  private displayedSeq = 0;
  private imageId = 0;
  private readonly worker: Worker;
  private readonly scheduler: LatestWins<MaskRequest>;
  /** When each committed request's change was made (pointer up, undo…), to measure latency. */
  private readonly changeTimes = new Map<number, number>();
  /** When the first look at a committed request's mask was on screen. */
  private readonly firstShown = new Map<number, number>();
  /**
   * Matte requests, latest-wins too: at most one with the worker, at most one waiting, sent only
   * while no mask is being computed (a mask always goes first).
   */
  private matteSeq = 0;
  private matteInFlight: { seq: number; request: MatteRequest } | null = null;
  private mattePending: MatteRequest | null = null;
  private lastPreview: SentPreview | null = null;
  private lastPreviewSentAt = 0;
  /** Masks drawn whose latency is not recorded yet (it is once their frame is painted). */
  private unmeasured = 0;
  /**
   * A preview still with the worker whose strokes and settings are exactly a committed request's:
   * its answer is that request's first look (the worker is not asked for another).
   */
  private covering: { previewSeq: number; commitSeq: number } | null = null;
  /** Why the worker stopped (it failed to load or crashed): no answer will come after that. */
  private failure: string | null = null;

  constructor(private readonly events: MaskClientEvents) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.scheduler = new LatestWins<MaskRequest>((request) => {
      const { imageId, labels, options } = request.payload;
      const message: ToWorker = {
        type: 'segment',
        imageId,
        seq: request.seq,
        labels: labels.buffer as ArrayBuffer,
        options,
        preview: request.preview,
        quickLook: request.payload.quickLook ?? true,
      };
      this.worker.postMessage(message, [labels.buffer]);
      this.events.busy(this.busy);
    });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      this.failure = `The page's worker failed: ${event.message || 'it could not be loaded'}. Reload the page.`;
      this.events.failure(this.failure);
      this.events.busy(this.busy);
    };
  }

  get busy(): boolean {
    return this.failure === null && (this.scheduler.busy || this.matteBusy);
  }

  /** A matte is being computed or waits to be. */
  get matteBusy(): boolean {
    return this.failure === null && (this.matteInFlight !== null || this.mattePending !== null);
  }

  /**
   * True when nothing is being computed and what is on screen is for the latest change, or when
   * the worker failed (its error is on screen and nothing more will come).
   */
  get settled(): boolean {
    if (this.failure !== null) return true;
    return !this.scheduler.busy && this.displayedSeq >= this.scheduler.latestCommitted;
  }

  /** Where the scheduling stands: for a test that waited too long to say why. */
  get state(): { busy: boolean; latestCommitted: number; displayedSeq: number; failure: string | null } {
    return {
      busy: this.scheduler.busy,
      latestCommitted: this.scheduler.latestCommitted,
      displayedSeq: this.displayedSeq,
      failure: this.failure,
    };
  }

  /**
   * Every mask drawn has its latency in {@link latencies} (a test or bench that waits for this
   * after settling reads the latest change's, not the one before).
   */
  get measured(): boolean {
    return this.unmeasured === 0;
  }

  async whenSettled(): Promise<void> {
    while (!this.settled) await new Promise((resolve) => setTimeout(resolve, 15));
  }

  /**
   * Asks for the soft edges of a mask on screen. Replaces a matte request still waiting; one already
   * with the worker for the same mask and radius is not asked for again.
   */
  requestMatte(request: MatteRequest): void {
    const same = (other: MatteRequest | null | undefined) =>
      other?.mask === request.mask && other.edgeRadius === request.edgeRadius;
    if (same(this.matteInFlight?.request)) {
      this.mattePending = null;
      return;
    }
    this.mattePending = request;
    this.sendMatte();
  }

  /** Drops a matte request still waiting (the cut-out no longer needs one). */
  cancelMatte(): void {
    this.mattePending = null;
    this.events.busy(this.busy);
  }

  private sendMatte(): void {
    const request = this.mattePending;
    if (!request || this.matteInFlight || this.scheduler.busy) {
      this.events.busy(this.busy);
      return;
    }
    this.mattePending = null;
    if (request.imageId !== this.imageId) return;
    const seq = ++this.matteSeq;
    this.matteInFlight = { seq, request };
    const mask = request.mask.slice().buffer;
    const message: ToWorker = {
      type: 'matte',
      imageId: request.imageId,
      matteSeq: seq,
      mask,
      edgeRadius: request.edgeRadius,
    };
    this.worker.postMessage(message, [mask]);
    this.events.busy(this.busy);
  }

  /** Gives the worker a new image (its RGB bytes are copied); earlier answers become stale. */
  setImage(imageId: number, width: number, height: number, rgb: Uint8Array): void {
    this.imageId = imageId;
    this.mattePending = null;
    this.lastPreview = null;
    this.covering = null;
    // Another image's previews may cost something else: try one again.
    this.lastPreviewMs = 0;
    this.displayedSeq = this.scheduler.reset();
    const message: ToWorker = { type: 'image', imageId, width, height, rgb: rgb.slice().buffer };
    this.worker.postMessage(message, [message.rgb]);
  }

  /** Asks for the mask of a committed state (its labels are transferred: pass a copy). */
  commit(request: MaskRequest, changedAt: number): void {
    // A preview of exactly these strokes on screen, or on its way, is the first look at their mask.
    const preview =
      this.lastPreview !== null && isSameState(this.lastPreview, request) ? this.lastPreview : null;
    const onScreen = preview !== null && this.displayedSeq === preview.seq;
    const coming = preview !== null && this.scheduler.inFlightSeq === preview.seq;
    const seq = this.scheduler.commit({ ...request, quickLook: !(onScreen || coming) });
    this.covering = coming && preview ? { previewSeq: preview.seq, commitSeq: seq } : null;
    this.lastPreview = null;
    this.changeTimes.set(seq, changedAt);
    if (onScreen) this.firstShown.set(seq, changedAt);
    this.events.busy(this.busy);
  }

  /** True when a preview is worth asking for: the worker is idle and previews are quick. */
  get canPreview(): boolean {
    if (this.scheduler.busy) return false;
    // A preview over budget (a cold start, a busy moment) is tried again after a while, so at most
    // a sixth of the time goes to previews that turn out too slow.
    return (
      this.lastPreviewMs < PREVIEW_MAX_MS ||
      performance.now() - this.lastPreviewSentAt > PREVIEW_RETRY_FACTOR * this.lastPreviewMs
    );
  }

  /** True when the mask on screen is the preview of exactly `request`'s strokes and settings. */
  showsPreviewOf(request: MaskRequest): boolean {
    const preview = this.lastPreview;
    return preview !== null && this.displayedSeq === preview.seq && isSameState(preview, request);
  }

  /** Asks for a preview if the worker is idle. */
  preview(request: MaskRequest): void {
    // Painting that paused: the mask of these strokes is on screen or on its way.
    if (this.lastPreview && isSameState(this.lastPreview, request)) return;
    const labels = request.labels.slice();
    const seq = this.scheduler.preview(request);
    if (seq !== null) {
      this.lastPreviewSentAt = performance.now();
      this.lastPreview = { seq, imageId: request.imageId, labels, options: JSON.stringify(request.options) };
    }
    this.events.busy(this.busy);
  }

  /** The current state needs no mask (strokes of one kind only): every answer so far is stale. */
  reset(): void {
    this.displayedSeq = this.scheduler.reset();
  }

  /**
   * Records the latency of the answer shown: the next frame shows the new mask, and its rendering
   * runs right after the animation-frame callbacks, in the same task, so a task queued from one
   * runs once the frame is painted.
   */
  measure(seq: number, changedAt: number, workerMs: number, renderMs: number, stats: SegmentStats): void {
    const first = this.firstShown.get(seq);
    this.firstShown.delete(seq);
    this.unmeasured++;
    requestAnimationFrame(() =>
      setTimeout(() => {
        this.unmeasured--;
        const ms = performance.now() - changedAt;
        this.latencies.push({
          seq,
          ms,
          firstMs: first === undefined ? ms : first - changedAt,
          workerMs,
          renderMs,
          timings: stats.timings,
          pixels: stats.width * stats.height,
        });
      }),
    );
  }

  private receive(message: FromWorker): void {
    if (message.type === 'partial') {
      this.receivePartial(message);
      return;
    }
    if (message.type === 'matte' || message.type === 'matte-error') {
      const sent = this.matteInFlight;
      if (sent?.seq !== message.matteSeq) return;
      this.matteInFlight = null;
      if (message.imageId === this.imageId) this.events.matte(sent.request, message);
      this.sendMatte();
      return;
    }
    const covering = this.covering;
    if (covering?.previewSeq === message.seq) {
      this.covering = null;
      if (message.type === 'result' && message.imageId === this.imageId) {
        const { imageId, mask, blocks, workerMs } = message;
        this.receivePartial({ type: 'partial', imageId, seq: covering.commitSeq, mask, blocks, workerMs });
      }
    }
    const current = this.scheduler.receive(message.seq) && message.imageId === this.imageId;
    this.events.busy(this.busy);
    if (message.type === 'result') {
      // A committed request's quick look is a preview too: one slow preview (the first of a
      // stroke, a busy moment) must not stop previews for good.
      if (message.previewMs !== null) this.lastPreviewMs = message.previewMs;
      if (!message.preview) this.lastComputeMs = message.workerMs;
    }
    const changedAt = this.changeTimes.get(message.seq);
    this.changeTimes.delete(message.seq);
    if (!current) {
      this.firstShown.delete(message.seq);
      this.sendMatte();
      return; // stale: the strokes or settings changed since it was asked for
    }
    this.displayedSeq = message.seq;
    this.events.answer(message, changedAt);
    // A matte asked for while this mask was computed waits no longer.
    this.sendMatte();
  }

  private receivePartial(message: WorkerPartial): void {
    if (!this.scheduler.isCurrent(message.seq) || message.imageId !== this.imageId) return;
    this.events.partial(new Uint8Array(message.mask), maskBlocks(message.blocks));
    if (!this.changeTimes.has(message.seq)) return;
    // The first look counts (a quick look, then the coarse labels, may both come before the mask).
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (!this.firstShown.has(message.seq)) this.firstShown.set(message.seq, performance.now());
      }),
    );
  }
}

/** True when `request` is for exactly the strokes, image and settings `preview` was. */
function isSameState(preview: SentPreview, request: MaskRequest): boolean {
  if (preview.imageId !== request.imageId || preview.options !== JSON.stringify(request.options))
    return false;
  const a = preview.labels;
  const b = request.labels;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The blocks a message's mask is on, with their colours as bytes. */
export function maskBlocks(blocks: PartialBlocks | undefined): MaskBlocks | undefined {
  return (
    blocks && {
      width: blocks.width,
      height: blocks.height,
      factor: blocks.factor,
      rgb: new Uint8Array(blocks.rgb),
    }
  );
}
