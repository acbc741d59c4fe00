/** Messages between the page and its worker. Buffers are transferred, not copied. */
import type { ErrorCode } from '../core/errors.js';
import type { MatteStats } from '../core/matte/matte.js';
import type { SegmentOptions, SegmentStats } from '../core/segment.js';

/** Options the page passes to `segment()` (SegmentOptions includes the box, prior and border prompts). */
export type PageSegmentOptions = SegmentOptions;

export type ToWorker =
  | { type: 'image'; imageId: number; width: number; height: number; rgb: ArrayBuffer }
  | {
      type: 'segment';
      imageId: number;
      seq: number;
      labels: ArrayBuffer;
      options: PageSegmentOptions;
      /**
       * A stroke is still being painted: a quick approximate mask will do (one cut, no re-fitting,
       * coarse labels only on large images) instead of the exact one.
       */
      preview: boolean;
      /**
       * For a committed request: send a quick look (a preview's mask) before the exact one when it
       * is worth it. False when the page already has the preview of exactly these strokes.
       */
      quickLook: boolean;
    }
  | {
      /**
       * Soft edges for a mask the page already shows (its bytes are sent along): asked for only
       * once the mask is on screen and the cut-out needs them, so they never delay a mask.
       */
      type: 'matte';
      imageId: number;
      matteSeq: number;
      mask: ArrayBuffer;
      /** undefined: the library's default for the image's size. */
      edgeRadius: number | undefined;
    };

/** The worker's answer to a request: its mask (exact, or a preview's approximation) or an error. */
export type WorkerAnswer =
  | {
      type: 'result';
      imageId: number;
      seq: number;
      mask: ArrayBuffer;
      stats: SegmentStats;
      /** The answer to a preview request (approximate). */
      preview: boolean;
      /** A preview of a large image: `mask` is on the shrunk image (see {@link WorkerPartial}). */
      blocks?: PartialBlocks;
      /** Milliseconds the worker spent, from receiving the request to posting this. */
      workerMs: number;
      /**
       * Milliseconds of the preview made for this request: the request itself when `preview`, else
       * the quick look sent before the exact mask (null when there was none).
       */
      previewMs: number | null;
    }
  | { type: 'error'; imageId: number; seq: number; code: ErrorCode | 'UNEXPECTED'; message: string };

/**
 * A first look, sent while the exact mask of a committed request is still being computed: the
 * coarse cuts' labels of a large image, before the band around the outline is cut at full
 * resolution. The answer for the same `seq` follows.
 */
export interface WorkerPartial {
  type: 'partial';
  imageId: number;
  seq: number;
  /** The mask, at the image's size — or at `blocks`' when there are. */
  mask: ArrayBuffer;
  /**
   * The mask is the coarse cuts' labels on the image shrunk by `factor` (width × height blocks,
   * whose RGB bytes come along): a first look drawn at a fraction of the image's size.
   */
  blocks?: PartialBlocks;
  workerMs: number;
}

/** The shrunk image a mask of blocks is on: its size, block side and RGB bytes. */
export interface PartialBlocks {
  width: number;
  height: number;
  factor: number;
  rgb: ArrayBuffer;
}

/** The worker's answer to a matte request: the alpha matte and foreground colours, or an error. */
export type MatteAnswer =
  | {
      type: 'matte';
      imageId: number;
      matteSeq: number;
      alpha: ArrayBuffer;
      foreground: ArrayBuffer;
      stats: MatteStats;
      workerMs: number;
    }
  | { type: 'matte-error'; imageId: number; matteSeq: number; message: string };

export type FromWorker = WorkerAnswer | WorkerPartial | MatteAnswer;
