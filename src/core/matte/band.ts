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
 * afterwards it holds 1 on band pixels and 0 elsewhere.
 *
 * A pixel is in the band when its Euclidean distance to the other label is at most r. That
 * distance is found in two separable passes, as in exact distance transforms: first, per column,
 * the vertical distance from each pixel to the nearest pixel of the other label than its own
 * (capped at r + 1: the upward distances in `scratch`, the downward ones in a row buffer while
 * the rows are visited); then, per row, each column x′ covers the pixels x with
 * (x − x′)² + D(x′)² ≤ r², where D(x′) is 0 for a pixel of the other label and the vertical
 * distance for one of the same label. The covered intervals are summed in a row-sized difference
 * array. Cost: two passes over the mask and one over the rows' covers, independent of r (a disk
 * stamp per outline pixel cost outline × πr², seconds at 12 MP).
 */
export function buildBand(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  scratch: Uint8Array = new Uint8Array(width * height),
): MatteBand {
  const r = Math.max(0, Math.floor(radius));
  if (r === 0) {
    scratch.fill(0);
    return { width, height, radius: 0, pixels: new Int32Array(0), rowStart: new Int32Array(height + 1) };
  }
  // Vertical distances capped at r + 1 (any value above r covers nothing); bytes when that fits.
  const cap = r + 1;
  const dist: Uint8Array | Uint16Array = cap <= 255 ? scratch : new Uint16Array(width * height);
  // Upward pass: distance to the nearest pixel of the other label below (or cap). The downward
  // distances are kept in a row buffer during the row pass below, which takes the minimum.
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) dist[last + x] = cap;
  for (let y = height - 2; y >= 0; y--) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = row + x;
      // Bit 7 of a mask byte is isForegroundByte: the labels differ where it differs.
      dist[p] = (mask[p] ^ mask[p + width]) & 128 ? 1 : Math.min(dist[p + width] + 1, cap);
    }
  }
  const down = new Int32Array(width).fill(cap);
  // Half-widths of the disk's rows: dx² + dy² ≤ r².
  const half = new Int32Array(r + 1);
  for (let dy = 0; dy <= r; dy++) half[dy] = Math.floor(Math.sqrt(r * r - dy * dy) + 1e-9);
  // Difference arrays of the cover of foreground (coverF) and background (coverB) pixels.
  const coverF = new Int32Array(width + 1);
  const coverB = new Int32Array(width + 1);
  let pixels = new Int32Array(Math.max(1024, Math.min(width * height, 8 * (width + height) * r)));
  const rowStart = new Int32Array(height + 1);
  let n = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = n;
    const row = y * width;
    // lo … hi: the columns the covers can reach (the last pass visits only those).
    let lo = width;
    let hi = 0;
    let runStart = 0;
    let runFg = isForegroundByte(mask[row]);
    for (let x = 0; x < width; x++) {
      const p = row + x;
      const fg = isForegroundByte(mask[p]);
      if (fg !== runFg) {
        // A run [runStart, x) of one label covers the other label's pixels within r of it.
        const cover = runFg ? coverB : coverF;
        const from = Math.max(runStart - r, 0);
        const to = Math.min(x + r, width);
        cover[from]++;
        cover[to]--;
        if (from < lo) lo = from;
        if (to > hi) hi = to;
        runStart = x;
        runFg = fg;
      }
      let d = cap;
      if (y > 0) {
        // Bit 7 of a mask byte is isForegroundByte: the labels differ where it differs.
        d = (mask[p] ^ mask[p - width]) & 128 ? 1 : Math.min(down[x] + 1, cap);
        down[x] = d;
      }
      if (dist[p] < d) d = dist[p];
      if (d <= r) {
        const h = half[d];
        const cover = fg ? coverF : coverB;
        const from = Math.max(x - h, 0);
        const to = Math.min(x + h + 1, width);
        cover[from]++;
        cover[to]--;
        if (from < lo) lo = from;
        if (to > hi) hi = to;
      }
    }
    // The row's last run, unless it is the whole row (then there is no other label here).
    if (runStart > 0) {
      const cover = runFg ? coverB : coverF;
      const from = Math.max(runStart - r, 0);
      cover[from]++;
      cover[width]--;
      if (from < lo) lo = from;
      hi = width;
    }
    if (hi === 0) {
      scratch.fill(0, row, row + width);
      continue;
    }
    scratch.fill(0, row, row + lo);
    let sumF = 0;
    let sumB = 0;
    for (let x = lo; x < hi; x++) {
      sumF += coverF[x];
      sumB += coverB[x];
      coverF[x] = 0;
      coverB[x] = 0;
      const p = row + x;
      if ((isForegroundByte(mask[p]) ? sumF : sumB) > 0) {
        if (n === pixels.length) {
          const grown = new Int32Array(Math.min(width * height, 2 * n));
          grown.set(pixels);
          pixels = grown;
        }
        pixels[n++] = p;
        scratch[p] = 1;
      } else scratch[p] = 0;
    }
    scratch.fill(0, row + hi, row + width);
    coverF[hi] = 0;
    coverB[hi] = 0;
  }
  rowStart[height] = n;
  return { width, height, radius: r, pixels: pixels.slice(0, n), rowStart };
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

