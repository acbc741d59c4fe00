import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { StrokecutError } from '../core/errors.js';
import { buildBand } from '../core/matte/band.js';
import { matte } from '../core/matte/matte.js';
import { alphaFromBytes, matteErrors } from '../core/matte/scores.js';
import type { RgbImage } from '../core/types.js';
import { readRgbImage } from '../io/read-image.js';

/**
 * `strokecut eval --truth-alpha DIR`: scores the matte of each segmented image against a
 * ground-truth alpha of the same base name (8-bit grey, first channel). The region scored is the
 * matte's unknown band around strokecut's mask together with every pixel whose true alpha is
 * fractional, so the binary mask (scored alongside) and the matte are judged on the same pixels.
 */
export interface AlphaScores {
  /** SAD, MSE and gradient error of the matte; SAD of the binary mask as alpha. */
  sad: number;
  mse: number;
  gradient: number;
  binarySad: number;
  pixels: number;
  matteMs: number;
}

export interface AlphaEvalOptions {
  dir: string;
  edgeRadius?: number;
}

export async function scoreAlphaCase(
  image: RgbImage,
  mask: Uint8Array,
  name: string,
  options: AlphaEvalOptions,
): Promise<AlphaScores | undefined> {
  const files = await readdir(options.dir).catch(() => {
    throw new StrokecutError('UNREADABLE_FILE', `Cannot list the --truth-alpha directory "${options.dir}".`);
  });
  const file = files.find((f) => !f.startsWith('.') && f.slice(0, f.length - extname(f).length) === name);
  if (!file) return undefined;
  const rgb = await readRgbImage(join(options.dir, file));
  const { width, height } = image;
  if (rgb.width !== width || rgb.height !== height) {
    throw new StrokecutError(
      'SIZE_MISMATCH',
      `The truth alpha "${file}" is ${rgb.width}×${rgb.height} but its image is ${width}×${height}.`,
    );
  }
  const truthBytes = new Uint8Array(width * height);
  for (let p = 0; p < truthBytes.length; p++) truthBytes[p] = rgb.data[p * 3];
  const t0 = performance.now();
  const result = matte(image, mask, { edgeRadius: options.edgeRadius });
  const matteMs = performance.now() - t0;
  const region = new Uint8Array(width * height);
  for (const p of buildBand(mask, width, height, result.stats.edgeRadius).pixels) region[p] = 1;
  for (let p = 0; p < region.length; p++) if (truthBytes[p] > 0 && truthBytes[p] < 255) region[p] = 1;
  const truth = alphaFromBytes(truthBytes);
  const soft = matteErrors(alphaFromBytes(result.alpha), truth, region, width, height);
  const binary = matteErrors(alphaFromBytes(mask), truth, region, width, height);
  return { ...soft, binarySad: binary.sad, matteMs };
}

/** Per-image and total SAD (/1000), MSE and gradient error (/1000) as a Markdown table. */
export function formatAlphaTable(rows: { name: string; alpha?: AlphaScores }[]): string {
  const scored = rows.filter((row): row is { name: string; alpha: AlphaScores } => row.alpha !== undefined);
  if (scored.length === 0) return 'No image had a truth alpha of the same base name.\n';
  const lines = [
    '| image | SAD binary | SAD matte | MSE matte | gradient matte | matte ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  let binary = 0;
  let sad = 0;
  for (const { name, alpha } of scored) {
    binary += alpha.binarySad;
    sad += alpha.sad;
    lines.push(
      `| ${name} | ${(alpha.binarySad / 1000).toFixed(2)} | ${(alpha.sad / 1000).toFixed(2)} | ${alpha.mse.toFixed(4)} | ${(alpha.gradient / 1000).toFixed(2)} | ${Math.round(alpha.matteMs)} |`,
    );
  }
  lines.push(
    `| **total of ${scored.length}** | **${(binary / 1000).toFixed(2)}** | **${(sad / 1000).toFixed(2)}** | | | |`,
  );
  return `${lines.join('\n')}\n`;
}
