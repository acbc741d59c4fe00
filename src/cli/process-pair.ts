import { basename } from 'node:path';
import type { MatteResult } from '../core/matte/matte.js';
import type { CocoEntry } from '../core/outputs/coco-rle.js';
import type { SegmentOptions, SegmentStats } from '../core/segment.js';
import { segment } from '../core/segment.js';
import { writeOutputSet } from '../io/output-set.js';
import { assertFewMarked, readImagePair } from '../io/read-pair.js';
import { readPriorMask } from '../io/read-prior.js';
import { encodeImageForPath } from '../io/write-image.js';
import type { CliMatteOptions } from './matte-options.js';
import { packageVersion } from './version.js';
import { WARM_UP_MIN_PIXELS, warmUpSegment } from './warm-up.js';

/** Where to write each output of one run; absent = not wanted. All paths absolute. */
export interface PairOutputPaths {
  /** The binary mask as an image (PNG, or WebP/TIFF by extension). */
  mask?: string;
  /** The mask as a one-image COCO data set (JSON, compressed RLE). */
  cocoJson?: string;
  /** RGBA cut-out: soft edges (matte alpha, estimated colours), or alpha = mask with `hardEdges`. */
  cutout?: string;
  /** The image with the foreground tinted and the strokes drawn, for a quick look. */
  overlay?: string;
  /** 8-bit foreground probability map. */
  soft?: string;
  /** The alpha matte, 8-bit grey. */
  matte?: string;
}

/** One image + strokes to segment: plain data, so it can be posted to a worker thread. */
export interface PairJob {
  image: string;
  strokes: string;
  /** Passed to segment() as is. */
  options: SegmentOptions;
  /** A prior mask file (--prior), read at the image's size and passed to segment() as `prior`. */
  prior?: string;
  outputs: PairOutputPaths;
  /** Return the mask's COCO entry (a batch with --format coco gathers them into one JSON). */
  wantCoco?: boolean;
  /** Soft edges of the cut-out and the matte (see src/core/matte/). */
  matte?: CliMatteOptions;
  /** Pixel limit for decoding (see DEFAULT_MAX_PIXELS). */
  maxPixels?: number;
  /** How to name each absolute path in messages (the path as the user typed it); default the path. */
  shownAs?: Record<string, string>;
}

export interface PairResult {
  stats: SegmentStats;
  /**
   * Milliseconds: decoding both files, segmenting, the matte (0 when no output needs it), building +
   * encoding + writing the outputs, all.
   */
  timings: { decode: number; segment: number; matte: number; outputs: number; total: number };
  /** Files written, in the order of PairOutputPaths' keys. */
  written: string[];
  coco?: CocoEntry;
}

/**
 * The whole per-image pipeline — decode, segment, build and write every requested output — used
 * by both the single command and the batch workers, so the two cannot drift apart. Each output is
 * written atomically. Bad input throws a StrokecutError before anything is written.
 */
export async function processPair(job: PairJob): Promise<PairResult> {
  const t0 = performance.now();
  const decodeOptions = { maxPixels: job.maxPixels };
  const shown = (path: string) => job.shownAs?.[path] ?? path;
  // While libvips decodes a large image, the main thread is idle: it readies the compiled code
  // then (see warmUpSegment; once per process).
  const { image, strokes } = await readImagePair(job.image, job.strokes, decodeOptions, shown, (size) =>
    size.width * size.height >= WARM_UP_MIN_PIXELS ? warmUpSegment(job.options) : undefined,
  );
  const prior = job.prior
    ? await readPriorMask(job.prior, image.width, image.height, decodeOptions, shown(job.prior))
    : undefined;
  const t1 = performance.now();
  const result = segment(image, strokes, prior ? { ...job.options, prior } : job.options);
  assertFewMarked(result.stats.seeds, image.width * image.height, shown(job.strokes));
  const t2 = performance.now();

  const { width, height } = image;
  const { outputs } = job;
  // The matte, once, for the soft cut-out and --matte; the mask itself stays binary.
  const soft = !job.matte?.hardEdges;
  // The outputs' modules are loaded only when asked for (a mask-only run does not load them).
  const matted: MatteResult | undefined =
    outputs.matte || (outputs.cutout && soft)
      ? (await import('../core/matte/matte.js')).matte(image, result.mask, {
          edgeRadius: job.matte?.edgeRadius,
        })
      : undefined;
  const tMatte = performance.now();
  const files: { path: string; bytes: () => Promise<Uint8Array> }[] = [];
  if (outputs.mask) {
    const path = outputs.mask;
    files.push({ path, bytes: () => encodeImageForPath(path, result.mask, width, height, 1) });
  }
  let coco: CocoEntry | undefined;
  if (outputs.cocoJson || job.wantCoco) {
    const { encodeCocoRle, maskAreaAndBox } = await import('../core/outputs/coco-rle.js');
    coco = {
      fileName: basename(job.image),
      strokesFileName: basename(job.strokes),
      width,
      height,
      rle: encodeCocoRle(result.mask, width, height),
      ...maskAreaAndBox(result.mask, width, height),
    };
  }
  if (outputs.cocoJson && coco) {
    const entry = coco;
    const { cocoDataset } = await import('../core/outputs/coco-rle.js');
    files.push({
      path: outputs.cocoJson,
      bytes: async () => Buffer.from(`${JSON.stringify(cocoDataset([entry], packageVersion()))}\n`),
    });
  }
  if (outputs.cutout) {
    const path = outputs.cutout;
    const { cutoutRgba } = await import('../core/outputs/cutout.js');
    files.push({
      path,
      bytes: () => {
        const rgba =
          matted && soft
            ? cutoutRgba({ width, height, data: matted.foreground }, matted.alpha)
            : cutoutRgba(image, result.mask);
        return encodeImageForPath(path, rgba.data, width, height, 4);
      },
    });
  }
  if (outputs.matte && matted) {
    const path = outputs.matte;
    files.push({ path, bytes: () => encodeImageForPath(path, matted.alpha, width, height, 1) });
  }
  if (outputs.overlay) {
    const path = outputs.overlay;
    const { overlayRgb } = await import('../core/outputs/overlay.js');
    const overlay = overlayRgb(image, result.mask, result.seeds, {
      foregroundColor: job.options.foregroundColor,
      backgroundColor: job.options.backgroundColor,
    });
    files.push({ path, bytes: () => encodeImageForPath(path, overlay.data, width, height, 3) });
  }
  if (outputs.soft) {
    const path = outputs.soft;
    const { softMap } = await import('../core/outputs/soft-map.js');
    files.push({
      path,
      bytes: () => encodeImageForPath(path, softMap(image, result.models, result.seeds), width, height, 1),
    });
  }
  // All or nothing: every output is encoded and written to a temporary first, and only renamed
  // into place when all are. One at a time: each output's pixels are built, encoded and written
  // before the next, which keeps the peak memory of a large image to one output's worth.
  await writeOutputSet(files.map((file) => ({ ...file, shownAs: shown(file.path) })));
  const t3 = performance.now();
  return {
    stats: result.stats,
    timings: {
      decode: t1 - t0,
      segment: t2 - t1,
      matte: matted ? tMatte - t2 : 0,
      outputs: t3 - tMatte,
      total: t3 - t0,
    },
    written: files.map((file) => file.path),
    coco: job.wantCoco ? coco : undefined,
  };
}
