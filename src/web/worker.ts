/**
 * The page's Web Worker: holds the current image and runs the pure core's `segment()` on it, so the
 * page never freezes while a mask is computed. It answers each request in turn; which requests to
 * send, and which answers are stale, is the page's business (see latest-wins.ts).
 */
import { isStrokecutError } from '../core/errors.js';
import { segment } from '../core/segment.js';
import type { RgbImage } from '../core/types.js';
import type { FromWorker, ToWorker } from './protocol.js';

let image: (RgbImage & { imageId: number }) | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'image') {
    image = {
      imageId: message.imageId,
      width: message.width,
      height: message.height,
      data: new Uint8Array(message.rgb),
    };
    return;
  }
  const { imageId, seq } = message;
  const started = performance.now();
  try {
    if (!image || image.imageId !== imageId) {
      throw new Error(`worker has image ${image?.imageId ?? 'none'}, request is for image ${imageId}`);
    }
    const seeds = { width: image.width, height: image.height, labels: new Uint8Array(message.labels) };
    const result = segment(image, seeds, message.options);
    // Transfer the mask's buffer; copy first if the mask is a view into a bigger one.
    const mask =
      result.mask.byteOffset === 0 && result.mask.byteLength === result.mask.buffer.byteLength
        ? result.mask
        : result.mask.slice();
    post(
      {
        type: 'result',
        imageId,
        seq,
        mask: mask.buffer as ArrayBuffer,
        stats: result.stats,
        workerMs: performance.now() - started,
      },
      [mask.buffer as ArrayBuffer],
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
