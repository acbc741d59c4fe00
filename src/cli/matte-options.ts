import { MATTE_DEFAULTS } from '../core/matte/matte.js';
import { parseIntegerOption } from './args.js';

/**
 * Flags of the soft edges (src/core/matte/), shared by the single command, batch and eval through
 * SEGMENT_OPTION_SPECS. The mask itself never changes with them: only the cut-out and `--matte`.
 */
export const MATTE_OPTION_SPECS = {
  'hard-edges': { type: 'boolean' },
  'edge-radius': { type: 'string' },
} as const;

export const MATTE_OPTIONS_HELP = `      --hard-edges     cut-outs with the binary mask as alpha and the photo's colours (by
                       default a cut-out has soft edges: an alpha matte and estimated colours)
      --edge-radius N  half-width in pixels of the band around the outline where the matte is
                       solved (default ${MATTE_DEFAULTS.edgeRadiusFraction * 100}% of the image diagonal, at least ${MATTE_DEFAULTS.minEdgeRadius})
`;

/** What the CLI passes to the pipeline about soft edges. */
export interface CliMatteOptions {
  /** The cut-out uses the binary mask and the photo's colours. */
  hardEdges?: boolean;
  /** Band half-width; undefined = the library's default for the image's size. */
  edgeRadius?: number;
}

type Values = { [name: string]: string | boolean | undefined };

export function parseMatteOptions(values: Values): CliMatteOptions {
  const radius = values['edge-radius'];
  const hardEdges = values['hard-edges'] === true;
  return {
    hardEdges,
    edgeRadius: typeof radius === 'string' ? parseIntegerOption('--edge-radius', radius, 1, 1000) : undefined,
  };
}
