/** Messages between the page and its worker. Buffers are transferred, not copied. */
import type { ErrorCode } from '../core/errors.js';
import type { PromptOptions } from '../core/prompts/prompts.js';
import type { SegmentOptions, SegmentStats } from '../core/segment.js';

/**
 * Options the page passes to `segment()`. `smooth` (and friends) belong to the graph-cut
 * refinement; until `segment()` knows them they are passed through and ignored.
 */
export type PageSegmentOptions = SegmentOptions & PromptOptions & { smooth?: number };

export type ToWorker =
  | { type: 'image'; imageId: number; width: number; height: number; rgb: ArrayBuffer }
  | {
      type: 'segment';
      imageId: number;
      seq: number;
      labels: ArrayBuffer;
      options: PageSegmentOptions;
    };

export type FromWorker =
  | {
      type: 'result';
      imageId: number;
      seq: number;
      mask: ArrayBuffer;
      stats: SegmentStats;
      /** Milliseconds the worker spent, from receiving the request to posting this. */
      workerMs: number;
    }
  | { type: 'error'; imageId: number; seq: number; code: ErrorCode | 'UNEXPECTED'; message: string };
