/** The shared GrabCut set (or any folder laid out like it), decoded once for the parameter sweeps. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCases } from '../src/cli/eval-command.js';
import type { RgbaImage, RgbImage } from '../src/core/types.js';
import { readRgbImage, readStrokeImage } from '../src/io/read-image.js';

export interface GrabcutCase {
  name: string;
  image: RgbImage;
  strokes: RgbImage | RgbaImage;
  /** One byte per pixel: 0 background, 255 foreground, 128 unlabelled. */
  truth: Uint8Array;
}

/** ../shared/datasets/grabcut beside the project, unless a folder is given. */
export function datasetDir(given: string | undefined): string {
  const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
  return resolve(given ?? join(root, '..', 'shared', 'datasets', 'grabcut'));
}

/** Every image of `dir` (images/, strokes/, truth/) that has strokes and a truth mask. */
export async function loadGrabcutSet(dir: string): Promise<GrabcutCase[]> {
  const { cases } = await findCases(join(dir, 'images'), join(dir, 'strokes'), join(dir, 'truth'));
  return Promise.all(
    cases.map(async (entry) => {
      const image = await readRgbImage(entry.image);
      const strokes = await readStrokeImage(entry.strokes);
      const t = await readRgbImage(entry.truth);
      const truth = new Uint8Array(t.width * t.height);
      for (let p = 0; p < truth.length; p++) truth[p] = t.data[p * 3];
      return { name: entry.name, image, strokes, truth };
    }),
  );
}
