/**
 * Latest-wins scheduling of mask computations: at most one request is with the worker, at most one
 * more waits (a newer one replaces it), and a result computed for a state the user has since changed
 * is dropped rather than shown. So however fast the user paints, work never piles up, and the mask
 * on screen never steps backwards.
 *
 * Two kinds of request:
 * - committed: the state after a finished stroke, an undo, a settings change… Always computed
 *   eventually (waits if the worker is busy).
 * - preview: the state in the middle of a stroke. Sent only when the worker is idle, never waits:
 *   the next pointer move will ask again.
 *
 * Pure logic (no DOM, no Worker): `send` is whatever posts the request.
 */
export interface Sent<T> {
  seq: number;
  payload: T;
  preview: boolean;
}

export class LatestWins<T> {
  private seq = 0;
  /** The newest committed request: results older than it are stale. */
  private committed = 0;
  private inFlight: Sent<T> | null = null;
  private pending: Sent<T> | null = null;

  constructor(private readonly send: (request: Sent<T>) => void) {}

  /** True while a request is with the worker or waiting for it. */
  get busy(): boolean {
    return this.inFlight !== null || this.pending !== null;
  }

  /** Sequence number of the request with the worker, or null. */
  get inFlightSeq(): number | null {
    return this.inFlight?.seq ?? null;
  }

  /** Sequence number of the newest committed request (0 before any). */
  get latestCommitted(): number {
    return this.committed;
  }

  /**
   * Asks for the mask of a committed state. Returns its sequence number; makes every older request
   * stale.
   */
  commit(payload: T): number {
    const request = { seq: ++this.seq, payload, preview: false };
    this.committed = request.seq;
    if (this.inFlight) this.pending = request;
    else this.dispatch(request);
    return request.seq;
  }

  /** Asks for a preview if the worker is idle; returns its sequence number, or null when not sent. */
  preview(payload: T): number | null {
    if (this.inFlight || this.pending) return null;
    const request = { seq: ++this.seq, payload, preview: true };
    this.dispatch(request);
    return request.seq;
  }

  /**
   * Makes every request so far stale without asking for anything new (a new image, or strokes that
   * cannot give a mask). Returns the sequence number that now stands for the current state.
   */
  reset(): number {
    this.committed = ++this.seq;
    this.pending = null;
    return this.committed;
  }

  /**
   * True when an answer for request `seq` would still be current (nothing committed since), without
   * recording it as answered: for a partial answer, before the full one.
   */
  isCurrent(seq: number): boolean {
    return seq >= this.committed;
  }

  /**
   * Records that the worker answered request `seq` and sends the waiting request, if any. Returns
   * true when the answer is current and should be shown, false when it is stale.
   */
  receive(seq: number): boolean {
    if (this.inFlight?.seq === seq) this.inFlight = null;
    const waiting = this.pending;
    this.pending = null;
    if (waiting && !this.inFlight) this.dispatch(waiting);
    return seq >= this.committed;
  }

  private dispatch(request: Sent<T>): void {
    this.inFlight = request;
    this.send(request);
  }
}
