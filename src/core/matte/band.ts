/**
 * The unknown band of a matte: the pixels within `radius` (Euclidean) of a pixel of the other label
 * — dilate(F, disk r) minus erode(F, disk r) for a binary mask F. Alpha is solved only there; every
 * other pixel keeps the mask's 0 or 1.
 *
 * The band is kept as a sorted list of pixel indices with the start of each row, so finding a
 * neighbour is a binary search in one row: the solver's memory grows with the band, not the image.
 */
export interface MatteBand {
  readonly width: number;
  readonly height: number;
  readonly radius: number;
  /** Pixel indices (y · width + x) of the band's pixels, in raster order. */
  readonly pixels: Int32Array;
  /** The band pixels of row y are `pixels[rowStart[y] .. rowStart[y + 1])`. */
  readonly rowStart: Int32Array;
}

/** A mask byte ≥ 128 is foreground (masks are 0/255; anything else is read by this rule). */
export function isForegroundByte(value: number): boolean {
  return value >= 128;
}

/**
 * Builds the band. `scratch` (one byte per pixel, e.g. the caller's alpha output) is overwritten:
 * afterwards it holds 1 on band pixels and 0 elsewhere. Cost: one pass over the mask plus a disk
 * stamp per outline pixel (outline × πr², about band × r).
 */
export function buildBand(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  scratch: Uint8Array = new Uint8Array(width * height),
): MatteBand {
  scratch.fill(0);
  const r = Math.max(0, Math.floor(radius));
  // Half-widths of the disk's rows: dx² + dy² ≤ r².
  const half = new Int32Array(2 * r + 1);
  for (let dy = -r; dy <= r; dy++) half[dy + r] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  let count = 0;
  if (r > 0) {
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const p = row + x;
        const fg = isForegroundByte(mask[p]);
        // An outline pixel: a 4-neighbour has the other label. The nearest pixel of the other
        // label to any pixel is always such an outline pixel, so stamping a disk around each one,
        // marking only pixels of the other label, marks exactly the band.
        const outline =
          (x > 0 && isForegroundByte(mask[p - 1]) !== fg) ||
          (x + 1 < width && isForegroundByte(mask[p + 1]) !== fg) ||
          (y > 0 && isForegroundByte(mask[p - width]) !== fg) ||
          (y + 1 < height && isForegroundByte(mask[p + width]) !== fg);
        if (!outline) continue;
        const y0 = Math.max(0, y - r);
        const y1 = Math.min(height - 1, y + r);
        for (let yy = y0; yy <= y1; yy++) {
          const h = half[yy - y + r];
          const x0 = Math.max(0, x - h);
          const x1 = Math.min(width - 1, x + h);
          const base = yy * width;
          for (let xx = x0; xx <= x1; xx++) {
            const q = base + xx;
            if (scratch[q] === 0 && isForegroundByte(mask[q]) !== fg) {
              scratch[q] = 1;
              count++;
            }
          }
        }
      }
    }
  }
  const pixels = new Int32Array(count);
  const rowStart = new Int32Array(height + 1);
  let n = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = n;
    const row = y * width;
    for (let x = 0; x < width; x++) if (scratch[row + x] === 1) pixels[n++] = row + x;
  }
  rowStart[height] = n;
  return { width, height, radius: r, pixels, rowStart };
}

/** The band index of pixel (x, y), or −1 when it is outside the image or not in the band. */
export function bandIndexOf(band: MatteBand, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= band.width || y >= band.height) return -1;
  const target = y * band.width + x;
  let lo = band.rowStart[y];
  let hi = band.rowStart[y + 1] - 1;
  const { pixels } = band;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = pixels[mid];
    if (value === target) return mid;
    if (value < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
