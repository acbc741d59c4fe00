/**
 * The ways the result layer can show a mask. Each view says how the layers are arranged and fills
 * the result layer's RGBA pixels; a new view (a soft-edged cut-out, say) is one more entry here and
 * one more radio button in index.html.
 */
import { cutoutToRgba, maskToRgba, overlayToRgba } from './pixels.js';

export interface ResultInput {
  /** The image's RGB bytes. */
  rgb: Uint8Array;
  /** The mask: 0 background, 255 foreground (values between for soft edges). */
  mask: Uint8Array;
}

export interface ResultView {
  /** The photo stays visible under the result layer. */
  showsImage: boolean;
  /** Transparent pixels show a checkerboard. */
  checkerboard: boolean;
  /** The opacity slider applies to the result layer. */
  usesOpacity: boolean;
  fill(input: ResultInput, out: Uint8ClampedArray): void;
}

export const RESULT_VIEWS = {
  overlay: {
    showsImage: true,
    checkerboard: false,
    usesOpacity: true,
    fill: ({ mask }, out) => overlayToRgba(mask, out),
  },
  mask: {
    showsImage: false,
    checkerboard: false,
    usesOpacity: false,
    fill: ({ mask }, out) => maskToRgba(mask, out),
  },
  cutout: {
    showsImage: false,
    checkerboard: true,
    usesOpacity: false,
    fill: ({ rgb, mask }, out) => cutoutToRgba(rgb, mask, out),
  },
} satisfies Record<string, ResultView>;

export type ResultViewName = keyof typeof RESULT_VIEWS;

export function isResultViewName(name: string): name is ResultViewName {
  return Object.hasOwn(RESULT_VIEWS, name);
}
