/** Connected components (8-neighbour) of a binary region, by breadth-first search: O(pixels). */

export interface Components {
  /** Per pixel: 0 outside the region, else its component's number (1 … count, in raster order of first pixel). */
  labels: Int32Array;
  count: number;
  /** sizes[c]: pixels of component c (sizes[0] unused). */
  sizes: number[];
}

export function labelComponents(region: Uint8Array, width: number, height: number): Components {
  const n = width * height;
  const labels = new Int32Array(n);
  const queue = new Int32Array(n);
  const sizes = [0];
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (!region[start] || labels[start]) continue;
    count++;
    labels[start] = count;
    let tail = 0;
    queue[tail++] = start;
    for (let head = 0; head < tail; head++) {
      const p = queue[head];
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const qy = y + dy;
        if (qy < 0 || qy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const qx = x + dx;
          if (qx < 0 || qx >= width) continue;
          const q = qy * width + qx;
          if (region[q] && !labels[q]) {
            labels[q] = count;
            queue[tail++] = q;
          }
        }
      }
    }
    sizes.push(tail);
  }
  return { labels, count, sizes };
}

/**
 * The largest 8-connected component of `region` as its own mask (ties: the component reached first
 * in raster order), with its size; undefined for an empty region.
 */
export function largestComponent(
  region: Uint8Array,
  width: number,
  height: number,
): { mask: Uint8Array; area: number } | undefined {
  const { labels, count, sizes } = labelComponents(region, width, height);
  if (count === 0) return undefined;
  let best = 1;
  for (let c = 2; c <= count; c++) if (sizes[c] > sizes[best]) best = c;
  const mask = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) if (labels[p] === best) mask[p] = 1;
  return { mask, area: sizes[best] };
}
