/** Helpers for tests of the refinement: colour models fitted on the strokes, mask comparison. */
import { kmeans } from '../core/kmeans/kmeans.js';
import { createColorModel } from '../core/model/color-model.js';
import { seedColors } from '../core/seeds/distinct-colors.js';
import type { RgbImage, SeedLabels } from '../core/types.js';
import { SEED } from '../core/types.js';

/** Both classes' colour models, k-means (seed 0) on the colours under their strokes. */
export function strokeModels(image: RgbImage, seeds: SeedLabels, k: number) {
  const fit = (label: number) => createColorModel(kmeans(seedColors(image, seeds, label), k, { seed: 0 }));
  return { foreground: fit(SEED.FOREGROUND), background: fit(SEED.BACKGROUND) };
}

/** Pixels on which two masks disagree (any non-zero value is foreground). */
export function differingPixels(a: Uint8Array, b: Uint8Array): number {
  let count = 0;
  for (let p = 0; p < a.length; p++) if ((a[p] !== 0) !== (b[p] !== 0)) count++;
  return count;
}
