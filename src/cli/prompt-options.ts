/**
 * The prompt flags (--box, --background, --prior) shared by every command through
 * segment-options.ts. The prior is a file (the single command) or a folder of masks named like the
 * images (batch, eval): read once the image's size is known, see {@link priorPathFor}.
 */
import { join } from 'node:path';
import { StrokecutError } from '../core/errors.js';
import type { PromptOptions } from '../core/prompts/prompts.js';

export const PROMPT_OPTIONS_HELP = `      --box X,Y,W,H    everything outside this rectangle (pixels) is background; without red
                       strokes the inside's colours start the foreground model (as GrabCut)
      --background border  the image's frame is background when no blue stroke was painted
      --prior MASK     an existing mask (white foreground) to start from: its regions, shrunk
                       by 2 px, count as strokes, except those a stroke of the other colour
                       touches, which are dropped (batch, eval: a folder of masks named like
                       the images)
`;

type Values = { [name: string]: string | boolean | undefined };

/** --box and --background; --prior is read later (it is a file). */
export function parsePromptOptions(values: Values): Pick<PromptOptions, 'box' | 'background'> {
  const out: Pick<PromptOptions, 'box' | 'background'> = {};
  const box = values.box;
  if (typeof box === 'string') {
    const parts = box.split(',').map((part) => part.trim());
    const numbers = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
    if (
      numbers.length !== 4 ||
      numbers.some((n) => !Number.isSafeInteger(n)) ||
      numbers[2] < 1 ||
      numbers[3] < 1
    ) {
      throw new StrokecutError(
        'USAGE',
        `--box must be X,Y,W,H: four whole numbers of pixels, width and height ≥ 1 (e.g. --box 40,30,200,150); found "${box}".`,
      );
    }
    out.box = { x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3] };
  }
  const background = values.background;
  if (typeof background === 'string') {
    if (background !== 'border' && background !== 'strokes') {
      throw new StrokecutError('USAGE', `--background must be "border" or "strokes"; found "${background}".`);
    }
    out.background = background;
  }
  return out;
}

/** The --prior value as given, or undefined. */
export function priorOption(values: Values): string | undefined {
  return typeof values.prior === 'string' ? values.prior : undefined;
}

/** In a folder of prior masks, the one for `imageFile`: same base name, .png. */
export function priorPathFor(priorDir: string, imageFile: string): string {
  const name = imageFile.replace(/^.*[\\/]/, '');
  const dot = name.lastIndexOf('.');
  return join(priorDir, `${dot > 0 ? name.slice(0, dot) : name}.png`);
}
