/**
 * The page's Web Worker: holds the current image in a `Segmenter` (src/core/session/), which runs
 * the pure core's `segment()` reusing the previous runs' work, so the page never freezes and each
 * stroke costs less than the first. It answers each request in turn — exactly `segment()`'s mask
 * for a committed request (with the coarse labels sent first on large images), a quick
 * approximation for a preview; which requests to send, and which answers are stale, is the page's
 * business (see worker-client.ts).
 */
import { isStrokecutError } from '../core/errors.js';
import { matte } from '../core/matte/matte.js';
import type { CoarseLabels } from '../core/refine/hooks.js';
import { type PreviewResult, Segmenter } from '../core/session/segmenter.js';
import type { FromWorker, PartialBlocks, ToWorker } from './protocol.js';

let current: {
  imageId: number;
  segmenter: Segmenter;
  /** The worker's time for the image's last exact mask, and for its last preview. */
  lastExactMs: number | null;
  lastPreviewMs: number | null;
} | null = null;

/**
 * A committed request shows a preview first (a quick look while the exact mask is computed) when
 * the image's last exact mask took longer than {@link QUICK_LOOK_AFTER_MS} and a preview costs
 * under a third of it (so the exact mask comes at most a third later) — or, before either is
 * known, when the image has at least {@link QUICK_LOOK_PIXELS} pixels.
 */
const QUICK_LOOK_AFTER_MS = 250;
const QUICK_LOOK_PIXELS = 1_000_000;

function wantsQuickLook(state: NonNullable<typeof current>): boolean {
  const { width, height } = state.segmenter.image;
  if (state.lastExactMs === null || state.lastPreviewMs === null) return width * height >= QUICK_LOOK_PIXELS;
  return state.lastExactMs > QUICK_LOOK_AFTER_MS && state.lastPreviewMs * 3 < state.lastExactMs;
}

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

/** The mask's own buffer when it has one to itself (to transfer), else a copy's. */
function ownBuffer(mask: Uint8Array, copy: boolean): ArrayBuffer {
  const whole = mask.byteOffset === 0 && mask.byteLength === mask.buffer.byteLength;
  return (whole && !copy ? mask : mask.slice()).buffer as ArrayBuffer;
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'image') {
    const image = { width: message.width, height: message.height, data: new Uint8Array(message.rgb) };
    current = {
      imageId: message.imageId,
      segmenter: new Segmenter(image),
      lastExactMs: null,
      lastPreviewMs: null,
    };
    return;
  }
  if (message.type === 'matte') {
    answerMatte(message);
    return;
  }
  const { imageId, seq, preview } = message;
  const started = performance.now();
  try {
    if (!current || current.imageId !== imageId) {
      throw new Error(`worker has image ${current?.imageId ?? 'none'}, request is for image ${imageId}`);
    }
    const { segmenter } = current;
    const seeds = {
      width: segmenter.image.width,
      height: segmenter.image.height,
      labels: new Uint8Array(message.labels),
    };
    const sendPartial = ({ mask, blocks, transfer }: MaskMessage) => {
      post({ type: 'partial', imageId, seq, mask, blocks, workerMs: performance.now() - started }, transfer);
    };
    if (preview) {
      const look = segmenter.preview(seeds, message.options);
      const previewMs = performance.now() - started;
      current.lastPreviewMs = previewMs;
      const { mask, blocks, transfer } = lookMessage(look);
      post(
        {
          type: 'result',
          imageId,
          seq,
          mask,
          blocks,
          stats: look.stats,
          preview,
          workerMs: previewMs,
          previewMs,
        },
        transfer,
      );
      return;
    }
    let previewMs: number | null = null;
    // Strokes the segmenter answered recently (an undo, a redo) come back at once: no quick look,
    // and their time says nothing about the next stroke's.
    const known = segmenter.knows(seeds, message.options);
    if (message.quickLook && message.options.smooth !== 0 && !known && wantsQuickLook(current)) {
      sendPartial(lookMessage(segmenter.preview(seeds, message.options)));
      previewMs = performance.now() - started;
      current.lastPreviewMs = previewMs;
    }
    const result = segmenter.segment(seeds, message.options, (_mask, coarse) =>
      sendPartial(blockMessage(coarse)),
    );
    if (!known) current.lastExactMs = performance.now() - started;
    const mask = ownBuffer(result.mask, false);
    post(
      {
        type: 'result',
        imageId,
        seq,
        mask,
        stats: result.stats,
        preview,
        workerMs: performance.now() - started,
        previewMs,
      },
      [mask],
    );
  } catch (error) {
    post({
      type: 'error',
      imageId,
      seq,
      code: isStrokecutError(error) ? error.code : 'UNEXPECTED',
      message: error instanceof Error ? error.message : String(error),
    });
  }
};

/** A mask as message fields, with the buffers to transfer. */
interface MaskMessage {
  mask: ArrayBuffer;
  blocks?: PartialBlocks;
  transfer: ArrayBuffer[];
}

/**
 * Coarse labels as they are, on the shrunk image (a 12 MP mask costs the page ~0.3 s to draw, its
 * blocks a few milliseconds): the labels and the shrunk image's RGB bytes, as copies (the segmenter
 * keeps the shrunk image, and the refinement may still use the labels).
 */
function blockMessage({ image, mask, factor }: CoarseLabels): MaskMessage {
  const blocks = { width: image.width, height: image.height, factor, rgb: image.data.slice().buffer };
  const labels = mask.slice().buffer;
  return { mask: labels, blocks, transfer: [labels, blocks.rgb] };
}

/** A preview's mask as message fields: its blocks when it has coarse labels, else its own mask. */
function lookMessage(look: PreviewResult): MaskMessage {
  if (look.coarse) return blockMessage(look.coarse);
  if (!look.mask) throw new Error('a preview with neither a mask nor coarse labels');
  const mask = ownBuffer(look.mask, false);
  return { mask, transfer: [mask] };
}

/** The soft edges of a mask the page shows: `matte()` of the core, exactly as the CLI runs it. */
function answerMatte(message: Extract<ToWorker, { type: 'matte' }>): void {
  const { imageId, matteSeq } = message;
  const started = performance.now();
  try {
    if (!current || current.imageId !== imageId) {
      throw new Error(`worker has image ${current?.imageId ?? 'none'}, request is for image ${imageId}`);
    }
    const result = matte(current.segmenter.image, new Uint8Array(message.mask), {
      edgeRadius: message.edgeRadius,
    });
    const alpha = ownBuffer(result.alpha, false);
    const foreground = ownBuffer(result.foreground, false);
    post(
      {
        type: 'matte',
        imageId,
        matteSeq,
        alpha,
        foreground,
        stats: result.stats,
        workerMs: performance.now() - started,
      },
      [alpha, foreground],
    );
  } catch (error) {
    post({
      type: 'matte-error',
      imageId,
      matteSeq,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
