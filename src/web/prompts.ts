/**
 * The page's prompts besides strokes (see src/core/prompts/): a box drawn with the box tool, a
 * loaded prior mask, and "the border as background" when only red strokes exist. Pure (no DOM),
 * tested in Node.
 */
import type { Box } from '../core/prompts/prompts.js';
import { decodeLabels, encodeLabels, fromBase64, toBase64 } from './session-file.js';
import { strokeHint } from './status.js';
import type { SeedCounts } from './strokes.js';
import type { Point } from './transform.js';

export interface PagePrompts {
  box: Box | null;
  /** 255 / 0 per pixel, the image's size. */
  prior: Uint8Array | null;
  /** The image's frame is background when no blue stroke is painted. */
  borderBackground: boolean;
}

export function noPrompts(): PagePrompts {
  return { box: null, prior: null, borderBackground: false };
}

/**
 * What is still missing for a cut, given the strokes and the prompts, or null. A box or a prior
 * supplies the background (and, softly, the foreground), so nothing is missing then; the border
 * option supplies the background.
 */
export function promptHint(counts: SeedCounts, prompts: PagePrompts): string | null {
  if (prompts.box || prompts.prior) return null;
  if (counts.foreground > 0 && counts.background === 0 && prompts.borderBackground) return null;
  const hint = strokeHint(counts);
  if (hint && counts.foreground > 0 && counts.background === 0) {
    return `${hint.slice(0, -1)}, or press "Use the border as background".`;
  }
  if (hint && counts.foreground === 0 && counts.background === 0) {
    return `${hint.slice(0, -1)} — or drag a box around it (R).`;
  }
  return hint;
}

/** Whether to offer "use the border as background": red strokes only, or already chosen. */
export function offersBorder(counts: SeedCounts, prompts: PagePrompts): boolean {
  return prompts.borderBackground || (counts.foreground > 0 && counts.background === 0);
}

/**
 * The box between two image points (pointer positions, any order), as whole pixels: every pixel the
 * dragged rectangle touches, clipped to the image. Null when it covers no pixel or is a mere click
 * (under 2 pixels either way).
 */
export function boxBetween(a: Point, b: Point, width: number, height: number): Box | null {
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x)));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y)));
  const x1 = Math.min(width, Math.ceil(Math.max(a.x, b.x)));
  const y1 = Math.min(height, Math.ceil(Math.max(a.y, b.y)));
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A prior from a decoded mask image (RGBA): foreground where the red channel is ≥ 128, as the CLI reads it. */
export function priorFromRgba(rgba: Uint8ClampedArray | Uint8Array, pixels: number): Uint8Array {
  const prior = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) prior[p] = rgba[p * 4] >= 128 ? 255 : 0;
  return prior;
}

/** The CLI flags for the same prompts (the prior as a file name the caller gives). */
export function promptFlags(prompts: PagePrompts, priorFile?: string): string[] {
  const flags: string[] = [];
  if (prompts.box)
    flags.push('--box', `${prompts.box.x},${prompts.box.y},${prompts.box.width},${prompts.box.height}`);
  if (prompts.borderBackground) flags.push('--background', 'border');
  if (prompts.prior && priorFile) flags.push('--prior', priorFile);
  return flags;
}

/** The prompts as session files and the browser's copy keep them (JSON; the prior as base64 runs). */
export interface SavedPrompts {
  box?: Box;
  borderBackground?: boolean;
  /** The prior mask's runs (session-file.ts encodeLabels), base64. */
  prior?: string;
  priorName?: string;
}

/** The prompts to save; undefined when there are none. */
export function savePrompts(prompts: PagePrompts, priorName: string | null): SavedPrompts | undefined {
  if (!prompts.box && !prompts.prior && !prompts.borderBackground) return undefined;
  const saved: SavedPrompts = {};
  if (prompts.box) saved.box = { ...prompts.box };
  if (prompts.borderBackground) saved.borderBackground = true;
  if (prompts.prior) {
    saved.prior = toBase64(encodeLabels(prompts.prior));
    if (priorName) saved.priorName = priorName;
  }
  return saved;
}

/**
 * Saved prompts read back for a width × height image; throws an Error saying what is wrong (a box
 * off the image, a prior of another size).
 */
export function readPrompts(
  value: unknown,
  width: number,
  height: number,
): { prompts: PagePrompts; priorName: string | null } {
  const prompts = noPrompts();
  if (value === undefined || value === null) return { prompts, priorName: null };
  if (typeof value !== 'object') throw new Error('the prompts are not an object');
  const { box, borderBackground, prior, priorName } = value as Record<string, unknown>;
  if (box !== undefined) {
    const { x, y, width: w, height: h } = (box ?? {}) as Record<string, unknown>;
    const whole = [x, y, w, h].every((each) => Number.isInteger(each));
    const [bx, by, bw, bh] = [x, y, w, h] as number[];
    if (!whole || bx < 0 || by < 0 || bw < 1 || bh < 1 || bx + bw > width || by + bh > height) {
      throw new Error(`the box must be whole pixels within the ${width}×${height} image`);
    }
    prompts.box = { x: bx, y: by, width: bw, height: bh };
  }
  if (borderBackground !== undefined) {
    if (typeof borderBackground !== 'boolean') throw new Error('"borderBackground" must be true or false');
    prompts.borderBackground = borderBackground;
  }
  if (prior !== undefined) {
    if (typeof prior !== 'string') throw new Error('the prior mask must be base64 text');
    const mask = decodeLabels(fromBase64(prior), width * height);
    for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) mask[p] = 255;
    prompts.prior = mask;
  }
  return { prompts, priorName: prompts.prior && typeof priorName === 'string' ? priorName : null };
}
