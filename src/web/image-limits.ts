/**
 * How big an image the page accepts, and a cheap look at a file's header to refuse one that is too
 * big before the browser tries (and fails, or freezes the tab) to decode it.
 */

/**
 * Largest image the page opens. The page holds about 40 bytes per pixel (decoded RGBA, an RGB copy
 * for the worker and the worker's own, three canvases, stroke labels, undo bookkeeping, the mask),
 * so 50 megapixels is about 2 GB: near what a browser tab can count on. Browsers also cap a
 * canvas's side; 16384 is safe in current Chromium, Firefox and Safari.
 */
export const LIMITS = { maxPixels: 50_000_000, maxSide: 16_384 } as const;

export interface Dimensions {
  width: number;
  height: number;
}

/** The message for an image over the limits, or null when it fits. */
export function sizeProblem(name: string, { width, height }: Dimensions): string | null {
  if (width * height <= LIMITS.maxPixels && width <= LIMITS.maxSide && height <= LIMITS.maxSide) return null;
  const megapixels = (width * height) / 1e6;
  return (
    `"${name}" is ${width}×${height} (${megapixels.toFixed(1)} megapixels): too large for the browser's memory. ` +
    `The page opens images up to ${LIMITS.maxPixels / 1e6} megapixels and ${LIMITS.maxSide} pixels per side; ` +
    'downscale it, or cut it with the command line (strokecut IMAGE STROKES), which has no such limit.'
  );
}

/**
 * Width and height from the header of a PNG, JPEG, GIF, WebP or BMP file, or null when the format
 * is another or the header is damaged (the decoder then has the last word).
 */
export function readDimensions(bytes: Uint8Array): Dimensions | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const ascii = (offset: number, text: string) =>
    offset + text.length <= n && [...text].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  // PNG: signature, then the IHDR chunk: width and height, big-endian.
  if (n >= 24 && bytes[0] === 0x89 && ascii(1, 'PNG') && ascii(12, 'IHDR')) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  // GIF: logical screen size, little-endian.
  if (n >= 10 && (ascii(0, 'GIF87a') || ascii(0, 'GIF89a'))) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  // BMP: BITMAPINFOHEADER width and (signed, negative = top-down) height.
  if (n >= 26 && ascii(0, 'BM') && view.getUint32(14, true) >= 40) {
    return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  if (n >= 30 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) {
    if (ascii(12, 'VP8X')) {
      const width = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
      const height = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
      return { width, height };
    }
    if (ascii(12, 'VP8L') && bytes[20] === 0x2f) {
      const bits = view.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (ascii(12, 'VP8 ') && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) {
      return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    }
    return null;
  }
  // JPEG: walk the markers to the first start-of-frame.
  if (n >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < n) {
      if (bytes[offset] !== 0xff) return null;
      const marker = bytes[offset + 1];
      if (marker === 0xff) {
        offset++; // fill byte
        continue;
      }
      // Markers without a length: standalone (TEM, RSTn).
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        offset += 2;
        continue;
      }
      const isStartOfFrame =
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isStartOfFrame) return { width: view.getUint16(offset + 7), height: view.getUint16(offset + 5) };
      offset += 2 + view.getUint16(offset + 2);
    }
  }
  return null;
}