/**
 * The band grown by the pixels within `radius` of any of `seeds` (pixel indices, usually band
 * pixels): a breadth-first flood from the seeds that carries each pixel's seed and takes a pixel
 * while it is within `radius` (Euclidean) of that seed — near-exact (a pixel first reached from a
 * farther seed can be missed by a nearer one behind it), and its cost is the pixels it reaches.
 * `marks` (one byte per pixel) holds 1 on the band's pixels and 0 elsewhere, before and after (then
 * for the grown band); bit 2 is used as scratch and cleared again.
 */
export function growBand(band: MatteBand, seeds: Int32Array, radius: number, marks: Uint8Array): MatteBand {
  const { width, height, pixels } = band;
  const r2 = radius * radius;
  let queue = new Int32Array(Math.max(1024, seeds.length * 4));
  let seedOf = new Int32Array(queue.length);
  let tail = 0;
  for (const s of seeds) {
    if (marks[s] & 2) continue;
    marks[s] |= 2;
    queue[tail] = s;
    seedOf[tail++] = s;
  }
  let added = new Int32Array(1024);
  let count = 0;
  for (let head = 0; head < tail; head++) {
    const p = queue[head];
    const s = seedOf[head];
    if ((marks[p] & 1) === 0) {
      if (count === added.length) {
        const grown = new Int32Array(2 * count);
        grown.set(added);
        added = grown;
      }
      added[count++] = p;
    }
    const x = p % width;
    const y = (p - x) / width;
    const sx = s % width;
    const sy = (s - sx) / width;
    for (let d = 0; d < 4; d++) {
      const nx = d === 0 ? x - 1 : d === 1 ? x + 1 : x;
      const ny = d === 2 ? y - 1 : d === 3 ? y + 1 : y;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = ny * width + nx;
      if (marks[q] & 2) continue;
      if ((nx - sx) ** 2 + (ny - sy) ** 2 > r2) continue;
      marks[q] |= 2;
      if (tail === queue.length) {
        const q2 = new Int32Array(2 * tail);
        q2.set(queue);
        queue = q2;
        const s2 = new Int32Array(2 * tail);
        s2.set(seedOf);
        seedOf = s2;
      }
      queue[tail] = q;
      seedOf[tail++] = s;
    }
  }
  for (let k = 0; k < tail; k++) marks[queue[k]] &= ~2;
  if (count === 0) return band;
  const extra = added.subarray(0, count).sort();
  const merged = new Int32Array(pixels.length + count);
  let a = 0;
  let b = 0;
  for (let k = 0; k < merged.length; k++) {
    merged[k] = b >= count || (a < pixels.length && pixels[a] < extra[b]) ? pixels[a++] : extra[b++];
  }
  for (let k = 0; k < count; k++) marks[extra[k]] = 1;
  const rowStart = new Int32Array(height + 1);
  let k = 0;
  for (let y = 0; y <= height; y++) {
    const limit = y * width;
    while (k < merged.length && merged[k] < limit) k++;
    rowStart[y] = k;
  }
  return { width, height, radius: band.radius, pixels: merged, rowStart };
}
