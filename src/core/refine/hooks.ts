import type { KMeansOptions, KMeansResult } from '../kmeans/kmeans-shared.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';
import type { RgbImage } from '../types.js';
import type { FlowNetwork, MaxflowResult } from './maxflow.js';

/**
 * Ways for a caller that segments one image many times (the page's worker, through
 * src/core/session/) to reuse work between runs. A hook may skip work but must give exactly what
 * the default gives, so `segment()` with hooks returns the same result as without, bit for bit —
 * except {@link RefineHooks.coarse} returning false, which asks for a preview.
 */
export interface RefineHooks {
  /** Every k-means fit (the strokes' models and each re-fit). Default: `kmeans`. */
  kmeans?(points: WeightedColors, k: number, options: KMeansOptions): KMeansResult;
  /**
   * A value that depends on nothing but the image and `key` (which names it and every parameter
   * it depends on). Default: compute it.
   */
  memo?<T>(key: string, compute: () => T): T;
  /**
   * The minimum cut of cut number `index` of a refinement on the network `slot` names (a grid
   * `slot`, always the same nodes and edges; or a band, whose nodes are the pixels `nodes`): the
   * network `build()` makes with terminal capacities `target`. Default: the refinement chains its
   * own cuts, each starting from the previous one's flow.
   */
  cut?(
    slot: string,
    index: number,
    target: Int32Array,
    build: () => FlowNetwork,
    nodes?: Int32Array,
  ): MaxflowResult;
  /**
   * Coarse to fine: the coarse cuts' labels at full resolution (255 / 0, strokes their own),
   * before the band is cut. Return false to stop there (the refinement's mask is then these
   * labels: a quick preview, not the exact result).
   * `blocks` are the same labels before they are spread to pixels: one per block of the shrunk
   * image the coarse cuts ran on (what a first look can draw at a fraction of the cost).
   */
  coarse?(mask: Uint8Array, blocks: CoarseLabels): boolean;
}

/** The coarse cuts' labels on the shrunk image. */
export interface CoarseLabels {
  /** The image shrunk by `factor` (box average). */
  image: RgbImage;
  /** Its labels: 255 foreground, 0 background. */
  mask: Uint8Array;
  /** Block side in pixels. */
  factor: number;
}
