/**
 * The ways the result layer can show a mask (the overlay with the outline drawn, so the boundary
 * shows on dark photos too). Each view says how the layers are arranged and fills
 * the result layer's RGBA pixels; a new view is one more entry here and one more option in
 * index.html. The cut-out shows soft edges when the page has a matte for the mask.
 */
import { cutoutToRgba, maskToRgba, overlayWithOutlineToRgba, softCutoutToRgba } from './pixels.js';

export interface ResultInput {
  width: number;
  height: number;
  /** The image's RGB bytes. */
  rgb: Uint8Array;
  /** The mask: 0 background, 255 foreground. */
  mask: Uint8Array;
  /** Soft edges for this mask, when the cut-out should use them (and they are computed). */
  matte?: { alpha: Uint8Array; foreground: Uint8Array } | null;
}

/** How the view is set up: what the toolbar and the zoom say. */
export interface ResultLook {
  /** Opacity of the overlay's dimming, 0–1. */
  overlayOpacity: number;
  /** Width of the outline in image pixels (about one screen pixel at the current zoom). */
  outlineRadius: number;
}

export interface ResultView {
  /** The photo stays visible under the result layer. */
  showsImage: boolean;
  /** Transparent pixels show a checkerboard. */
  checkerboard: boolean;
  fill(input: ResultInput, look: ResultLook, out: Uint8ClampedArray): void;
  /** Whether `fill` depends on the look (so a zoom or the opacity slider redraws it). */
  usesLook: boolean;
}

export const RESULT_VIEWS = {
  overlay: {
    showsImage: true,
    checkerboard: false,
    usesLook: true,
    fill: ({ mask, width, height }, look, out) =>
      overlayWithOutlineToRgba(mask, width, height, look.overlayOpacity, look.outlineRadius, out),
  },
  mask: {
    showsImage: false,
    checkerboard: false,
    usesLook: false,
    fill: ({ mask }, _look, out) => maskToRgba(mask, out),
  },
  cutout: {
    showsImage: false,
    checkerboard: true,
    usesLook: false,
    fill: ({ rgb, mask, matte }, _look, out) =>
      matte ? softCutoutToRgba(matte.foreground, matte.alpha, out) : cutoutToRgba(rgb, mask, out),
  },
} satisfies Record<string, ResultView>;

export type ResultViewName = keyof typeof RESULT_VIEWS;

export function isResultViewName(name: string): name is ResultViewName {
  return Object.hasOwn(RESULT_VIEWS, name);
}
