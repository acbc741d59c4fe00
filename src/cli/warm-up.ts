import { createRandom } from '../core/random.js';
import { warmUpMaxflow } from '../core/refine/warm-up.js';
import type { SegmentOptions } from '../core/segment.js';
import { segment } from '../core/segment.js';
import type { RgbImage } from '../core/types.js';

/**
 * Segments a small synthetic photo with the run's options, once per process (or worker thread),
 * while libvips decodes the real one and the main thread would otherwise wait.
 *
 * A fresh process compiles its hot loops (seeds, k-means, the classifier, the coarse cuts, the
 * band) while the first image runs through them, and each branch first met after a loop was
 * compiled (see warmUpMaxflow) throws the compiled code away again: on a 12-megapixel photo that
 * cost a few hundred milliseconds. The small run takes the same code paths first — coarse to fine
 * as well, with `workingPixels` scaled down to it — so the real one starts on their type feedback.
 * Its result is dropped; the real segmentation is computed exactly as without it.
 */
export function warmUpSegment(options: SegmentOptions): void {
  if (warmedUp) return;
  warmedUp = true;
  const { image, strokes } = syntheticPair();
  try {
    if (options.smooth !== 0) {
      warmUpMaxflow();
      segment(image, strokes, { ...options, k: WARM_UP_K, workingPixels: WARM_UP_WORKING_PIXELS });
    } else {
      segment(image, strokes, { ...options, k: WARM_UP_K });
    }
  } catch {
    // Options the real run will refuse with a message of its own (or a stroke colour the
    // synthetic strokes do not use): nothing to warm up.
  }
}

/**
 * The smallest image warmed up for: below, its decode is too short to hide the warm-up's
 * 30–70 ms, and its own stages too short to gain that back (the bundled 0.14-megapixel example
 * took 50 ms more CPU with it).
 */
export const WARM_UP_MIN_PIXELS = 4_000_000;

let warmedUp = false;
/** Fewer clusters than a real run's: the same code paths for a fraction of the work. */
const WARM_UP_K = 8;
const WIDTH = 120;
const HEIGHT = 80;
/** The synthetic photo shrunk by 3 for its coarse cuts (40 × 27 blocks), as a large photo is. */
const WARM_UP_WORKING_PIXELS = 1200;

/**
 * A noisy orange disc on a blue-grey gradient, a red stroke inside the disc and a blue one across
 * the background (the default stroke colours).
 */
function syntheticPair(): { image: RgbImage; strokes: RgbImage } {
  const random = createRandom(7);
  const data = new Uint8Array(WIDTH * HEIGHT * 3);
  const marks = new Uint8Array(WIDTH * HEIGHT * 3);
  const noise = () => Math.floor(random() * 41) - 20;
  const clamp = (v: number) => Math.max(0, Math.min(255, v));
  for (let y = 0, i = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++, i += 3) {
      const inside = (x - 60) ** 2 + (y - 40) ** 2 < 28 ** 2;
      const [r, g, b] = inside ? [220, 140, 60] : [90 + x / 2, 110 + y / 2, 160];
      data[i] = clamp(r + noise());
      data[i + 1] = clamp(g + noise());
      data[i + 2] = clamp(b + noise());
      if (inside && Math.abs(y - 40) <= 1 && Math.abs(x - 60) < 15) marks[i] = 255;
      else if (!inside && (y <= 3 || x <= 3)) marks[i + 2] = 255;
    }
  }
  return {
    image: { width: WIDTH, height: HEIGHT, data },
    strokes: { width: WIDTH, height: HEIGHT, data: marks },
  };
}
