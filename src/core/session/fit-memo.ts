import { kmeans } from '../kmeans/kmeans.js';
import type { KMeansOptions, KMeansResult } from '../kmeans/kmeans-shared.js';
import type { WeightedColors } from '../seeds/distinct-colors.js';

interface Entry {
  points: WeightedColors;
  k: number;
  options: Required<KMeansOptions>;
  result: KMeansResult;
}

/**
 * k-means results remembered by their exact input: a class whose stroke colours did not change,
 * or a re-fit on labels a cut gave before, gets its earlier clusters back instead of running
 * k-means again. Same input, same output (k-means is deterministic), so nothing changes but the
 * time. Holds the `capacity` most recent fits.
 */
export class FitMemo {
  private entries: Entry[] = [];
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 24) {}

  fit(points: WeightedColors, k: number, options: KMeansOptions = {}): KMeansResult {
    const known = this.find(points, k, options);
    if (known) return known;
    const full = fullOptions(options);
    this.misses++;
    const result = kmeans(points, k, options);
    // Keep a copy: the caller may reuse its arrays.
    const kept: WeightedColors = {
      colors: points.colors.slice(0, points.count * 3),
      weights: points.weights.slice(0, points.count),
      count: points.count,
      total: points.total,
    };
    this.entries.push({ points: kept, k, options: full, result });
    if (this.entries.length > this.capacity) this.entries.shift();
    return result;
  }

  /** The remembered result of exactly this fit, if there is one (counted as a hit). */
  find(points: WeightedColors, k: number, options: KMeansOptions = {}): KMeansResult | undefined {
    const full = fullOptions(options);
    const found = this.entries.findIndex((entry) => sameFit(entry, points, k, full));
    if (found < 0) return undefined;
    const [entry] = this.entries.splice(found, 1);
    this.entries.push(entry);
    this.hits++;
    return entry.result;
  }
}

function fullOptions(options: KMeansOptions): Required<KMeansOptions> {
  return {
    seed: options.seed ?? 0,
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 0,
  };
}

function sameFit(entry: Entry, points: WeightedColors, k: number, options: Required<KMeansOptions>): boolean {
  const a = entry.points;
  if (entry.k !== k || a.count !== points.count || a.total !== points.total) return false;
  const o = entry.options;
  if (
    o.seed !== options.seed ||
    o.maxIterations !== options.maxIterations ||
    o.tolerance !== options.tolerance
  ) {
    return false;
  }
  const n = a.count;
  for (let i = 0; i < n; i++) if (a.weights[i] !== points.weights[i]) return false;
  for (let i = 0; i < n * 3; i++) if (a.colors[i] !== points.colors[i]) return false;
  return true;
}
